/// The cost model: per-node costs, constants as one load, input fields as
/// one load, `in` sets and tables, stateful controls, regular expressions and
/// macros bounded by their list's size; budgets; unbounded macros.
import Testing
import WritSyntax
import WritValue

@testable import WritSema

@Suite struct CostTests {
    static let schema = """
        enum Side { buy, sell }
        schema order { qty: decimal, n: int, venue: symbol, trader: symbol, note: string, flag: bool, legs: list<decimal>, side: Side }
        set VENUES: symbol = ["XETR", "XPAR"]
        """

    /// The cost of each rule of a jurisdiction whose rules have these conditions.
    func ruleCosts(_ conditions: [String], budget: Int? = nil) -> (costs: [Int], total: Int, codes: [String]) {
        var src = Self.schema + "\njurisdiction J {\n  applies when true\n"
        if let budget { src += "  budget \(budget)\n" }
        for (i, c) in conditions.enumerated() { src += "  rule r\(i) alert \"m\" when \(c)\n" }
        src += "}\n"
        let c = SemaHarness.check([src])
        #expect(c.parse.isEmpty, "\(c.parse.map(\.message))")
        let j = c.result.costs.first { $0.name == "J" }
        let errors = c.result.diagnostics.filter { $0.severity == .error }
        return (j?.perRule.map(\.cost) ?? [], j?.cost ?? -1, errors.map(\.code.id))
    }

    @Test(arguments: [
        ("order.qty > 5", 3),  // field 1, constant 1, `>` 1
        ("order.venue in VENUES", 3),  // field 1, `in` a set 2
        ("order.venue in [\"XETR\", \"XPAR\"]", 3),  // a constant list is a set
        ("order.venue in [order.trader, \"X\"]", 5),  // field, list of (field, constant), `in`
        ("rate(order.trader, 1s) > 5", 7),  // control 4 + key 1, constant 1, `>` 1
        ("order.note.matches(\"^a+$\")", 17),  // regex 16 + subject 1
        ("[1, 2, 3].all(x, x > order.n)", 10),  // 1 + 3 × (x 1, field 1, `>` 1)
        ("[1, 2, 3].filter(x, x > 1).exists(y, y == order.n)", 20),  // filter 1 + 3×3, then exists 1 + 10 + 3×3
        ("order.flag ? order.qty > 1 : order.n + 1 > 2", 7),  // 1 + cond 1 + max(3, 5)
        ("!(order.side == Side.buy)", 4),
        ("size(order.legs) > 0", 4),
        ("order.flag && 1 + 2 > 2", 3),  // `1 + 2 > 2` folds to one constant
    ])
    func costOfOneCondition(_ c: (String, Int)) {
        let r = ruleCosts([c.0])
        #expect(r.codes.isEmpty, "\(c.0): \(r.codes)")
        #expect(r.costs == [c.1], "\(c.0)")
    }

    @Test func totalIsAppliesPlusRules() {
        let r = ruleCosts(["order.qty > 5", "order.venue in VENUES"])
        #expect(r.total == 1 + 3 + 3)
    }

    @Test func budgetExceededIsAnErrorAtTheBudget() {
        let r = ruleCosts(["rate(order.trader, 1s) > 5", "order.qty > 5"], budget: 10)
        #expect(r.codes == ["E0601"])
        let src =
            Self.schema
            + "\njurisdiction J {\n  applies when true\n  budget 10\n  rule big alert \"m\" when rate(order.trader, 1s) > 5 && rate(order.venue, 1s) > 5\n}\n"
        let c = SemaHarness.check([src])
        let d = c.result.diagnostics.first { $0.code == .budgetExceeded }
        #expect(d?.message == "jurisdiction `J` costs up to 16 instructions per order, over its budget of 10")
        #expect(d?.notes.first?.message == "the costliest rule, `big`, costs 15")
        #expect(ruleCosts(["order.qty > 5"], budget: 4).codes.isEmpty)
    }

