/// UTC offset transitions of an IANA time zone, computed at build time from
/// the machine's zone database, so the engine answers `between` without a
/// zone database and without allocating.

import Foundation

/// Builds `IRZone`s.
enum TimeZoneTable {
    /// First and last instants covered (1970-01-01 and 2100-01-01, in seconds).
    static let firstSecond: Int64 = 0
    static let lastSecond: Int64 = 4_102_444_800

    /// The zone's transitions, or nil if the machine does not know it.
    static func zone(named name: String) -> IRZone? {
        guard let tz = TimeZone(identifier: name) else { return nil }
        var transitions: [Int64] = []
        var date = Date(timeIntervalSince1970: TimeInterval(firstSecond))
        var offsets: [Int32] = [Int32(tz.secondsFromGMT(for: date))]
        while let next = tz.nextDaylightSavingTimeTransition(after: date),
            Int64(next.timeIntervalSince1970) < lastSecond
        {
            let offset = Int32(tz.secondsFromGMT(for: next))
            let at = Int64(next.timeIntervalSince1970.rounded())
            if offset != offsets.last {
                transitions.append(at * 1_000_000_000)
                offsets.append(offset)
            }
            guard next > date else { break }
            date = next
        }
        return IRZone(name: name, transitions: transitions, offsets: offsets)
    }
}
