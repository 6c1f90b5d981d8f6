/// Implicit conversions: ints widen to decimals; constant strings become
/// symbols or currencies; a jurisdiction meets a symbol by its name; list
/// literals and constant lists convert element by element (and to sets);
/// money in a fixed currency meets money in a run-time currency (checked
/// when it runs).

import WritSyntax
import WritValue

extension Analyzer {
    /// The common type of two operand types, if any (no side effects).
    func join(_ a: WType, _ b: WType, _ bExpr: Expr? = nil) -> WType? {
        if a == b { return a }
        if a.containsError { return b }
        if b.containsError { return a }
        switch (a, b) {
        case (.int, .decimal), (.decimal, .int): return .decimal
        case (.money(.fixed(let x)), .money(.fixed(let y))): return x == y ? a : nil
        case (.money(.fixed), .money(.dynamic)): return a
        case (.money(.dynamic), .money(.fixed)): return b
        case (.string, .symbol), (.symbol, .string): return .symbol
        case (.string, .currency), (.currency, .string): return .currency
        case (.jurisdiction, .symbol), (.symbol, .jurisdiction), (.jurisdiction, .string), (.string, .jurisdiction):
            return .symbol
        case (.list(let x), .list(let y)): return join(x, y).map { .list($0) }
        case (.set(let x), .set(let y)): return join(x, y).map { .set($0) }
        case (.map(let k1, let v1), .map(let k2, let v2)):
            guard let k = join(k1, k2), let v = join(v1, v2) else { return nil }
            return .map(k, v)
        default: return nil
        }
    }

    /// Converts both operands to their common type; nil if they have none.
    func unify(_ a: Expr, _ ta: WType, _ b: Expr, _ tb: WType) -> WType? {
        if ta.containsError || tb.containsError { return .error }
        guard let j = join(ta, tb), canConvert(a, from: ta, to: j), canConvert(b, from: tb, to: j) else { return nil }
        _ = convert(a, from: ta, to: j)
        _ = convert(b, from: tb, to: j)
        return j
    }

    /// Whether `e` (of type `from`) may be used as a `to` (no side effects).
    func canConvert(_ e: Expr, from: WType, to: WType) -> Bool {
        if from == to || from.containsError || to.containsError { return true }
        switch (from, to) {
        case (.int, .decimal), (.jurisdiction, .symbol):
            return true
        case (.string, .symbol), (.string, .currency):
            if case .string? = program.constants[e.id] { return true }
            return false
        case (.money(.fixed(let a)), .money(.fixed(let b))):
            return a == b
        case (.money, .money):
            return true
        case (.list(let x), .list(let y)), (.list(let x), .set(let y)), (.set(let x), .set(let y)):
            if case .list(let elems) = e.kind {
                return elems.allSatisfy { canConvert($0, from: program.types[$0.id] ?? .error, to: y) }
            }
            if let v = program.constants[e.id] { return Analyzer.convertValue(v, to: to) != nil }
            if case .list = from, case .set = to { return false }
            return x == .int && y == .decimal ? false : x == y || (x == .jurisdiction && y == .symbol)
        case (.map(_, _), .map(let k, let v)):
            if case .map(let entries) = e.kind {
                return entries.allSatisfy {
                    canConvert($0.key, from: program.types[$0.key.id] ?? .error, to: k)
                        && canConvert($0.value, from: program.types[$0.value.id] ?? .error, to: v)
                }
            }
            if let val = program.constants[e.id] { return Analyzer.convertValue(val, to: to) != nil }
            return false
        default:
            return false
        }
    }

    /// Converts `e` to `to` when allowed, updating the side tables: a
    /// constant gets the converted value and type; a non-constant `int`
    /// gets an entry in `conversions`. Returns whether it was allowed.
    func convert(_ e: Expr, from: WType, to: WType) -> Bool {
        if from == to || from.containsError || to.containsError { return true }
        guard canConvert(e, from: from, to: to) else { return false }
        switch (from, to) {
        case (.int, .decimal):
            if case .int(let i)? = program.constants[e.id] {
                program.constants[e.id] = .decimal(Fixed(Int(i)))
                program.types[e.id] = .decimal
            } else {
                program.conversions[e.id] = .decimal
            }
        case (.string, .symbol), (.string, .currency):
            guard case .string(let s)? = program.constants[e.id] else { return false }
            if to == .currency, !Currencies.isKnown(s) {
                report(Messages.unknownCurrency(s, at: e.span))
            }
            program.constants[e.id] = .symbol(s)
            program.types[e.id] = to
        case (.jurisdiction, .symbol):
            // A jurisdiction is named by a symbol: `US` compares with `"US"`.
            if case .jurisdiction(let n)? = program.resolutions[e.id] { program.constants[e.id] = .symbol(n) }
            program.types[e.id] = .symbol
        case (.list, .list(let y)), (.list, .set(let y)), (.set, .set(let y)):
            if case .list(let elems) = e.kind {
                for el in elems { _ = convert(el, from: program.types[el.id] ?? .error, to: y) }
                let values = elems.compactMap { program.constants[$0.id] }
                if values.count == elems.count {
                    program.constants[e.id] = Analyzer.convertValue(.list(values), to: to)
                }
            } else if let v = program.constants[e.id] {
                program.constants[e.id] = Analyzer.convertValue(v, to: to)
            }
            program.types[e.id] = to
        case (.map, .map(let k, let v)):
            if case .map(let entries) = e.kind {
                for en in entries {
                    _ = convert(en.key, from: program.types[en.key.id] ?? .error, to: k)
                    _ = convert(en.value, from: program.types[en.value.id] ?? .error, to: v)
                }
            }
            if let val = program.constants[e.id] { program.constants[e.id] = Analyzer.convertValue(val, to: to) }
            program.types[e.id] = to
        default:
            break
        }
        return true
    }

    /// A constant converted to a type it may convert to; nil if it may not.
    static func convertValue(_ v: Value, to t: WType) -> Value? {
        switch (v, t) {
        case (_, .error): return v
        case (.int(let i), .decimal): return .decimal(Fixed(Int(i)))
        case (.int, .int), (.decimal, .decimal), (.bool, .bool), (.string, .string), (.percent, .percent),
            (.duration, .duration), (.timestamp, .timestamp), (.null, .null):
            return v
        case (.string(let s), .symbol), (.string(let s), .currency), (.symbol(let s), .symbol),
            (.symbol(let s), .currency):
            return .symbol(s)
        case (.money(_, let c), .money(.fixed(let want))): return c == want ? v : nil
        case (.money, .money(.dynamic)): return v
        case (.enumCase(let a, _), .enumeration(let b)): return a == b ? v : nil
        case (.timeOfDay(_, let z), .timeOfDay(let want)): return z == want ? v : nil
        case (.list(let xs), .list(let et)):
            let ys = xs.compactMap { convertValue($0, to: et) }
            return ys.count == xs.count ? .list(ys) : nil
        case (.list(let xs), .set(let et)), (.set(let xs), .set(let et)):
            let ys = xs.compactMap { convertValue($0, to: et) }
            guard ys.count == xs.count else { return nil }
            var out: [Value] = []
            for y in ys where !out.contains(where: { Fold.equal($0, y) }) { out.append(y) }
            return .set(out)
        case (.map(let es), .map(let k, let vt)):
            var out: [Value.Entry] = []
            for e in es {
                guard let ck = convertValue(e.key, to: k), let cv = convertValue(e.value, to: vt) else { return nil }
                out.append(Value.Entry(key: ck, value: cv))
            }
            return .map(out)
        default:
            return nil
        }
    }
}
