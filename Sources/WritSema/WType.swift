/// The types of Writ expressions, and how they are named in messages (in the
/// user's words — `money in EUR`, `percent` — never Swift's).

/// The currency of a money type.
public enum MoneyCurrency: Hashable, Sendable {
    /// Known at compile time: an ISO 4217 code such as `EUR`.
    case fixed(String)
    /// Known only at run time (a `money(currency)` field or bare `money`);
    /// operations with it check the currency when they run and fail closed.
    case dynamic
}

/// A checked type.
public indirect enum WType: Hashable, Sendable, CustomStringConvertible {
    /// `true` / `false`.
    case bool
    /// A 64-bit integer.
    case int
    /// An exact decimal.
    case decimal
    /// Text.
    case string
    /// An interned identifier (MIC, account id); string literals convert to it.
    case symbol
    /// An ISO 4217 currency code.
    case currency
    /// An amount of money.
    case money(MoneyCurrency)
    /// A percentage (`5%`).
    case percent
    /// A length of time.
    case duration
    /// An instant.
    case timestamp
    /// A time of day in an IANA zone (`UTC` when none is written).
    case timeOfDay(zone: String)
    /// A case of the named enumeration (declared or built in).
    case enumeration(String)
    /// An ordered list.
    case list(WType)
    /// A set.
    case set(WType)
    /// A composite key `(a, b)` of symbols (a key of a stateful function or
    /// of a table keyed by several columns).
    case tuple([WType])
    /// A map.
    case map(WType, WType)
    /// A value that may be absent (only schema fields are optional; reading
    /// one yields the value type).
    case optional(WType)
    /// An input record described by the named schema (`order`, `fill`, …).
    case record(String)
    /// A row of the named data table.
    case row(String)
    /// The named data table, indexable by its key.
    case table(String)
    /// The type of `null`.
    case null
    /// A cluster of the topology (in a route, also the candidate `cluster`).
    case cluster
    /// A region of the topology.
    case region
    /// A replication tier.
    case tier
    /// A data class.
    case dataClass
    /// A jurisdiction.
    case jurisdiction
    /// A DR level.
    case level
    /// The type of anything that already failed to check; nothing is ever
    /// reported about an operand of this type.
    case error

    /// Whether this is, or contains, the error type.
    public var containsError: Bool {
        switch self {
        case .error: true
        case .list(let t), .set(let t), .optional(let t): t.containsError
        case .map(let k, let v): k.containsError || v.containsError
        case .tuple(let ts): ts.contains { $0.containsError }
        default: false
        }
    }

    /// Whether it is `int` or `decimal`.
    public var isNumeric: Bool { self == .int || self == .decimal }

    /// Whether it is a money type (any currency).
    public var isMoney: Bool {
        if case .money = self { return true }
        return false
    }

    /// The element type of a list or set, the key type of a map or table.
    public var elementType: WType? {
        switch self {
        case .list(let t), .set(let t): t
        case .map(let k, _): k
        default: nil
        }
    }

    /// Whether values of this type are single values that a report field
    /// can hold (not a collection, record or table).
    public var isScalar: Bool {
        switch self {
        case .list, .set, .map, .tuple, .record, .row, .table, .optional, .null: false
        default: true
        }
    }

    /// The type in the user's words, as used in messages: `int`,
    /// `money in EUR`, `list of symbol`, `enum Side`.
    public var description: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .decimal: "decimal"
        case .string: "string"
        case .symbol: "symbol"
        case .currency: "currency"
        case .money(.fixed(let c)): "money in \(c)"
        case .money(.dynamic): "money"
        case .percent: "percent"
        case .duration: "duration"
        case .timestamp: "timestamp"
        case .timeOfDay(let z): z == "UTC" ? "time of day" : "time of day in \(z)"
        case .enumeration(let n): "enum \(n)"
        case .list(.error): "list"
        case .list(let t): "list of \(t)"
        case .set(let t): "set of \(t)"
        case .map(let k, let v): "map from \(k) to \(v)"
        case .tuple(let ts): "tuple (\(ts.map(\.description).joined(separator: ", ")))"
        case .optional(let t): "optional \(t)"
        case .record(let n): "record \(n)"
        case .row(let n): "row of \(n)"
        case .table(let n): "table \(n)"
        case .null: "null"
        case .cluster: "cluster"
        case .region: "region"
        case .tier: "tier"
        case .dataClass: "data class"
        case .jurisdiction: "jurisdiction"
        case .level: "level"
        case .error: "error"
        }
    }

    /// The type as it would be written in a declaration (`money(EUR)`,
    /// `list<symbol>`), for dumps.
    public var syntax: String {
        switch self {
        case .money(.fixed(let c)): "money(\(c))"
        case .money(.dynamic): "money"
        case .timeOfDay(let z): z == "UTC" ? "timeofday" : "timeofday[\(z)]"
        case .enumeration(let n): n
        case .list(.error): "list<?>"
        case .list(let t): "list<\(t.syntax)>"
        case .set(let t): "set<\(t.syntax)>"
        case .map(let k, let v): "map<\(k.syntax), \(v.syntax)>"
        case .tuple(let ts): "(\(ts.map(\.syntax).joined(separator: ", ")))"
        case .optional(let t): "\(t.syntax)?"
        case .record(let n): "record<\(n)>"
        case .row(let n): "row<\(n)>"
        case .table(let n): "table<\(n)>"
        case .dataClass: "class"
        default: description
        }
    }
}
