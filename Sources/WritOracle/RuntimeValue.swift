/// The values the oracle computes with: Writ's constant values plus what
/// only exists at run time (input records, table rows). Percent is kept as
/// the number it scales by (`5%` is 0.05), as docs/engine-semantics.md says.

import WritValue

/// An input record (`order`, `market`, …): the fields the event carried or
/// that were derived; an absent field is simply not in `fields`.
struct Record: Equatable {
    /// The schema's name.
    var schema: String
    /// Present fields by name.
    var fields: [String: RuntimeValue]
}

/// A run-time value.
indirect enum RuntimeValue: Equatable {
    case bool(Bool)
    case int(Int64)
    case decimal(Fixed)
    case string(String)
    /// A symbol; currency codes are symbols too.
    case symbol(String)
    /// An amount and its ISO 4217 code.
    case money(Fixed, currency: String)
    /// A percent as the fraction it scales by: `5%` is 0.05.
    case percent(Fixed)
    /// Nanoseconds.
    case duration(Int64)
    /// Nanoseconds since the Unix epoch, UTC.
    case timestamp(Int64)
    /// Seconds since midnight in a zone.
    case timeOfDay(seconds: Int32, zone: String)
    case enumCase(type: String, case: String)
    /// A list or a set (a set's elements are distinct).
    case list([RuntimeValue])
    /// A map's entries in order.
    case map([MapEntry])
    /// `null`, also an empty optional cell of a data table.
    case null
    /// An input record.
    case record(Record)
    /// A row of a data table: its cells in column order.
    case row(table: String, cells: [Value])
    /// A data table, indexable by its key.
    case table(String)

    /// One entry of a map.
    struct MapEntry: Equatable {
        var key: RuntimeValue
        var value: RuntimeValue
    }

    /// The run-time form of a constant. `percent(5)` becomes the fraction
    /// 0.05 (rounded half to even to eight decimals, as the engine encodes it).
    init(_ v: Value) {
        switch v {
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .decimal(let d): self = .decimal(d)
        case .string(let s): self = .string(s)
        case .symbol(let s): self = .symbol(s)
        case .money(let a, let c): self = .money(a, currency: c)
        case .percent(let p): self = .percent(p.divided(by: Fixed(100)) ?? .zero)
        case .duration(let d): self = .duration(d)
        case .timestamp(let t): self = .timestamp(t)
        case .timeOfDay(let s, let z): self = .timeOfDay(seconds: s, zone: z.isEmpty ? "UTC" : z)
        case .enumCase(let t, let c): self = .enumCase(type: t, case: c)
        case .list(let xs), .set(let xs): self = .list(xs.map(RuntimeValue.init))
        case .map(let es): self = .map(es.map { MapEntry(key: RuntimeValue($0.key), value: RuntimeValue($0.value)) })
        case .null: self = .null
        }
    }

    /// The text of a key in a message: symbols and strings quoted (`"XYZ"`), numbers as digits.
    var keyText: String {
        switch self {
        case .symbol(let s), .string(let s): Value.quote(s)
        case .int(let i): String(i)
        case .decimal(let d): d.description
        case .enumCase(_, let c): c
        default: plainText
        }
    }

    /// What `string(x)` gives: a symbol's or enum case's name, a number's
    /// digits, otherwise the value in Writ literal syntax (as the checker folds it).
    var plainText: String {
        switch self {
        case .string(let s), .symbol(let s): s
        case .enumCase(_, let c): c
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .decimal(let d): d.description
        case .money(let a, let c): "\(a) \(c)"
        case .percent(let f): "\(f.multiplied(by: Fixed(100)) ?? f)%"
        case .duration(let ns): Value.durationText(ns)
        case .timestamp(let ns): "timestamp(\"\(Value.rfc3339(ns))\")"
        case .timeOfDay(let s, let z): Value.timeOfDay(seconds: s, zone: z).description
        case .list(let xs): "[" + xs.map(\.plainText).joined(separator: ", ") + "]"
        case .map(let es): "{" + es.map { "\($0.key.plainText): \($0.value.plainText)" }.joined(separator: ", ") + "}"
        case .null: "null"
        case .record(let r): r.schema
        case .row(let t, _): "a row of \(t)"
        case .table(let t): t
        }
    }
}