    @Test func macroOverAFieldCannotBeBounded() {
        let r = ruleCosts(["order.legs.all(l, l > 0)", "order.legs.filter(l, l > 0).size() > 1"])
        #expect(r.codes == ["E0602", "E0602"])
    }

    @Test func costsAreReturnedOnlyWhenAsked() {
        var ids = NodeIDAllocator()
        let f = SourceFile(path: "a.writ", text: Self.schema + "\njurisdiction J { applies when order.flag }")
        let u = Parser.parse(f, fileIndex: 0, ids: &ids).unit
        let off = Checker.check(units: [u], files: [f], options: CheckOptions())
        #expect(off.costs.isEmpty)
        let on = Checker.check(units: [u], files: [f], options: CheckOptions(computeCost: true))
        #expect(on.costs.map(\.name) == ["J"])
        #expect(on.costs.first?.cost == 1)
    }

    /// `[1, 2].exists(x0, [1, 2].exists(x1, … order.n > 0))`, `depth` deep.
    static func nestedExists(_ depth: Int) -> String {
        var e = "order.n > 0"
        for k in 0..<depth { e = "[1, 2].exists(x\(k), \(e))" }
        return e
    }

    /// 64 nested macros over two elements cost 2^64: the sum saturates
    /// instead of trapping, and counts as over any budget (the unrolling
    /// limit, E0603, refuses it in any case).
    @Test func aCostTooLargeToCountSaturates() {
        let free = ruleCosts([Self.nestedExists(64)])
        #expect(free.codes == ["E0603"])
        #expect(free.costs == [Int.max])
        #expect(free.total == Int.max)
        let src =
            Self.schema
            + "\njurisdiction J {\n  applies when true\n  budget 1000\n  rule big alert \"m\" when \(Self.nestedExists(64))\n}\n"
        let c = SemaHarness.check([src])
        let d = c.result.diagnostics.filter { $0.code == .budgetExceeded }
        #expect(d.count == 1)
        #expect(
            d.first?.message
                == "jurisdiction `J` costs more instructions than can be counted per order, over its budget of 1000")
        #expect(d.first?.notes.first?.message == "the costliest rule, `big`, costs more instructions than can be counted")
        // Two such rules: the total saturates too.
        #expect(ruleCosts([Self.nestedExists(64), Self.nestedExists(63)]).total == Int.max)
    }

    /// The macros of one condition unroll to at most 5,000 instructions:
    /// nested macros multiply, several in one condition add up; reported
    /// once, at the outermost macro that crosses the limit.
    @Test func macrosUnrollToALimitedSize() {
        // 1 + 1,000 × (x, field, constant, `+`, `==`): 5,001 with the macro itself.
        let list = "[" + (0..<1_000).map(String.init).joined(separator: ", ") + "]"
        #expect(ruleCosts(["\(list).exists(x, x == order.n + 1)"]).codes.isEmpty)
        let big = "[" + (0..<1_001).map(String.init).joined(separator: ", ") + "]"
        #expect(ruleCosts(["\(big).exists(x, x == order.n + 1)"]).codes == ["E0603"])
        #expect(ruleCosts([Self.nestedExists(10)]).codes.isEmpty)
        #expect(ruleCosts([Self.nestedExists(11)]).codes == ["E0603"])
        #expect(ruleCosts(["\(list).exists(x, x == order.n + 1) || \(list).all(y, y != order.n)"]).codes == ["E0603"])
        // Per condition: two rules each under the limit are fine.
        #expect(ruleCosts(["\(list).exists(x, x == order.n + 1)", "\(list).all(y, y != order.n + 1)"]).codes.isEmpty)
        let src =
            Self.schema
            + "\njurisdiction J {\n  applies when true\n  rule big alert \"m\" when \(Self.nestedExists(20))\n}\n"
        let d = SemaHarness.check([src]).result.diagnostics.filter { $0.code == .unrolledTooFar }
        #expect(d.map(\.message) == ["`exists` over 2 elements unrolls to 4194302 instructions, more than the limit of 5000"])
    }
}
