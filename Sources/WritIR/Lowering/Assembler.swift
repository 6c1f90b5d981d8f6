/// The last step of compilation: lays out the frame (constants, inputs,
/// registers), resolves labels to pcs and operands to frame indices, and
/// gathers the span side table.

import WritSyntax

/// Turns lowered blocks into the flat code of an `IRProgram`.
enum Assembler {
    /// Fills `ir.code`, `ir.handlers`, `ir.blocks`, `ir.spans`, the constant
    /// pool and the absolute slots of the schemas.
    static func assemble(
        _ blocks: [LBlock], pool: ConstantPool, into ir: inout IRProgram, files: [SourceFile]
    ) throws(IRCompileError) {
        ir.constants = pool.values
        ir.constantKinds = pool.kinds
        let inputBase = pool.values.count
        for si in ir.schemas.indices {
            ir.schemas[si].slotBase += inputBase
            for fi in ir.schemas[si].fields.indices { ir.schemas[si].fields[fi].slot += inputBase }
        }
        let registerBase = inputBase + ir.inputCount
        // A memo block runs in the middle of a rule's: its registers and error
        // slots follow those of every other block.
        let others = blocks.filter { $0.kind != .memo }
        let memoRegisterBase = others.map(\.registerCount).max() ?? 0
        let memoErrorBase = others.map(\.errorSlotCount).max() ?? 0
        let memos = blocks.filter { $0.kind == .memo }
        ir.registerCount = memoRegisterBase + (memos.map(\.registerCount).max() ?? 0)
        ir.errorSlotCount = memoErrorBase + (memos.map(\.errorSlotCount).max() ?? 0)
        guard registerBase + ir.registerCount < Int(FrameIndex.max) else {
            throw IRCompileError(
                "the program needs \(registerBase + ir.registerCount) frame slots, more than the 65535 the engine has")
        }
        var shift = 0
        func slot(_ o: Operand) -> FrameIndex {
            switch o {
            case .none: Instruction.unused
            case .const(let i): FrameIndex(i)
            case .input(let i): FrameIndex(inputBase + i)
            case .reg(let r): FrameIndex(registerBase + shift + r)
            }
        }
        ir.code = []
        ir.handlers = []
        ir.blocks = []
        ir.spans = []
        for b in blocks {
            shift = b.kind == .memo ? memoRegisterBase : 0
            let errorShift = UInt32(b.kind == .memo ? memoErrorBase : 0)
            let start = ir.code.count
            var pcOf: [Int: Int] = [:]
            var pc = start
            for item in b.items {
                if let l = item.label { pcOf[l] = pc } else { pc += 1 }
            }
            for item in b.items where item.label == nil {
                let here = ir.code.count
                var aux = item.aux
                if let t = item.target { aux = UInt32(pcOf[t] ?? pc) }
                if item.op == .clrerr || item.op == .rethrow || item.op == .catchErr { aux += errorShift }
                let b = item.fieldOperand.map { FrameIndex($0) } ?? slot(item.b)
                ir.code.append(Instruction(item.op, a: slot(item.a), b: b, c: slot(item.c), aux: aux))
                let handler = Instruction(item.op).canFail ? item.handler.flatMap { pcOf[$0] } : nil
                ir.handlers.append(handler.map(UInt32.init) ?? Instruction.noHandler)
                if let s = item.span {
                    ir.spans.append(span(s, pc: here, kind: item.spanKind, operand: 0, enumIndex: item.spanEnum, files))
                }
                for o in item.operandSpans {
                    ir.spans.append(span(o.span, pc: here, kind: o.kind, operand: o.operand, enumIndex: o.enumIndex, files))
                }
            }
            ir.blocks.append(IRBlock(kind: b.kind, owner: b.owner, start: start, end: ir.code.count))
        }
    }

    private static func span(
        _ s: Span, pc: Int, kind: ValueKind, operand: Int, enumIndex: Int?, _ files: [SourceFile]
    ) -> IRSpan {
        guard s.file < files.count else {
            return IRSpan(
                pc: pc, file: s.file, line: 0, column: 0, text: "", kind: kind, operand: operand, enumIndex: enumIndex)
        }
        let f = files[s.file]
        let loc = f.location(of: s.start)
        return IRSpan(
            pc: pc, file: s.file, line: loc.line, column: loc.column, text: oneLine(f.text(of: s)), kind: kind,
            operand: operand, enumIndex: enumIndex)
    }

    /// An expression written over several lines, as explain shows it: each
    /// line break with the indentation around it becomes one space.
    static func oneLine(_ text: String) -> String {
        guard text.contains("\n") else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
                return line.drop(while: blank).reversed().drop(while: blank).reversed()
            }
            .filter { !$0.isEmpty }
            .map { String($0) }
            .joined(separator: " ")
    }
}
