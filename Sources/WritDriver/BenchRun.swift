/// The work behind `writ bench`: load the bundle, read the events (or the
/// sample flow), and measure the engine with `EngineBenchmark`.
import Foundation
import WritEngine
import WritSyntax

/// Benchmarks engines.
public enum BenchRun {
    /// The most decisions one run times one by one: their latencies are
    /// kept in memory (about 25 bytes each, and a row each with `--latencies`).
    public static let maxTimedDecisions = 10_000_000

    /// Refuses `iterations` passes over `events` events when they would time
    /// more than `maxTimedDecisions` decisions (or overflow counting them).
    public static func checkTimedDecisions(events: Int, iterations: Int) throws(UsageError) {
        let (total, overflow) = events.multipliedReportingOverflow(by: iterations)
        guard overflow || total > maxTimedDecisions else { return }
        let most = maxTimedDecisions / Swift.max(1, events)
        guard most >= 1 else {
            throw UsageError(
                "one pass over \(events) events would time more than \(maxTimedDecisions) decisions; give fewer events")
        }
        throw UsageError(
            "--iterations \(iterations) over \(events) events would time \(overflow ? "too many" : "\(total)") decisions; "
                + "at most \(maxTimedDecisions) are kept in memory: give --iterations \(most) or fewer")
    }

    /// Reads non-empty lines of `path` as input lines.
    public static func lines(of path: String) throws(UsageError) -> [[UInt8]] {
        let text = try SourceLoader.read(path)
        return text.split(whereSeparator: \.isNewline).filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// The CSV `writ bench --latencies FILE` writes: a header, then one row
    /// per timed pre-decoded decision (`line` is the event's line number in
    /// the events file, from 1; `verdict` is empty for an event that is not
    /// an order; `ns` is the time to the verdict, `settled_ns` with the
    /// settlement).
    public static func latencyCSV(_ samples: [DecisionSample]) -> String {
        var out = "pass,event,line,kind,verdict,ns,settled_ns,noise_floor_ns\n"
        out.reserveCapacity(48 * samples.count + out.utf8.count)
        for x in samples {
            out += "\(x.pass),\(x.event),\(x.event + 1),\(x.kind),\(x.verdict.map { "\($0)" } ?? ""),"
            out += "\(x.nanos),\(x.settledNanos),\(x.noiseFloorNanos)\n"
        }
        return out
    }

    /// The JSON object `writ bench --json` prints (keys in a fixed order).
    /// `prefaultNanos` is the time `Engine.prefault` took (not part of the
    /// bundle load); `pinnedCPU` the CPU the run was pinned to (`--pin`).
    public static func json(
        _ r: BenchmarkResult, allocs: Double?, allocsByEvent: [(event: String, lines: Int, allocations: UInt64)] = [],
        loadNanos: UInt64, prefaultNanos: UInt64 = 0, pinnedCPU: Int? = nil, machine: String, rules: String = ""
    ) -> String {
        func n(_ x: Double) -> String { String(Int(x.rounded())) }
        let e = r.evaluate
        let s = r.evaluateSettled
        let f = r.decodeAndEvaluate
        let groups = r.evaluateByGroup.map { g in
            "\(JSONText.quote(g.group)):{\"count\":\(g.count),\"p50_ns\":\(n(g.p50)),\"p99_ns\":\(n(g.p99)),\"p999_ns\":\(n(g.p999))}"
        }.joined(separator: ",")
        let allocGroups = allocsByEvent.map { k in
            "\(JSONText.quote(k.event)):{\"lines\":\(k.lines),\"allocations\":\(k.allocations)}"
        }.joined(separator: ",")
        return """
            {"p50_ns":\(n(e.p50)),"p90_ns":\(n(e.p90)),"p99_ns":\(n(e.p99)),"p999_ns":\(n(e.p999)),\
            "decisions_per_s":\(n(e.perSecond)),"allocs_per_decision":\(allocs.map { String($0) } ?? "null"),\
            "heap_bytes_per_decision":\(e.heapBytesPerDecision),\
            "settled_p50_ns":\(n(s.p50)),"settled_p90_ns":\(n(s.p90)),"settled_p99_ns":\(n(s.p99)),"settled_p999_ns":\(n(s.p999)),\
            "decode_p50_ns":\(n(f.p50)),"decode_p99_ns":\(n(f.p99)),"decode_decisions_per_s":\(n(f.perSecond)),\
            "events":\(r.events),"iterations":\(r.iterations),"clock_overhead_ns":\(n(r.clockOverhead)),\
            "noise_floor":{"work_ns":\(n(r.noiseFloor.work)),"p50_ns":\(n(r.noiseFloor.p50)),"p90_ns":\(n(r.noiseFloor.p90)),\
            "p99_ns":\(n(r.noiseFloor.p99)),"p999_ns":\(n(r.noiseFloor.p999))},"pinned_cpu":\(pinnedCPU.map { String($0) } ?? "null"),\
            "bundle_load_ms":\(String(format: "%.3f", Double(loadNanos) / 1e6)),\
            "prefault_ms":\(String(format: "%.3f", Double(prefaultNanos) / 1e6)),\
            "evaluate_by_event":{\(groups)},"allocs_by_event":{\(allocGroups)},"rules":\(JSONText.quote(rules)),"machine":\(JSONText.quote(machine))}
            """
    }

    /// `2 cores, Linux …` — what the figures were measured on.
    public static var machine: String {
        var u = utsname()
        uname(&u)
        let release = withUnsafeBytes(of: &u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        var model = ""
        if let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = cpu.split(separator: "\n").first(where: { $0.hasPrefix("model name") })
        {
            model = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        }
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(model), Linux \(release)"
    }
}

/// Exact heap-allocation counts, through the `WritAllocCounter` library
/// preloaded into the process (see `AllocCounting.ensurePreloaded`).
public enum AllocCounting {
    typealias CountFn = @convention(c) () -> UInt64
    typealias SwitchFn = @convention(c) (Int32) -> Void

    /// Whether the counting allocator is loaded into this process.
    public static var isAvailable: Bool { dlsym(UnsafeMutableRawPointer(bitPattern: 0), "writ_alloc_count") != nil }

    /// Re-executes this program with `LD_PRELOAD` set to the counting
    /// library built next to it, unless it is loaded already or cannot be
    /// found (then the caller falls back to heap bytes). Never returns when it
    /// re-executes.
    public static func ensurePreloaded() {
        guard !isAvailable, ProcessInfo.processInfo.environment["WRIT_ALLOC_PRELOADED"] == nil else { return }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let lib = SourceLoader.join(OutputPath.directory(of: exe), "libWritAllocCounter.so")
        guard FileManager.default.fileExists(atPath: lib) else { return }
        setenv("LD_PRELOAD", lib, 1)
        setenv("WRIT_ALLOC_PRELOADED", "1", 1)
        var argv: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) }
        argv.append(nil)
        execv(exe, &argv)
    }

