/// Operators on run-time values: exact arithmetic with units (money checks
/// its currency when it runs), equality, ordering and membership.

import WritSyntax
import WritValue

extension Oracle {
    // MARK: Equality, ordering, membership

    /// `a == b`. Ints and decimals compare by value, symbols and strings by
    /// text.
    ///
    /// INTERPRETATION (Q15): comparing two amounts of different currencies,
    /// even for equality or `in`, is an operation on two amounts: the error
    /// `currency mismatch`.
    func equal(_ a: RuntimeValue, _ b: RuntimeValue) throws(EvalError) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        switch (a, b) {
        case (.money(let x, let c), .money(let y, let d)):
            guard c == d else { throw OracleMessages.currencyMismatch(c, d) }
            return x == y
        case (.string(let x), .string(let y)), (.string(let x), .symbol(let y)), (.symbol(let x), .string(let y)),
            (.symbol(let x), .symbol(let y)):
            return x == y
        case (.list(let xs), .list(let ys)):
            guard xs.count == ys.count else { return false }
            for (x, y) in zip(xs, ys) {
                if !(try equal(x, y)) { return false }
            }
            return true
        case (.map(let xs), .map(let ys)):
            guard xs.count == ys.count else { return false }
            for x in xs {
                var found = false
                for y in ys {
                    if try equal(x.key, y.key) {
                        found = try equal(x.value, y.value)
                        break
                    }
                }
                if !found { return false }
            }
            return true
        case (.record, _), (.row, _), (.table, _):
            return false
        default:
            return a == b
        }
    }

    /// Three-way comparison of ordered values.
    func compare(_ a: RuntimeValue, _ b: RuntimeValue) throws(EvalError) -> Int {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        if let x = number(a), let y = number(b) { return cmp(x, y) }
        switch (a, b) {
        case (.money(let x, let c), .money(let y, let d)):
            guard c == d else { throw OracleMessages.currencyMismatch(c, d) }
            return cmp(x, y)
        case (.percent(let x), .percent(let y)): return cmp(x, y)
        case (.duration(let x), .duration(let y)): return cmp(x, y)
        case (.timestamp(let x), .timestamp(let y)): return cmp(x, y)
        case (.timeOfDay(let x, _), .timeOfDay(let y, _)): return cmp(x, y)
        case (.string(let x), .string(let y)), (.string(let x), .symbol(let y)), (.symbol(let x), .string(let y)),
            (.symbol(let x), .symbol(let y)):
            // By Unicode scalar values.
            let u = x.unicodeScalars.map(\.value)
            let v = y.unicodeScalars.map(\.value)
            return u.lexicographicallyPrecedes(v) ? -1 : (u == v ? 0 : 1)
        default:
            throw OracleMessages.unsupported("an ordering of these values")
        }
    }

    /// `x in c`: an element of a list or set, a key of a map, a key of a table.
    func contains(_ c: RuntimeValue, _ x: RuntimeValue) throws(EvalError) -> Bool {
        switch c {
        case .list(let xs):
            for y in xs {
                if try equal(y, x) { return true }
            }
            return false
        case .map(let es):
            for en in es {
                if try equal(en.key, x) { return true }
            }
            return false
        case .table(let name):
            try requireBound(name)
            return row(of: x, in: name) != nil
        default:
            throw OracleMessages.unsupported("`in` on this value")
        }
    }

    /// An int or decimal as a decimal.
    func number(_ v: RuntimeValue) -> Fixed? {
        switch v {
        case .int(let i): Fixed(Int(i))
        case .decimal(let d): d
        default: nil
        }
    }

    // MARK: Arithmetic

    /// `-v`.
    func negate(_ v: RuntimeValue) throws(EvalError) -> RuntimeValue {
        switch v {
        case .int(let i):
            let (r, o) = Int64(0).subtractingReportingOverflow(i)
            if o { throw OracleMessages.intOverflow }
            return .int(r)
        case .decimal(let d): return .decimal(d.negated())
        case .money(let a, let c): return .money(a.negated(), currency: c)
        case .percent(let p): return .percent(p.negated())
        case .duration(let ns):
            let (r, o) = Int64(0).subtractingReportingOverflow(ns)
            if o { throw OracleMessages.intOverflow }
            return .duration(r)
        default:
            throw OracleMessages.unsupported("`-` on this value")
        }
    }

    private func fixed(_ r: Fixed?) throws(EvalError) -> Fixed {
        guard let r else { throw OracleMessages.decimalOverflow }
        return r
    }

    private func divide(_ a: Fixed, _ b: Fixed) throws(EvalError) -> Fixed {
        if b.raw == 0 { throw OracleMessages.divisionByZero }
        return try fixed(a.divided(by: b))
    }

    private func int(_ r: (Int64, Bool)) throws(EvalError) -> RuntimeValue {
        if r.1 { throw OracleMessages.intOverflow }
        return .int(r.0)
    }

    private func time(_ r: (Int64, Bool), _ make: (Int64) -> RuntimeValue) throws(EvalError) -> RuntimeValue {
        if r.1 { throw OracleMessages.intOverflow }
        return make(r.0)
    }

    /// `a op b` for `+ - * / %`, exactly; overflow, division by zero and a
    /// currency mismatch are errors.
    func arithmetic(_ op: BinaryOp, _ a: RuntimeValue, _ b: RuntimeValue) throws(EvalError) -> RuntimeValue {
        switch (op, a, b) {
        // Integers.
        case (.add, .int(let x), .int(let y)): return try int(x.addingReportingOverflow(y))
        case (.sub, .int(let x), .int(let y)): return try int(x.subtractingReportingOverflow(y))
        case (.mul, .int(let x), .int(let y)): return try int(x.multipliedReportingOverflow(by: y))
        case (.rem, .int(let x), .int(let y)):
            if y == 0 { throw OracleMessages.divisionByZero }
            return try int(x.remainderReportingOverflow(dividingBy: y))
        // Money.
        case (.add, .money(let x, let c), .money(let y, let d)), (.sub, .money(let x, let c), .money(let y, let d)):
            guard c == d else { throw OracleMessages.currencyMismatch(c, d) }
            return .money(try fixed(op == .add ? x.adding(y) : x.subtracting(y)), currency: c)
        case (.mul, .money(let x, let c), .percent(let p)), (.mul, .percent(let p), .money(let x, let c)):
            return .money(try fixed(x.multiplied(by: p)), currency: c)
        case (.mul, .money(let x, let c), _):
            guard let n = number(b) else { break }
            return .money(try fixed(x.multiplied(by: n)), currency: c)
        case (.mul, _, .money(let x, let c)):
            guard let n = number(a) else { break }
            return .money(try fixed(n.multiplied(by: x)), currency: c)
        case (.div, .money(let x, let c), .money(let y, let d)):
            guard c == d else { throw OracleMessages.currencyMismatch(c, d) }
            return .decimal(try divide(x, y))
        case (.div, .money(let x, let c), _):
            guard let n = number(b) else { break }
            return .money(try divide(x, n), currency: c)
        // Percent: the fraction it scales by.
        case (.add, .percent(let x), .percent(let y)): return .percent(try fixed(x.adding(y)))
        case (.sub, .percent(let x), .percent(let y)): return .percent(try fixed(x.subtracting(y)))
        case (.mul, .percent(let p), _):
            guard let n = number(b) else { break }
            return .percent(try fixed(p.multiplied(by: n)))
        case (.mul, _, .percent(let p)):
            guard let n = number(a) else { break }
            return .decimal(try fixed(n.multiplied(by: p)))
        case (.div, .percent(let x), .percent(let y)): return .decimal(try divide(x, y))
        case (.div, .percent(let p), _):
            guard let n = number(b) else { break }
            return .percent(try divide(p, n))
        // Durations and timestamps.
        case (.add, .duration(let x), .duration(let y)): return try time(x.addingReportingOverflow(y), RuntimeValue.duration)
        case (.sub, .duration(let x), .duration(let y)):
            return try time(x.subtractingReportingOverflow(y), RuntimeValue.duration)
        case (.mul, .duration(let x), .int(let y)), (.mul, .int(let y), .duration(let x)):
            return try time(x.multipliedReportingOverflow(by: y), RuntimeValue.duration)
        case (.div, .duration(let x), .int(let y)):
            if y == 0 { throw OracleMessages.divisionByZero }
            return try time(x.dividedReportingOverflow(by: y), RuntimeValue.duration)
        case (.add, .timestamp(let t), .duration(let d)), (.add, .duration(let d), .timestamp(let t)):
            return try time(t.addingReportingOverflow(d), RuntimeValue.timestamp)
        case (.sub, .timestamp(let t), .duration(let d)):
            return try time(t.subtractingReportingOverflow(d), RuntimeValue.timestamp)
        case (.sub, .timestamp(let x), .timestamp(let y)):
            return try time(x.subtractingReportingOverflow(y), RuntimeValue.duration)
        // Strings and lists.
        case (.add, .string(let x), .string(let y)): return .string(x + y)
        case (.add, .list(let x), .list(let y)): return .list(x + y)
        default:
            break
        }
        // Decimals, with ints mixed in.
        guard let x = number(a), let y = number(b) else { throw OracleMessages.unsupported("`\(op.rawValue)` on these values") }
        switch op {
        case .add: return .decimal(try fixed(x.adding(y)))
        case .sub: return .decimal(try fixed(x.subtracting(y)))
        case .mul: return .decimal(try fixed(x.multiplied(by: y)))
        case .div: return .decimal(try divide(x, y))
        default: throw OracleMessages.unsupported("`\(op.rawValue)` on these values")
        }
    }
}
