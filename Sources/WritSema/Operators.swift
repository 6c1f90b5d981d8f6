/// Typing of unary and binary operators: arithmetic with units (money,
/// percent, duration, timestamp), comparison, membership and logic.

import WritSyntax
import WritValue

/// The outcome of typing an arithmetic operator.
enum ArithmeticTyping {
    case ok(WType)
    case currencyMismatch(String, String)
    case invalid
}

extension Analyzer {
    // MARK: Unary

    func checkUnary(_ e: Expr, _ op: UnaryOp, _ x: Expr, _ s: Scope, hint: WType?) -> WType {
        switch op {
        case .not:
            let t = check(x, s, hint: .bool)
            if t.containsError { return .error }
            guard t == .bool else {
                report(Messages.notACondition(what: "the operand of `!`", found: t, at: x.span))
                return .error
            }
            if case .bool(let b)? = program.constants[x.id] { program.constants[e.id] = .bool(!b) }
            return .bool
        case .negate:
            let t = check(x, s, hint: hint)
            if t.containsError { return .error }
            switch t {
            case .int, .decimal, .money, .percent, .duration: break
            default:
                report(Messages.invalidUnary("-", t, at: e.span))
                return .error
            }
            if let v = program.constants[x.id] {
                switch Fold.negate(v) {
                case .value(let r): program.constants[e.id] = r
                case .overflow:
                    report(Messages.constantOverflow(text(e.span), at: e.span))
                    return .error
                default: break
                }
            }
            return t
        }
    }

    // MARK: Binary

    func checkBinary(_ e: Expr, _ op: BinaryOp, _ l: Expr, _ r: Expr, _ s: Scope, hint: WType?) -> WType {
        switch op {
        case .and, .or:
            return checkLogical(e, op, l, r, s)
        case .eq, .ne:
            return checkEquality(e, op, l, r, s)
        case .lt, .le, .gt, .ge:
            return checkOrdering(e, op, l, r, s)
        case .in:
            return checkMembership(e, l, r, s)
        case .add, .sub, .mul, .div, .rem:
            return checkArithmetic(e, op, l, r, s, hint: hint)
        }
    }

    /// Checks the two operands of a symmetric operator so that a bare enum
    /// case or a literal on either side takes the other side's type.
    private func checkPair(_ l: Expr, _ r: Expr, _ s: Scope) -> (WType, WType) {
        if isBareUnresolved(l, s) && !isBareUnresolved(r, s) {
            let rt = check(r, s)
            let lt = check(l, s, hint: rt.containsError ? nil : rt)
            return (lt, rt)
        }
        let lt = check(l, s)
        let rt = check(r, s, hint: lt.containsError ? nil : lt)
        return (lt, rt)
    }

    /// Whether `e` is a bare identifier that may be a contextual enum case:
    /// normal lookup does not find it, or it is the name of some enum's case
    /// and not a macro variable or limit (`market` may be `OrdType.market`).
    func isBareUnresolved(_ e: Expr, _ s: Scope) -> Bool {
        guard case .identifier(let n) = e.kind else { return false }
        switch lookup(n, s, hint: nil) {
        case nil: return true
        case .top?: return !enumsWithCase(n).isEmpty
        default: return false
        }
    }

    private func checkLogical(_ e: Expr, _ op: BinaryOp, _ l: Expr, _ r: Expr, _ s: Scope) -> WType {
        let lt = check(l, s, hint: .bool)
        let rt = check(r, s, hint: .bool)
        var ok = true
        for (x, t) in [(l, lt), (r, rt)] where !t.containsError && t != .bool {
            report(Messages.notACondition(what: "an operand of `\(op.rawValue)`", found: t, at: x.span))
            ok = false
        }
        if !ok || lt.containsError || rt.containsError { return .error }
        let lv = program.constants[l.id]
        let rv = program.constants[r.id]
        // CEL's commutative short circuit: false && x is false, true || x is true.
        let absorbing = op == .and ? false : true
        if case .bool(let b)? = lv, b == absorbing {
            program.constants[e.id] = .bool(absorbing)
        } else if case .bool(let b)? = rv, b == absorbing {
            program.constants[e.id] = .bool(absorbing)
        } else if case .bool(let a)? = lv, case .bool(let b)? = rv {
            program.constants[e.id] = .bool(op == .and ? a && b : a || b)
        }
        return .bool
    }

