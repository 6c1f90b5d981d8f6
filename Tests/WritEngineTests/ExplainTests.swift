/// Explain, and through it the decision index: rules of other venues and
/// other sides are never visited.

import Testing
import WritEngine

@Suite struct ExplainTests {
    func engine() throws -> Engine {
        let e = try EnginePrograms.rulesEngine()
        e.bind("restricted_symbols", symbols: [])
        e.bind("kyc_blocked", symbols: [])
        _ = e.processLine(Lines.market())
        _ = e.processLine(Lines.market("SHOP", venue: "XTSE", reference: "100"))
        return e
    }

    @Test func otherVenuesAreNotCandidates() throws {
        let x = try engine().explain(line: Lines.order("O-1"))
        #expect(x.jurisdictions.map(\.name) == ["EU", "GLOBAL"])
        #expect(x.notCandidates.contains("US"))
        #expect(!x.visited.contains { $0.id.hasPrefix("US.") })
        #expect(x.jurisdictions.first { $0.name == "EU" }?.byIndex == true)
    }

    @Test func rulesOfOtherSidesAreSkipped() throws {
        let x = try engine().explain(line: Lines.order("O-1", venue: "XTSE", symbol: "SHOP", side: "buy", price: "100", currency: "CAD"))
        #expect(x.skipped.contains("CA.short_needs_locate"))
        #expect(!x.visited.contains { $0.id == "CA.short_needs_locate" })
        let short = try engine().explain(line: Lines.order("O-2", venue: "XTSE", symbol: "SHOP", side: "short", price: "100", currency: "CAD"))
        #expect(short.visited.contains { $0.id == "CA.short_needs_locate" && $0.fired == true })
    }

    @Test func operandsAndCitationsAreShown() throws {
        let x = try engine().explain(line: Lines.order("O-1", price: "200"))
        let collar = try #require(x.visited.first { $0.id == "EU.price_collar" })
        #expect(collar.fired == true)
        #expect(collar.citation == "RTS 6 Art. 15(1)(a)")
        #expect(collar.operands.contains { $0.text == "market.reference" && $0.value == "123 EUR" })
        #expect(
            collar.operands.contains { $0.text == "abs(order.price - market.reference)" && $0.value == "77 EUR" },
            "\(collar.operands)")
        #expect(x.decision?.contains("EU.price_collar") == true)
        #expect(x.text.contains("rule EU.price_collar: fired [RTS 6 Art. 15(1)(a)]"))
        // The reject code of the first reject rule that fired, and where it comes from.
        #expect(x.decision?.hasSuffix(#""reject_code":16,"route":"eu_central_1","dr_level":"full"}"#) == true, "\(x.decision ?? "")")
        #expect(x.rejectCode == 16 && x.rejectCodeRule == "EU.price_collar")
        #expect(x.text.contains("reject code: 16 (FIX OrdRejReason), from rule EU.price_collar\n"))
    }

    /// A money value moved into a register (a conditional's branch) shows
    /// its currency, which the next instruction moves, not a stale slot.
    @Test func conditionalMoneyShowsItsCurrency() throws {
        let x = try engine().explain(line: Lines.order("O-1", price: "123.45"))
        let values = x.visited.flatMap(\.operands).filter {
            $0.text == "has(order.price) ? order.price : market.reference"
        }.map(\.value)
        #expect(!values.isEmpty)
        #expect(values.allSatisfy { $0 == "123.45 EUR" }, "\(values)")
    }

    @Test func explainChangesNoState() throws {
        let e = try engine()
        let line = Lines.order("O-1")
        _ = e.explain(line: line)
        _ = e.explain(line: line)
        // Had explain recorded the order, this `new` would be a duplicate or rate-limited.
        #expect(e.processLine(line) == #"{"id":"O-1","verdict":"allow","jurisdictions":["EU","GLOBAL"],"rules":[],"reasons":[],"citations":[],"route":"eu_central_1","dr_level":"full"}"#)
    }
}
