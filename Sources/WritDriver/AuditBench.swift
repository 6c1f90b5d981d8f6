/// The work behind `writ audit bench`: how fast the audit writer appends
/// decisions — the decision lines of a replay, each stored as `writ replay
/// --audit` stores it (`{"bundle":…,"decision":LINE}`), batched by the
/// writer's thread, with a durable flush every `flushEvery` records and at
/// the end. Only appending and flushing are timed: reading the file is not.
import Foundation
import WritAudit

/// What `writ audit bench` measured.
public struct AuditBenchResult: Sendable, CustomStringConvertible {
    /// Decisions appended.
    public var decisions: Int
    /// Payload bytes appended.
    public var bytes: Int
    /// Seconds from the first append to the last flush returning.
    public var seconds: Double

    /// `N decisions … in S s: R decisions/s durable`.
    public var description: String {
        let rate = seconds > 0 ? Double(decisions) / seconds : 0
        return "appended \(decisions) decisions (\(bytes / 1_000_000) MB) in "
            + String(format: "%.3f", seconds) + " s: \(Int(rate)) decisions/s, durable (synchronous=FULL)"
    }
}

extension AuditRun {
    /// Appends every line of `decisionsFile` as a decision to a new store at
    /// `db` (which must not exist) and times it.
    public static func benchmarkAppends(
        decisionsFile: String, db: String, flushEvery: Int
    ) throws(UsageError) -> AuditBenchResult {
        guard !FileManager.default.fileExists(atPath: db) else {
            throw UsageError("`\(db)` exists; the benchmark writes a new audit store — remove it or name another")
        }
        guard flushEvery > 0 else { throw UsageError("`--flush-every` must be at least 1") }
        guard let data = FileManager.default.contents(atPath: decisionsFile) else {
            throw UsageError("cannot read `\(decisionsFile)`")
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard !lines.isEmpty else { throw UsageError("`\(decisionsFile)` has no decision lines") }
        let prefix = Array(#"{"bundle":"0000000000000000000000000000000000000000000000000000000000000000","decision":"#.utf8)
        var payload: [UInt8] = []
        let closing: [UInt8] = [UInt8(ascii: "}")]
        let start = Int64(1_795_780_800) * 1_000_000_000  // 2026-11-27T08:00:00Z
        var bytes = 0
        do {
            let writer = try AuditWriter(path: db)
            let t0 = Date()
            for (i, line) in lines.enumerated() {
                let ts = Array(AuditTimestamp.format(unixNanoseconds: start + Int64(i) * 1_000).utf8)
                payload.removeAll(keepingCapacity: true)
                payload.append(contentsOf: prefix)
                payload.append(contentsOf: line)
                bytes += payload.count + 1
                try ts.withUnsafeBytes { t in
                    try payload.withUnsafeBytes { p in
                        try closing.withUnsafeBytes { s in
                            _ = try writer.append(kind: .decision, timestamp: t, payload: p, suffix: s)
                        }
                    }
                }
                if (i + 1) % flushEvery == 0 { try writer.flush() }
            }
            try writer.flush()
            let seconds = Date().timeIntervalSince(t0)
            try writer.close()
            return AuditBenchResult(decisions: lines.count, bytes: bytes, seconds: seconds)
        } catch let error as AuditError {
            throw UsageError(error.description)
        } catch {
            throw UsageError("\(error)")
        }
    }
}
