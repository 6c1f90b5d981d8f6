/// `writ bench --latencies FILE`: every timed pre-decoded decision, one CSV
/// row each, naming its pass, event (and line), kind and verdict, with its
/// time to the verdict, with its settlement, and the noise floor's after it; a file it cannot write is a usage
/// error that names it.

import Foundation
import Testing
import WritDriver

@Suite struct BenchLatenciesTests {
    /// rules/ built, unsigned, into `dir`: the bundle's path.
    func bundle(in dir: URL) throws -> String {
        let bundle = dir.appendingPathComponent("rules.bundle").path
        let (built, _, buildErr) = try WritBinary.run(["build", "rules", "-o", bundle, "--unsigned"])
        try #require(built == 0, "\(buildErr)")
        return bundle
    }

    @Test func everyTimedDecisionIsARowNamingItsEvent() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = try bundle(in: dir)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let sample = try String(contentsOf: root.appendingPathComponent("samples/events.jsonl"), encoding: .utf8)
        let lines = sample.split(separator: "\n").prefix(300).map(String.init)
        let events = dir.appendingPathComponent("events.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: events, atomically: true, encoding: .utf8)
        let csv = dir.appendingPathComponent("out/latencies.csv").path
        let (status, out, err) = try WritBinary.run([
            "bench", "--bundle", bundle, "--allow-unsigned", "--empty-lists",
            "--events", events.path, "--iterations", "2", "--latencies", csv, "--json",
        ])
        try #require(status == 0, "\(err)")
        // Every decision's time with its settlement is at least its time to
        // the verdict, so each percentile is too.
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "\(out)")
        for p in ["p50_ns", "p90_ns", "p99_ns", "p999_ns"] {
            let verdict = try #require(summary[p] as? Int, "\(p) in \(out)")
            let settled = try #require(summary["settled_" + p] as? Int, "settled_\(p) in \(out)")
            #expect(verdict >= 0 && settled >= verdict, "\(p): \(verdict), settled \(settled)")
        }
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(rows.first == "pass,event,line,kind,verdict,ns,settled_ns,noise_floor_ns")
        #expect(rows.count == 1 + 2 * lines.count)
        var seen = Set<String>()
        var kinds: [String: Int] = [:]
        for row in rows.dropFirst() {
            let c = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            try #require(c.count == 8, "\(row)")
            let (pass, event, line) = (Int(c[0]) ?? -1, Int(c[1]) ?? -1, Int(c[2]) ?? -1)
            #expect((0..<2).contains(pass) && (0..<lines.count).contains(event) && line == event + 1, "\(row)")
            #expect(seen.insert("\(pass),\(event)").inserted, "twice: \(row)")
            // The kind is the line's own event; only orders have a verdict.
            guard (0..<lines.count).contains(event) else { continue }
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(lines[event].utf8)) as? [String: Any])
            let kind = json["event"] as? String ?? ""
            #expect(c[3] == kind, "\(row) for \(lines[event])")
            let isOrder = kind == "new" || kind == "modify"
            #expect(isOrder ? ["allow", "hold", "reject"].contains(c[4]) : c[4].isEmpty, "\(row)")
            // With its settlement a decision cannot take less time than to its verdict.
            // (Times are only required to be whole numbers, not above zero: a
            // coarse clock may read the same value on both sides.)
            let (verdictNs, settledNs, floorNs) = (Int(c[5]) ?? -1, Int(c[6]) ?? -1, Int(c[7]) ?? -1)
            #expect(verdictNs >= 0 && settledNs >= verdictNs && floorNs >= 0, "\(row)")
            kinds[c[3], default: 0] += 1
        }
        #expect(kinds["new", default: 0] > 50 && kinds["market", default: 0] > 10, "\(kinds)")
    }

    /// A bundle of the test's rules and an events file of one market event, in `dir`.
    func oneMarketEvent(in dir: URL) throws -> (bundle: String, events: URL) {
        let bundle = try bundle(in: dir)
        let events = dir.appendingPathComponent("events.jsonl")
        try #"{"event":"market","symbol":"AAPL","venue":"XNAS","reference":"230.00","ts":"2026-11-27T14:00:00Z"}"#
            .appending("\n").write(to: events, atomically: true, encoding: .utf8)
        return (bundle, events)
    }

    @Test func aFileThatCannotBeWrittenIsAUsageError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (bundle, events) = try oneMarketEvent(in: dir)
        // Its directory is a file.
        let blocker = dir.appendingPathComponent("blocker")
        try "x".write(to: blocker, atomically: true, encoding: .utf8)
        let csv = blocker.appendingPathComponent("latencies.csv").path
        let (status, _, err) = try WritBinary.run([
            "bench", "--bundle", bundle, "--allow-unsigned", "--empty-lists",
            "--events", events.path, "--iterations", "1", "--latencies", csv,
        ])
        #expect(status == 2, "\(err)")
        #expect(err.contains("blocker"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: csv))
    }

    /// Passes that would time more decisions than fit in memory, or none,
    /// are refused before any work (a huge count crashed on an overflow).
    @Test func iterationsAreBounded() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (bundle, events) = try oneMarketEvent(in: dir)
        for (n, message) in [
            ("0", "give 1 or more passes"), ("-3", "give 1 or more passes"),
            ("9223372036854775807", "at most 10000000 are kept in memory"),
            ("10000001", "would time 10000001 decisions; at most 10000000 are kept in memory: give --iterations 10000000 or fewer"),
        ] {
            let (status, _, err) = try WritBinary.run([
                "bench", "--bundle", bundle, "--allow-unsigned", "--empty-lists", "--events", events.path, "--iterations=\(n)",
            ])
            #expect(status == 2, "\(n): \(err)")
            #expect(err.contains(message), "\(n): \(err)")
        }
    }

    /// The count of timed decisions is checked without overflowing.
    @Test func timedDecisionsAreCountedWithoutOverflow() {
        #expect(throws: Never.self) { try BenchRun.checkTimedDecisions(events: 10_546, iterations: 20) }
        let overflow = #expect(throws: UsageError.self) { try BenchRun.checkTimedDecisions(events: 3, iterations: .max) }
        #expect(overflow?.message.contains("would time too many decisions") == true)
        let huge = #expect(throws: UsageError.self) { try BenchRun.checkTimedDecisions(events: 20_000_000, iterations: 1) }
        #expect(huge?.message.contains("give fewer events") == true)
    }
}
