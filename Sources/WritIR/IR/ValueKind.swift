/// How a value of each Writ type is encoded in a 128-bit frame slot
/// (docs/ir.md, "Value encodings").

/// The run-time representation of a value.
@frozen
public enum ValueKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible, BitwiseCopyable {
    /// 0 or 1.
    case bool = 0
    /// A signed 64-bit integer, sign-extended.
    case int
    /// `Fixed.raw`: the value × 10⁸.
    case decimal
    /// `Fixed.raw` of the fraction: `5%` is 0.05, raw 5 000 000.
    case percent
    /// An interned text id (strings share the symbol table).
    case string
    /// An interned symbol id.
    case symbol
    /// An interned symbol id of an ISO 4217 code.
    case currency
    /// Two slots: the amount (`Fixed.raw`) then the currency id.
    case money
    /// Nanoseconds, Int64.
    case duration
    /// Nanoseconds since 1970-01-01T00:00:00Z, Int64.
    case timestamp
    /// Seconds since midnight in the type's zone.
    case timeOfDay
    /// The case's index in its enumeration.
    case enumeration
    /// A value the engine does not hold in a slot (lists, records…).
    case none

    /// The number of frame slots a value occupies.
    @inlinable
    public var width: Int { self == .money ? 2 : self == .none ? 0 : 1 }

    /// Whether values are interned text ids.
    @inlinable
    public var isText: Bool { self == .string || self == .symbol || self == .currency }

    /// The name used in dumps.
    public var description: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .decimal: "decimal"
        case .percent: "percent"
        case .string: "string"
        case .symbol: "symbol"
        case .currency: "currency"
        case .money: "money"
        case .duration: "duration"
        case .timestamp: "timestamp"
        case .timeOfDay: "timeofday"
        case .enumeration: "enum"
        case .none: "none"
        }
    }

    /// The marker of an empty (null) table cell or absent value in a slot;
    /// no encoded value ever equals it.
    @inlinable
    public static var nullMarker: Int128 { Int128.min }
}
