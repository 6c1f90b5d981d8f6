/// Lowering of collections, which the engine never materializes: constant
/// collections become sorted sets or tables, list literals and the results
/// of `filter`/`map` are unrolled into one element per slot (each with an
/// optional "present" flag), and the macros `all`, `exists`, `exists_one`
/// run their predicate once per element.

import WritSema
import WritSyntax
import WritValue

/// A value bound to a macro variable.
enum LValue {
    /// A scalar in a slot.
    case scalar(Operand, ValueKind)
}

/// One element of an unrolled list.
struct LElement {
    /// Its value.
    var value: Operand
    /// Its kind.
    var kind: ValueKind
    /// A bool slot saying whether a `filter` kept it (nil: always).
    var present: Operand?
}

extension Lowerer {
    /// The element kind of a collection-typed node.
    func elementKind(_ e: Expr) -> ValueKind {
        switch p.types[e.id] {
        case .list(let t)?, .set(let t)?, .map(let t, _)?: ValueEncoding.kind(t)
        default: .none
        }
    }

    /// The elements of a collection expression, unrolled.
    func list(_ e: Expr) throws(IRCompileError) -> [LElement] {
        if let c = p.constants[e.id] {
            let k = elementKind(e)
            var values: [Value] = []
            switch c {
            case .list(let xs), .set(let xs): values = xs
            case .map(let es): values = es.map(\.key)
            default: throw unsupported(e, "the collection")
            }
            var out: [LElement] = []
            for v in values { out.append(LElement(value: try constant(v, k, at: e.span), kind: k)) }
            return out
        }
        switch e.kind {
        case .list(let xs):
            var out: [LElement] = []
            for x in xs { out.append(LElement(value: try value(x), kind: effectiveKind(x))) }
            return out
        case .binary(.add, let l, let r):
            return try list(l) + list(r)
        case .call(let target?, let fn, let args) where fn.text == "filter" || fn.text == "map":
            return try transform(e, target, fn.text == "filter", args)
        default:
            throw unsupported(e, "the collection")
        }
    }

    /// Binds the macro variable of `e` (args[0]) to each element in turn.
    private func withElement<T>(
        _ e: Expr, _ args: [Expr], _ el: LElement, _ body: () throws(IRCompileError) -> T
    ) throws(IRCompileError) -> T {
        guard case .identifier(let name) = args[0].kind else { throw unsupported(e, "the macro") }
        let key = MacroKey(macro: e.id, name: name)
        let saved = macroValues[key]
        macroValues[key] = .scalar(el.value, el.kind)
        defer { macroValues[key] = saved }
        return try body()
    }

    /// `l.filter(x, p)` and `l.map(x, f)`.
    private func transform(_ e: Expr, _ target: Expr, _ isFilter: Bool, _ args: [Expr]) throws(IRCompileError)
        -> [LElement]
    {
        let elems = try list(target)
        var out: [LElement] = []
        for el in elems {
            let skip = newLabel()
            if isFilter {
                let keep = newRegister(.bool)
                emit(.mov, keep, bool(false))
                if let present = el.present { jump(.jf, present, to: skip) }
                let pv = try withElement(e, args, el) { () throws(IRCompileError) -> Operand in try value(args[1]) }
                emit(.mov, keep, pv)
                place(skip)
                out.append(LElement(value: el.value, kind: el.kind, present: keep))
            } else {
                let k = effectiveKind(args[1])
                let dst = newRegister(k)
                if let present = el.present { jump(.jf, present, to: skip) }
                let v = try withElement(e, args, el) { () throws(IRCompileError) -> Operand in try value(args[1]) }
                move(dst, v, k)
                place(skip)
                out.append(LElement(value: dst, kind: k, present: el.present))
            }
        }
        return out
    }

