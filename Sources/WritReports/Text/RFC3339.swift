/// Reading RFC 3339 timestamps (`2026-11-27T14:30:00.000123Z`, or with an
/// offset `+01:00`) into nanoseconds since the epoch, as the input contract
/// writes them.
import WritValue

/// RFC 3339 timestamps.
public enum RFC3339 {
    /// Nanoseconds since 1970-01-01T00:00:00Z, or nil if `text` is not a
    /// timestamp of a date and time that exist (`T`/`t`, `Z`/`z`, 1 to 9
    /// fractional digits, no leap second).
    public static func nanoseconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        func num(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for k in at..<at + n {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            return v
        }
        guard let y = num(0, 4), b[4] == UInt8(ascii: "-"), let mo = num(5, 2), b[7] == UInt8(ascii: "-"),
            let d = num(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            let h = num(11, 2), b[13] == UInt8(ascii: ":"), let mi = num(14, 2), b[16] == UInt8(ascii: ":"),
            let s = num(17, 2)
        else { return nil }
        guard ReportDate(year: y, month: mo, day: d) != nil, h < 24, mi < 60, s < 60 else { return nil }
        var i = 19
        var frac: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                guard digits < 9 else { return nil }
                frac = frac * 10 + Int64(b[i] - 0x30)
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            while digits < 9 {
                frac *= 10
                digits += 1
            }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let om = num(i + 4, 2),
                oh < 24, om < 60
            else { return nil }
            offset = sign * Int64(oh * 3600 + om * 60)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = Value.days(year: y, month: mo, day: d)
        let secs = days * 86_400 + Int64(h * 3600 + mi * 60 + s) - offset
        return secs * 1_000_000_000 + frac
    }
}