    private func checkEquality(_ e: Expr, _ op: BinaryOp, _ l: Expr, _ r: Expr, _ s: Scope) -> WType {
        let (lt, rt) = checkPair(l, r, s)
        if lt.containsError || rt.containsError { return .error }
        if lt == .null || rt == .null {
            if lt == .null && rt == .null {
                program.constants[e.id] = .bool(op == .eq)
                return .bool
            }
            report(Messages.nullComparison(lt == .null ? rt : lt, at: e.span))
            return .error
        }
        switch lt {
        case .record, .row, .table:
            report(Messages.incomparable(op.rawValue, lt, rt, at: e.span))
            return .error
        default: break
        }
        guard unify(l, lt, r, rt) != nil else {
            report(comparisonMismatch(op.rawValue, lt, rt, at: e.span))
            return .error
        }
        if let a = program.constants[l.id], let b = program.constants[r.id] {
            let eq = Fold.equal(a, b)
            program.constants[e.id] = .bool(op == .eq ? eq : !eq)
        }
        return .bool
    }

    private func comparisonMismatch(_ op: String, _ lt: WType, _ rt: WType, at span: Span) -> Diagnostic {
        if case .money(.fixed(let a)) = lt, case .money(.fixed(let b)) = rt {
            return Messages.currencyMismatch(verb: "compare", a, b, at: span)
        }
        if case .timeOfDay(let a) = lt, case .timeOfDay(let b) = rt {
            return Messages.zoneMismatch(a, b, at: span)
        }
        return Messages.incomparable(op, lt, rt, at: span)
    }

    private func checkOrdering(_ e: Expr, _ op: BinaryOp, _ l: Expr, _ r: Expr, _ s: Scope) -> WType {
        let (lt, rt) = checkPair(l, r, s)
        if lt.containsError || rt.containsError { return .error }
        guard let t = unify(l, lt, r, rt) else {
            report(comparisonMismatch(op.rawValue, lt, rt, at: e.span))
            return .error
        }
        switch t {
        case .int, .decimal, .money, .percent, .duration, .timestamp, .timeOfDay, .string: break
        default:
            report(Messages.notOrderable(op.rawValue, t, at: e.span))
            return .error
        }
        if let a = program.constants[l.id], let b = program.constants[r.id], let c = Fold.compare(a, b) {
            let res: Bool
            switch op {
            case .lt: res = c < 0
            case .le: res = c <= 0
            case .gt: res = c > 0
            default: res = c >= 0
            }
            program.constants[e.id] = .bool(res)
        }
        return .bool
    }

