/// Lowering of scalar expressions: constants, field reads (with presence
/// guards), table cells, operators with their unit rules, and conditionals.
/// Every instruction that computes a node's value carries the node's span.

import WritSema
import WritSyntax
import WritValue

extension Lowerer {
    /// The operand holding the value of `e` (money: the amount; the currency follows).
    /// `quietNull`: an empty table cell reads as the null marker instead of failing
    /// (operands of `==`, `!=` and `in`).
    func value(_ e: Expr, quietNull: Bool = false) throws(IRCompileError) -> Operand {
        if let c = p.constants[e.id] {
            let k = kind(of: e)
            if k != .none { return try constant(c, k, at: e.span) }
        }
        if let m = try memoRead(e, quietNull: quietNull) { return m }
        let v = try rawValue(e, quietNull: quietNull)
        if p.conversions[e.id] == .decimal, kind(of: e) == .int {
            return emit(.i2f, newRegister(.decimal), v, for: e, kind: .decimal)
        }
        return v
    }

    /// The kind of `e` after its implicit conversion.
    func effectiveKind(_ e: Expr) -> ValueKind {
        p.conversions[e.id] == .decimal ? .decimal : kind(of: e)
    }

    private func rawValue(_ e: Expr, quietNull: Bool) throws(IRCompileError) -> Operand {
        switch e.kind {
        case .identifier, .select:
            return try name(e, quietNull: quietNull)
        case .call(let target, let fn, let args):
            return try call(e, target, fn, args)
        case .unary(let op, let x):
            return try unary(e, op, x)
        case .binary(let op, let l, let r):
            return try binary(e, op, l, r)
        case .conditional(let c, let a, let b):
            return try conditional(e, c, a, b)
        case .index(let base, let index):
            return try indexValue(e, base, index)
        case .tuple(let parts):
            return try tuple(e, parts)
        case .literal, .list, .map, .error:
            throw unsupported(e, "this expression")
        }
    }

    /// A composite key: `tuple` chains the parts' ids into one interned id.
    private func tuple(_ e: Expr, _ parts: [Expr]) throws(IRCompileError) -> Operand {
        guard parts.count >= 2 else { throw unsupported(e, "the tuple") }
        var acc = try value(parts[0])
        var accExpr = parts[0]
        for (k, part) in parts.dropFirst().enumerated() {
            let v = try value(part)
            acc = node(
                .tuple, newRegister(.symbol), (accExpr, acc), (part, v), aux: k == 0 ? 0 : 1, for: e, kind: .symbol)
            accExpr = e
        }
        return acc
    }

    func unsupported(_ e: Expr, _ what: String) -> IRCompileError {
        IRCompileError(
            "the engine cannot evaluate \(what) `\(text(e))`", at: e.span,
            help: "rewrite it with fields, constants, tables and the built-in functions")
    }

    // MARK: Names

    private func name(_ e: Expr, quietNull: Bool) throws(IRCompileError) -> Operand {
        switch p.resolutions[e.id] {
        case .field(let schema, let field)?:
            return try fieldValue(e, schema: schema, field: field)
        case .column(let table, let column)?:
            guard case .select(let base, _) = e.kind else { throw unsupported(e, "the column") }
            let (row, ti) = try rowOf(base)
            guard let ci = ir.tables[ti].columns.firstIndex(where: { $0.name == column }) else {
                throw IRCompileError("table `\(table)` has no column `\(column)`", at: e.span)
            }
            let k = ir.tables[ti].columns[ci].kind
            return emit(
                quietNull ? .colq : .col, newRegister(k), row, aux: UInt32(ti << 16 | ci), for: e, kind: k,
                wide: k == .money)
        case .macroVariable(let n, let macro)?:
            guard case .scalar(let o, _)? = macroValues[MacroKey(macro: macro, name: n)] else {
                throw unsupported(e, "the variable")
            }
            return o
        default:
            throw unsupported(e, "the name")
        }
    }

