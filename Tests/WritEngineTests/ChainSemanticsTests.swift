/// CEL's commutative error semantics of `&&` and `||`, whatever order the
/// optimizer evaluates the operands in.

import Testing
import WritEngine

@Suite struct ChainSemanticsTests {
    /// A jurisdiction applying everywhere with one rule per condition.
    static let program = """
        import "schema.writ"
        jurisdiction T "test" {
          applies when true
          rule false_and_error alert "a" when order.qty > 1000000 && market.reference > 1 EUR
          rule error_and_false alert "b" when market.reference > 1 EUR && order.qty > 1000000
          rule true_or_error alert "c" when order.qty > 0 || market.reference > 1 EUR
          rule error_or_true alert "d" when market.reference > 1 EUR || order.qty > 0
          rule error_and_true alert "e" when market.reference > 1 EUR && order.qty > 0
          rule two_errors alert "f" when market.nbb > 1 EUR && market.reference > 1 EUR
          rule cheap_last alert "g" when market.reference > 1 EUR || (has(order.algo) && order.algo == "X")
          rule ternary alert "h" when (order.qty > 0 ? false : market.reference > 1 EUR)
          rule negated_error alert "i" when !(market.reference > 1 EUR)
        }
        """

    func decide(_ extra: String = "") throws -> String {
        let e = try EnginePrograms.fixtureEngine(ChainSemanticsTests.program)
        return e.processLine(Lines.order("O-1", price: "10", extra: extra)) ?? ""
    }

    @Test func falseDecidesAnAndWhateverTheOtherSideDoes() throws {
        let out = try decide()
        #expect(!out.contains("T.false_and_error"))
        #expect(!out.contains("T.error_and_false"))
    }

    @Test func trueDecidesAnOr() throws {
        let out = try decide()
        #expect(out.contains(#""c""#))
        #expect(out.contains(#""d""#))
        #expect(!out.contains("T.true_or_error could not"))
        #expect(!out.contains("T.error_or_true could not"))
    }

    @Test func anErrorWithoutADecidingOperandIsTheResult() throws {
        let out = try decide()
        #expect(out.contains("T.error_and_true could not be evaluated: market.reference is missing"))
        #expect(out.contains("T.negated_error could not be evaluated: market.reference is missing"))
    }

    @Test func theFirstErrorInSourceOrderIsReported() throws {
        let out = try decide()
        #expect(out.contains("T.two_errors could not be evaluated: market.nbb is missing"))
    }

    @Test func aCheapOperandEvaluatedFirstDoesNotHideTheError() throws {
        let out = try decide()
        #expect(out.contains("T.cheap_last could not be evaluated: market.reference is missing"))
    }

    @Test func aConditionalEvaluatesOnlyTheChosenBranch() throws {
        let out = try decide()
        #expect(!out.contains("T.ternary"))
    }
}
