/// The benchmark harness (`writ bench`): latency percentiles per decision,
/// decisions per second on one core, and heap growth per decision, for
/// evaluation of pre-decoded events and for decoding plus evaluation.
/// Heap use is read with glibc's `mallinfo2` around a batch: it shows bytes
/// kept, not allocations freed again within the batch (the evaluator's
/// freedom from allocation is checked at compile time by `@_noAllocation`).
/// A noise floor — a fixed computation as long as a median decision, timed
/// between the decisions — shows what the machine itself adds to a tail.

import CMallocInfo
import WritValue
#if canImport(Glibc)
    import Glibc
#endif

/// Latency and throughput of one way of deciding.
public struct LatencyStats: Sendable, CustomStringConvertible {
    /// Median nanoseconds per decision.
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 99th percentile.
    public var p99: Double
    /// 99.9th percentile.
    public var p999: Double
    /// Decisions per second on one core (a batch timed as a whole).
    public var perSecond: Double
    /// Heap bytes still in use after the batch that were not before, per decision.
    public var heapBytesPerDecision: Double

    /// `p50 123 ns, p90 …, 4,567,890 decisions/s, 0 heap bytes/decision`.
    public var description: String {
        percentilesDescription + ", \(Int(perSecond)) decisions/s, \(heapBytesPerDecision) heap bytes/decision"
    }

    /// `p50 123 ns, p90 …, p99.9 … ns`.
    public var percentilesDescription: String {
        func ns(_ x: Double) -> String { String(Int(x.rounded())) }
        return "p50 \(ns(p50)) ns, p90 \(ns(p90)) ns, p99 \(ns(p99)) ns, p99.9 \(ns(p999)) ns"
    }
}

/// The machine's noise floor: a fixed computation that touches no memory
/// (a chain of multiply-adds as long as a median pre-decoded decision), timed
/// like a decision right after each pre-decoded one. Its spread is what
/// the machine — timer interrupts, the other core, the hypervisor — adds
/// to a latency of that length; the rest of the decisions' spread is the
/// engine's.
public struct NoiseFloor: Sendable, CustomStringConvertible {
    /// Nanoseconds the computation takes when nothing disturbs it (its
    /// fastest run while calibrating).
    public var work: Double
    /// Median nanoseconds per timed computation.
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 99th percentile.
    public var p99: Double
    /// 99.9th percentile.
    public var p999: Double

    /// `~1000 ns of work: p50 …, p90 …, p99 …, p99.9 … ns`.
    public var description: String {
        func ns(_ x: Double) -> String { String(Int(x.rounded())) }
        return "\(ns(work)) ns of work: p50 \(ns(p50)) ns, p90 \(ns(p90)) ns, p99 \(ns(p99)) ns, p99.9 \(ns(p999)) ns"
    }
}

/// Latency of one kind of event (pre-decoded evaluation).
public struct GroupStats: Sendable {
    /// `new allow`, `new reject`, `fill`, `market`, … (the event kind, and
    /// the verdict for orders).
    public var group: String
    /// Decisions timed in this group.
    public var count: Int
    /// Median nanoseconds per decision.
    public var p50: Double
    /// 99th percentile.
    public var p99: Double
    /// 99.9th percentile.
    public var p999: Double
}

/// What `EngineBenchmark.run` measured.
/// One timed decision of the benchmark's pre-decoded passes: which pass
/// (0 the first timed one) and event (0 the first line), the event's kind
/// and, for an order, its verdict; the decision's time and the noise
/// floor's right after it, in nanoseconds (clock reads included).
public struct DecisionSample: Sendable, Hashable {
    /// The timed pass (0 the first after the warm-up).
    public var pass: Int32
    /// The event's index in the events (0 the first line).
    public var event: Int32
    /// The event's kind as `evaluate by event` names it: `new`, `modify`,
    /// `cancel`, `fill`, `market`, `control`, `platform`, or `none` for a
    /// line that leaves nothing to decide (a `fill_cancel`, a line that
    /// does not decode).
    public var kind: String
    /// The verdict of a `new` or `modify`; nil for other events.
    public var verdict: Verdict?
    /// The decision's time to its verdict (`Engine.decide`), in nanoseconds.
    public var nanos: Int64
    /// The decision's time with its settlement (`Engine.settle`, which
    /// applies an order: `nanos` for other events, plus a clock read), in
    /// nanoseconds.
    public var settledNanos: Int64
    /// The noise floor's time right after it, in nanoseconds.
    public var noiseFloorNanos: Int64
}

