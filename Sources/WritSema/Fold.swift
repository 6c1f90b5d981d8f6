/// Constant folding over `Value`s with exact arithmetic: overflow and
/// division by zero are reported, never wrapped or rounded away silently.

import WritSyntax
import WritValue

/// The outcome of folding one operation.
enum FoldResult {
    case value(Value)
    case overflow
    case divisionByZero
    case notFoldable
}

/// Exact evaluation of operators on constants.
enum Fold {
    static let hundred = Fixed(100)

    /// `-v`.
    static func negate(_ v: Value) -> FoldResult {
        switch v {
        case .int(let i):
            let (r, o) = Int64(0).subtractingReportingOverflow(i)
            return o ? .overflow : .value(.int(r))
        case .decimal(let d): return .value(.decimal(d.negated()))
        case .money(let a, let c): return .value(.money(a.negated(), currency: c))
        case .percent(let p): return .value(.percent(p.negated()))
        case .duration(let ns):
            let (r, o) = Int64(0).subtractingReportingOverflow(ns)
            return o ? .overflow : .value(.duration(r))
        default: return .notFoldable
        }
    }

    /// A numeric value as a decimal.
    static func decimal(_ v: Value) -> Fixed? {
        switch v {
        case .int(let i): Fixed(Int(i))
        case .decimal(let d): d
        default: nil
        }
    }

    static func isZero(_ v: Value) -> Bool {
        switch v {
        case .int(let i): i == 0
        case .decimal(let d): d.raw == 0
        case .percent(let p): p.raw == 0
        case .money(let a, _): a.raw == 0
        default: false
        }
    }

    private static func wrap(_ f: Fixed?, _ make: (Fixed) -> Value) -> FoldResult {
        guard let f else { return .overflow }
        return .value(make(f))
    }

    private static func int(_ r: (Int64, Bool)) -> FoldResult { r.1 ? .overflow : .value(.int(r.0)) }
    private static func dur(_ r: (Int64, Bool)) -> FoldResult { r.1 ? .overflow : .value(.duration(r.0)) }
    private static func ts(_ r: (Int64, Bool)) -> FoldResult { r.1 ? .overflow : .value(.timestamp(r.0)) }

