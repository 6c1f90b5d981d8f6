/// Time literals: duration literals (`1.5h`), `duration("1h30m")` strings,
/// RFC 3339 timestamps and times of day, all to exact integers.

import WritValue

/// Why a text is not a valid value (one clause, for a message).
struct Reason: Error {
    let text: String
    init(_ text: String) { self.text = text }
}

/// Parsers for the textual forms of time.
enum TimeLiterals {
    /// Nanoseconds per unit of a duration literal.
    static func unitNanoseconds(_ unit: String) -> Int64? {
        switch unit {
        case "ns": 1
        case "us", "µs": 1_000
        case "ms": 1_000_000
        case "s": 1_000_000_000
        case "m": 60_000_000_000
        case "h": 3_600_000_000_000
        case "d": 86_400_000_000_000
        default: nil
        }
    }

    /// `amount` (digits, maybe with a fraction) × `unit`, if it is a whole
    /// number of nanoseconds that fits in 64 bits.
    static func durationNanoseconds(amount: String, unit: String) -> Int64? {
        guard let per = unitNanoseconds(unit), let a = Fixed(amount) else { return nil }
        guard let total = a.multiplied(by: Fixed(Int(per))), total.isInteger else { return nil }
        return total.truncatedInt
    }

    /// Parses `HH:MM:SS` (as the lexer normalises it) to seconds since midnight.
    static func secondsOfDay(_ text: String) -> Int32? {
        let parts = text.split(separator: ":").map { Int($0) }
        guard parts.count >= 2, parts.count <= 3, parts.allSatisfy({ $0 != nil }) else { return nil }
        let h = parts[0]!
        let m = parts[1]!
        let s = parts.count == 3 ? parts[2]! : 0
        guard (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
        return Int32(h * 3600 + m * 60 + s)
    }

    /// Parses a Go/CEL duration string (`"1h30m"`, `"-1.5s"`, `"250ms"`);
    /// returns nanoseconds or a reason.
    static func parseDuration(_ text: String) -> Result<Int64, Reason> {
        var chars = Array(text.unicodeScalars)
        var negative = false
        if chars.first == "-" || chars.first == "+" {
            negative = chars.first == "-"
            chars.removeFirst()
        }
        guard !chars.isEmpty else { return .failure(Reason("it is empty")) }
        if chars.contains(" ") { return .failure(Reason("it contains a space")) }
        if chars == ["0"] { return .success(0) }
        var i = 0
        var total: Int64 = 0
        while i < chars.count {
            var number = ""
            while i < chars.count, chars[i].properties.numericType != nil || chars[i] == "." {
                guard chars[i].isASCII else { return .failure(Reason("`\(chars[i])` is not a digit")) }
                number.unicodeScalars.append(chars[i])
                i += 1
            }
            guard !number.isEmpty else { return .failure(Reason("a number must come before each unit")) }
            var unit = ""
            while i < chars.count, !(chars[i].isASCII && (chars[i].properties.numericType != nil || chars[i] == ".")) {
                unit.unicodeScalars.append(chars[i])
                i += 1
            }
            guard !unit.isEmpty else { return .failure(Reason("`\(number)` has no unit (ns, us, ms, s, m, h)")) }
            guard unit != "d", unitNanoseconds(unit) != nil else {
                return .failure(Reason("`\(unit)` is not a unit (ns, us, ms, s, m, h)"))
            }
            guard let ns = durationNanoseconds(amount: number, unit: unit) else {
                return .failure(Reason("`\(number)\(unit)` is out of range or finer than a nanosecond"))
            }
            let (t, o) = total.addingReportingOverflow(ns)
            if o { return .failure(Reason("it is too long")) }
            total = t
        }
        return .success(negative ? -total : total)
    }

    /// Parses an RFC 3339 timestamp (`2026-11-27T14:30:00Z`,
    /// `2026-11-27T14:30:00.250+01:00`) to nanoseconds since the epoch.
    static func parseTimestamp(_ text: String) -> Result<Int64, Reason> {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func lit(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        let shape = "write it as `2026-11-27T14:30:00Z` (RFC 3339)"
        guard let year = digits(4), lit("-"), let month = digits(2), lit("-"), let day = digits(2) else {
            return .failure(Reason(shape))
        }
        guard i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") else {
            return .failure(Reason(shape))
        }
        i += 1
        guard let hour = digits(2), lit(":"), let minute = digits(2), lit(":"), let second = digits(2) else {
            return .failure(Reason(shape))
        }
        var nanos = 0
        if lit(".") {
            var count = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if count < 9 { nanos = nanos * 10 + Int(b[i] - 0x30) }
                count += 1
                i += 1
            }
            guard count > 0 else { return .failure(Reason(shape)) }
            if count > 9 { return .failure(Reason("it has more than nine fractional digits")) }
            for _ in count..<9 { nanos *= 10 }
        }
        var offset = 0
        if i < b.count, b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2), lit(":"), let om = digits(2), oh < 24, om < 60 else {
                return .failure(Reason(shape))
            }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return .failure(Reason("it has no time zone offset (`Z` or `+01:00`)"))
        }
        guard i == b.count else { return .failure(Reason(shape)) }
        guard (1...12).contains(month) else { return .failure(Reason("month \(month) does not exist")) }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...monthDays).contains(day) else {
            return .failure(Reason("day \(day) does not exist in month \(month)"))
        }
        guard hour < 24, minute < 60, second < 60 else { return .failure(Reason("the time of day is out of range")) }
        let days = Value.days(year: year, month: month, day: day)
        let secs = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        let (ns, o1) = secs.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, o2) = ns.addingReportingOverflow(Int64(nanos))
        if o1 || o2 { return .failure(Reason("it is outside the years 1678–2262")) }
        return .success(total)
    }
}
