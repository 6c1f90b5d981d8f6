/// Turns the events of `test` blocks into input lines of the engine's input
/// contract (docs/input-contract.md): one compact JSON object, `event` first,
/// decimals as strings, timestamps in RFC 3339 with nanoseconds.
import WritSema
import WritSyntax
import WritValue

/// Encodes test events as input lines.
public enum EventJSON {
    /// The input line of one `given` event.
    /// `repetition` (from 1) is which feed of a `repeat N` this is: a
    /// repeated fill is a new execution each time, so from the second on its
    /// `exec_id` gets `#2`, `#3`, … (the same execution delivered again
    /// counts once); so is a repeated `new` order, whose `id` gets the same
    /// suffix (an id received again the same day is a duplicate,
    /// `GLOBAL.duplicate_order`). A repeated `modify` or `cancel` keeps its id.
    public static func line(for given: CheckedGiven, repetition: Int = 1) -> String {
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
            var value = v.value
            let renumbered =
                (given.kind == "fill" && v.field == "exec_id") || (given.kind == "order" && event == "new" && v.field == "id")
            if renumbered, repetition > 1 {
                switch value {
                case .string(let s): value = .string("\(s)#\(repetition)")
                case .symbol(let s): value = .symbol("\(s)#\(repetition)")
                default: break
                }
            }
            fields.append((v.field, encode(value)))
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
        let (y, m, d) = Value.civil(fromDays: days)
        func p(_ n: Int64, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var out = "\(p(Int64(y), 4))-\(p(Int64(m), 2))-\(p(Int64(d), 2))T\(p(sod / 3600, 2)):\(p(sod / 60 % 60, 2)):\(p(sod % 60, 2))"
        if frac != 0 { out += "." + p(frac, 9) }
        return out + "Z"
    }
}
