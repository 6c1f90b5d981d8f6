/// Built-in functions, methods and CEL's macros (`all`, `exists`,
/// `exists_one`, `filter`, `map`), and `between`. The stateful controls are
/// in StatefulCalls.swift.

import WritSema
import WritSyntax
import WritValue

extension Oracle {
    static let macroNames: Set<String> = ["all", "exists", "exists_one", "filter", "map"]

    func call(_ e: Expr, _ target: Expr?, _ fn: String, _ args: [Expr], _ s: EvalScope) throws(EvalError)
        -> RuntimeValue
    {
        if let target {
            if Oracle.macroNames.contains(fn) { return try macro(e, target, fn, args, s) }
            return try method(target, fn, args, s)
        }
        if let i = program.slotOfCall[e.id] { return try stateful(program.stateSlots[i], args, s) }
        switch (fn, args.count) {
        case ("size", 1):
            return try size(try eval(args[0], s))
        case ("has", 1):
            return .bool(try has(args[0], s))
        case ("timestamp", 1), ("duration", 1):
            let v = try eval(args[0], s)
            if case .string(let text) = v, fn == "timestamp", let ns = TimeText.parseTimestamp(text) { return .timestamp(ns) }
            if case .timestamp = v, fn == "timestamp" { return v }
            if case .duration = v, fn == "duration" { return v }
            throw OracleMessages.unsupported("`\(fn)` of this value")
        case ("abs", 1):
            let v = try eval(args[0], s)
            let negative: Bool
            switch v {
            case .int(let i): negative = i < 0
            case .decimal(let d), .money(let d, _), .percent(let d): negative = d.raw < 0
            case .duration(let d): negative = d < 0
            default: throw OracleMessages.unsupported("`abs` of this value")
            }
            return negative ? try negate(v) : v
        case ("min", 2), ("max", 2):
            let a = try eval(args[0], s)
            let b = try eval(args[1], s)
            let c = try compare(a, b)
            return (fn == "min") == (c <= 0) ? a : b
        case ("int", 1):
            switch try eval(args[0], s) {
            case .int(let i): return .int(i)
            case .decimal(let d):
                guard let i = d.truncatedInt else { throw OracleMessages.intOverflow }
                return .int(i)
            default: throw OracleMessages.unsupported("`int` of this value")
            }
        case ("decimal", 1):
            switch try eval(args[0], s) {
            case .int(let i): return .decimal(Fixed(Int(i)))
            case .decimal(let d): return .decimal(d)
            default: throw OracleMessages.unsupported("`decimal` of this value")
            }
        case ("string", 1):
            return .string(try eval(args[0], s).plainText)
        case ("matches", 2):
            let subject = try eval(args[0], s)
            let pattern = try eval(args[1], s)
            return .bool(try matches(subject, pattern))
        case ("between", 3):
            return .bool(try between(args, s))
        default:
            throw OracleMessages.unsupported("`\(fn)`")
        }
    }

    private func size(_ v: RuntimeValue) throws(EvalError) -> RuntimeValue {
        switch v {
        case .list(let xs): return .int(Int64(xs.count))
        case .map(let es): return .int(Int64(es.count))
        case .string(let s), .symbol(let s): return .int(Int64(s.unicodeScalars.count))
        default: throw OracleMessages.unsupported("`size` of this value")
        }
    }

    /// `has(x.f)`: whether the record carries the field (or the table cell is not empty).
    private func has(_ arg: Expr, _ s: EvalScope) throws(EvalError) -> Bool {
        guard case .select(let base, _) = arg.kind else { throw OracleMessages.unsupported("`has` of this expression") }
        switch resolution(arg) {
        case .field(_, let field)?:
            guard case .record(let r) = try eval(base, s) else { throw OracleMessages.unsupported("`has`") }
            return r.fields[field] != nil
        case .column?:
            return try eval(arg, s, allowNull: true) != .null
        default:
            throw OracleMessages.unsupported("`has` of this expression")
        }
    }

    private func text(_ v: RuntimeValue) throws(EvalError) -> String {
        switch v {
        case .string(let s), .symbol(let s): return s
        default: throw OracleMessages.unsupported("a string operation on this value")
        }
    }

    private func matches(_ subject: RuntimeValue, _ pattern: RuntimeValue) throws(EvalError) -> Bool {
        let s = try text(subject)
        let p = try text(pattern)
        if regexCache[p] == nil { regexCache[p] = try? Regex(p) }
        guard let re = regexCache[p] ?? nil else { throw OracleMessages.unsupported("the pattern `\(p)`") }
        return s.firstMatch(of: re) != nil
    }

