/// Heap allocations counted per kind of event, as `writ bench` counts them
/// (libWritAllocCounter.so preloaded; docs/ir.md): the `set` and `remove`
/// controls of bound tables — applied, and refused for each kind of
/// problem — allocate nothing once warm (in an unoptimized build, nothing
/// more than any other line). (A count of calls to the
/// allocator, not a timing; `mallinfo2` in AllocationTests cannot see an
/// allocation freed again.)

import Foundation
import Testing

@Suite(.serialized) struct AllocationCountTests {
    /// Table controls of the demo rulebooks' `account_limits` and
    /// `sod_positions`, between orders that read them.
    static let events: [String] = {
        let ts = "2026-11-27T02:00:00Z"
        func control(_ body: String) -> String { #"{"event":"control",\#(body),"ts":"\#(ts)"}"# }
        let order =
            #"{"event":"new","id":"O-1","ts":"\#(ts)","account":"A-SG-9","client":"C-1","client_country":"SG","trader":"T-1","desk":"D-1","symbol":"D05","venue":"XSES","side":"buy","qty":"100","price":"40.00","ord_type":"limit","currency":"SGD"}"#
        return [
            #"{"event":"market","symbol":"D05","venue":"XSES","reference":"40.00","ts":"2026-11-27T01:59:00Z"}"#,
            // Applied: a new row, a change of one cell, a composite key, removes.
            control(#""action":"set","table":"account_limits","key":"A-SG-9","values":{"max_order_value":"300000","daily_credit":2000000}"#),
            order.replacingOccurrences(of: "O-1", with: "O-2"),
            control(#""action":"set","table":"account_limits","key":"A-SG-9","values":{"max_order_value":"300000 SGD"}"#),
            control(#""action":"set","table":"sod_positions","key":"A-US-1, AAPL","values":{"qty":"5_000.5"}"#),
            control(#""action":"set","table":"sod_positions","key":"A-US-1,AAPL","values":{"symbol":"AAPL","qty":12}"#),
            control(#""action":"remove","table":"sod_positions","key":"A-US-1,AAPL""#),
            // Refused, one of each problem.
            control(#""action":"set","table":"account_limits","key":"A-SG-9","values":{"max_order_value":"lots"}"#),
            control(#""action":"set","table":"account_limits","key":"A-SG-9","values":{"limit":"1"}"#),
            control(#""action":"set","table":"account_limits","key":"A-SG-8","values":{"max_order_value":"1"}"#),
            control(#""action":"set","table":"account_limits","key":"A-SG-9","values":[1]"#),
            control(#""action":"set","table":"account_limits","key":"A-SG-9","values":{"account":"A-SG-8"}"#),
            control(#""action":"set","table":"no_such_table","key":"A-SG-9","values":{}"#),
            control(#""action":"set","table":"sod_positions","key":"A-US-1","values":{"qty":"1"}"#),
            control(#""action":"set","key":"A-SG-9","values":{"max_order_value":"1"}"#),
            control(#""action":"remove","table":"account_limits","key":"A-SG-7""#),
            control(#""action":"remove","table":"account_limits","key":"A-SG-9""#),
            order.replacingOccurrences(of: "O-1", with: "O-3"),
        ]
    }()

    @Test func tableControlsAllocateNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = dir.appendingPathComponent("rules.bundle").path
        let (built, _, buildErr) = try WritBinary.run(["build", "rules", "-o", bundle, "--unsigned"])
        try #require(built == 0, "\(buildErr)")
        let events = dir.appendingPathComponent("events.jsonl")
        try (Self.events.joined(separator: "\n") + "\n").write(to: events, atomically: true, encoding: .utf8)
        let (status, out, err) = try WritBinary.run([
            "bench", "--bundle", bundle, "--allow-unsigned",
            "--bind", "restricted_symbols=samples/lists/restricted_symbols.txt",
            "--bind", "kyc_blocked=samples/lists/kyc_blocked.txt",
            "--bind", "sod_positions=samples/lists/sod_positions.csv",
            "--events", events.path, "--iterations", "8", "--json",
        ])
        try #require(status == 0, "\(err)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "not JSON: \(out)")
        let byEvent = try #require(json["allocs_by_event"] as? [String: Any], "\(out)")
        // Without libWritAllocCounter.so next to writ nothing is counted: that is a failure here.
        let tables = try #require(
            byEvent["control (table)"] as? [String: Any], "no count for table controls (is libWritAllocCounter.so built?): \(out)")
        let lines = tables["lines"] as? Int ?? 0
        #expect(lines >= Self.events.filter { $0.contains(#""table""#) }.count)
        // Optimized, no line allocates. An unoptimized build (`make test`)
        // allocates once per line while decoding its `ts` (unspecialized
        // generics), whatever the event: table controls may allocate no more
        // per line than the least of the other kinds of lines around them.
        var baseline = Int.max
        for (event, v) in byEvent where event != "control (table)" {
            guard let k = v as? [String: Any], let n = k["lines"] as? Int, let a = k["allocations"] as? Int, n > 0 else {
                continue
            }
            baseline = min(baseline, a / n)
        }
        try #require(baseline != Int.max, "no other kind of line was counted: \(out)")
        let allocations = try #require(tables["allocations"] as? Int)
        #expect(allocations <= baseline * lines, "table controls allocated \(allocations) times in \(lines) lines; other lines \(baseline) each")
    }
}
