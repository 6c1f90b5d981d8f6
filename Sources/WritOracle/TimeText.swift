/// Time as the input contract writes it (RFC 3339 with up to nine
/// fractional digits) and the local time of day that `between` reads.

import Foundation
import WritValue

/// Timestamps of input lines and zones of `between`.
enum TimeText {
    /// Nanoseconds in a day.
    static let day: Int64 = 86_400_000_000_000

    /// Parses `2026-11-27T14:30:00.000123Z` or `…+01:00` (`T`/`t`, `Z`/`z`,
    /// zero to nine fractional digits) to nanoseconds since the epoch; nil
    /// for anything else, for a date or time that does not exist, or out of range.
    static func parseTimestamp(_ text: String) -> Int64? {
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
        func lit(_ c: UInt8, or d: UInt8? = nil) -> Bool {
            guard i < b.count, b[i] == c || b[i] == d else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), lit(UInt8(ascii: "-")), let month = digits(2), lit(UInt8(ascii: "-")),
            let dayOfMonth = digits(2), lit(UInt8(ascii: "T"), or: UInt8(ascii: "t")),
            let hour = digits(2), lit(UInt8(ascii: ":")), let minute = digits(2), lit(UInt8(ascii: ":")),
            let second = digits(2)
        else { return nil }
        var nanos: Int64 = 0
        if lit(UInt8(ascii: ".")) {
            var count = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                count += 1
                guard count <= 9 else { return nil }
                nanos = nanos * 10 + Int64(b[i] - 0x30)
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanos *= 10 }
        }
        var offset = 0
        if lit(UInt8(ascii: "Z"), or: UInt8(ascii: "z")) {
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2), lit(UInt8(ascii: ":")), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count, (1...12).contains(month) else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...monthDays).contains(dayOfMonth), hour < 24, minute < 60, second < 60 else { return nil }
        let days = Value.days(year: year, month: month, day: dayOfMonth)
        let secs = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        let (ns, o1) = secs.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, o2) = ns.addingReportingOverflow(nanos)
        return o1 || o2 ? nil : total
    }

    /// `floor(a / b)` for b > 0.
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && a < 0) ? q - 1 : q
    }

    /// The start of the tumbling window of length `w` that holds `ts`
    /// (windows are aligned to the Unix epoch in UTC).
    static func windowStart(_ ts: Int64, _ w: Int64) -> Int64 { floorDiv(ts, w) * w }

    /// Nanoseconds since local midnight of `ts` in the IANA zone `zone`;
    /// nil if the zone is unknown to this machine.
    static func localTimeOfDay(_ ts: Int64, zone: String) -> Int64? {
        guard let tz = zone == "UTC" ? TimeZone(identifier: "UTC") : TimeZone(identifier: zone) else { return nil }
        let seconds = floorDiv(ts, 1_000_000_000)
        let offset = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        let local = ts + offset * 1_000_000_000
        return local - floorDiv(local, day) * day
    }
}
