/// The benchmark harness (`writ bench`): latency percentiles per decision,
/// decisions per second on one core, and heap growth per decision, for
/// evaluation of pre-decoded events and for decoding plus evaluation.
/// Heap use is read with glibc's `mallinfo2` around a batch: it shows bytes
/// kept, not allocations freed again within the batch (the evaluator's
/// freedom from allocation is checked at compile time by `@_noAllocation`).

import CMallocInfo
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
        func ns(_ x: Double) -> String { String(Int(x.rounded())) }
        return "p50 \(ns(p50)) ns, p90 \(ns(p90)) ns, p99 \(ns(p99)) ns, p99.9 \(ns(p999)) ns, "
            + "\(Int(perSecond)) decisions/s, \(heapBytesPerDecision) heap bytes/decision"
    }
}

/// What `EngineBenchmark.run` measured.
public struct BenchmarkResult: Sendable, CustomStringConvertible {
    /// Events per pass.
    public var events: Int
    /// Passes timed.
    public var iterations: Int
    /// Evaluation of pre-decoded events.
    public var evaluate: LatencyStats
    /// Decoding and evaluation of input lines.
    public var decodeAndEvaluate: LatencyStats
    /// The cost of reading the clock (included in the percentiles).
    public var clockOverhead: Double

    /// A short report.
    public var description: String {
        """
        events: \(events) × \(iterations)
        evaluate (pre-decoded): \(evaluate)
        decode + evaluate:      \(decodeAndEvaluate)
        clock overhead:         \(Int(clockOverhead.rounded())) ns (included above)
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

    /// Heap bytes in use (glibc `mallinfo2`: ordinary and mmapped blocks).
    public static func heapInUse() -> Int { Int(mallinfo2().uordblks) + Int(mallinfo2().hblkhd) }

    /// Runs `events` (input lines) `iterations` times each way. The engine's
    /// state changes as it would in production (rates grow, ids repeat).
    public static func run(engine: Engine, events: [[UInt8]], iterations: Int) -> BenchmarkResult {
        let n = events.count
        let total = n * Swift.max(1, iterations)
        var latencies = [Int64](repeating: 0, count: total)
        var d = Decision()
        // Pre-decode.
        let decoded = engine.predecode(events)
        defer { engine.release(decoded) }
        // Clock overhead.
        var overhead: Int64 = 0
        for _ in 0..<1000 {
            let a = now()
            let b = now()
            overhead += b - a
        }
        func stats(_ pass: (Int) -> Void) -> LatencyStats {
            // Warm up, then time each decision, then time a batch as a whole.
            for i in 0..<n { pass(i) }
            var k = 0
            for _ in 0..<Swift.max(1, iterations) {
                for i in 0..<n {
                    let t0 = now()
                    pass(i)
                    latencies[k] = now() - t0
                    k += 1
                }
            }
            let heapBefore = heapInUse()
            let t0 = now()
            for _ in 0..<Swift.max(1, iterations) {
                for i in 0..<n { pass(i) }
            }
            let elapsed = Double(now() - t0)
            let heapAfter = heapInUse()
            latencies.sort()
            func pct(_ p: Double) -> Double {
                Double(latencies[Swift.min(total - 1, Int((Double(total) * p).rounded(.down)))])
            }
            return LatencyStats(
                p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), p999: pct(0.999),
                perSecond: elapsed > 0 ? Double(total) / elapsed * 1e9 : 0,
                heapBytesPerDecision: Double(Swift.max(0, heapAfter - heapBefore)) / Double(total))
        }
        let evaluate = stats { i in engine.evaluate(decoded, i, into: &d) }
        let full = stats { i in
            events[i].withUnsafeBytes { engine.process($0, into: &d) }
        }
        return BenchmarkResult(
            events: n, iterations: iterations, evaluate: evaluate, decodeAndEvaluate: full,
            clockOverhead: Double(overhead) / 1000)
    }
}

/// Events decoded once, for timing evaluation alone.
struct DecodedEvents {
    var kinds: [EventKind] = []
    var slots: [Int128] = []
    var presence: [UInt8] = []
    var pinned: [Int] = []
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

    /// Evaluates pre-decoded event `i`.
    @inline(__always)
    func evaluate(_ events: DecodedEvents, _ i: Int, into d: inout Decision) {
        lineCount += 1
        d.reset(line: lineCount)
        let inputs = program.inputCount
        let fields = program.fieldCount
        let base = program.inputBase
        let mp = m
        mp.pointee.symbols.collect()
        mp.pointee.marketUnavailable = false
        events.slots.withUnsafeBufferPointer { s in
            if let b = s.baseAddress { Bytes.copyValues(mp.pointee.frame.base + base, b + i * inputs, inputs) }
        }
        events.presence.withUnsafeBufferPointer { p in
            if let b = p.baseAddress { Bytes.copyValues(mp.pointee.present.base, b + i * fields, fields) }
        }
        mp.pointee.dispatch(events.kinds[i], &d)
    }
}
