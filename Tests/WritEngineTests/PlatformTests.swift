/// The platform at run time on the rulebooks (docs/engine-semantics.md,
/// "Platform"): routes that fail over and come back, the DR level's
/// triggers and hysteresis, the gate (reduce-only in safe_mode, cancels in
/// a halt), refused platform events, and a snapshot that keeps it all.

import Foundation
import Testing
import WritEngine

@Suite struct PlatformTests {
    static func engine() throws -> Engine {
        let e = try EnginePrograms.rulesEngine()
        e.bind("restricted_symbols", symbols: [])
        e.bind("kyc_blocked", symbols: [])
        _ = e.processLine(Lines.market())
        return e
    }

    static func event(_ name: String, _ ts: String, _ extra: String = "") -> String {
        #"{"event":"\#(name)","ts":"2026-11-27T\#(ts)Z"\#(extra)}"#
    }

    static func decision(_ line: String?) throws -> [String: Any] {
        let l = try #require(line)
        return try #require(try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any])
    }

    @Test func routesFailOverAndComeBack() throws {
        let e = try PlatformTests.engine()
        #expect(try PlatformTests.decision(e.processLine(Lines.order("O-1")))["route"] as? String == "eu_central_1")
        #expect(e.processLine(PlatformTests.event("cluster_down", "14:00:00", #","cluster":"nautilus-enterprise-eu-central-1""#)) == nil)
        let d = try PlatformTests.decision(e.processLine(Lines.order("O-2", ts: "2026-11-27T14:30:01Z")))
        #expect(d["route"] as? String == "eu_west_1")
        #expect(d["verdict"] as? String == "allow")
        _ = e.processLine(PlatformTests.event("cluster_up", "14:30:02", #","cluster":"eu_central_1""#))
        #expect(try PlatformTests.decision(e.processLine(Lines.order("O-3", ts: "2026-11-27T14:30:03Z")))["route"] as? String == "eu_central_1")
    }

    @Test func bothEUHubsDownLeavesNoRoute() throws {
        let e = try PlatformTests.engine()
        _ = e.processLine(PlatformTests.event("cluster_down", "14:00:00", #","cluster":"eu_central_1""#))
        _ = e.processLine(PlatformTests.event("cluster_down", "14:00:00", #","cluster":"eu_west_1""#))
        let d = try PlatformTests.decision(e.processLine(Lines.order("O-1")))
        #expect(d["route"] is NSNull)
        #expect(d["verdict"] as? String == "reject")
        #expect((d["rules"] as? [String])?.suffix(2) == ["continuity.safe_mode", "order_routing"])
        #expect((d["reasons"] as? [String])?.last == "route `order_routing` found no cluster for the order")
    }

    /// A fill of 0 or less is refused with a line and changes nothing: a
    /// negative fill of a sell used to raise the position, so that safe_mode
    /// let through a sale of shares the account does not hold.
    @Test func fillsOfNoQuantityOrLessAreRefusedAndChangeNothing() throws {
        let e = try PlatformTests.engine()
        func fill(_ id: String, _ exec: String, _ qty: String, _ ts: String) -> String {
            #"{"event":"fill","id":"\#(id)","exec_id":"\#(exec)","ts":"2026-11-27T\#(ts)Z","qty":"\#(qty)","price":"123.45","currency":"EUR","venue":"XETR"}"#
        }
        _ = e.processLine(Lines.order("O-1", qty: "100"))
        #expect(e.processLine(fill("O-1", "E-1", "100", "14:30:00.5")) == nil)
        _ = e.processLine(Lines.order("O-2", ts: "2026-11-27T14:30:01Z", side: "sell", qty: "100"))
        for qty in ["-100", "0", "-0.00000001"] {
            let refused = try PlatformTests.decision(e.processLine(fill("O-2", "E-2", qty, "14:30:02")))
            #expect(refused["verdict"] as? String == "reject" && refused["id"] as? String == "O-2", "\(refused)")
            #expect(refused["reasons"] as? [String] == ["field `qty` must be above 0"], "\(refused)")
        }
        // The position is still 100: a sale of 101 does not reduce it.
        _ = e.processLine(PlatformTests.event("security_incident", "14:31:00"))
        let sale = try PlatformTests.decision(e.processLine(Lines.order("O-3", ts: "2026-11-27T14:31:01Z", side: "sell", qty: "101")))
        #expect(sale["verdict"] as? String == "reject" && sale["dr_level"] as? String == "safe_mode", "\(sale)")
        // Explained, the refusal is the same.
        #expect(e.explain(line: fill("O-2", "E-3", "-5", "14:31:02")).decision?.contains("field `qty` must be above 0") == true)
    }

    /// A fill delivered again (the same `exec_id`, an at-least-once drop
    /// copy) counts once, also across a snapshot; another day it counts again.
    @Test func aFillDeliveredTwiceCountsOnce() throws {
        func fill(_ id: String, _ exec: String, _ qty: String, _ ts: String) -> String {
            #"{"event":"fill","id":"\#(id)","exec_id":"\#(exec)","ts":"2026-11-27T\#(ts)Z","qty":"\#(qty)","price":"123.45","currency":"EUR","venue":"XETR"}"#
        }
        let first = try PlatformTests.engine()
        _ = first.processLine(Lines.order("O-1", qty: "100"))
        #expect(first.processLine(fill("O-1", "E-1", "60", "14:30:00.5")) == nil)
        #expect(first.processLine(fill("O-1", "E-1", "60", "14:30:00.6")) == nil)
        // Restored from a snapshot, the engine still knows E-1.
        let e = try PlatformTests.engine()
        try e.restore(bytes: first.snapshotBytes())
        #expect(e.processLine(fill("O-1", "E-1", "60", "14:30:00.7")) == nil)
        _ = e.processLine(PlatformTests.event("security_incident", "14:31:00"))
        // The position is 60, not 120 or 180: a sale of 61 would reverse it.
        let reversing = try PlatformTests.decision(e.processLine(Lines.order("O-2", ts: "2026-11-27T14:31:01Z", side: "sell", qty: "61")))
        #expect(reversing["verdict"] as? String == "reject", "\(reversing)")
        let reducing = try PlatformTests.decision(e.processLine(Lines.order("O-3", ts: "2026-11-27T14:31:02Z", side: "sell", qty: "60")))
        #expect(reducing["verdict"] as? String == "allow", "\(reducing)")
        // Another execution of the order counts.
        #expect(e.processLine(fill("O-1", "E-2", "40", "14:31:03")) == nil)
        let sale = try PlatformTests.decision(e.processLine(Lines.order("O-4", ts: "2026-11-27T14:31:04Z", side: "sell", qty: "100")))
        #expect(sale["verdict"] as? String == "allow", "\(sale)")
    }

    @Test func safeModeAllowsOnlyOrdersThatReduceAPosition() throws {
        let e = try PlatformTests.engine()
        _ = e.processLine(Lines.order("O-1", qty: "100"))
        _ = e.processLine(#"{"event":"fill","id":"O-1","exec_id":"E-1","ts":"2026-11-27T14:30:00.5Z","qty":"60","price":"123.45","currency":"EUR","venue":"XETR"}"#)
        _ = e.processLine(PlatformTests.event("security_incident", "14:31:00"))
        let buy = try PlatformTests.decision(e.processLine(Lines.order("O-2", ts: "2026-11-27T14:31:01Z")))
        #expect(buy["dr_level"] as? String == "safe_mode")
        #expect(buy["verdict"] as? String == "reject")
        #expect((buy["reasons"] as? [String])?.last == "DR level `safe_mode` of `continuity` allows only orders that reduce a position")
        let reducing = try PlatformTests.decision(e.processLine(Lines.order("O-3", ts: "2026-11-27T14:31:02Z", side: "sell", qty: "60")))
        #expect(reducing["verdict"] as? String == "allow")
        let reversing = try PlatformTests.decision(e.processLine(Lines.order("O-4", ts: "2026-11-27T14:31:03Z", side: "sell", qty: "61")))
        #expect(reversing["verdict"] as? String == "reject")
        // A cancel is allowed in safe_mode; the live order is gone.
        #expect(try PlatformTests.decision(e.processLine(#"{"event":"cancel","id":"O-1","ts":"2026-11-27T14:31:04Z"}"#))["verdict"] as? String == "allow")
    }

    @Test func levelsStepDownOneAtATimeAfterRecoverAfter() throws {
        let e = try PlatformTests.engine()
        _ = e.processLine(PlatformTests.event("regulatory_halt", "14:30:00"))
        _ = e.processLine(PlatformTests.event("clear", "14:31:00", #","what":"regulatory_halt""#))
        func level(_ ts: String) throws -> String? {
            try PlatformTests.decision(e.processLine(Lines.order("O-\(ts)", ts: "2026-11-27T\(ts)Z")))["dr_level"] as? String
        }
        #expect(try level("14:31:59") == "emergency_halt")
        #expect(try level("14:32:00") == "safe_mode")
        #expect(try level("14:32:59") == "safe_mode")
        #expect(try level("14:33:00") == "essential")
        #expect(try level("14:34:00") == "full")
        #expect(e.drainPlatformTransitions().map(\.level) == ["emergency_halt", "safe_mode", "essential", "full"])
    }

    @Test func aTriggerThatReturnsRestartsTheWait() throws {
        let e = try PlatformTests.engine()
        _ = e.processLine(PlatformTests.event("security_incident", "14:30:00"))
        _ = e.processLine(PlatformTests.event("clear", "14:30:10", #","what":"security_incident""#))
        _ = e.processLine(PlatformTests.event("security_incident", "14:31:00"))
        _ = e.processLine(PlatformTests.event("clear", "14:31:05", #","what":"security_incident""#))
        e.advancePlatformClock(to: try #require(timestamp("2026-11-27T14:32:04Z")))
        #expect(e.drLevel == "safe_mode")
        e.advancePlatformClock(to: try #require(timestamp("2026-11-27T14:32:05Z")))
        #expect(e.drLevel == "essential")
    }

    @Test func aHaltAllowsCancelsOnly() throws {
        let e = try PlatformTests.engine()
        _ = e.processLine(Lines.order("O-1"))
        _ = e.processLine(PlatformTests.event("regulatory_halt", "14:30:01"))
        let d = try PlatformTests.decision(e.processLine(Lines.order("O-2", ts: "2026-11-27T14:30:02Z", side: "sell")))
        #expect((d["reasons"] as? [String])?.last == "DR level `emergency_halt` of `continuity` allows no orders")
        let c = try PlatformTests.decision(e.processLine(#"{"event":"cancel","id":"O-1","ts":"2026-11-27T14:30:03Z"}"#))
        #expect(c["verdict"] as? String == "allow" && c["dr_level"] as? String == "emergency_halt")
    }

    @Test(arguments: [
        (#"{"event":"cluster_down","cluster":"us_east_1"}"#, "missing field `ts`"),
        (#"{"event":"cluster_down","ts":"2026-11-27T14:30:00Z"}"#, "missing field `cluster`"),
        (#"{"event":"cluster_down","cluster":7,"ts":"2026-11-27T14:30:00Z"}"#, "field `cluster` must be a string"),
        (#"{"event":"cluster_up","cluster":"mars-1","ts":"2026-11-27T14:30:00Z"}"#, "unknown cluster `mars-1`"),
        (#"{"event":"cluster_load","cluster":"us_east_1","load":"lots","ts":"2026-11-27T14:30:00Z"}"#, "field `load` is not a decimal: `lots`"),
        (#"{"event":"cluster_load","cluster":"us_east_1","load":"-1","ts":"2026-11-27T14:30:00Z"}"#, "field `load` must not be negative: `-1`"),
        (#"{"event":"replication_lag","tier":"gold","seconds":"1","ts":"2026-11-27T14:30:00Z"}"#, "unknown tier `gold`"),
        (#"{"event":"clear","what":"all","ts":"2026-11-27T14:30:00Z"}"#, "field `what` must be `security_incident`, `regulatory_halt` or `replication_lag`, not `all`"),
        (#"{"event":"link_down","from":"us_east_1","to":"au_east_1","ts":"2026-11-27T14:30:00Z"}"#, "no link joins `us_east_1` and `au_east_1`"),
        (#"{"event":"security_incident","ts":"yesterday"}"#, "field `ts` is not an RFC 3339 timestamp: `yesterday`"),
    ])
    func refusedPlatformEvents(line: String, reason: String) throws {
        let e = try PlatformTests.engine()
        let d = try PlatformTests.decision(e.processLine(line))
        #expect(d["reasons"] as? [String] == [reason])
        #expect(d["route"] == nil && d["dr_level"] == nil)
    }

    @Test func aSnapshotKeepsThePlatform() throws {
        let e = try PlatformTests.engine()
        _ = e.processLine(PlatformTests.event("cluster_down", "14:00:00", #","cluster":"eu_central_1""#))
        _ = e.processLine(PlatformTests.event("security_incident", "14:00:00"))
        let restored = try EnginePrograms.rulesEngine()
        try restored.restore(bytes: e.snapshotBytes())
        restored.bind("restricted_symbols", symbols: [])
        restored.bind("kyc_blocked", symbols: [])
        let d = try PlatformTests.decision(restored.processLine(Lines.order("O-1")))
        #expect(d["route"] as? String == "eu_west_1")
        #expect(d["dr_level"] as? String == "safe_mode")
    }
}

/// Nanoseconds since the epoch of an RFC 3339 UTC timestamp.
private func timestamp(_ s: String) -> Int64? {
    let f = ISO8601DateFormatter()
    guard let d = f.date(from: s) else { return nil }
    return Int64(d.timeIntervalSince1970) * 1_000_000_000
}