public struct BenchmarkResult: Sendable, CustomStringConvertible {
    /// Events per pass.
    public var events: Int
    /// Passes timed.
    public var iterations: Int
    /// Evaluation of pre-decoded events, each timed to its verdict
    /// (`Engine.decide`: what an order waits for before it can leave).
    /// Decisions per second and heap growth count the settlements too.
    public var evaluate: LatencyStats
    /// The same decisions timed with their settlement (`Engine.settle`:
    /// an order's message counted, its amounts recorded, the order kept
    /// live, its latches and id; a second clock read included): each
    /// event's whole cost, as
    /// `Engine.process` pays it.
    public var evaluateSettled: LatencyStats
    /// Decoding and evaluation of input lines.
    public var decodeAndEvaluate: LatencyStats
    /// The cost of reading the clock (included in the percentiles).
    public var clockOverhead: Double
    /// Days replayed (one per pass, warm-up included); a later run on the
    /// same engine starts at this day.
    public var daysReplayed: Int = 0
    /// Pre-decoded evaluation by event kind (and verdict for orders), the
    /// largest group first.
    public var evaluateByGroup: [GroupStats] = []
    /// The machine's noise floor, timed between the pre-decoded decisions.
    public var noiseFloor = NoiseFloor(work: 0, p50: 0, p90: 0, p99: 0, p999: 0)
    /// Every timed pre-decoded decision, in the order they ran (pass by
    /// pass), when `run` was asked to keep them; else empty.
    public var samples: [DecisionSample] = []

    /// A short report.
    public var description: String {
        """
        events: \(events) × \(iterations) (each pass a new day)
        evaluate (pre-decoded): \(evaluate)
          with settlement:      \(evaluateSettled.percentilesDescription)
        decode + evaluate:      \(decodeAndEvaluate)
        clock overhead:         \(Int(clockOverhead.rounded())) ns (included above)
        noise floor:            \(noiseFloor)
        evaluate by event:
        \(evaluateByGroup.map { g in
            "  \(g.group.padding(toLength: 14, withPad: " ", startingAt: 0)) \(g.count) decisions, "
                + "p50 \(Int(g.p50.rounded())) ns, p99 \(Int(g.p99.rounded())) ns, p99.9 \(Int(g.p999.rounded())) ns"
        }.joined(separator: "\n"))
        """
    }
}

