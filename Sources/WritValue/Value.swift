/// Constant values: what the checker folds expressions to, what data tables
/// and test inputs hold, printed back in Writ literal syntax.

/// A value of the Writ language, known at compile time (a folded constant, a
/// data-table cell, a test input). Exact: no binary floating point.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    /// `true` / `false`.
    case bool(Bool)
    /// A 64-bit integer.
    case int(Int64)
    /// An exact decimal.
    case decimal(Fixed)
    /// A string.
    case string(String)
    /// An interned identifier such as a MIC or an account id (written as a
    /// string literal). Currency codes are symbols too (`"EUR"`).
    case symbol(String)
    /// An amount of money in an ISO 4217 currency.
    case money(Fixed, currency: String)
    /// A percentage: `5%` is stored as 5.
    case percent(Fixed)
    /// A duration in nanoseconds.
    case duration(Int64)
    /// An instant in nanoseconds since 1970-01-01T00:00:00Z.
    case timestamp(Int64)
    /// A time of day in seconds since midnight, in an IANA zone (`UTC` by default).
    case timeOfDay(seconds: Int32, zone: String)
    /// A case of an enumeration: `Side.short`.
    case enumCase(type: String, case: String)
    /// A list, in order.
    case list([Value])
    /// A set: distinct elements in declaration order.
    case set([Value])
    /// A map, entries in declaration order, keys distinct.
    case map([Entry])
    /// `null` (also an absent optional cell of a data table).
    case null

    /// One entry of a map value.
    public struct Entry: Hashable, Sendable {
        /// The key.
        public var key: Value
        /// The value.
        public var value: Value
        /// Creates an entry.
        public init(key: Value, value: Value) {
            self.key = key
            self.value = value
        }
    }

    /// The value in Writ literal syntax (`5_000 EUR` prints as `5000 EUR`,
    /// a decimal always has a `.`, a timestamp prints as `timestamp("…")`).
    public var description: String {
        switch self {
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .decimal(let d):
            let s = d.description
            return s.contains(".") ? s : s + ".0"
        case .string(let s), .symbol(let s): return Value.quote(s)
        case .money(let a, let c): return "\(a) \(c)"
        case .percent(let p): return "\(p)%"
        case .duration(let ns): return Value.durationText(ns)
        case .timestamp(let ns): return "timestamp(\"\(Value.rfc3339(ns))\")"
        case .timeOfDay(let s, let zone):
            let h = s / 3600
            let m = (s / 60) % 60
            let sec = s % 60
            var t = "\(Value.pad2(Int(h))):\(Value.pad2(Int(m)))"
            if sec != 0 { t += ":\(Value.pad2(Int(sec)))" }
            if !zone.isEmpty, zone != "UTC" { t += "[\(zone)]" }
            return t
        case .enumCase(let t, let c): return "\(t).\(c)"
        case .list(let xs), .set(let xs): return "[" + xs.map(\.description).joined(separator: ", ") + "]"
        case .map(let es):
            return "{" + es.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .null: return "null"
        }
    }

    /// A string literal with Writ's escapes.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Units of duration literals, largest first, in nanoseconds.
    public static let durationUnits: [(unit: String, nanoseconds: Int64)] = [
        ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000),
        ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000), ("ns", 1),
    ]

    /// A duration as one literal in the largest unit that divides it (`90m`, `1500ms`).
    public static func durationText(_ ns: Int64) -> String {
        if ns == 0 { return "0s" }
        for (unit, size) in durationUnits where ns % size == 0 {
            return "\(ns / size)\(unit)"
        }
        return "\(ns)ns"
    }

    /// RFC 3339 text of an instant in UTC, with fractional seconds only when needed.
    public static func rfc3339(_ ns: Int64) -> String {
        let perDay: Int64 = 86_400_000_000_000
        var days = ns / perDay
        var rest = ns % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let (y, mo, d) = civil(fromDays: days)
        let secs = rest / 1_000_000_000
        let frac = rest % 1_000_000_000
        var s = "\(y < 0 ? "-" : "")\(String(repeating: "0", count: max(0, 4 - String(abs(y)).count)))\(abs(y))"
        s += "-\(pad2(mo))-\(pad2(d))T\(pad2(Int(secs / 3600))):\(pad2(Int(secs / 60 % 60))):\(pad2(Int(secs % 60)))"
        if frac != 0 {
            var f = String(frac)
            f = String(repeating: "0", count: 9 - f.count) + f
            while f.hasSuffix("0") { f.removeLast() }
            s += "." + f
        }
        return s + "Z"
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01
    /// (Howard Hinnant's `civil_from_days`).
    public static func civil(fromDays z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (`days_from_civil`).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
