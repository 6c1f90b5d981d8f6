/// Jurisdiction `let`s: inlined at each use (the checked conditions hold the
/// expression itself), usable in `applies`, rules and other `let`s in any
/// order, hidden by a macro variable of the same name; `{name}` in messages.

import Testing
import WritSema
import WritSyntax

@Suite struct LetTests {
    static func program(_ body: String) -> (codes: [String], jurisdiction: CheckedJurisdiction?) {
        let c = SemaHarness.check([
            """
            schema order { qty: decimal, price: decimal, legs: list<decimal>, venue: symbol }
            jurisdiction J "j" {
            \(body)
            }
            """
        ])
        return (c.result.diagnostics.map(\.code.id), c.result.program.jurisdictions.first)
    }

    @Test func aLetIsItsExpressionAtEachUse() throws {
        let p = Self.program(
            """
              applies when big || order.venue == "XETR"
              limits { max_value = 1_000 }
              let value = order.qty * price
              let price = order.price
              let big = value > max_value
              rule r1 reject "above {max_value}" cite "c" when big
              rule r2 alert "m" when value > 10
            """)
        #expect(p.codes == [])
        let j = try #require(p.jurisdiction)
        let text = j.rules.map { ExprPrinter.text($0.condition) }
        #expect(text == ["order.qty * order.price > max_value", "order.qty * order.price > 10"])
        #expect(j.applies.map(ExprPrinter.text) == "order.qty * order.price > max_value || order.venue == \"XETR\"")
        #expect(j.rules[0].message == "above 1,000")
        // Each use is a copy of its own: no node is shared between the rules.
        #expect(j.rules[0].condition.id != j.rules[1].condition.id)
    }

    @Test func aMacroVariableHidesALet() throws {
        let p = Self.program(
            """
              applies when true
              let x = order.qty
              rule r alert "m" when [1, 7].exists(x, x > 5) && x > 1
            """)
        #expect(p.codes == [])
        let text = try #require(p.jurisdiction).rules.map { ExprPrinter.text($0.condition) }
        #expect(text == ["[1, 7].exists(x, x > 5) && order.qty > 1"])
    }

    @Test func problemsInALetAreReportedOnce() {
        let p = Self.program(
            """
              applies when true
              let wrong = order.qty + "a"
              rule r1 alert "m" when wrong > 1
              rule r2 alert "m" when wrong > 2
            """)
        #expect(p.codes.filter { $0 == "E0402" }.count == 1, "\(p.codes)")
    }

    @Test func aLetMayNotHideANameAndMustBeUsed() {
        let hides = Self.program("  applies when true\n  let abs = order.qty\n  rule r alert \"m\" when order.qty > 1")
        #expect(hides.codes == ["E0517"])
        let unused = Self.program("  applies when true\n  let v = order.qty\n  rule r alert \"m\" when order.qty > 1")
        #expect(unused.codes == ["W0101"])
    }

    @Test func aMessageShowsOnlyConstants() {
        let p = Self.program(
            """
              applies when true
              let v = order.qty
              let three = 1 + 2
              rule r alert "{v} and {three}" when v > three
            """)
        #expect(p.codes == ["E0518"])
        #expect(Self.program("  applies when true\n  let three = 1 + 2\n  rule r alert \"{three}\" when order.qty > three").jurisdiction?.rules.first?.message == "3")
    }

    /// A chain `let aI = a(I-1) + 1` nests one level per let: past the
    /// parser's cap it is refused once, where it crosses, not expanded (the
    /// lowering would overflow the stack), and fast.
    @Test func aLetNestedTooDeeplyIsRefusedOnce() {
        var body = "  applies when true\n  let a0 = order.qty\n"
        for i in 1...2000 { body += "  let a\(i) = a\(i - 1) + 1\n" }
        body += "  rule r alert \"m\" when a2000 > 0\n"
        let start = ContinuousClock.now
        let p = Self.program(body)
        #expect(p.codes == ["E0522"])
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    /// Doubling lets are counted, not built: a16 would have 196,607 nodes.
    @Test func aLetTooLargeIsRefusedWithoutBuildingIt() {
        var body = "  applies when true\n  let a0 = order.qty\n"
        for i in 1...40 { body += "  let a\(i) = a\(i - 1) + a\(i - 1)\n" }
        body += "  rule r alert \"m\" when a40 > 0\n  rule s alert \"m\" when a15 + a15 > 0\n"
        body += "  rule t alert \"m\" when a14 + a14 > 0\n"
        let start = ContinuousClock.now
        let p = Self.program(body)
        #expect(p.codes == ["E0522", "E0522"])
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    /// Many uses of a large let: the jurisdiction's total is bounded too.
    @Test func manyUsesOfALargeLetAreBoundedInAll() {
        var body = "  applies when true\n  let a0 = order.qty\n"
        for i in 1...14 { body += "  let a\(i) = a\(i - 1) + a\(i - 1)\n" }
        for i in 0..<40 { body += "  rule r\(i) alert \"m\" when a14 > \(i)\n" }
        let p = Self.program(body)
        #expect(p.codes == ["E0522"])
    }
}
