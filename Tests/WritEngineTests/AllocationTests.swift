/// The fast path keeps no heap memory per decision: glibc's `mallinfo2`
/// shows no growth over a round of 1,050 lines after a warm-up. (A count of bytes
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
        // Bound-table controls: a row added, changed and removed, a refused one
        // (AllocationCountTests counts their allocations one by one).
        for body in [
            #""action":"set","table":"account_limits","key":"A-9","values":{"max_order_value":"300000","daily_credit":"2000000"}"#,
            #""action":"set","table":"account_limits","key":"A-9","values":{"max_order_value":300001}"#,
            #""action":"set","table":"account_limits","key":"A-9","values":{"max_order_value":"lots"}"#,
            #""action":"remove","table":"account_limits","key":"A-9""#,
        ] {
            lines.append(Array(#"{"event":"control",\#(body),"ts":"2026-11-27T14:31:00Z"}"#.utf8))
        }
        var d = Decision()
        for _ in 0..<20 { for l in lines { e.process(line: l, into: &d) } }
        // `mallinfo2` is process-wide and other tests run concurrently (some
        // keep memory for seconds): take the least growth of up to 500 short
        // rounds of 1,050 lines. Memory kept per line would show in
        // every round; another test's growth does not fill every short window.
        var least = Int.max
        for _ in 0..<500 {
            let before = EngineBenchmark.heapInUse()
            for _ in 0..<10 { for l in lines { e.process(line: l, into: &d) } }
            least = min(least, EngineBenchmark.heapInUse() - before)
            if least <= 0 { break }
        }
        #expect(least <= 0, "heap grew by at least \(least) bytes in every round of 1,050 lines")
    }
}
