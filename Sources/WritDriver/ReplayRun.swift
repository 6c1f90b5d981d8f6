/// The work behind `writ replay`: feed an events file through the engine,
/// write one decision line per order event (atomically), and summarise:
/// counts by verdict, the rules that fired most, and the latency of each
/// decision (p50 / p99, measured around `Engine.decide`: to the verdict).
import Foundation
import WritEngine

/// What a replay did.
public struct ReplaySummary: Sendable {
    /// Input lines read.
    public var lines = 0
    /// Decision lines written.
    public var decisions = 0
    /// Decisions by verdict.
    public var verdicts: [String: Int] = ["allow": 0, "hold": 0, "reject": 0]
    /// Times each rule fired, by `J.rule`.
    public var rules: [String: Int] = [:]
    /// Decisions per jurisdiction that applied.
    public var jurisdictions: [String: Int] = [:]
    /// Nanoseconds from reading each line that produced a decision to its
    /// verdict (`Engine.decide`; the settlement after it is not counted).
    public var latencies: [UInt64] = []

    /// The latency at quantile `q` (0…1), in nanoseconds.
    public func quantile(_ q: Double) -> UInt64 {
        guard !latencies.isEmpty else { return 0 }
        let s = latencies.sorted()
        return s[min(s.count - 1, Int((Double(s.count) * q).rounded(.down)))]
    }

    /// The human summary.
    public var text: String {
        var out = "\(lines) lines, \(decisions) decisions: "
        out += ["allow", "hold", "reject"].map { "\(verdicts[$0] ?? 0) \($0)" }.joined(separator: ", ") + "\n"
        if !jurisdictions.isEmpty {
            out += "by jurisdiction: "
                + jurisdictions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        }
        let top = rules.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10)
        if !top.isEmpty {
            out += "top rules fired:\n"
            for (r, n) in top { out += "  \(String(repeating: " ", count: max(0, 8 - String(n).count)))\(n)  \(r)\n" }
        }
        out += "latency per decision: p50 \(quantile(0.5)) ns, p99 \(quantile(0.99)) ns (wall clock to the verdict, JSON decoding included)\n"
        return out
    }
}

/// Replays events.
public enum ReplayRun {
    /// What `writ replay` checks before it loads or records anything: the
    /// events file can be read; the decisions (`outputPath`) can be written
    /// and are not the events, the audit trail or any of `inputs`; the
    /// trail (`auditPath`) is not the events or any of `inputs`. So a run
    /// that cannot finish fails before it appends to a trail.
    public static func preflight(
        eventsPath: String, outputPath: String?, auditPath: String?, inputs: [(path: String, what: String)]
    ) throws(UsageError) {
        let fd = open(eventsPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw UsageError("cannot read events file `\(eventsPath)`: \(String(cString: strerror(errno))); check the path")
        }
        var st = stat()
        let isDir = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
        // A regular file's first bytes (a pipe's would be lost to the replay).
        var head: [UInt8] = [0, 0, 0]
        let headCount = !isDir && (st.st_mode & S_IFMT) == S_IFREG ? read(fd, &head, 3) : 0
        close(fd)
        if isDir { throw UsageError("events file `\(eventsPath)` is a directory; give a JSON-lines file") }
        // Every line is a JSON object: a byte-order mark would make the first one invalid JSON.
        if headCount == 3 && head == [0xEF, 0xBB, 0xBF] {
            throw UsageError("events file `\(eventsPath)` starts with a UTF-8 byte-order mark: save it without one")
        }
        let events = [(path: eventsPath, what: "the events file")]
        if let outputPath {
            try OutputPath.check(
                outputPath, option: "-o", inputs: events + inputs + (auditPath.map { [($0, "the audit trail")] } ?? []))
        }
        if let auditPath { try OutputPath.check(auditPath, option: "--audit", inputs: events + inputs) }
    }

    /// Replays `eventsPath` through `engine`; writes decision lines to
    /// `outputPath` (atomically) when given. `progress` is called with the
    /// fraction done from time to time.
    public static func run(
        engine: Engine, eventsPath: String, outputPath: String?, audit: AuditRecorder? = nil,
        progress: ((Double) -> Void)? = nil
    ) throws(UsageError) -> ReplaySummary {
        guard let data = FileManager.default.contents(atPath: eventsPath) else {
            throw UsageError("cannot read events file `\(eventsPath)`; check the path")
        }
        let bytes = [UInt8](data)
        var summary = ReplaySummary()
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        var decision = Decision()
        let ir = engine.program.ir
        var start = 0
        var nextProgress = bytes.count / 100
        var auditError: UsageError?
        var lineOut: [UInt8] = []
        bytes.withUnsafeBytes { all in
            while start < all.count {
                var end = start
                while end < all.count && all[end] != 0x0A { end += 1 }
                var lineEnd = end
                if lineEnd > start && all[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let line = UnsafeRawBufferPointer(rebasing: all[start..<lineEnd])
                summary.lines += 1
                // Decided, then written and audited, then applied (`settle`),
                // as a gateway releases an order before applying it.
                let t0 = DispatchTime.now().uptimeNanoseconds
                engine.decide(line, into: &decision)
                let t1 = DispatchTime.now().uptimeNanoseconds
                if decision.hasLine {
                    summary.decisions += 1
                    summary.latencies.append(t1 - t0)
                    summary.verdicts[decision.verdict.description, default: 0] += 1
                    for i in 0..<decision.firedCount {
                        let f = decision.fired[i]
                        if !f.isApplies, Int(f.index) < ir.rules.count {
                            let r = ir.rules[Int(f.index)]
                            summary.rules[ir.jurisdictions[r.jurisdiction].name + "." + r.name, default: 0] += 1
                        }
                    }
                    for (j, jur) in ir.jurisdictions.enumerated() where decision.applied(j) {
                        summary.jurisdictions[jur.name, default: 0] += 1
                    }
                    if outputPath != nil || audit != nil {
                        lineOut.removeAll(keepingCapacity: true)
                        engine.render(decision, into: &lineOut)
                        if outputPath != nil {
                            out += lineOut
                            out.append(0x0A)
                        }
                    }
                }
                if let audit, auditError == nil {
                    do throws(UsageError) {
                        try audit.record(line: line, decision: decision.hasLine ? lineOut : nil)
                        try audit.recordLevelChanges(engine, line: line)
                    } catch {
                        auditError = error
                        return
                    }
                }
                engine.settle()
                start = end + 1
                if start >= nextProgress {
                    progress?(Double(start) / Double(max(1, all.count)))
                    nextProgress = start + all.count / 100
                }
            }
        }
        if let auditError { throw auditError }
        if let audit { try audit.close() }
        if let outputPath { try AtomicFile.write(out, to: outputPath) }
        return summary
    }
}
