/// The oracle's state: every stateful function at its window boundaries
/// (the last nanosecond of a window against the first of the next), what
/// counts and what does not, and bounded tables that fail closed.

import Testing
import WritOracle
import WritSema
import WritTestSupport

@Suite struct OracleStateTests {
    static func oracle(_ rules: String, applies: String = "true", capacities: OracleCapacities = OracleCapacities()) -> Oracle {
        Oracle(
            program: OracleFixtures.program("import \"schema.writ\"\njurisdiction S \"S\" {\n  applies when \(applies)\n\(rules)\n}\n"),
            capacities: capacities)
    }

    @Test func rateCountsEveryMessageInItsSecond() {
        let o = Self.oracle("  rule r alert \"r\" when rate(order.trader, 1s) >= 3")
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:00.5Z"))?.rules == [])
        // A malformed line and a modify of an unknown order are not messages of T-1.
        _ = o.process(line: Lines.order("new", "O-X", at: "2026-11-27T14:30:00.6Z", ["qty": "1.2.3"]))
        _ = o.process(line: Lines.order("modify", "O-X", at: "2026-11-27T14:30:00.7Z"))
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:00.999999999Z"))?.rules == ["S.r"])
        // The first nanosecond of the next second starts a new window.
        #expect(o.decide(Lines.order("new", "O-4", at: "2026-11-27T14:30:01Z"))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-5", at: "2026-11-27T14:30:01.1Z"))?.rules == [])
        // A cancel counts (on the cancelled order's trader).
        #expect(o.decide(Lines.cancel("O-4", at: "2026-11-27T14:30:01.2Z"))?.verdict == "allow")
        #expect(o.decide(Lines.order("new", "O-6", at: "2026-11-27T14:30:01.3Z"))?.rules == ["S.r"])
        // Another trader has its own counter.
        #expect(o.decide(Lines.order("new", "O-7", at: "2026-11-27T14:30:01.4Z", ["trader": "T-2"]))?.rules == [])
    }

    @Test func windowsAreAlignedToTheEpochAlsoBeforeIt() {
        let o = Self.oracle("  rule r alert \"r\" when rate(order.trader, 1s) >= 2")
        #expect(o.decide(Lines.order("new", "O-1", at: "1969-12-31T23:59:59.5Z"))?.rules == [])
        // [-1 s, 0) and [0, 1 s) are two windows.
        #expect(o.decide(Lines.order("new", "O-2", at: "1970-01-01T00:00:00.5Z"))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-3", at: "1970-01-01T00:00:00.9Z"))?.rules == ["S.r"])
    }