    private func checkMembership(_ e: Expr, _ l: Expr, _ r: Expr, _ s: Scope) -> WType {
        var lt: WType
        var rt: WType
        if case .tuple = l.kind {
            // `(a, b) in t`: a composite key of a table keyed by a tuple.
            rt = check(r, s)
            if rt.containsError {
                if case .tuple(let parts) = l.kind { for p in parts { check(p, s) } }
                return .error
            }
            guard case .table(let n) = rt, let t = tables[n], t.isComposite else {
                lt = check(l, s)
                return .error
            }
            guard checkCompositeKey(l, t, n, s) else { return .error }
            if t.binding == nil, let x = program.constants[l.id] {
                program.constants[e.id] = .bool(t.rows.contains { Fold.equal(t.key(of: $0), x) })
            }
            return .bool
        }
        if isBareUnresolved(l, s) {
            rt = check(r, s)
            lt = check(l, s, hint: rt.elementType ?? tableKeyType(rt))
        } else {
            lt = check(l, s)
            rt = check(r, s, hint: lt.containsError ? nil : .list(lt))
        }
        if lt.containsError || rt.containsError { return .error }
        let elem: WType
        switch rt {
        case .list(let t), .set(let t), .map(let t, _): elem = t
        case .table:
            guard let k = tableKeyType(rt) else { return .error }
            elem = k
        default:
            report(Messages.notACollection(rt, at: r.span))
            return .error
        }
        if elem.containsError {
            // `x in []`: nothing to compare with, and never true.
            guard case .list(let xs) = r.kind, xs.isEmpty else { return .error }
            program.constants[e.id] = .bool(false)
            return .bool
        }
        // The element side converts to the collection's element type; a
        // literal collection may instead convert to the element's type.
        if canConvert(l, from: lt, to: elem) {
            _ = convert(l, from: lt, to: elem)
        } else if let j = join(lt, elem), canConvert(l, from: lt, to: j), canConvertCollection(r, rt, to: j) {
            _ = convert(l, from: lt, to: j)
            _ = convert(r, from: rt, to: replacingElement(rt, with: j))
        } else {
            if case .money(.fixed(let a)) = lt, case .money(.fixed(let b)) = elem {
                report(Messages.currencyMismatch(verb: "look for", a, b, at: e.span))
            } else {
                report(Messages.membershipMismatch(lt, rt, at: e.span))
            }
            return .error
        }
        if let c = program.constants[r.id], Fold.size(c) == 0 {
            program.constants[e.id] = .bool(false)
        } else if let x = program.constants[l.id] {
            if let c = program.constants[r.id], let res = Fold.contains(c, x) {
                program.constants[e.id] = .bool(res)
            } else if case .table(let n) = rt, let t = tables[n], t.binding == nil {
                program.constants[e.id] = .bool(t.rows.contains { Fold.equal(t.key(of: $0), x) })
            }
        }
        return .bool
    }

    func tableKeyType(_ t: WType) -> WType? {
        if case .table(let n) = t { return tables[n]?.keyType }
        return nil
    }

    private func canConvertCollection(_ r: Expr, _ rt: WType, to elem: WType) -> Bool {
        canConvert(r, from: rt, to: replacingElement(rt, with: elem))
    }

    private func replacingElement(_ t: WType, with elem: WType) -> WType {
        switch t {
        case .list: .list(elem)
        case .set: .set(elem)
        case .map(_, let v): .map(elem, v)
        default: t
        }
    }

    // MARK: Arithmetic

    private func checkArithmetic(_ e: Expr, _ op: BinaryOp, _ l: Expr, _ r: Expr, _ s: Scope, hint: WType?) -> WType {
        let lt = check(l, s, hint: hint)
        let rt = check(r, s, hint: hint)
        if lt.containsError || rt.containsError { return .error }
        let result: WType
        switch Analyzer.arithmetic(op, lt, rt) {
        case .invalid:
            report(Messages.invalidOperands(op, lt, rt, at: e.span, help: arithmeticHelp(op, lt, rt)))
            return .error
        case .currencyMismatch(let a, let b):
            report(Messages.currencyMismatch(verb: Messages.verb(op), a, b, at: e.span))
            return .error
        case .ok(let t):
            result = t
        }
        // Mixed int/decimal arithmetic (and int division) works on decimals.
        if lt == .int, rt == .decimal || (op == .div && rt == .int) { _ = convert(l, from: .int, to: .decimal) }
        if rt == .int, lt == .decimal || (op == .div && lt == .int) { _ = convert(r, from: .int, to: .decimal) }
        if let a = program.constants[l.id], let b = program.constants[r.id] {
            switch Fold.arithmetic(op, a, b) {
            case .value(let v): program.constants[e.id] = v
            case .overflow:
                report(Messages.constantOverflow(text(e.span), at: e.span))
                return .error
            case .divisionByZero:
                report(Messages.divisionByZero(text(e.span), at: r.span))
                return .error
            case .notFoldable: break
            }
        } else if op == .div || op == .rem, let b = program.constants[r.id], Fold.isZero(b) {
            report(Messages.divisionByZero(text(e.span), at: r.span))
            return .error
        }
        return result
    }