    /// The input slot of a field, after a presence guard when it may be absent.
    func fieldValue(_ e: Expr, schema: String, field: String) throws(IRCompileError) -> Operand {
        guard let f = fields[schema]?[field] else { throw unsupported(e, "the field") }
        guard f.kind != .none else {
            throw IRCompileError("the engine cannot read the field `\(schema).\(field)` of this type", at: e.span)
        }
        if needsGuard(f, schema: schema) {
            emit(LInst(op: .req, aux: UInt32(f.index), span: e.span))
        }
        return .input(f.slot)
    }

    /// The row operand of `table[key]` and the table's index.
    func rowOf(_ base: Expr) throws(IRCompileError) -> (Operand, Int) {
        guard case .index(let t, let key) = base.kind, case .data(let name)? = p.resolutions[t.id],
            let ti = tableIndex[name]
        else { throw unsupported(base, "the row") }
        let k = try value(key)
        let r = emit(.row, newRegister(.int), k, aux: UInt32(ti), for: nil)
        cur.items[cur.items.count - 1].operandSpans = operandSpans([(1, key, k)])
        return (r, ti)
    }

    /// `base[index]` where base is a constant list or map and the index is not constant.
    private func indexValue(_ e: Expr, _ base: Expr, _ index: Expr) throws(IRCompileError) -> Operand {
        guard let c = p.constants[base.id] else { throw unsupported(e, "the index") }
        let vk = kind(of: e)
        var keys: [Value] = []
        var cells: [Value] = []
        var keyKind: ValueKind
        switch c {
        case .list(let xs):
            keys = xs.indices.map { .int(Int64($0)) }
            cells = xs
            keyKind = .int
        case .map(let es):
            keys = es.map(\.key)
            cells = es.map(\.value)
            keyKind = effectiveKind(index)
        default:
            throw unsupported(e, "the index")
        }
        let ti = try anonymousTable(
            name: keyKind == .int && !isMap(c) ? "[]" : "{}", keys: keys, keyKind: keyKind, cells: cells, kind: vk,
            at: e.span)
        let k = try value(index)
        let row = emit(.row, newRegister(.int), k, aux: UInt32(ti))
        return emit(.col, newRegister(vk), row, aux: UInt32(ti << 16), for: e, kind: vk, wide: vk == .money)
    }

    private func isMap(_ v: Value) -> Bool {
        if case .map = v { return true }
        return false
    }

    /// A one-column table for a constant list (`[]`) or map (`{}`) indexed at run time.
    func anonymousTable(
        name: String, keys: [Value], keyKind: ValueKind, cells: [Value], kind: ValueKind, at span: Span
    ) throws(IRCompileError) -> Int {
        var encodedKeys: [Int128] = []
        var encodedCells: [Int128] = []
        for (k, v) in zip(keys, cells) {
            guard let ek = enc.encode(k, as: keyKind), ek.count == 1, let ev = enc.encode(v, as: kind) else {
                throw IRCompileError("a constant collection cannot be encoded", at: span)
            }
            encodedKeys.append(ek[0])
            encodedCells.append(contentsOf: ev)
        }
        let t = IRTable(
            name: name, keyKind: keyKind, keys: encodedKeys,
            columns: [IRColumn(name: "value", kind: kind, cells: encodedCells)])
        if let i = ir.tables.firstIndex(of: t) { return i }
        ir.tables.append(t)
        return ir.tables.count - 1
    }

    /// Operand spans for children read directly from a slot (fields, named constants).
    func operandSpans(_ children: [(Int, Expr, Operand)]) -> [OperandSpan] {
        var out: [OperandSpan] = []
        for (i, e, o) in children {
            switch o {
            case .input:
                let k = effectiveKind(e)
                out.append(OperandSpan(operand: i, span: e.span, kind: k, enumIndex: enumOfSpan[e.span]))
            case .const:
                if case .identifier = e.kind {
                    let k = kind(of: e)
                    out.append(OperandSpan(operand: i, span: e.span, kind: k, enumIndex: enumOfSpan[e.span]))
                }
            default:
                break
            }
        }
        return out
    }

