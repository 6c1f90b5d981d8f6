/// The run loop's shortcuts (Evaluator.swift): a rule's `ret` recorded
/// after a taken jump, `inrow; jf; row; col` run as one step, and rules that only
/// test a kill switch not run while none is set. Each must decide and fail
/// exactly as the plain loop does; explain (which runs the plain loop)
/// still shows every rule.

import Testing
import WritEngine
import WritIR
import WritTestSupport

@Suite struct DispatchShortcutTests {
    static let program = """
        import "schema.writ"
        jurisdiction T "test" {
          applies when true
          rule venue_killed reject "venue kill switch" when killed(venue, order.venue)
          rule trader_killed reject "trader kill switch" when killed(trader, order.trader)
          rule wrong_currency reject "currency" when order.venue in venues && order.currency != venues[order.venue].currency
          rule low_band reject "band" when has(market.luld_tier) && market.luld_tier in tse_price_tiers && tse_price_tiers[market.luld_tier].base_below < 200 JPY
          rule odd_algo alert "odd algo" when order.ord_type == market && (has(order.algo) ? false : order.algo == "X")
          rule far alert "far" when order.ord_type == limit && abs(order.price - market.reference) > market.reference * 10%
        }
        """

    func engine() throws -> Engine { try EnginePrograms.fixtureEngine(DispatchShortcutTests.program) }

    @Test func killSwitchRulesFireOnceASwitchIsSetAndNotBefore() throws {
        let e = try engine()
        _ = e.processLine(Lines.market())
        let before = e.processLine(Lines.order("O-1", price: "123")) ?? ""
        #expect(!before.contains("T.venue_killed") && !before.contains("T.trader_killed"))
        _ = e.processLine(#"{"event":"control","action":"kill","scope":"trader","key":"T-1","ts":"2026-11-27T14:31:00Z"}"#)
        let after = e.processLine(Lines.order("O-2", price: "123")) ?? ""
        #expect(after.contains(#""T.trader_killed""#))
        #expect(!after.contains("T.venue_killed"))
        _ = e.processLine(#"{"event":"control","action":"unkill","scope":"trader","key":"T-1","ts":"2026-11-27T14:32:00Z"}"#)
        let cleared = e.processLine(Lines.order("O-3", price: "123")) ?? ""
        #expect(!cleared.contains("T.trader_killed"))
    }

    @Test func explainStillVisitsKillSwitchRules() throws {
        let e = try engine()
        _ = e.processLine(Lines.market())
        let x = e.explain(line: Lines.order("O-1", price: "123"))
        #expect(x.visited.contains { $0.id == "T.venue_killed" && $0.fired == false })
        #expect(x.visited.contains { $0.id == "T.trader_killed" && $0.fired == false })
    }

    /// `inrow; jf; row; col` in one step: a found row reads its cell, a key
    /// with no row takes the jump, and a missing cell (`col` on a null: the
    /// last TSE band has no upper bound) fails the rule with the same error
    /// as the plain loop, which explain runs.
    @Test func fusedRowAndColumnDecideAsThePlainLoop() throws {
        let e = try engine()
        _ = e.processLine(Lines.market())
        let ok = e.processLine(Lines.order("O-1", price: "123")) ?? ""
        #expect(ok.contains(#""verdict":"allow""#))
        let usd = e.processLine(Lines.order("O-2", price: "123", currency: "USD")) ?? ""
        #expect(usd.contains(#""T.wrong_currency""#))
        let unknown = e.processLine(Lines.order("O-3", venue: "XXXX", price: "123")) ?? ""
        #expect(!unknown.contains("T.wrong_currency"))
        func band(_ tier: Int) -> (String, String) {
            _ = e.processLine(Lines.market(extra: #","luld_tier":\#(tier)"#))
            let line = e.processLine(Lines.order("O-\(tier)", price: "123")) ?? ""
            let x = e.explain(line: Lines.order("X-\(tier)", price: "123"))
            let visited = x.visited.first { $0.id == "T.low_band" }
            return (line, visited.map { "\($0.fired.map { "\($0)" } ?? "error")" } ?? "not visited")
        }
        let (first, firstExplained) = band(1)
        #expect(first.contains(#""T.low_band""#))
        #expect(firstExplained == "true")
        let (third, thirdExplained) = band(3)
        #expect(!third.contains("T.low_band"))
        #expect(thirdExplained == "false")
        let (none, noneExplained) = band(99)
        #expect(!none.contains("T.low_band"))
        #expect(noneExplained == "false")
        let (last, lastExplained) = band(34)
        #expect(last.contains(#""T.low_band""#))
        #expect(last.contains(#""verdict":"reject""#))
        #expect(last.contains("T.low_band could not be evaluated: tse_price_tiers.base_below is missing"))
        #expect(lastExplained == "error")
    }

    /// A missing field still fails the rule; a taken jump to a rule's `ret` records the rule.
    @Test func requiredFieldsAndTakenJumpsDecideAsThePlainLoop() throws {
        let e = try engine()
        let noMarket = e.processLine(Lines.order("O-1", price: "123")) ?? ""
        #expect(noMarket.contains(#""T.far""#))
        #expect(noMarket.contains("market.reference"))
        _ = e.processLine(Lines.market())
        let near = e.processLine(Lines.order("O-2", price: "124")) ?? ""
        #expect(!near.contains("T.far"))
        let far = e.processLine(Lines.order("O-3", price: "200")) ?? ""
        #expect(far.contains(#""T.far""#))
        let market = e.processLine(Lines.order("O-4", price: nil, ordType: "market")) ?? ""
        #expect(!market.contains("T.far"))
    }

    /// `jabsent x, @L` taken when x is absent: a `req x` at @L still fails
    /// (the `jabsent x; req x` shortcut is for the fall-through only).
    @Test func aRequiredFieldAtATakenJumpsTargetStillFails() throws {
        let e = try engine()
        _ = e.processLine(Lines.market())
        let absent = e.processLine(Lines.order("O-1", price: nil, ordType: "market")) ?? ""
        #expect(absent.contains("T.odd_algo could not be evaluated: order.algo is missing"))
        let present = e.processLine(Lines.order("O-2", price: nil, ordType: "market", algo: "X")) ?? ""
        #expect(!present.contains("T.odd_algo"))
    }
}
