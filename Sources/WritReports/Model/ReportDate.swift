/// The day a report covers: a calendar date in UTC, its bounds in
/// nanoseconds, and the texts file names and headers use. Reports take every
/// date from here, never from the wall clock, so that the same inputs give
/// the same bytes.
import WritValue

/// A calendar day (proleptic Gregorian, UTC).
public struct ReportDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1970 to 2262 (times are nanoseconds since 1970 in an
    /// `Int64`, which end on 2262-04-11).
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month.
    public let day: Int

    /// The first day a report may cover.
    public static let first = ReportDate(year: 1970, month: 1, day: 1)!
    /// The last day a report may cover: the last whose nanoseconds fit an `Int64`.
    public static let last = ReportDate(year: 2262, month: 4, day: 11)!

    /// Creates a date; nil if it does not exist or lies outside
    /// 1970-01-01 … 2262-04-11.
    public init?(year: Int, month: Int, day: Int) {
        guard (1970...2262).contains(year), (1...12).contains(month), day >= 1 else { return nil }
        let days = Value.days(year: year, month: month, day: day)
        let (y, m, d) = Value.civil(fromDays: days)
        guard y == year, m == month, d == day, days <= Int64.max / 86_400_000_000_000 else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `2026-11-27`.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The day that contains `nanoseconds` since the epoch (UTC).
    public init(containing nanoseconds: Int64) {
        let perDay: Int64 = 86_400_000_000_000
        var days = nanoseconds / perDay
        if nanoseconds % perDay < 0 { days -= 1 }
        let (y, m, d) = Value.civil(fromDays: days)
        self.year = y
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int64 { Value.days(year: year, month: month, day: day) }

    /// The first nanosecond of the day.
    public var startNanoseconds: Int64 { daysSinceEpoch * 86_400_000_000_000 }

    /// The first nanosecond of the next day (for the last day, the last
    /// nanosecond there is).
    public var endNanoseconds: Int64 {
        let (end, o) = startNanoseconds.addingReportingOverflow(86_400_000_000_000)
        return o ? Int64.max : end
    }

    /// Whether `nanoseconds` falls on this day.
    public func contains(_ nanoseconds: Int64) -> Bool {
        nanoseconds >= startNanoseconds && nanoseconds < endNanoseconds
    }

    /// `2026-11-27`.
    public var description: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }

    /// `20261127`, as file names and CAT dates write it.
    public var compact: String { "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))" }

    /// `YYYYMMDD` as a number (CAT's `Date` type).
    public var compactNumber: Int { year * 10_000 + month * 100 + day }

    /// Orders dates.
    public static func < (a: ReportDate, b: ReportDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