    /// Emits an instruction computing node `e` from children `l` and `r`, with their spans.
    @discardableResult
    func node(
        _ op: Opcode, _ dst: Operand, _ l: (Expr, Operand)?, _ r: (Expr, Operand)? = nil, aux: UInt32 = 0,
        for e: Expr, kind: ValueKind, wide: Bool = false
    ) -> Operand {
        var children: [(Int, Expr, Operand)] = []
        if let l { children.append((1, l.0, l.1)) }
        if let r { children.append((2, r.0, r.1)) }
        emit(
            LInst(
                op: op, a: dst, b: l?.1 ?? .none, c: r?.1 ?? .none, aux: aux, span: e.span, spanKind: kind,
                wide: wide, operandSpans: operandSpans(children)))
        return dst
    }

    // MARK: Operators

    private func unary(_ e: Expr, _ op: UnaryOp, _ x: Expr) throws(IRCompileError) -> Operand {
        let v = try value(x)
        let k = effectiveKind(x)
        switch op {
        case .not:
            return node(.not, newRegister(.bool), (x, v), for: e, kind: .bool)
        case .negate:
            switch k {
            case .int, .duration:
                return node(.ineg, newRegister(k), (x, v), for: e, kind: k)
            case .decimal, .percent:
                return node(.fneg, newRegister(k), (x, v), for: e, kind: k)
            case .money:
                let d = newRegister(.money)
                emit(.mov, d.next, v.next)
                return node(.fneg, d, (x, v), for: e, kind: .money)
            default:
                throw unsupported(e, "the negation")
            }
        }
    }

    private func binary(_ e: Expr, _ op: BinaryOp, _ l: Expr, _ r: Expr) throws(IRCompileError) -> Operand {
        switch op {
        case .and, .or:
            return try chain(e, op)
        case .eq, .ne, .lt, .le, .gt, .ge:
            return try comparison(e, op, l, r)
        case .in:
            return try membership(e, l, r)
        case .add, .sub, .mul, .div, .rem:
            return try arithmetic(e, op, l, r)
        }
    }

    private func comparison(_ e: Expr, _ op: BinaryOp, _ l: Expr, _ r: Expr) throws(IRCompileError) -> Operand {
        let quiet = op == .eq || op == .ne
        let lv = try value(l, quietNull: quiet)
        let rv = try value(r, quietNull: quiet)
        let k = effectiveKind(l)
        if k == .money {
            emit(LInst(op: .cur, b: lv.next, c: rv.next, span: e.span))
        }
        if k.isText, op != .eq, op != .ne {
            let which: UInt32 = op == .lt ? 0 : op == .le ? 1 : op == .gt ? 2 : 3
            return node(.scmp, newRegister(.bool), (l, lv), (r, rv), aux: which, for: e, kind: .bool)
        }
        let code: Opcode =
            switch op {
            case .eq: .eq
            case .ne: .ne
            case .lt: .lt
            case .le: .le
            case .gt: .gt
            default: .ge
            }
        return node(code, newRegister(.bool), (l, lv), (r, rv), for: e, kind: .bool)
    }

    /// An int operand as a decimal (money and percent arithmetic with ints).
    func asDecimal(_ x: Expr, _ v: Operand) -> Operand {
        guard effectiveKind(x) == .int else { return v }
        if case .const(let i) = v {
            return constant(pool.value(i) * Fixed.one, .decimal)
        }
        return emit(.i2f, newRegister(.decimal), v)
    }

