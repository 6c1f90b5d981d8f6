/// State: tumbling windows at their exact boundaries, window sums of
/// accepted orders only, positions from fills, kill switches, duplicate ids,
/// price histories at their bucket boundaries.

import Testing
import WritEngine
import WritTestSupport

@Suite struct StateTests {
    static let program = """
        import "schema.writ"
        jurisdiction S "state" {
          applies when true
          rule burst alert "burst" when rate(order.trader, 1s) > 2
          rule forced reject "forced" cite "test" when order.qty == 99
          rule notional reject "too much today" cite "test" when window_sum(order.qty, order.account, 1d) > 150
          rule long hold "long position" cite "test" when position(order.account, order.symbol) > 50
          rule fills alert "two fills" when executions(order.trader, 1m) >= 2
          rule ratio alert "ratio of one or more" when otr(order.trader, 1h) >= 1
          rule seen alert "seen today" when order.event == new && duplicate(order.id)
          rule trader_killed reject "killed" cite "test" when killed(trader, order.trader)
        }
        """

    func engine() throws -> Engine { try EnginePrograms.fixtureEngine(StateTests.program) }

    func fired(_ e: Engine, _ line: String) -> String { e.processLine(line) ?? "(none)" }

    @Test func windowsRollExactlyAtTheirBoundary() throws {
        let e = try engine()
        #expect(!fired(e, Lines.order("O-1", ts: "2026-11-27T14:30:00Z", qty: "1")).contains("S.burst"))
        #expect(!fired(e, Lines.order("O-2", ts: "2026-11-27T14:30:00.5Z", qty: "1")).contains("S.burst"))
        // The last nanosecond of the window: the third message in it.
        #expect(fired(e, Lines.order("O-3", ts: "2026-11-27T14:30:00.999999999Z", qty: "1")).contains("S.burst"))
        // The first nanosecond of the next window: the counter restarts.
        #expect(!fired(e, Lines.order("O-4", ts: "2026-11-27T14:30:01Z", qty: "1")).contains("S.burst"))
        // An event before the key's window counts in that window (clocks never go back).
        #expect(!fired(e, Lines.order("O-5", ts: "2026-11-27T14:30:00.2Z", qty: "1")).contains("S.burst"))
        #expect(fired(e, Lines.order("O-6", ts: "2026-11-27T14:30:00.3Z", qty: "1")).contains("S.burst"))
    }

    @Test func windowSumCountsAcceptedOrdersOnly() throws {
        let e = try engine()
        #expect(fired(e, Lines.order("O-1", qty: "100")).contains(#""verdict":"allow""#))
        // Rejected by `forced`; the sum read includes it (100 + 99) but it is not kept.
        let rejected = fired(e, Lines.order("O-2", ts: "2026-11-27T15:00:00Z", qty: "99"))
        #expect(rejected.contains("S.forced") && rejected.contains("S.notional"))
        #expect(!fired(e, Lines.order("O-3", ts: "2026-11-27T16:00:00Z", qty: "40")).contains("S.notional"))
        #expect(fired(e, Lines.order("O-4", ts: "2026-11-27T17:00:00Z", qty: "20")).contains("S.notional"))
        // A new UTC day starts a new window.
        #expect(!fired(e, Lines.order("O-5", ts: "2026-11-28T00:00:00Z", qty: "20")).contains("S.notional"))
    }

