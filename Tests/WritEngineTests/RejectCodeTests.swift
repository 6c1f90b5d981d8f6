/// The decision line's `reject_code` (docs/engine-semantics.md, "Decision
/// output"): the `code N` of the first fired entry that rejects, 99 for a
/// reject rule without one or for an evaluation error; none unless the
/// verdict is reject. Also `let`s and `{name}` as the engine sees them.

import Testing
import WritEngine

@Suite struct RejectCodeTests {
    static let program = """
        import "schema.writ"
        jurisdiction R "codes" {
          applies when true
          limits { max_qty = 1_000, cap = 2_500.5 EUR }
          let too_big = order.qty > max_qty
          rule large hold "large" cite "test" when order.qty > 500
          rule too_large reject "above {max_qty}, cap {cap}, {{sic}}" cite "test" code 13 when too_big
          rule no_code reject "no code" cite "test" when order.qty == 7
          rule algo alert "algo X" when order.algo == "X"
        }
        """

    func decide(_ qty: String, algo: String? = "Y") throws -> String {
        let e = try EnginePrograms.fixtureEngine(Self.program)
        return e.processLine(Lines.order("O-1", qty: qty, algo: algo)) ?? "(none)"
    }

    @Test func aRejectCarriesItsRulesCode() throws {
        let d = try decide("1500")
        #expect(d.hasSuffix(#""citations":["test","test"],"reject_code":13}"#), "\(d)")
        // The message shows the limits as a trader reads them; `{{` is a brace.
        #expect(d.contains(#""above 1,000, cap 2,500.50 EUR, {sic}""#), "\(d)")
    }

    @Test func aRejectRuleWithoutCodeSends99() throws {
        #expect(try decide("7").hasSuffix(#","reject_code":99}"#))
    }

    @Test func anErrorRejectsWith99UnlessARejectRuleFiredBeforeIt() throws {
        let error = try decide("100", algo: nil)
        #expect(error.contains(#""verdict":"reject""#) && error.hasSuffix(#","reject_code":99}"#), "\(error)")
        #expect(try decide("1500", algo: nil).hasSuffix(#","reject_code":13}"#))
    }

    @Test func allowAndHoldHaveNoRejectCode() throws {
        let hold = try decide("600")
        #expect(hold.contains(#""verdict":"hold""#) && !hold.contains("reject_code"), "\(hold)")
        let allow = try decide("100")
        #expect(allow.contains(#""verdict":"allow""#) && !allow.contains("reject_code"), "\(allow)")
    }
}
