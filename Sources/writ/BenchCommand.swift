/// `writ bench --bundle B [--events FILE] [--json]`: latency percentiles,
/// throughput and heap use per decision of the engine on one core.
import ArgumentParser
import Dispatch
import WritDriver
import WritEngine

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine: p50/p90/p99/p99.9 ns per decision, decisions per second, heap use per decision.",
        discussion: """
            Evaluation is timed on pre-decoded events (the fast path) and, separately, with JSON \
            decoding. Pass k replays the events as day k after their own (every "ts" date moved \
            k days on), so each pass is a fresh trading day on warm state tables. After each \
            pre-decoded decision a fixed computation as long as a median decision is timed too: its \
            percentiles (the noise floor) show what the machine adds to a tail. Heap allocations are counted exactly by re-running the tool with \
            libWritAllocCounter.so preloaded (built next to writ); heap bytes retained come from glibc mallinfo2().
            """)

    @OptionGroup var bundleOptions: BundleOptions

    @Option(help: "Input lines to replay (default: samples/events.jsonl).")
    var events: String = "samples/events.jsonl"

    @Option(help: "Passes over the events, each a new day (at least 1; at most 10,000,000 timed decisions in all).")
    var iterations = 20

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Pin the benchmark to this CPU (Linux sched_setaffinity) so the scheduler does not move it between cores.")
    var pin: Int?

    @Option(
        help: ArgumentHelp(
            "Write every timed pre-decoded decision to this CSV file: pass, event, line, kind, verdict, ns, noise_floor_ns.",
            discussion: "To see which events make a tail: an event slow in every pass is the engine's; one slow in a single pass, the machine's.",
            valueName: "file"))
    var latencies: String?

    func run() throws {
        AllocCounting.ensurePreloaded()
        guard iterations >= 1 else {
            throw UsageError("--iterations is \(iterations); give 1 or more passes over the events")
        }
        if let latencies {
            try OutputPath.check(
                latencies, option: "--latencies", inputs: [(events, "the events file")] + bundleOptions.inputFiles)
        }
        if let cpu = pin, !EngineBenchmark.pin(cpu: cpu) {
            throw UsageError("cannot pin the benchmark to CPU `\(cpu)`; name a CPU this process may run on (see `nproc`)")
        }
        let lines = try BenchRun.lines(of: events)
        guard !lines.isEmpty else { throw UsageError("`\(events)` has no events to replay") }
        try BenchRun.checkTimedDecisions(events: lines.count, iterations: iterations)
        let (program, loadNanos) = try BundleLoad.program(bundleOptions.trustOptions)
        let engine = Engine(program: program)
        try bundleOptions.bindLists(into: engine)
        let prefaultStart = DispatchTime.now().uptimeNanoseconds
        engine.prefault()
        let prefaultNanos = DispatchTime.now().uptimeNanoseconds - prefaultStart
        let r = EngineBenchmark.run(engine: engine, events: lines, iterations: iterations, keepSamples: latencies != nil)
        if let path = latencies { try AtomicFile.write(BenchRun.latencyCSV(r.samples), to: path) }
        let counts = AllocCounting.counts(
            engine: engine, lines: lines, iterations: max(1, iterations / 4), firstDay: r.daysReplayed)
        let allocs = counts?.perDecision
        if json {
            let text = BenchRun.json(
                r, allocs: allocs, allocsByEvent: counts?.byEvent ?? [], loadNanos: loadNanos,
                prefaultNanos: prefaultNanos, pinnedCPU: pin, machine: BenchRun.machine,
                rules: program.executionMode.description)
            Console.out(text + "\n")
        } else {
            var a = allocs.map { "\($0) heap allocations per decision (counted, decode + evaluate)" }
                ?? "heap allocations: not counted (libWritAllocCounter.so not found next to writ)"
            for k in counts?.byEvent ?? [] {
                a += "\n  \(k.event.padding(toLength: 16, withPad: " ", startingAt: 0)) \(k.lines) lines, "
                    + "\(k.allocations) allocations"
            }
            Console.out(
                "machine: \(BenchRun.machine)\(pin.map { ", pinned to CPU \($0)" } ?? "")\nbundle load: \(Double(loadNanos) / 1e6) ms\n"
                    + "rules run by: \(program.executionMode)\n"
                    + "state prefault: \(Double(prefaultNanos) / 1e6) ms\n\(r.description)\n\(a)\n")
        }
    }
}