    @Test func rateCountsRejectedOrdersAndLateClocks() {
        let o = Self.oracle(
            """
              rule big reject "big" when order.qty > 1000
              rule r alert "r" when rate(order.trader, 1s) >= 3
            """)
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:01.5Z", ["qty": "5000"]))?.verdict == "reject")
        // 14:30:00.9 is before the key's current window [14:30:01, 14:30:02): it counts in it.
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:00.9Z"))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:01.9Z"))?.rules == ["S.r"])
    }

    @Test func windowSumAddsAcceptedOrdersAndThisOne() {
        let o = Self.oracle(
            "  rule s reject \"s\" when has(order.price) && window_sum(order.qty * order.price, order.account, 1d) > 25_000 EUR")
        let day = "2026-11-27T"
        #expect(o.decide(Lines.order("new", "O-1", at: day + "09:00:00Z"))?.verdict == "allow")  // 10,000
        #expect(o.decide(Lines.order("new", "O-2", at: day + "10:00:00Z"))?.verdict == "allow")  // 20,000
        #expect(o.decide(Lines.order("new", "O-3", at: day + "11:00:00Z"))?.verdict == "reject")  // 30,000: not added
        #expect(o.decide(Lines.order("new", "O-4", at: day + "12:00:00Z", ["qty": "50"]))?.verdict == "allow")  // 25,000
        #expect(o.decide(Lines.order("new", "O-5", at: day + "23:59:59.999999999Z", ["qty": "1"]))?.verdict == "reject")
        // A market order has no amount: it is not summed and the rule does not apply.
        #expect(o.decide(Lines.order("new", "O-6", at: day + "23:59:59.999999999Z", ["ord_type": "market"], drop: ["price"]))?.verdict == "allow")
        // The next UTC day starts from zero.
        #expect(o.decide(Lines.order("new", "O-7", at: "2026-11-28T00:00:00Z", ["qty": "200"]))?.verdict == "allow")  // 20,000
        // A modify adds only its increase: 200 → 250 is +5,000 (25,000), then → 100 adds nothing.
        #expect(o.decide(Lines.order("modify", "O-7", at: "2026-11-28T00:00:01Z", ["qty": "250"]))?.verdict == "allow")
        #expect(o.decide(Lines.order("modify", "O-7", at: "2026-11-28T00:00:02Z", ["qty": "100"]))?.verdict == "allow")
        #expect(o.decide(Lines.order("new", "O-8", at: "2026-11-28T00:00:03Z", ["qty": "1"]))?.verdict == "reject")  // 25,100
        // Another account has its own sum.
        #expect(o.decide(Lines.order("new", "O-9", at: "2026-11-28T00:00:04Z", ["account": "A-2"]))?.verdict == "allow")
    }

    /// INTERPRETATION (Q1): sums are kept per currency, so a EUR order of an
    /// account does not make its next USD order a currency mismatch.
    @Test func windowSumIsPerCurrency() {
        let o = Self.oracle(
            "  rule s reject \"s\" when has(order.price) && window_sum(order.qty * order.price, order.account, 1d) > 15_000 USD",
            applies: "order.venue == \"XNAS\"")
        // 10,000 EUR for A-1, accepted (the jurisdiction does not apply on XETR).
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))?.verdict == "allow")
        let usd = ["venue": "XNAS", "currency": "USD", "symbol": "AAPL"]
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:01Z", usd))?.verdict == "allow")  // 10,000 USD
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:02Z", usd))?.verdict == "reject")  // 20,000 USD
    }

    @Test func executionsCountFillsOfLiveOrders() {
        let o = Self.oracle("  rule e alert \"e\" when executions(order.account, 1m) >= 2")
        _ = o.process(line: Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))
        #expect(o.process(line: Lines.fill("O-1", at: "2026-11-27T14:30:10Z", qty: "10")) == nil)
        #expect(o.process(line: Lines.fill("O-404", at: "2026-11-27T14:30:11Z", qty: "10")) == nil)  // not live: nothing
        _ = o.process(line: Lines.fill("O-1", at: "2026-11-27T14:30:59.999999999Z", qty: "10"))
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:59.999999999Z"))?.rules == ["S.e"])
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:31:00Z"))?.rules == [])
    }

    @Test func positionsFromFillsBySide() {
        let o = Self.oracle(
            """
              rule long alert "long" when position(order.account, order.symbol) > 150
              rule short alert "short" when position(order.account, order.symbol) < 0
            """)
        _ = o.process(line: Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))
        _ = o.process(line: Lines.fill("O-1", at: "2026-11-27T14:30:01Z", qty: "100"))
        _ = o.process(line: Lines.order("new", "O-2", at: "2026-11-27T14:30:02Z"))
        _ = o.process(line: Lines.fill("O-2", at: "2026-11-27T14:30:03Z", qty: "60"))
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:04Z"))?.rules == ["S.long"])  // 160
        #expect(o.decide(Lines.order("new", "O-4", at: "2026-11-27T14:30:05Z", ["symbol": "SIE"]))?.rules == [])  // 0
        _ = o.process(line: Lines.order("new", "O-5", at: "2026-11-27T14:30:06Z", ["side": "short", "qty": "300"]))
        _ = o.process(line: Lines.fill("O-5", at: "2026-11-27T14:30:07Z", qty: "300"))
        #expect(o.decide(Lines.order("new", "O-6", at: "2026-11-27T14:30:08Z"))?.rules == ["S.short"])  // -140
        // INTERPRETATION (Q3): a fully filled order is no longer live.
        #expect(o.decide(Lines.cancel("O-1", at: "2026-11-27T14:30:09Z"))?.reasons == ["unknown order id"])
        #expect(o.decide(Lines.cancel("O-2", at: "2026-11-27T14:30:09Z"))?.verdict == "allow")
    }

    @Test func otrDividesAcceptedOrdersByFills() {
        let o = Self.oracle(
            """
              rule big reject "big" when order.qty > 1000
              rule o alert "o" when otr(order.trader, 1d) > 2.5
            """)
        for i in 1...3 { _ = o.process(line: Lines.order("new", "O-\(i)", at: "2026-11-27T14:30:0\(i)Z")) }
        _ = o.process(line: Lines.fill("O-1", at: "2026-11-27T14:30:04Z", qty: "1"))
        _ = o.process(line: Lines.fill("O-2", at: "2026-11-27T14:30:05Z", qty: "1"))
        // A rejected order is not counted.
        #expect(o.decide(Lines.order("new", "O-R", at: "2026-11-27T14:30:06Z", ["qty": "5000"]))?.rules == ["S.big"])
        #expect(o.decide(Lines.order("new", "O-4", at: "2026-11-27T14:30:07Z"))?.rules == [])  // 3 / 2
        #expect(o.decide(Lines.order("modify", "O-3", at: "2026-11-27T14:30:08Z"))?.rules == [])  // 4 / 2
        #expect(o.decide(Lines.order("new", "O-5", at: "2026-11-27T14:30:09Z"))?.rules == [])  // 5 / 2 = 2.5
        #expect(o.decide(Lines.order("new", "O-6", at: "2026-11-27T14:30:10Z"))?.rules == ["S.o"])  // 6 / 2
        // The next UTC day starts over.
        #expect(o.decide(Lines.order("new", "O-7", at: "2026-11-28T00:00:00Z"))?.rules == [])
    }

    @Test func killSwitches() {
        let o = Self.oracle("  rule k reject \"k\" when killed(trader, order.trader)")
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))?.verdict == "allow")
        #expect(o.process(line: Lines.control("kill", "trader", "T-1", at: "2026-11-27T14:30:01Z")) == nil)
        _ = o.process(line: Lines.control("kill", "desk", "D-1", at: "2026-11-27T14:30:01Z"))
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:02Z"))?.verdict == "reject")
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:02Z", ["trader": "T-2"]))?.verdict == "allow")
        // A cancel is always allowed, even from a killed trader.
        #expect(o.decide(Lines.cancel("O-1", at: "2026-11-27T14:30:03Z"))?.verdict == "allow")
        _ = o.process(line: Lines.control("unkill", "trader", "T-1", at: "2026-11-27T14:30:04Z"))
        #expect(o.decide(Lines.order("new", "O-4", at: "2026-11-27T14:30:05Z"))?.verdict == "allow")
    }

    @Test func duplicateIDsOfTheDay() {
        let o = Self.oracle(
            """
              rule k reject "k" when killed(trader, order.trader)
              rule d reject "d" when order.event == new && duplicate(order.id)
            """)
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T10:00:00Z"))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T10:00:01Z"))?.rules == ["S.d"])
        #expect(o.decide(Lines.order("modify", "O-1", at: "2026-11-27T10:00:02Z"))?.rules == [])
        // A rejected new is remembered too.
        _ = o.process(line: Lines.control("kill", "trader", "T-9", at: "2026-11-27T10:00:03Z"))
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T10:00:04Z", ["trader": "T-9"]))?.rules == ["S.k"])
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T23:59:59.999999999Z"))?.rules == ["S.d"])
        // The next UTC day has no duplicates yet.
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-28T00:00:00Z"))?.rules == [])
    }

    /// A fill of an order no longer live still counts; the closed orders
    /// are bounded, the one closed first forgotten first, and closing an id
    /// again keeps its place (`LateFillScenario`, run by the engine's tests too).
    @Test func lateFillsCountOnClosedOrders() {
        let o = Self.oracle(
            "  rule long hold \"long\" cite \"test\" when position(order.account, order.symbol) > 50",
            capacities: OracleCapacities(closedOrders: LateFillScenario.closedOrders))
        for step in LateFillScenario.steps() {
            switch step {
            case .line(let line): _ = o.process(line: line)
            case .probe(let line, let long): #expect((o.decide(line)?.rules == ["S.long"]) == long, "\(line)")
            case .snapshot: break
            }
        }
    }

    @Test func fullTablesFailClosed() {
        let o = Self.oracle("  rule r alert \"r\" when rate(order.trader, 1s) > 100", capacities: OracleCapacities(keysPerSlot: 2, liveOrders: 3))
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))?.verdict == "allow")
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:00.1Z", ["trader": "T-2"]))?.verdict == "allow")
        let full = o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:00.2Z", ["trader": "T-3"]))
        #expect(full?.rules == ["S.r"])
        #expect(full?.reasons == ["S.r could not be evaluated: state table full"])
        // Keys of the previous second no longer hold anything: their room is reclaimed.
        #expect(o.decide(Lines.order("new", "O-4", at: "2026-11-27T14:30:01Z", ["trader": "T-3"]))?.verdict == "allow")
        // Three live orders (O-1, O-2, O-4): the next cannot be accepted.
        let noRoom = o.decide(Lines.order("new", "O-5", at: "2026-11-27T14:30:01.1Z"))
        #expect(noRoom?.verdict == "reject")
        #expect(noRoom?.reasons == ["state table full"])
        #expect(o.decide(Lines.cancel("O-1", at: "2026-11-27T14:30:01.2Z"))?.verdict == "allow")
        #expect(o.decide(Lines.order("new", "O-6", at: "2026-11-27T14:30:01.3Z"))?.verdict == "allow")
    }

    @Test func tupleKeysCountEachCombinationOfTheirParts() {
        let o = Self.oracle("  rule r alert \"r\" when rate((order.trader, order.venue), 1s) >= 2")
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))?.rules == [])
        // Same trader, another venue: its own counter.
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:00.1Z", ["venue": "XPAR"]))?.rules == [])
        // Another trader on the first venue: its own counter.
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:00.2Z", ["trader": "T-2"]))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-4", at: "2026-11-27T14:30:00.3Z"))?.rules == ["S.r"])
    }

    @Test func aTuplePartWithTheSeparatorFailsClosed() {
        let o = Self.oracle("  rule r alert \"r\" when rate((order.trader, \"X\\u001fXETR\"), 1s) >= 2")
        // (`T-1`, `X` + U+001F + `XETR`) would otherwise be the key of (`T-1`, `X`, `XETR`). Events
        // refuse control characters; a literal part can still hold the separator.
        let d = o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))
        #expect(d?.verdict == "reject")
        #expect(d?.reasons == ["S.r could not be evaluated: invalid key: a part contains U+001F or the key is longer than 256 bytes"])
        let e = o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:01Z", ["trader": "T\\u001fX"]))
        #expect(e?.reasons == ["field `trader` has a control character (U+0000 to U+001F)"])
    }

    @Test func aLatchStaysOnUntilResetAndTripsWhereItsJurisdictionApplies() {
        let o = Self.oracle("  rule big reject \"big\" when latch(order.qty > 1000, order.trader)", applies: "order.venue == \"XETR\"")
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z", ["venue": "XPAR", "qty": "5000"]))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:01Z"))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:02Z", ["qty": "5000"]))?.rules == ["S.big"])
        #expect(o.decide(Lines.order("new", "O-4", at: "2026-11-29T14:30:00Z"))?.rules == ["S.big"])
        #expect(o.process(line: #"{"event":"control","action":"reset","latch":"S.big","key":"T-1","ts":"2026-11-29T14:31:00Z"}"#) == nil)
        #expect(o.decide(Lines.order("new", "O-5", at: "2026-11-29T14:32:00Z"))?.rules == [])
        #expect(o.decide(#"{"event":"control","action":"reset","latch":"S.nope","key":"T-1","ts":"2026-11-29T14:33:00Z"}"#)?.reasons == ["unknown latch `S.nope`"])
        #expect(o.decide(#"{"event":"control","action":"kill","key":"T-1","ts":"2026-11-29T14:33:00Z"}"#)?.reasons == ["missing field `scope`"])
    }

    @Test func aNextDayLatchEndsWithTheNextUTCDay() {
        let o = Self.oracle("  rule r alert \"r\" when latch(order.qty == 7, order.symbol, next_day)")
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z", ["qty": "7"]))?.rules == ["S.r"])
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-28T23:59:59.999999999Z"))?.rules == ["S.r"])
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-29T00:00:00Z"))?.rules == [])
    }

    @Test func openSumsCountLiveOrdersNetOfFills() {
        let o = Self.oracle("  rule r alert \"r\" when open_sum(order.qty * order.price, order.account) > 25000 EUR")
        // 100 × 100.00 = 10,000 EUR each.
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:01Z"))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:02Z"))?.rules == ["S.r"])
        // O-3 was accepted (an alert): 30,000. A fill of 50 of O-1 leaves 25,000; a modify replaces O-3.
        _ = o.process(line: Lines.fill("O-1", at: "2026-11-27T14:30:03Z", qty: "50"))
        #expect(o.decide(Lines.order("modify", "O-3", at: "2026-11-27T14:30:04Z"))?.rules == [])
        _ = o.process(line: Lines.cancel("O-2", at: "2026-11-27T14:30:05Z"))
        #expect(o.decide(Lines.order("new", "O-4", at: "2026-11-27T14:30:06Z"))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-5", at: "2026-11-27T14:30:07Z", ["qty": "1"]))?.rules == ["S.r"])
    }

    /// 5m in 30-second buckets: the order's bucket and the 9 before it,
    /// the value in force when the first began, and the current value.
    @Test func priceHistoriesRollAtTheirBucketBoundary() {
        let o = Self.oracle(
            "  rule high alert \"h\" when order.price > window_max(market.reference, 5m)\n"
                + "  rule low alert \"l\" when order.price < window_min(market.reference, 5m)")
        let missing = o.decide(Lines.order("new", "O-0", at: "2026-11-27T14:00:00Z"))
        #expect(missing?.verdict == "reject" && missing?.rules == ["S.high", "S.low"])
        _ = o.process(line: Lines.market(at: "2026-11-27T14:00:00Z", ["reference": "100"]))
        _ = o.process(line: Lines.market(at: "2026-11-27T14:01:00Z", ["reference": "110"]))
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:05:59.999999999Z", ["price": "105"]))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:06:00Z", ["price": "105"]))?.rules == ["S.low"])
        // Before the latest bucket: counted in it.
        _ = o.process(line: Lines.market(at: "2026-11-27T14:00:30Z", ["reference": "90"]))
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:05:59.9Z", ["price": "95"]))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-4", at: "2026-11-27T15:00:00Z", ["price": "90.01"]))?.rules == ["S.high"])
        // A market event without the field records nothing new.
        _ = o.process(line: Lines.market(at: "2026-11-27T15:00:00Z", ["nbb": "80"]))
        #expect(o.decide(Lines.order("new", "O-5", at: "2026-11-27T15:00:00Z", ["price": "89.99"]))?.rules == ["S.low"])
    }

    @Test func boundDataHasItsDeclaredValueUntilBound() {
        let o = Oracle(
            program: OracleFixtures.program(
                "import \"schema.writ\"\ndata watched: set<symbol> bound \"watched\" = [\"SAP\"]\njurisdiction S \"S\" {\n  applies when true\n  rule w alert \"w\" when order.symbol in watched\n}\n"),
            capacities: OracleCapacities())
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))?.rules == ["S.w"])
        o.bind("watched", symbols: [])
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:01Z"))?.rules == [])
    }
}
