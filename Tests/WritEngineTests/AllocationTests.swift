/// The fast path keeps no heap memory per decision: glibc's `mallinfo2`
/// shows no growth over 10,000 decisions after a warm-up. (A count of bytes
/// kept, not a timing. `mallinfo2` cannot see an allocation freed within
/// the batch; the evaluator's `@_noAllocation` check in optimized builds
/// covers that.)

import Testing
import WritEngine

@Suite struct AllocationTests {
    @Test func decisionsKeepNoHeapMemory() throws {
        let e = try EnginePrograms.rulesEngine()
        e.bind("restricted_symbols", symbols: ["BAD"])
        e.bind("kyc_blocked", symbols: [])
        var lines: [[UInt8]] = [Array(Lines.market().utf8)]
        for i in 0..<100 {
            lines.append(Array(Lines.order("O-\(i % 10)", qty: "\(100 + i)", algo: i % 3 == 0 ? "VWAP-2" : nil).utf8))
        }
        var d = Decision()
        for _ in 0..<20 { for l in lines { e.process(line: l, into: &d) } }
        // `mallinfo2` is process-wide and other tests run concurrently: take
        // the least growth of up to 20 rounds (memory kept per decision would
        // show in every round).
        var least = Int.max
        for _ in 0..<20 {
            let before = EngineBenchmark.heapInUse()
            for _ in 0..<100 { for l in lines { e.process(line: l, into: &d) } }
            least = min(least, EngineBenchmark.heapInUse() - before)
            if least <= 0 { break }
        }
        #expect(least <= 0, "heap grew by \(least) bytes over 10,100 decisions")
    }
}