    /// `a op b` for the arithmetic operators, on operands the checker accepted.
    static func arithmetic(_ op: BinaryOp, _ a: Value, _ b: Value) -> FoldResult {
        switch (op, a, b) {
        // Integers.
        case (.add, .int(let x), .int(let y)): return int(x.addingReportingOverflow(y))
        case (.sub, .int(let x), .int(let y)): return int(x.subtractingReportingOverflow(y))
        case (.mul, .int(let x), .int(let y)): return int(x.multipliedReportingOverflow(by: y))
        case (.rem, .int(let x), .int(let y)):
            if y == 0 { return .divisionByZero }
            return int(x.remainderReportingOverflow(dividingBy: y))
        // Money.
        case (.add, .money(let x, let c), .money(let y, let d)) where c == d:
            return wrap(x.adding(y)) { .money($0, currency: c) }
        case (.sub, .money(let x, let c), .money(let y, let d)) where c == d:
            return wrap(x.subtracting(y)) { .money($0, currency: c) }
        case (.mul, .money(let x, let c), .percent(let p)), (.mul, .percent(let p), .money(let x, let c)):
            guard let f = p.divided(by: hundred) else { return .overflow }
            return wrap(x.multiplied(by: f)) { .money($0, currency: c) }
        case (.mul, .money(let x, let c), _):
            guard let n = decimal(b) else { return .notFoldable }
            return wrap(x.multiplied(by: n)) { .money($0, currency: c) }
        case (.mul, _, .money(let x, let c)):
            guard let n = decimal(a) else { return .notFoldable }
            return wrap(x.multiplied(by: n)) { .money($0, currency: c) }
        case (.div, .money(let x, let c), .money(let y, let d)) where c == d:
            if y.raw == 0 { return .divisionByZero }
            return wrap(x.divided(by: y)) { .decimal($0) }
        case (.div, .money(let x, let c), _):
            guard let n = decimal(b) else { return .notFoldable }
            if n.raw == 0 { return .divisionByZero }
            return wrap(x.divided(by: n)) { .money($0, currency: c) }
        // Percent.
        case (.add, .percent(let x), .percent(let y)): return wrap(x.adding(y)) { .percent($0) }
        case (.sub, .percent(let x), .percent(let y)): return wrap(x.subtracting(y)) { .percent($0) }
        case (.mul, .percent(let p), _):
            guard let n = decimal(b) else { return .notFoldable }
            return wrap(p.multiplied(by: n)) { .percent($0) }
        case (.mul, _, .percent(let p)):
            guard let n = decimal(a), let f = p.divided(by: hundred) else { return .notFoldable }
            return wrap(n.multiplied(by: f)) { .decimal($0) }
        case (.div, .percent(let x), .percent(let y)):
            if y.raw == 0 { return .divisionByZero }
            return wrap(x.divided(by: y)) { .decimal($0) }
        case (.div, .percent(let p), _):
            guard let n = decimal(b) else { return .notFoldable }
            if n.raw == 0 { return .divisionByZero }
            return wrap(p.divided(by: n)) { .percent($0) }
        // Durations and timestamps.
        case (.add, .duration(let x), .duration(let y)): return dur(x.addingReportingOverflow(y))
        case (.sub, .duration(let x), .duration(let y)): return dur(x.subtractingReportingOverflow(y))
        case (.mul, .duration(let x), .int(let y)), (.mul, .int(let y), .duration(let x)):
            return dur(x.multipliedReportingOverflow(by: y))
        case (.div, .duration(let x), .int(let y)):
            if y == 0 { return .divisionByZero }
            return dur(x.dividedReportingOverflow(by: y))
        case (.add, .timestamp(let t), .duration(let d)), (.add, .duration(let d), .timestamp(let t)):
            return ts(t.addingReportingOverflow(d))
        case (.sub, .timestamp(let t), .duration(let d)): return ts(t.subtractingReportingOverflow(d))
        case (.sub, .timestamp(let x), .timestamp(let y)): return dur(x.subtractingReportingOverflow(y))
        // Strings and lists.
        case (.add, .string(let x), .string(let y)): return .value(.string(x + y))
        case (.add, .list(let x), .list(let y)): return .value(.list(x + y))
        default:
            break
        }
        // Decimals (ints mixed in).
        guard let x = decimal(a), let y = decimal(b) else { return .notFoldable }
        switch op {
        case .add: return wrap(x.adding(y)) { .decimal($0) }
        case .sub: return wrap(x.subtracting(y)) { .decimal($0) }
        case .mul: return wrap(x.multiplied(by: y)) { .decimal($0) }
        case .div:
            if y.raw == 0 { return .divisionByZero }
            return wrap(x.divided(by: y)) { .decimal($0) }
        default: return .notFoldable
        }
    }

    /// Equality as the engine defines it: ints and decimals compare by
    /// value, symbols and strings by text, sets regardless of order.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        if let x = decimal(a), let y = decimal(b) { return x == y }
        switch (a, b) {
        case (.string(let x), .symbol(let y)), (.symbol(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.set(let x), .set(let y)), (.set(let x), .list(let y)), (.list(let x), .set(let y)):
            return x.allSatisfy { e in y.contains { equal(e, $0) } }
                && y.allSatisfy { e in x.contains { equal(e, $0) } }
        default: return a == b
        }
    }

    /// Three-way comparison for ordered values; nil when unordered.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        if let x = decimal(a), let y = decimal(b) { return cmp(x, y) }
        switch (a, b) {
        case (.money(let x, let c), .money(let y, let d)) where c == d: return cmp(x, y)
        case (.percent(let x), .percent(let y)): return cmp(x, y)
        case (.duration(let x), .duration(let y)): return cmp(x, y)
        case (.timestamp(let x), .timestamp(let y)): return cmp(x, y)
        case (.timeOfDay(let x, let z1), .timeOfDay(let y, let z2)) where z1 == z2: return cmp(x, y)
        case (.string(let x), .string(let y)):
            // By Unicode scalar values, as the engine compares.
            let u = Array(x.unicodeScalars.map(\.value))
            let v = Array(y.unicodeScalars.map(\.value))
            return u.lexicographicallyPrecedes(v) ? -1 : (u == v ? 0 : 1)
        default: return nil
        }
    }

    /// Whether collection `c` holds `x` (map: as a key); nil if `c` is not a collection.
    static func contains(_ c: Value, _ x: Value) -> Bool? {
        switch c {
        case .list(let xs), .set(let xs): return xs.contains { equal($0, x) }
        case .map(let es): return es.contains { equal($0.key, x) }
        default: return nil
        }
    }

    /// The number of elements (or characters) of a constant.
    static func size(_ v: Value) -> Int64? {
        switch v {
        case .list(let xs), .set(let xs): Int64(xs.count)
        case .map(let es): Int64(es.count)
        case .string(let s): Int64(s.unicodeScalars.count)
        default: nil
        }
    }
}