    /// A fill of an order no longer live (one that raced its cancel, or
    /// went past its quantity) still counts; the closed orders are bounded
    /// (`LateFillScenario`, run by the oracle's tests too). A snapshot keeps them.
    @Test func lateFillsCountOnClosedOrders() throws {
        let ir = try EnginePrograms.fixture(StateTests.program)
        func make() -> Engine {
            Engine(
                program: EngineProgram(ir: ir),
                configuration: EngineConfiguration(
                    keysPerSlot: 64, liveOrders: 64, idsPerDay: 64, marketRecords: 16, killSwitches: 4,
                    runtimeSymbols: 1_024, closedOrders: LateFillScenario.closedOrders))
        }
        let e = make()
        var restored: Engine?
        for step in LateFillScenario.steps() {
            switch step {
            case .line(let line):
                let d = e.processLine(line)
                if let restored { #expect(restored.processLine(line) == d, "\(line)") }
            case .probe(let line, let long):
                for engine in [e] + (restored.map { [$0] } ?? []) {
                    #expect(fired(engine, line).contains("S.long") == long, "\(line)")
                }
            case .snapshot:
                let r = make()
                try r.restore(bytes: e.snapshotBytes())
                restored = r
            }
        }
        #expect(restored != nil)
    }

    @Test func positionsExecutionsAndRatiosComeFromFills() throws {
        let e = try engine()
        // No accepted order yet: 0 / max(1, 0 fills).
        #expect(!fired(e, Lines.order("O-1", qty: "100")).contains("S.ratio"))
        let fill = #"{"event":"fill","id":"O-1","exec_id":"E-1","ts":"2026-11-27T14:30:01Z","qty":"60","price":"123","currency":"EUR","venue":"XETR"}"#
        #expect(e.processLine(fill) == nil)
        var out = fired(e, Lines.order("O-2", ts: "2026-11-27T14:30:02Z", side: "sell", qty: "30"))
        #expect(out.contains("S.long"))
        #expect(!out.contains("S.fills"))
        #expect(out.contains("S.ratio"))  // 1 accepted order / 1 fill
        let fill2 = #"{"event":"fill","id":"O-2","exec_id":"E-2","ts":"2026-11-27T14:30:03Z","qty":"30","price":"123","currency":"EUR","venue":"XETR"}"#
        #expect(e.processLine(fill2) == nil)
        out = fired(e, Lines.order("O-3", ts: "2026-11-27T14:30:04Z", qty: "1"))
        #expect(!out.contains("S.long"))  // 60 - 30
        #expect(out.contains("S.fills"))
        // O-2 was filled completely: it is no longer live.
        #expect(e.processLine(#"{"event":"cancel","id":"O-2","ts":"2026-11-27T14:30:05Z"}"#)?.contains("unknown order id") == true)
        #expect(e.processLine(#"{"event":"cancel","id":"O-1","ts":"2026-11-27T14:30:05Z"}"#)?.contains(#""verdict":"allow""#) == true)
    }

    @Test func killAndUnkill() throws {
        let e = try engine()
        #expect(e.processLine(#"{"event":"control","action":"kill","scope":"trader","key":"T-1","ts":"2026-11-27T14:00:00Z"}"#) == nil)
        #expect(fired(e, Lines.order("O-1")).contains("S.trader_killed"))
        #expect(!fired(e, Lines.order("O-2", trader: "T-2")).contains("S.trader_killed"))
        _ = e.processLine(#"{"event":"control","action":"unkill","scope":"trader","key":"T-1","ts":"2026-11-27T14:00:00Z"}"#)
        #expect(!fired(e, Lines.order("O-3")).contains("S.trader_killed"))
        // A kill of a desk does not kill a trader of the same name.
        _ = e.processLine(#"{"event":"control","action":"kill","scope":"desk","key":"T-1","ts":"2026-11-27T14:00:00Z"}"#)
        #expect(!fired(e, Lines.order("O-4")).contains("S.trader_killed"))
    }

    @Test func duplicateIDsOfTheDay() throws {
        let e = try engine()
        #expect(!fired(e, Lines.order("O-1", qty: "99")).contains("S.seen"))
        // Recorded whatever the verdict (the first was rejected).
        #expect(fired(e, Lines.order("O-1", ts: "2026-11-27T23:59:59.999999999Z", qty: "1")).contains("S.seen"))
        #expect(!fired(e, Lines.order("O-1", ts: "2026-11-28T00:00:00Z", qty: "1")).contains("S.seen"))
    }

    @Test func tupleKeysKeepOneEntryPerCombination() throws {
        let e = try EnginePrograms.fixtureEngine(
            """
            import "schema.writ"
            jurisdiction S "state" {
              applies when true
              rule burst alert "burst" when rate((order.trader, order.venue), 1s) > 1
              rule heavy alert "heavy" when window_sum(order.qty * order.price, (order.account, order.symbol), 1d) > 20000 EUR
            }
            """)
        #expect(!fired(e, Lines.order("O-1", qty: "100")).contains("S.burst"))
        #expect(!fired(e, Lines.order("O-2", venue: "XPAR", qty: "100")).contains("S.burst"))
        #expect(!fired(e, Lines.order("O-3", trader: "T-2")).contains("S.burst"))
        let out = fired(e, Lines.order("O-4", qty: "1"))
        #expect(out.contains("S.burst"))
        // A, SAP: 100 + 100 + 100 + 1 at 123.45 EUR = 37,160.45 EUR; another symbol starts from zero.
        #expect(out.contains("S.heavy"))
        #expect(!fired(e, Lines.order("O-5", ts: "2026-11-27T14:31:00Z", symbol: "BMW", qty: "100")).contains("S.heavy"))
    }

    /// The engine remembers composite keys by their parts' ids; a composite
    /// whose table entry was dropped is freed and its id reused for other
    /// text, and the same parts must then make their own key again.
    @Test func aTupleKeyWhoseIdWasReusedIsMadeAgain() throws {
        let ir = try EnginePrograms.fixture(
            """
            import "schema.writ"
            jurisdiction S "state" {
              applies when true
              rule burst alert "burst" when rate((order.trader, order.venue), 1s) >= 2
            }
            """)
        let e = Engine(
            program: EngineProgram(ir: ir),
            configuration: EngineConfiguration(
                keysPerSlot: 3, liveOrders: 64, idsPerDay: 64, marketRecords: 16, killSwitches: 4, runtimeSymbols: 256))
        func at(_ s: Int) -> String { "2026-11-27T14:30:0\(s)Z" }
        // Three keys fill the table; at the next second they are dropped (their window ended) and freed.
        #expect(!fired(e, Lines.order("O-1", ts: at(0), trader: "T-1")).contains("S.burst"))
        #expect(!fired(e, Lines.order("O-2", ts: at(1), trader: "T-2")).contains("S.burst"))
        #expect(!fired(e, Lines.order("O-3", ts: at(1), trader: "T-5")).contains("S.burst"))
        #expect(!fired(e, Lines.order("O-4", ts: at(2), trader: "T-3")).contains("S.burst"))
        // New texts take the freed ids, among them the one of `T-1␟XETR`.
        #expect(!fired(e, Lines.order("O-5", ts: at(2), trader: "T-4")).contains("S.burst"))
        // T-1's first message in this second, then its second.
        #expect(!fired(e, Lines.order("O-6", ts: at(2), trader: "T-1")).contains("S.burst"))
        #expect(fired(e, Lines.order("O-7", ts: at(2), trader: "T-1")).contains("S.burst"))
        #expect(fired(e, Lines.order("O-8", ts: at(2), trader: "T-4")).contains("S.burst"))
    }

    @Test func aTuplePartWithTheSeparatorFailsClosed() throws {
        let e = try EnginePrograms.fixtureEngine(
            """
            import "schema.writ"
            jurisdiction S "state" {
              applies when true
              rule burst alert "burst" when rate((order.trader, "X\\u001fXETR"), 1s) > 1
            }
            """)
        // Events refuse control characters; a literal part can still hold the separator.
        let out = fired(e, Lines.order("O-1"))
        #expect(out.contains(#""verdict":"reject""#))
        #expect(out.contains("S.burst could not be evaluated: invalid key: a part contains U+001F or the key is longer than 256 bytes"))
        #expect(fired(e, Lines.order("O-2", trader: "T\\u001fX")).contains("field `trader` has a control character"))
    }

    static let latches = """
        import "schema.writ"
        jurisdiction S "state" {
          applies when order.venue == "XETR"
          rule big reject "disabled after a big order" cite "test" when latch(order.qty > 1000, order.trader)
          rule seven alert "a seven today" when latch(order.qty == 7, (order.account, order.symbol), end_of_day)
        }
        """

    @Test func aLatchStaysOnUntilAPersonResetsIt() throws {
        let e = try EnginePrograms.fixtureEngine(StateTests.latches)
        #expect(!fired(e, Lines.order("O-1", qty: "10")).contains("S.big"))
        // Tripped by this order, whatever the verdict; on for T-1 from now on.
        #expect(fired(e, Lines.order("O-2", qty: "5000")).contains("S.big"))
        #expect(fired(e, Lines.order("O-3", ts: "2026-11-29T10:00:00Z", qty: "10")).contains("S.big"))
        #expect(!fired(e, Lines.order("O-4", ts: "2026-11-29T10:00:00Z", qty: "10", trader: "T-2")).contains("S.big"))
        // A reset of another key or of another rule changes nothing; a reset of S.big for T-1 clears it.
        #expect(e.processLine(#"{"event":"control","action":"reset","latch":"S.big","key":"T-2","ts":"2026-11-29T10:01:00Z"}"#) == nil)
        #expect(e.processLine(#"{"event":"control","action":"reset","latch":"S.seven","key":"T-1","ts":"2026-11-29T10:01:00Z"}"#) == nil)
        #expect(fired(e, Lines.order("O-5", ts: "2026-11-29T10:02:00Z", qty: "10")).contains("S.big"))
        #expect(e.processLine(#"{"event":"control","action":"reset","latch":"S.big","key":"T-1","ts":"2026-11-29T10:03:00Z"}"#) == nil)
        #expect(!fired(e, Lines.order("O-6", ts: "2026-11-29T10:04:00Z", qty: "10")).contains("S.big"))
    }

    @Test func aLatchTripsOnlyWhereItsJurisdictionApplies() throws {
        let e = try EnginePrograms.fixtureEngine(StateTests.latches)
        // S does not apply on XPAR: the big order there trips nothing.
        #expect(!fired(e, Lines.order("O-1", venue: "XPAR", qty: "5000")).contains("S.big"))
        #expect(!fired(e, Lines.order("O-2", qty: "10")).contains("S.big"))
    }

    static let twoVenues = """
        import "schema.writ"
        jurisdiction P "Paris" {
          applies when order.venue == "XPAR"
          rule big reject "too big" cite "test" when order.qty > 1000000
        }
        jurisdiction X "Xetra" {
          applies when order.venue == "XETR"
          rule daily reject "too much today" cite "test" when window_sum(order.qty, order.account, 1d) > 200
        }
        """

    /// A modify adds its increase to every `window_sum`, also to those its
    /// own rules do not read (their previous amounts are taken when it is
    /// settled, not as it is decided).
    @Test func aModifyAddsItsIncreaseToSumsItsRulesDoNotRead() throws {
        let e = try EnginePrograms.fixtureEngine(StateTests.twoVenues)
        let allow = #""verdict":"allow""#
        #expect(fired(e, Lines.order("O-1", venue: "XPAR", qty: "100")).contains(allow))
        #expect(fired(e, Lines.order("O-1", event: "modify", ts: "2026-11-27T14:31:00Z", venue: "XPAR", qty: "150")).contains(allow))
        // 150 + 40: the modify added 50, not 150 (which would make 290).
        #expect(fired(e, Lines.order("O-2", ts: "2026-11-27T14:32:00Z", qty: "40")).contains(allow))
        // 150 + 40 + 20 > 200.
        #expect(fired(e, Lines.order("O-3", ts: "2026-11-27T14:33:00Z", qty: "20")).contains("X.daily"))
    }

    @Test func anEndOfDayLatchEndsWithTheUTCDay() throws {
        let e = try EnginePrograms.fixtureEngine(StateTests.latches)
        #expect(fired(e, Lines.order("O-1", ts: "2026-11-27T10:00:00Z", qty: "7")).contains("S.seven"))
        #expect(fired(e, Lines.order("O-2", ts: "2026-11-27T23:59:59.999999999Z", qty: "10")).contains("S.seven"))
        #expect(!fired(e, Lines.order("O-3", ts: "2026-11-27T23:59:59Z", symbol: "BMW", qty: "10")).contains("S.seven"))
        #expect(!fired(e, Lines.order("O-4", ts: "2026-11-28T00:00:00Z", qty: "10")).contains("S.seven"))
    }

    @Test func controlsWithoutWhatTheyNeedAreRefused() throws {
        let e = try EnginePrograms.fixtureEngine(StateTests.latches)
        #expect(e.processLine(#"{"event":"control","action":"kill","key":"T-1","ts":"2026-11-27T10:00:00Z"}"#)?.contains("missing field `scope`") == true)
        #expect(e.processLine(#"{"event":"control","action":"reset","key":"T-1","ts":"2026-11-27T10:00:00Z"}"#)?.contains("missing field `latch`") == true)
        let unknown = e.processLine(#"{"event":"control","action":"reset","latch":"S.nope","key":"T-1","ts":"2026-11-27T10:00:00Z"}"#)
        #expect(unknown?.contains(#""verdict":"reject""#) == true)
        #expect(unknown?.contains("unknown latch `S.nope`") == true)
    }

    @Test func latchesSurviveSnapshotAndRestore() throws {
        let e = try EnginePrograms.fixtureEngine(StateTests.latches)
        #expect(fired(e, Lines.order("O-1", qty: "5000")).contains("S.big"))
        let restored = try EnginePrograms.fixtureEngine(StateTests.latches)
        try restored.restore(bytes: e.snapshotBytes())
        #expect(fired(restored, Lines.order("O-2", ts: "2026-11-28T10:00:00Z", qty: "10")).contains("S.big"))
        #expect(restored.processLine(#"{"event":"control","action":"reset","latch":"S.big","key":"T-1","ts":"2026-11-28T10:01:00Z"}"#) == nil)
        #expect(!fired(restored, Lines.order("O-3", ts: "2026-11-28T10:02:00Z", qty: "10")).contains("S.big"))
    }

    static let openOrders = """
        import "schema.writ"
        jurisdiction S "state" {
          applies when true
          rule open alert "open above 20,000 EUR" when open_sum(order.qty * order.price, order.account) > 20000 EUR
        }
        """

    @Test func openSumsFollowLiveOrdersNetOfFills() throws {
        let e = try EnginePrograms.fixtureEngine(StateTests.openOrders)
        // 100 × 123.45 = 12,345 EUR each.
        #expect(!fired(e, Lines.order("O-1")).contains("S.open"))
        #expect(fired(e, Lines.order("O-2")).contains("S.open"))  // 24,690
        // A fill of 60 leaves 40% of O-1: 4,938 + 12,345 (O-2) + 12,345 (O-3) = 29,628.
        _ = e.processLine(#"{"event":"fill","id":"O-1","exec_id":"E-1","ts":"2026-11-27T14:30:01Z","qty":"60","price":"123","currency":"EUR","venue":"XETR"}"#)
        #expect(fired(e, Lines.order("O-3", ts: "2026-11-27T14:30:02Z")).contains("S.open"))
        // Cancel O-2 and O-3: 4,938 + this order's 12,345 = 17,283.
        _ = e.processLine(#"{"event":"cancel","id":"O-2","ts":"2026-11-27T14:30:03Z"}"#)
        _ = e.processLine(#"{"event":"cancel","id":"O-3","ts":"2026-11-27T14:30:03Z"}"#)
        #expect(!fired(e, Lines.order("O-4", ts: "2026-11-27T14:30:04Z")).contains("S.open"))
        // A modify replaces O-4's amount: 4,938 + 24,690 = 29,628; it survives a snapshot.
        #expect(fired(e, Lines.order("O-4", event: "modify", ts: "2026-11-27T14:30:05Z", qty: "200")).contains("S.open"))
        let restored = try EnginePrograms.fixtureEngine(StateTests.openOrders)
        try restored.restore(bytes: e.snapshotBytes())
        #expect(fired(restored, Lines.order("O-5", ts: "2026-11-27T14:30:06Z", qty: "1")).contains("S.open"))
        _ = restored.processLine(#"{"event":"cancel","id":"O-4","ts":"2026-11-27T14:30:07Z"}"#)
        #expect(!fired(restored, Lines.order("O-6", ts: "2026-11-27T14:30:08Z", qty: "1")).contains("S.open"))
    }

    static let history = """
        import "schema.writ"
        jurisdiction S "state" {
          applies when true
          rule high alert "above the 5-minute high" when order.price > window_max(market.reference, 5m)
          rule low alert "below the 5-minute low" when order.price < window_min(market.reference, 5m)
        }
        """

    /// 5m in 30-second buckets: a read covers the order's bucket and the 9
    /// before it, plus the value in force when the first of them began.
    @Test func priceHistoriesRollAtTheirBucketBoundary() throws {
        let e = try EnginePrograms.fixtureEngine(StateTests.history)
        #expect(e.processLine(Lines.market(reference: "100", ts: "2026-11-27T14:00:00Z")) == nil)
        #expect(e.processLine(Lines.market(reference: "110", ts: "2026-11-27T14:01:00Z")) == nil)
        // Buckets 14:01:00 … 14:05:30: 100 was in force when 14:01:00 began.
        var out = fired(e, Lines.order("O-1", ts: "2026-11-27T14:05:59.999999999Z", price: "105"))
        #expect(!out.contains("S.low") && !out.contains("S.high"))
        // Buckets 14:01:30 … 14:06:00: only 110 was in force.
        out = fired(e, Lines.order("O-2", ts: "2026-11-27T14:06:00Z", price: "105"))
        #expect(out.contains("S.low") && !out.contains("S.high"))
        // A market event before the latest bucket counts in it (clocks never go back).
        #expect(e.processLine(Lines.market(reference: "90", ts: "2026-11-27T14:00:30Z")) == nil)
        out = fired(e, Lines.order("O-3", ts: "2026-11-27T14:05:59.9Z", price: "95"))
        #expect(!out.contains("S.low") && !out.contains("S.high"))
        // The current value counts, however old: 90 is both ends an hour later.
        out = fired(e, Lines.order("O-4", ts: "2026-11-27T15:00:00Z", price: "90.01"))
        #expect(out.contains("S.high") && !out.contains("S.low"))
        // Histories are per market record: SAP on another venue has none but its reference.
        #expect(e.processLine(Lines.market(venue: "XPAR", reference: "100", ts: "2026-11-27T15:00:00Z")) == nil)
        out = fired(e, Lines.order("O-5", ts: "2026-11-27T15:00:00Z", venue: "XPAR", price: "100"))
        #expect(!out.contains("S.low") && !out.contains("S.high"))
    }

    @Test func priceHistoriesFailClosedWithoutAReferenceAndSurviveASnapshot() throws {
        let e = try EnginePrograms.fixtureEngine(StateTests.history)
        let none = fired(e, Lines.order("O-1", price: "100"))
        #expect(none.contains("S.high could not be evaluated: market.reference is missing"))
        _ = e.processLine(Lines.market(reference: "100", ts: "2026-11-27T14:28:00Z"))
        _ = e.processLine(Lines.market(reference: "120", ts: "2026-11-27T14:29:00Z"))
        let restored = try EnginePrograms.fixtureEngine(StateTests.history)
        try restored.restore(bytes: e.snapshotBytes())
        // 100 … 120 over the last 5 minutes, on both engines.
        for x in [e, restored] {
            #expect(fired(x, Lines.order("O-2", ts: "2026-11-27T14:30:00Z", price: "99.99")).contains("S.low"))
            #expect(fired(x, Lines.order("O-3", ts: "2026-11-27T14:30:00Z", price: "120.01")).contains("S.high"))
            #expect(!fired(x, Lines.order("O-4", ts: "2026-11-27T14:30:00Z", price: "100")).contains("S.low"))
        }
        // Explain shows the value read.
        let x = restored.explain(line: Lines.order("O-5", ts: "2026-11-27T14:30:00Z", price: "99"))
        let low = try #require(x.visited.first { $0.id == "S.low" })
        #expect(low.operands.contains { $0.text == "window_min(market.reference, 5m)" && $0.value == "100 EUR" })
    }

    @Test func boundDataHasItsDeclaredValueUntilTheHostBindsIt() throws {
        let e = try EnginePrograms.fixtureEngine(
            """
            import "schema.writ"
            data watched: set<symbol> bound "watched" = ["SAP"]
            data others: set<symbol> bound "others"
            jurisdiction S "state" {
              applies when true
              rule watched_symbol alert "watched" when order.symbol in watched
              rule other_symbol alert "other" when order.symbol in others
            }
            """)
        let out = fired(e, Lines.order("O-1"))
        #expect(out.contains("S.watched_symbol"))
        // A list without a declared value is unbound: reading it fails closed.
        #expect(out.contains("S.other_symbol could not be evaluated: others is not bound"))
        e.bind("watched", symbols: ["BMW"])
        e.bind("others", symbols: [])
        #expect(!fired(e, Lines.order("O-2")).contains("S."))
    }
}