    /// Heap allocations while `engine` processes `lines` `iterations` times
    /// (after one warm-up pass), pass k as the events' day `firstDay + k`:
    /// per line in all, and by kind of event (the line's `"event"`, with
    /// `control (table)` for a bound table's `set`/`remove`); nil when the
    /// counting library is not loaded.
    public static func counts(
        engine: Engine, lines: [[UInt8]], iterations: Int, firstDay: Int = 0
    ) -> (perDecision: Double, byEvent: [(event: String, lines: Int, allocations: UInt64)])? {
        let rtldDefault = UnsafeMutableRawPointer(bitPattern: 0)
        guard let c = dlsym(rtldDefault, "writ_alloc_count"), let s = dlsym(rtldDefault, "writ_alloc_counting") else {
            return nil
        }
        let count = unsafeBitCast(c, to: CountFn.self)
        let counting = unsafeBitCast(s, to: SwitchFn.self)
        var d = Decision()
        let kinds = lines.map(eventKind)
        // Each pass is the next day, as in the timed passes
        // (`EngineBenchmark.run`); shifting the dates is not counted.
        var day = firstDay
        func nextDay() -> [[UInt8]] {
            defer { day += 1 }
            return lines.map { EngineBenchmark.shiftingDays($0, by: day) }
        }
        for line in nextDay() { line.withUnsafeBytes { engine.process($0, into: &d) } }
        var counted: UInt64 = 0
        var byKind: [String: (lines: Int, allocations: UInt64)] = [:]
        var perLine = [UInt64](repeating: 0, count: lines.count)
        for _ in 0..<max(1, iterations) {
            let dayLines = nextDay()
            for (i, line) in dayLines.enumerated() {
                let before = count()
                counting(1)
                line.withUnsafeBytes { engine.process($0, into: &d) }
                counting(0)
                perLine[i] = count() - before
            }
            for i in 0..<lines.count {
                counted += perLine[i]
                byKind[kinds[i], default: (0, 0)].lines += 1
                byKind[kinds[i], default: (0, 0)].allocations += perLine[i]
            }
        }
        let byEvent = byKind.map { (event: $0.key, lines: $0.value.lines, allocations: $0.value.allocations) }
            .sorted { ($0.lines, $1.event) > ($1.lines, $0.event) }
        return (Double(counted) / Double(lines.count * max(1, iterations)), byEvent)
    }

    /// The `"event"` of a line (`control (table)` for a bound table's
    /// change), `?` when it has none.
    static func eventKind(_ line: [UInt8]) -> String {
        let text = String(decoding: line, as: UTF8.self)
        guard let r = text.range(of: #""event":""#) ?? text.range(of: #""event": ""#) else { return "?" }
        let name = text[r.upperBound...].prefix { $0 != "\"" }
        return name == "control" && text.contains(#""table""#) ? "control (table)" : String(name)
    }
}