/// Measures an engine.
public enum EngineBenchmark {
    @inline(__always)
    static func now() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }

    /// Pins the calling thread to CPU `cpu` (Linux `sched_setaffinity`), so
    /// that the scheduler does not move the benchmark to the other core in
    /// the middle of a run (a move finds cold caches). False when it cannot
    /// (no such CPU, not allowed, not Linux); nothing changes then.
    public static func pin(cpu: Int) -> Bool {
        #if os(Linux)
            // glibc declares `sched_setaffinity` only with _GNU_SOURCE: found at run time.
            typealias SetAffinity = @convention(c) (Int32, Int, UnsafeRawPointer) -> Int32
            var mask = [UInt64](repeating: 0, count: 16)  // a cpu_set_t: 1,024 CPUs
            guard cpu >= 0, cpu < mask.count * 64,
                let f = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_setaffinity")
            else { return false }
            mask[cpu / 64] = 1 << UInt64(cpu % 64)
            let setAffinity = unsafeBitCast(f, to: SetAffinity.self)
            return mask.withUnsafeBytes { setAffinity(0, $0.count, $0.baseAddress!) } == 0
        #else
            return false
        #endif
    }

    /// Heap bytes in use (glibc `mallinfo2`: ordinary and mmapped blocks).
    public static func heapInUse() -> Int { Int(mallinfo2().uordblks) + Int(mallinfo2().hblkhd) }

    /// Runs `events` (input lines) `iterations` times each way. Pass k
    /// replays the events as day k after them: every `"ts"` date moves k
    /// days on (`shiftingDays`), so each pass is a fresh trading day with
    /// the mix of decisions the events make — daily credit and throttles
    /// restart, ids are new for the day — while the state tables keep the
    /// keys of earlier days warm, as in production. (Replaying the same day
    /// again would repeat ids, fill throttles and use up credit: later
    /// passes would be mostly rejects.) Each way replays 1 + 2 × `iterations`
    /// days (a warm-up, the timed decisions, the timed batches);
    /// `daysReplayed` says how many in all.
    ///
    /// The events are decoded once for the pre-decoded passes, and each
    /// pass moves their decoded `ts` values on by whole days
    /// (`DecodedEvents.shiftDays`, the same values as decoding the shifted
    /// lines): the passes follow each other without decoding thousands of
    /// lines in between, which would evict the engine's tables and code
    /// from the caches and time the first events of every pass cold.
    /// Shifting is not timed. Before each timed pre-decoded decision its
    /// event's decoded values are read (untimed), so that they are in the
    /// cache as the fields of a line just decoded are: copying them into the
    /// frame stays timed, but not fetching a stored event from memory, which
    /// a running engine never does. After each pre-decoded decision, a fixed
    /// computation as long as the warm-up's median decision is timed the same way: its
    /// percentiles are the machine's noise floor (`NoiseFloor`).
    /// `keepSamples`: also return every timed pre-decoded decision
    /// (`BenchmarkResult.samples`), to see which events make a tail.
    public static func run(engine: Engine, events: [[UInt8]], iterations: Int, keepSamples: Bool = false) -> BenchmarkResult {
        let n = events.count
        let passes = Swift.max(1, iterations)
        let total = n * passes
        var latencies = [Int64](repeating: 0, count: total)
        // The group of each timed decision (kind × 3 + verdict), and the
        // noise floor after it, recorded for the pre-decoded passes only.
        var groups = [UInt8](repeating: 0, count: total)
        var floor = [Int64](repeating: 0, count: total)
        // Each timed pre-decoded decision with its settlement (clock read to clock read).
        var settled = [Int64](repeating: 0, count: total)
        var settledStats: LatencyStats?
        var recordGroups = true
        var spinCount = 0
        var sink: UInt64 = 0
        var d = Decision()
        var day = 0
        // Clock overhead.
        var overhead: Int64 = 0
        for _ in 0..<1000 {
            let a = now()
            let b = now()
            overhead += b - a
        }
        /// One warm-up pass (its times are not reported), `passes` passes timing each decision,
        /// then `passes` passes timed as a whole; `prepare` (untimed) gets
        /// the day of each pass before it runs, `input` (untimed) gets each
        /// timed decision's event before it is timed. With `settle`, each
        /// decision is timed to its verdict (`pass`), then with its
        /// settlement into `settled`; the batches time both.
        func stats(
            prepare: (Int) -> Void, input: (Int) -> UInt64, settle: (() -> Void)? = nil, _ pass: (Int) -> Void
        ) -> LatencyStats {
            func nextDay() {
                prepare(day)
                day += 1
            }
            nextDay()
            for i in 0..<n {
                let t0 = now()
                pass(i)
                latencies[i] = now() - t0
                settle?()
            }
            if recordGroups {
                // The floor's computation lasts as long as the warm-up's median decision.
                spinCount = calibrateSpin(nanos: percentile(latencies[0..<n].sorted(), 0.5))
            }
            var k = 0
            for _ in 0..<passes {
                nextDay()
                for i in 0..<n {
                    sink &+= input(i)
                    let t0 = now()
                    pass(i)
                    let t1 = now()
                    latencies[k] = t1 - t0
                    if let settle {
                        settle()
                        settled[k] = now() - t0
                    }
                    if recordGroups {
                        groups[k] = group(i)
                        let f0 = now()
                        sink &+= spin(spinCount, UInt64(k))
                        floor[k] = now() - f0
                    }
                    k += 1
                }
            }
            // Throughput: each pass timed as a whole, the passes summed.
            var elapsed: Int64 = 0
            var heapGrowth = 0
            for _ in 0..<passes {
                nextDay()
                let heapBefore = heapInUse()
                let t0 = now()
                if let settle {
                    for i in 0..<n {
                        pass(i)
                        settle()
                    }
                } else {
                    for i in 0..<n { pass(i) }
                }
                elapsed += now() - t0
                heapGrowth += Swift.max(0, heapInUse() - heapBefore)
            }
            if recordGroups {
                byGroup = groupStats()
                if keepSamples {
                    samples = (0..<total).map { k in
                        let kind = EventKind(rawValue: groups[k] / 3) ?? .none
                        let isOrder = kind == .new || kind == .modify
                        return DecisionSample(
                            pass: Int32(k / n), event: Int32(k % n), kind: "\(kind)",
                            verdict: isOrder ? Verdict(rawValue: groups[k] % 3) : nil, nanos: latencies[k],
                            settledNanos: settle != nil ? settled[k] : latencies[k], noiseFloorNanos: floor[k])
                    }
                }
            }
            let perSecond = elapsed > 0 ? Double(total) / Double(elapsed) * 1e9 : 0
            if settle != nil {
                settled.sort()
                settledStats = LatencyStats(
                    p50: percentile(settled, 0.5), p90: percentile(settled, 0.9), p99: percentile(settled, 0.99),
                    p999: percentile(settled, 0.999), perSecond: perSecond,
                    heapBytesPerDecision: Double(heapGrowth) / Double(total))
            }
            latencies.sort()
            return LatencyStats(
                p50: percentile(latencies, 0.5), p90: percentile(latencies, 0.9), p99: percentile(latencies, 0.99),
                p999: percentile(latencies, 0.999),
                perSecond: perSecond,
                heapBytesPerDecision: Double(heapGrowth) / Double(total))
        }
        var decoded = DecodedEvents()
        func group(_ i: Int) -> UInt8 {
            let kind = decoded.kinds[i]
            return kind == .new || kind == .modify ? kind.rawValue * 3 + d.verdict.rawValue : kind.rawValue * 3
        }
        var byGroup: [GroupStats] = []
        var samples: [DecisionSample] = []
        func groupStats() -> [GroupStats] {
            var samples: [UInt8: [Int64]] = [:]
            for k in 0..<total { samples[groups[k], default: []].append(latencies[k]) }
            return samples.map { key, values in
                let v = values.sorted()
                let kind = EventKind(rawValue: key / 3).map { "\($0)" } ?? "?"
                let verdict = Verdict(rawValue: key % 3).map { " \($0)" } ?? ""
                let isOrder = key / 3 == EventKind.new.rawValue || key / 3 == EventKind.modify.rawValue
                return GroupStats(
                    group: kind + (isOrder ? verdict : ""), count: v.count, p50: percentile(v, 0.5),
                    p99: percentile(v, 0.99), p999: percentile(v, 0.999))
            }.sorted { ($0.count, $1.group) > ($1.count, $0.group) }
        }
        var decodedDay = 0
        let evaluate = stats(prepare: { day in
            if decoded.kinds.isEmpty {
                decoded = engine.predecode(events.map { shiftingDays($0, by: day) })
            } else {
                decoded.shiftDays(by: day - decodedDay)
            }
            decodedDay = day
        }, input: { i in decoded.read(i) }, settle: { engine.settle() }) { i in engine.evaluate(decoded, i, into: &d) }
        engine.release(decoded)
        recordGroups = false
        floor.sort()
        let work = spinNanos(spinCount)
        var lines: [[UInt8]] = []
        let full = stats(prepare: { day in lines = events.map { shiftingDays($0, by: day) } }, input: { _ in 0 }) { i in
            lines[i].withUnsafeBytes { engine.process($0, into: &d) }
        }
        keep(sink)
        return BenchmarkResult(
            events: n, iterations: iterations, evaluate: evaluate, evaluateSettled: settledStats ?? evaluate,
            decodeAndEvaluate: full,
            clockOverhead: Double(overhead) / 1000, daysReplayed: day, evaluateByGroup: byGroup,
            noiseFloor: NoiseFloor(
                work: work, p50: percentile(floor, 0.5), p90: percentile(floor, 0.9), p99: percentile(floor, 0.99),
                p999: percentile(floor, 0.999)),
            samples: samples)
    }

    /// The `p` quantile of sorted `v` (the value below which a share `p` lies).
    static func percentile(_ v: [Int64], _ p: Double) -> Double {
        guard !v.isEmpty else { return 0 }
        return Double(v[Swift.min(v.count - 1, Int((Double(v.count) * p).rounded(.down)))])
    }

    /// The noise floor's computation: `count` steps of a multiply-add
    /// chain, each waiting for the one before (no memory touched).
    @inline(never)
    static func spin(_ count: Int, _ seed: UInt64) -> UInt64 {
        var x = seed
        for _ in 0..<count { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
        return x
    }

    /// The fastest of a few timed runs of `spin(count)`, in nanoseconds.
    static func spinNanos(_ count: Int) -> Double {
        var best = Int64.max
        var sink: UInt64 = 0
        for r in 0..<20 {
            let t0 = now()
            sink &+= spin(count, UInt64(r))
            best = Swift.min(best, now() - t0)
        }
        keep(sink)
        return Double(best)
    }

    /// Uses `x`, so that the computations that made it are not optimized away.
    @_optimize(none)
    static func keep(_ x: UInt64) {}

    /// The step count of `spin` that takes about `nanos` nanoseconds.
    static func calibrateSpin(nanos: Double) -> Int {
        let probe = 100_000
        let perStep = Swift.max(0.01, spinNanos(probe) / Double(probe))
        return Swift.max(1, Int((nanos / perStep).rounded()))
    }

    /// `line` with the date of every `"ts"` value (`"ts":"YYYY-MM-DD…`)
    /// moved `days` days on, by the proleptic Gregorian calendar; the rest
    /// of the line is unchanged. A `ts` that does not start with a date is
    /// left as it is (the engine rejects it as it would have).
    public static func shiftingDays(_ line: [UInt8], by days: Int) -> [UInt8] {
        guard days != 0 else { return line }
        var out = line
        let quote = UInt8(ascii: "\""), space = UInt8(ascii: " ")
        var i = 0
        while i + 4 <= out.count {
            guard out[i] == quote, out[i + 1] == UInt8(ascii: "t"), out[i + 2] == UInt8(ascii: "s"),
                out[i + 3] == quote
            else {
                i += 1
                continue
            }
            var j = i + 4
            while j < out.count, out[j] == space { j += 1 }
            guard j < out.count, out[j] == UInt8(ascii: ":") else {
                i += 4
                continue
            }
            j += 1
            while j < out.count, out[j] == space { j += 1 }
            guard j + 11 <= out.count, out[j] == quote else {
                i = j
                continue
            }
            let at = j + 1
            if let (y, m, dd) = civilDate(out, at) {
                let (ny, nm, nd) = Value.civil(fromDays: Value.days(year: y, month: m, day: dd) + Int64(days))
                if (0...9999).contains(ny) {
                    for (k, v) in [(0, ny / 1000), (1, ny / 100 % 10), (2, ny / 10 % 10), (3, ny % 10),
                                   (5, nm / 10), (6, nm % 10), (8, nd / 10), (9, nd % 10)] {
                        out[at + k] = UInt8(48 + v)
                    }
                }
            }
            i = at + 10
        }
        return out
    }

    /// `YYYY-MM-DD` at `at`, if there is a valid one.
    static func civilDate(_ b: [UInt8], _ at: Int) -> (Int, Int, Int)? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for k in from..<(from + count) {
                let c = b[k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard at + 10 <= b.count, b[at + 4] == UInt8(ascii: "-"), b[at + 7] == UInt8(ascii: "-"),
            let y = digits(at, 4), let m = digits(at + 5, 2), let d = digits(at + 8, 2),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        return (y, m, d)
    }
}

/// Events decoded once, for timing evaluation alone.
struct DecodedEvents {
    var kinds: [EventKind] = []
    var slots: [Int128] = []
    var presence: [UInt8] = []
    var pinned: [Int] = []
    /// Input slots and fields per event (the stride of `slots` and `presence`).
    var inputs = 0
    var fields = 0
    /// The `ts` fields (timestamps named `ts`, of any schema): each one's
    /// field index and its slot's offset in an event's slots.
    var timestamps: [(field: Int, offset: Int)] = []

    /// Reads event `i`'s slots and presence bytes (a checksum), so that
    /// they are in the cache as a line just decoded would be.
    func read(_ i: Int) -> UInt64 {
        var x: UInt64 = 0
        for k in 0..<inputs { x &+= UInt64(truncatingIfNeeded: slots[i * inputs + k]) }
        for k in 0..<fields { x &+= UInt64(presence[i * fields + k]) }
        return x
    }

    /// Moves every decoded `ts` value `days` days on: what decoding the
    /// lines with `EngineBenchmark.shiftingDays(line, by: days)` gives (a
    /// timestamp is UTC nanoseconds, a day 86,400 s).
    mutating func shiftDays(by days: Int) {
        guard days != 0 else { return }
        let delta = Int128(days) * 86_400 * 1_000_000_000
        for i in 0..<kinds.count {
            for t in timestamps where presence[i * fields + t.field] != 0 {
                slots[i * inputs + t.offset] += delta
            }
        }
    }
}

extension Engine {
    /// Decodes every line once; the texts they hold are pinned until `release`.
    func predecode(_ lines: [[UInt8]]) -> DecodedEvents {
        var out = DecodedEvents()
        var d = Decision()
        let mp = m
        let base = program.inputBase
        let inputs = program.inputCount
        let fields = program.fieldCount
        settle()
        out.inputs = inputs
        out.fields = fields
        for schema in program.ir.schemas {
            for f in schema.fields where f.name == "ts" && f.kind == .timestamp && f.slot >= base && f.slot < base + inputs {
                out.timestamps.append((f.index, f.slot - base))
            }
        }
        for line in lines {
            d.reset(line: 0)
            mp.pointee.symbols.collect()
            let kind = line.withUnsafeBytes { mp.pointee.decode($0, &d) }
            out.kinds.append(kind)
            for k in 0..<inputs { out.slots.append(mp.pointee.frame[base + k]) }
            for f in 0..<fields {
                out.presence.append(mp.pointee.present[f])
                guard mp.pointee.present[f] != 0 else { continue }
                let fr = mp.pointee.fields[f]
                let at = Int(fr.slot) + (fr.kind == .money ? 1 : 0)
                if fr.kind.isText || fr.kind == .money {
                    let id = Int(mp.pointee.frame[at])
                    mp.pointee.symbols.retain(id)
                    out.pinned.append(id)
                }
            }
        }
        return out
    }

    /// Unpins the texts of `predecode`.
    func release(_ events: DecodedEvents) {
        for id in events.pinned { m.pointee.symbols.release(id) }
    }

    /// Decides pre-decoded event `i` as `decide` decides a line (an order
    /// is left to `settle`).
    @inline(__always)
    func evaluate(_ events: DecodedEvents, _ i: Int, into d: inout Decision) {
        lineCount += 1
        d.reset(line: lineCount)
        let inputs = program.inputCount
        let fields = program.fieldCount
        let base = program.inputBase
        let mp = m
        mp.pointee.settle()
        mp.pointee.symbols.collect()
        mp.pointee.marketUnavailable = false
        events.slots.withUnsafeBufferPointer { s in
            if let b = s.baseAddress { Bytes.copyValues(mp.pointee.frame.base + base, b + i * inputs, inputs) }
        }
        events.presence.withUnsafeBufferPointer { p in
            if let b = p.baseAddress { Bytes.copyValues(mp.pointee.present.base, b + i * fields, fields) }
        }
        mp.pointee.dispatch(events.kinds[i], &d)
        // A bound table's `set`/`remove` needs its line: not applied pre-decoded.
        mp.pointee.tableControlPending = false
    }
}
