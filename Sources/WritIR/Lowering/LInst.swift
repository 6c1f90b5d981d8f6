/// The lowering's working form of code: instructions with symbolic operands
/// (constant, input slot or register, resolved to frame indices only at the
/// end) and symbolic labels, so that the optimizer passes can insert, move
/// and delete instructions freely. `Assembler` turns it into `IRProgram.code`.

import WritSyntax

/// A frame operand before the frame is laid out.
enum Operand: Hashable, Sendable, CustomStringConvertible {
    /// Unused.
    case none
    /// Constant pool slot.
    case const(Int)
    /// Input slot, counted from the first input slot.
    case input(Int)
    /// Register of the block.
    case reg(Int)

    /// The next slot (the currency of a money operand).
    var next: Operand {
        switch self {
        case .none: .none
        case .const(let i): .const(i + 1)
        case .input(let i): .input(i + 1)
        case .reg(let i): .reg(i + 1)
        }
    }

    var register: Int? {
        if case .reg(let r) = self { return r }
        return nil
    }

    var description: String {
        switch self {
        case .none: "_"
        case .const(let i): "k\(i)"
        case .input(let i): "i\(i)"
        case .reg(let i): "r\(i)"
        }
    }
}

/// One item of a block under construction: an instruction or a label.
struct LInst: Hashable, Sendable {
    /// The operation (`.nop` for a label).
    var op: Opcode
    var a: Operand = .none
    var b: Operand = .none
    var c: Operand = .none
    var aux: UInt32 = 0
    /// For jumps: the target label.
    var target: Int?
    /// The label errors go to (nil: the block fails).
    var handler: Int?
    /// When non-nil this item is the label with that number, not an instruction.
    var label: Int?
    /// Source of the value computed, for explain.
    var span: Span?
    /// How to print the value computed.
    var spanKind: ValueKind = .none
    /// For an enum value: its enumeration's index.
    var spanEnum: Int?
    /// For money results: `a` and `a.next` are written.
    var wide = false
    /// Sources of operands `b`/`c` that no instruction computes (fields, named constants).
    var operandSpans: [OperandSpan] = []
    /// For `jabsent`/`jpresent`: the field index, assembled into `b`.
    var fieldOperand: Int?

    static func mark(_ label: Int) -> LInst { LInst(op: .nop, label: label) }

    var isLabel: Bool { label != nil }

    var instruction: Instruction { Instruction(op, aux: aux) }

    /// Operands read; a wide (money) instruction reads both slots of each,
    /// and so does a comparison that checks currencies (aux 1).
    var readOperands: [Operand] {
        if isLabel { return [] }
        let ops = [a, b, c]
        let both = wide || (isCurrencyComparison && aux == 1)
        var out: [Operand] = []
        for i in Instruction(op).readsMask() where ops[i] != .none {
            out.append(ops[i])
            if both { out.append(ops[i].next) }
        }
        return out
    }

    /// Whether it is `eq` … `ge`, which may check currencies (aux 1).
    var isCurrencyComparison: Bool { [.eq, .ne, .lt, .le, .gt, .ge].contains(op) }

    /// Operands written.
    var writtenOperands: [Operand] {
        if isLabel || !Instruction(op).writesA { return [] }
        return wide ? [a, a.next] : [a]
    }
}

extension Instruction {
    /// Which of a, b, c (0, 1, 2) an instruction reads.
    func readsMask() -> [Int] {
        switch op {
        case .nop, .jmp, .clrerr, .catchErr, .rethrow, .req, .has, .hasx, .jabsent, .jpresent, .memo: []
        case .jf, .jt: [1]
        case .ret: [0, 1, 2]
        case .mret: [0]
        case .fail, .cur: [1, 2]
        case .mov, .not, .ineg, .iabs, .fneg, .fabs, .i2f, .f2i, .ssize, .tostr, .row, .inrow, .col, .colq, .hascol,
            .inset, .inbound, .between, .rate, .execs, .otr, .killed, .dup, .smatch, .latch, .rank, .wmax, .wmin:
            [1]
        default: [1, 2]
        }
    }
}

/// The source of an operand read directly from an input slot or constant.
struct OperandSpan: Hashable, Sendable {
    /// 1 for `b`, 2 for `c`.
    var operand: Int
    var span: Span
    var kind: ValueKind
    var enumIndex: Int?
}

/// A block under construction.
struct LBlock: Sendable {
    var kind: IRBlockKind
    var owner: Int
    var items: [LInst]
    var registerCount: Int
    var errorSlotCount: Int
}

extension LBlock {
    /// Replaces each pair of adjacent instructions (neither a label, so
    /// nothing jumps to the second alone) for which `fuse` returns an
    /// instruction by that instruction; pairs do not overlap.
    mutating func fusePairs(_ fuse: (LInst, LInst) -> LInst?) {
        var out: [LInst] = []
        var i = 0
        while i < items.count {
            let it = items[i]
            if i + 1 < items.count, !it.isLabel, !items[i + 1].isLabel, let fused = fuse(it, items[i + 1]) {
                out.append(fused)
                i += 2
                continue
            }
            out.append(it)
            i += 1
        }
        items = out
    }
}