    /// `between(ts, a, b)`: the local time of `ts` in the zone of `a` and
    /// `b` is in `[a, b)`.
    ///
    /// INTERPRETATION (Q10): when `a` is after `b` the range wraps past
    /// midnight (`22:00`–`02:00` holds 23:00 and 01:00).
    private func between(_ args: [Expr], _ s: EvalScope) throws(EvalError) -> Bool {
        let t = try eval(args[0], s)
        let a = try eval(args[1], s)
        let b = try eval(args[2], s)
        guard case .timestamp(let ts) = t, case .timeOfDay(let from, let zone) = a, case .timeOfDay(let to, _) = b,
            let local = TimeText.localTimeOfDay(ts, zone: zone)
        else { throw OracleMessages.unsupported("`between` of these values") }
        let lo = Int64(from) * 1_000_000_000
        let hi = Int64(to) * 1_000_000_000
        return lo <= hi ? (lo <= local && local < hi) : (local >= lo || local < hi)
    }

    // MARK: Methods

    private func method(_ target: Expr, _ fn: String, _ args: [Expr], _ s: EvalScope) throws(EvalError)
        -> RuntimeValue
    {
        let t = try eval(target, s)
        switch (fn, args.count) {
        case ("size", 0):
            return try size(t)
        case ("startsWith", 1), ("endsWith", 1), ("contains", 1):
            let a = try text(t)
            let b = try text(try eval(args[0], s))
            let r = fn == "startsWith" ? a.unicodeScalars.starts(with: b.unicodeScalars)
                : fn == "endsWith" ? a.unicodeScalars.reversed().starts(with: b.unicodeScalars.reversed())
                : Oracle.utf8(a, contains: b)
            return .bool(r)
        case ("matches", 1):
            return .bool(try matches(t, try eval(args[0], s)))
        default:
            throw OracleMessages.unsupported("`.\(fn)`")
        }
    }

    /// Whether `b`'s bytes occur in `a`'s (texts compare by their bytes, not as
    /// Unicode-equivalent characters).
    static func utf8(_ a: String, contains b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        if y.isEmpty { return true }
        guard x.count >= y.count else { return false }
        for i in 0...(x.count - y.count) where x[i..<i + y.count].elementsEqual(y) { return true }
        return false
    }

    // MARK: Macros

    /// CEL's macros. `all` and `exists` are logical over the elements with
    /// the commutative error semantics of `&&` and `||` (a `false`, resp.
    /// `true`, decides; otherwise the first error is the result);
    /// `exists_one`, `filter` and `map` are strict.
    private func macro(_ e: Expr, _ target: Expr, _ fn: String, _ args: [Expr], _ s: EvalScope) throws(EvalError)
        -> RuntimeValue
    {
        guard args.count == 2 else { throw OracleMessages.unsupported("`\(fn)`") }
        let elements: [RuntimeValue]
        switch try eval(target, s) {
        case .list(let xs): elements = xs
        case .map(let es): elements = es.map(\.key)
        default: throw OracleMessages.unsupported("`\(fn)` over this value")
        }
        let body = args[1]
        func apply(_ x: RuntimeValue) throws(EvalError) -> RuntimeValue {
            return try eval(body, s.binding(e.id, to: x))
        }
        func predicate(_ x: RuntimeValue) throws(EvalError) -> Bool {
            guard case .bool(let b) = try apply(x) else { throw OracleMessages.unsupported("a predicate that is not a bool") }
            return b
        }
        switch fn {
        case "all", "exists":
            let deciding = fn == "exists"
            var firstError: EvalError?
            for x in elements {
                do {
                    if try predicate(x) == deciding { return .bool(deciding) }
                } catch {
                    if firstError == nil { firstError = error }
                }
            }
            if let firstError { throw firstError }
            return .bool(!deciding)
        case "exists_one":
            var n = 0
            for x in elements {
                if try predicate(x) { n += 1 }
            }
            return .bool(n == 1)
        case "filter":
            var out: [RuntimeValue] = []
            for x in elements {
                if try predicate(x) { out.append(x) }
            }
            return .list(out)
        default:  // map
            var out: [RuntimeValue] = []
            for x in elements { out.append(try apply(x)) }
            return .list(out)
        }
    }
}
