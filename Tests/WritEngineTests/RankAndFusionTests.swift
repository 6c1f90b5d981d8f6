/// The lowering of `size(C.filter(p, p OP y))` over a sorted constant list
/// into one `rank`, and comparisons that check currencies themselves (a
/// `cur` fused into them): the same decisions and the same errors as the
/// unrolled code, at the boundaries.

import Testing
import WritEngine
import WritIR
import WritTestSupport

@Suite struct RankAndFusionTests {
    static let program = """
        import "schema.writ"
        data bands: list<money(EUR)> = [10 EUR, 20 EUR, 30 EUR]
        data unsorted: list<money(EUR)> = [30 EUR, 10 EUR, 20 EUR]
        data dollars: list<money(USD)> = [10 USD, 20 USD]
        jurisdiction T "test" {
          applies when true
          rule at_most alert "le" when size(bands.filter(p, p <= market.reference)) == 2
          rule below alert "lt" when size(bands.filter(p, p < market.reference)) == 2
          rule above alert "gt" when size(bands.filter(p, p > market.reference)) == 1
          rule at_least alert "ge" when size(bands.filter(p, market.reference <= p)) == 1
          rule unsorted_at_most alert "unsorted" when size(unsorted.filter(p, p <= market.reference)) == 2
          rule other_currency alert "usd" when size(dollars.filter(p, p <= market.reference)) == 1
          rule money_compare alert "cmp" when market.reference > 20 EUR
        }
        """

    /// The rules that fired or failed for an order after a market event with `reference`.
    func fired(reference: String) throws -> String {
        let e = try EnginePrograms.fixtureEngine(RankAndFusionTests.program)
        _ = e.processLine(Lines.market(reference: reference))
        return e.processLine(Lines.order("O-1", price: "10")) ?? ""
    }

    @Test func sortedListsBecomeOneRankAndUnsortedOnesStayUnrolled() throws {
        let ir = try TestPrograms.fixture(RankAndFusionTests.program)
        let ranks = ir.code.filter { $0.op == .rank }
        // Five sorted lists of one currency (the unsorted one stays unrolled).
        #expect(ranks.count == 5)
        #expect(ir.code.contains { [.eq, .ne, .lt, .le, .gt, .ge].contains($0.op) && $0.aux == 1 })
    }

    @Test func countsAtTheBoundaries() throws {
        // 20 EUR: two bands at or below, one below, one above, two at or above.
        let at20 = try fired(reference: "20")
        #expect(at20.contains(#""T.at_most""#))
        #expect(!at20.contains(#""T.below""#))
        #expect(at20.contains(#""T.above""#))
        #expect(!at20.contains(#""T.at_least""#))
        #expect(at20.contains(#""T.unsorted_at_most""#))
        #expect(!at20.contains(#""T.money_compare""#))
        // Just above 20 EUR: two below, two at or below, one above and one at or above.
        let above20 = try fired(reference: "20.01")
        #expect(above20.contains(#""T.at_most""#))
        #expect(above20.contains(#""T.below""#))
        #expect(above20.contains(#""T.above""#))
        #expect(above20.contains(#""T.at_least""#))
        #expect(above20.contains(#""T.unsorted_at_most""#))
        #expect(above20.contains(#""T.money_compare""#))
        // Below every band: none at or below.
        let low = try fired(reference: "5")
        #expect(!low.contains(#""T.at_most""#))
        #expect(!low.contains(#""T.unsorted_at_most""#))
    }

    @Test func aCurrencyMismatchFailsAsTheUnrolledFilterWould() throws {
        let out = try fired(reference: "20")
        #expect(out.contains("T.other_currency could not be evaluated: currency mismatch"))
    }

    @Test func aMissingOperandFailsTheRankAndTheFusedComparison() throws {
        let e = try EnginePrograms.fixtureEngine(RankAndFusionTests.program)
        let out = e.processLine(Lines.order("O-1", price: "10")) ?? ""
        #expect(out.contains("T.at_most could not be evaluated: market.reference is missing"))
        #expect(out.contains("T.money_compare could not be evaluated: market.reference is missing"))
    }
}
