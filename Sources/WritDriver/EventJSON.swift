/// Turns the events of `test` blocks into input lines of the engine's input
/// contract (docs/input-contract.md): one compact JSON object, `event` first,
/// decimals as strings, timestamps in RFC 3339 with nanoseconds.
import WritSema
import WritSyntax
import WritValue

/// Encodes test events as input lines.
public enum EventJSON {
    /// The input line of one `given` event.
    public static func line(for given: CheckedGiven) -> String {
        var fields: [(String, String)] = []
        var event: String
        switch given.kind {
        case "order":
            event = "new"
            if let e = given.values.first(where: { $0.field == "event" }), case .enumCase(_, let c) = e.value {
                event = c
            }
        default:
            event = given.kind
        }
        fields.append(("event", JSONText.quote(event)))
        for v in given.values where !(given.kind == "order" && v.field == "event") {
            fields.append((v.field, encode(v.value)))
        }
        return "{" + fields.map { "\(JSONText.quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// One value as JSON, per the input contract.
    public static func encode(_ v: Value) -> String {
        switch v {
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .decimal(let d): return JSONText.quote(d.description)
        case .percent(let p): return JSONText.quote(p.description)
        case .string(let s), .symbol(let s): return JSONText.quote(s)
        case .money(let amount, _): return JSONText.quote(amount.description)
        case .duration(let ns): return String(ns)
        case .timestamp(let ns): return JSONText.quote(rfc3339(ns))
        case .timeOfDay(let seconds, _): return JSONText.quote(String(seconds))
        case .enumCase(_, let c): return JSONText.quote(c)
        case .list(let items), .set(let items): return "[" + items.map(encode).joined(separator: ",") + "]"
        case .map(let entries): return "{" + entries.map { "\(encode($0.key)):\(encode($0.value))" }.joined(separator: ",") + "}"
        case .null: return "null"
        }
    }

    /// `2026-11-27T14:30:00.000000123Z` for nanoseconds since the Unix epoch
    /// (fraction omitted when zero).
    public static func rfc3339(_ ns: Int64) -> String {
        let secs = ns >= 0 ? ns / 1_000_000_000 : (ns - 999_999_999) / 1_000_000_000
        let frac = ns - secs * 1_000_000_000
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let sod = secs - days * 86_400
        // Civil from days (H. Hinnant).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func p(_ n: Int64, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var out = "\(p(y, 4))-\(p(m, 2))-\(p(d, 2))T\(p(sod / 3600, 2)):\(p(sod / 60 % 60, 2)):\(p(sod % 60, 2))"
        if frac != 0 { out += "." + p(frac, 9) }
        return out + "Z"
    }
}
