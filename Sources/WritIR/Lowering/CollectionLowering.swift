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

    /// The index of a constant set in the program, added on first use.
    func setNumber(_ set: IRSet) -> Int {
        if let i = setIndex[set] { return i }
        let si = ir.sets.count
        ir.sets.append(set)
        setIndex[set] = si
        return si
    }

    /// `size(C.filter(p, p <= y))` — or `<`, `>`, `>=`, with `p` on either
    /// side — over a constant list C of numbers or money (one currency),
    /// sorted ascending and distinct, where `y` does not mention `p`: one
    /// `rank` (a binary search) instead of a comparison per element. It
    /// fails as the unrolled filter would at its first element: `y` is
    /// evaluated, then a money list's currency checked against `y`'s in the
    /// same operand order. Nil when the expression has another shape.
    func rankedCount(_ e: Expr, _ x: Expr) throws(IRCompileError) -> Operand? {
        guard case .call(let target?, let fn, let args) = x.kind, fn.text == "filter", args.count == 2,
            case .identifier(let name) = args[0].kind, case .binary(let op, let l, let r) = args[1].kind,
            case .list(let values)? = p.constants[target.id], !values.isEmpty
        else { return nil }
        let y: Expr
        let elementLeft: Bool
        if case .identifier(name) = l.kind, !mentions(r, name) {
            y = r
            elementLeft = true
        } else if case .identifier(name) = r.kind, !mentions(l, name) {
            y = l
            elementLeft = false
        } else {
            return nil
        }
        // The test as "member OP y".
        let comparison: UInt32
        switch (op, elementLeft) {
        case (.lt, true), (.gt, false): comparison = 0
        case (.le, true), (.ge, false): comparison = 1
        case (.gt, true), (.lt, false): comparison = 2
        case (.ge, true), (.le, false): comparison = 3
        default: return nil
        }
        let k = elementKind(target)
        guard [.int, .decimal, .percent, .money, .duration].contains(k), effectiveKind(y) == k else { return nil }
        var members: [Int128] = []
        var currency: Int128?
        for v in values {
            guard let s = enc.encode(v, as: k), s.count == k.width else { return nil }
            if k == .money {
                if currency == nil { currency = s[1] }
                guard currency == s[1] else { return nil }
            }
            guard members.last.map({ $0 < s[0] }) ?? true else { return nil }
            members.append(s[0])
        }
        let si = setNumber(IRSet(kind: k, members: members))
        guard si <= 0xFFFF else { return nil }
        let yv = try value(y)
        if k == .money {
            let first = try constant(values[0], k, at: target.span)
            let (b, c) = elementLeft ? (first.next, yv.next) : (yv.next, first.next)
            emit(LInst(op: .cur, b: b, c: c, span: args[1].span))
        }
        return node(.rank, newRegister(.int), (y, yv), aux: UInt32(si) | comparison << 16, for: e, kind: .int)
    }

    /// Whether `e` mentions the name `name` anywhere.
    private func mentions(_ e: Expr, _ name: String) -> Bool {
        if case .identifier(name) = e.kind { return true }
        return TypedDump.children(e).contains { mentions($0, name) }
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
            let si = setNumber(IRSet(kind: xk, members: members.sorted()))
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