    private func arithmetic(_ e: Expr, _ op: BinaryOp, _ l: Expr, _ r: Expr) throws(IRCompileError) -> Operand {
        let lk = effectiveKind(l)
        let rk = effectiveKind(r)
        let rk0 = kind(of: e)
        var lv = try value(l)
        var rv = try value(r)
        func int(_ code: Opcode) -> Operand { node(code, newRegister(rk0), (l, lv), (r, rv), for: e, kind: rk0) }
        func fixed(_ code: Opcode) -> Operand { node(code, newRegister(rk0), (l, lv), (r, rv), for: e, kind: rk0) }
        func money(_ code: Opcode, currencyFrom m: Operand) -> Operand {
            let d = newRegister(.money)
            emit(.mov, d.next, m.next)
            return node(code, d, (l, lv), (r, rv), for: e, kind: .money)
        }
        switch (op, lk, rk) {
        case (.add, .int, .int), (.add, .duration, .duration), (.add, .timestamp, .duration),
            (.add, .duration, .timestamp):
            return int(.iadd)
        case (.sub, .int, .int), (.sub, .duration, .duration), (.sub, .timestamp, .duration),
            (.sub, .timestamp, .timestamp):
            return int(.isub)
        case (.mul, .int, .int), (.mul, .duration, .int), (.mul, .int, .duration):
            return int(.imul)
        case (.rem, .int, .int):
            return int(.irem)
        case (.div, .duration, .int):
            return int(.idiv)
        case (.add, .decimal, .decimal), (.add, .percent, .percent):
            return fixed(.fadd)
        case (.sub, .decimal, .decimal), (.sub, .percent, .percent):
            return fixed(.fsub)
        case (.add, .money, .money), (.sub, .money, .money):
            emit(LInst(op: .cur, b: lv.next, c: rv.next, span: e.span))
            return money(op == .add ? .fadd : .fsub, currencyFrom: lv)
        case (.add, .string, .string):
            return node(.sconcat, newRegister(.string), (l, lv), (r, rv), for: e, kind: .string)
        case (.mul, .money, _):
            rv = asDecimal(r, rv)
            return money(.fmul, currencyFrom: lv)
        case (.mul, _, .money):
            lv = asDecimal(l, lv)
            return money(.fmul, currencyFrom: rv)
        case (.div, .money, .money):
            emit(LInst(op: .cur, b: lv.next, c: rv.next, span: e.span))
            return fixed(.fdiv)
        case (.div, .money, _):
            rv = asDecimal(r, rv)
            return money(.fdiv, currencyFrom: lv)
        case (.mul, .decimal, .decimal), (.mul, .int, .percent), (.mul, .decimal, .percent),
            (.mul, .percent, .int), (.mul, .percent, .decimal):
            lv = asDecimal(l, lv)
            rv = asDecimal(r, rv)
            return fixed(.fmul)
        case (.div, .decimal, .decimal), (.div, .percent, .percent), (.div, .percent, .int),
            (.div, .percent, .decimal):
            rv = asDecimal(r, rv)
            return fixed(.fdiv)
        default:
            throw unsupported(e, "the operation")
        }
    }

    private func conditional(_ e: Expr, _ c: Expr, _ a: Expr, _ b: Expr) throws(IRCompileError) -> Operand {
        let k = kind(of: e)
        guard k != .none else { throw unsupported(e, "the conditional") }
        let cv = try value(c)
        let dst = newRegister(k)
        let otherwise = newLabel()
        let done = newLabel()
        jump(.jf, cv, to: otherwise)
        let av = try value(a)
        move(dst, av, k, for: e)
        jump(.jmp, to: done)
        place(otherwise)
        let bv = try value(b)
        move(dst, bv, k, for: e)
        place(done)
        return dst
    }

    /// `dst = src` for a value of `kind` (two moves for money).
    func move(_ dst: Operand, _ src: Operand, _ kind: ValueKind, for e: Expr? = nil) {
        emit(.mov, dst, src, for: e, kind: kind)
        if kind == .money { emit(.mov, dst.next, src.next) }
    }
}