    /// `l.all(x, p)`, `l.exists(x, p)`, `l.exists_one(x, p)`.
    func macroPredicate(_ e: Expr, _ target: Expr, _ fn: String, _ args: [Expr]) throws(IRCompileError) -> Operand {
        let elems = try list(target)
        if fn == "exists_one" {
            let n = newRegister(.int)
            emit(.mov, n, constant(0, .int))
            for el in elems {
                let skip = newLabel()
                if let present = el.present { jump(.jf, present, to: skip) }
                let pv = try withElement(e, args, el) { () throws(IRCompileError) -> Operand in try value(args[1]) }
                jump(.jf, pv, to: skip)
                emit(.iadd, n, n, constant(1, .int))
                place(skip)
            }
            return emit(.eq, newRegister(.bool), n, constant(1, .int), for: e, kind: .bool)
        }
        let conjunction = fn == "all"
        if elems.isEmpty { return bool(conjunction) }
        let model = CostModel(program: p)
        let cost = model.cost(args[1])
        let operands = elems.enumerated().map { rank, el in
            ChainOperand(rank: rank, cost: cost) { () throws(IRCompileError) -> Operand in
                guard let present = el.present else {
                    return try self.withElement(e, args, el) { () throws(IRCompileError) -> Operand in
                        try self.value(args[1])
                    }
                }
                let r = self.newRegister(.bool)
                let skip = self.newLabel()
                let done = self.newLabel()
                self.jump(.jf, present, to: skip)
                let pv = try self.withElement(e, args, el) { () throws(IRCompileError) -> Operand in
                    try self.value(args[1])
                }
                self.emit(.mov, r, pv)
                self.jump(.jmp, to: done)
                self.place(skip)
                self.emit(.mov, r, self.bool(conjunction))
                self.place(done)
                return r
            }
        }
        return try chain(conjunction: conjunction, operands, for: e)
    }

    /// `x in c`.
    func membership(_ e: Expr, _ l: Expr, _ r: Expr) throws(IRCompileError) -> Operand {
        if case .data(let name)? = p.resolutions[r.id] {
            if let ti = tableIndex[name] {
                let x = try value(l)
                return node(.inrow, newRegister(.bool), (l, x), aux: UInt32(ti), for: e, kind: .bool)
            }
            if let bi = bindingIndex[name] {
                let x = try value(l)
                return node(.inbound, newRegister(.bool), (l, x), aux: UInt32(bi), for: e, kind: .bool)
            }
        }
        let xk = effectiveKind(l)
        let x = try value(l, quietNull: true)
        if let c = p.constants[r.id], xk.width == 1 {
            var values: [Value] = []
            switch c {
            case .list(let xs), .set(let xs): values = xs
            case .map(let es): values = es.map(\.key)
            default: throw unsupported(e, "the membership test")
            }
            var members = Set<Int128>()
            for v in values {
                guard let s = enc.encode(v, as: xk), s.count == 1 else {
                    throw IRCompileError("the element `\(v)` cannot be encoded as \(xk)", at: r.span)
                }
                members.insert(s[0])
            }
            if members.isEmpty { return bool(false) }
            let set = IRSet(kind: xk, members: members.sorted())
            let si: Int
            if let i = setIndex[set] {
                si = i
            } else {
                si = ir.sets.count
                ir.sets.append(set)
                setIndex[set] = si
            }
            return node(.inset, newRegister(.bool), (l, x), aux: UInt32(si), for: e, kind: .bool)
        }
        let elems = try list(r)
        let dst = newRegister(.bool)
        let found = newLabel()
        let done = newLabel()
        for el in elems {
            let skip = newLabel()
            if let present = el.present { jump(.jf, present, to: skip) }
            if xk == .money { emit(LInst(op: .cur, b: x.next, c: el.value.next, span: e.span)) }
            let t = emit(.eq, newRegister(.bool), x, el.value)
            jump(.jt, t, to: found)
            place(skip)
        }
        emit(.mov, dst, bool(false), for: e, kind: .bool)
        jump(.jmp, to: done)
        place(found)
        emit(.mov, dst, bool(true), for: e, kind: .bool)
        place(done)
        return dst
    }
}