    private func arithmeticHelp(_ op: BinaryOp, _ l: WType, _ r: WType) -> String? {
        let pct = l == .percent || r == .percent
        if pct, op == .add || op == .sub {
            return "a percent applies to an amount by multiplication: `amount * 5%`"
        }
        if (l == .duration && r.isNumeric) || (r == .duration && l.isNumeric), op == .add || op == .sub {
            return "write the number as a duration with its unit, such as `10ms`"
        }
        if l.isMoney && r.isNumeric && (op == .add || op == .sub)
            || r.isMoney && l.isNumeric && (op == .add || op == .sub)
        {
            return "write the number as money with its currency, such as `100 EUR`"
        }
        if op == .rem { return "`%` takes two ints; write `5%` without a space for a percent" }
        return nil
    }

    /// The result type of `l op r` for the arithmetic operators.
    static func arithmetic(_ op: BinaryOp, _ l: WType, _ r: WType) -> ArithmeticTyping {
        func money(_ a: MoneyCurrency, _ b: MoneyCurrency) -> ArithmeticTyping {
            switch (a, b) {
            case (.fixed(let x), .fixed(let y)) where x != y: return .currencyMismatch(x, y)
            case (.fixed, _): return .ok(.money(a))
            default: return .ok(.money(b))
            }
        }
        switch op {
        case .add, .sub:
            switch (l, r) {
            case (.int, .int): return .ok(.int)
            case (.int, .decimal), (.decimal, .int), (.decimal, .decimal): return .ok(.decimal)
            case (.money(let a), .money(let b)): return money(a, b)
            case (.percent, .percent): return .ok(.percent)
            case (.duration, .duration): return .ok(.duration)
            case (.timestamp, .duration): return .ok(.timestamp)
            case (.duration, .timestamp) where op == .add: return .ok(.timestamp)
            case (.timestamp, .timestamp) where op == .sub: return .ok(.duration)
            case (.string, .string) where op == .add: return .ok(.string)
            case (.list(let a), .list(let b)) where op == .add && a == b: return .ok(l)
            default: return .invalid
            }
        case .mul:
            switch (l, r) {
            case (.int, .int): return .ok(.int)
            case (.int, .decimal), (.decimal, .int), (.decimal, .decimal): return .ok(.decimal)
            case (.money, .int), (.money, .decimal), (.money, .percent): return .ok(l)
            case (.int, .money), (.decimal, .money), (.percent, .money): return .ok(r)
            case (.int, .percent), (.decimal, .percent): return .ok(.decimal)
            case (.percent, .int), (.percent, .decimal): return .ok(.percent)
            case (.duration, .int): return .ok(.duration)
            case (.int, .duration): return .ok(.duration)
            default: return .invalid
            }
        case .div:
            switch (l, r) {
            case (.int, .int), (.int, .decimal), (.decimal, .int), (.decimal, .decimal): return .ok(.decimal)
            case (.money, .int), (.money, .decimal): return .ok(l)
            case (.money(let a), .money(let b)):
                if case .currencyMismatch(let x, let y) = money(a, b) { return .currencyMismatch(x, y) }
                return .ok(.decimal)
            case (.percent, .int), (.percent, .decimal): return .ok(.percent)
            case (.percent, .percent): return .ok(.decimal)
            case (.duration, .int): return .ok(.duration)
            default: return .invalid
            }
        case .rem:
            return l == .int && r == .int ? .ok(.int) : .invalid
        default:
            return .invalid
        }
    }
}
