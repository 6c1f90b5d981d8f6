/// Constant folding: exact values for constant subexpressions, short
/// circuits, lookups into constant collections and tables, and errors for
/// overflow and division by zero.
import Testing
import WritSyntax
import WritValue

@testable import WritSema

struct FoldCase: CustomTestStringConvertible, Sendable {
    let expr: String
    /// The folded value as Writ prints it.
    let value: String
    init(_ expr: String, _ value: String) {
        self.expr = expr
        self.value = value
    }
    var testDescription: String { "\(expr) = \(value)" }
}

let foldCases: [FoldCase] = [
    .init("1 + 2", "3"),
    .init("10 / 4", "2.5"),
    .init("1 / 3", "0.33333333"),
    .init("2 / 3", "0.66666667"),
    .init("7 % 3", "1"),
    .init("-7 % 3", "-1"),
    .init("1.5 * 2", "3.0"),
    .init("0.1 + 0.2", "0.3"),
    .init("5_000 EUR * 2", "10000 EUR"),
    .init("100 EUR * 5%", "5 EUR"),
    .init("100 EUR / 8", "12.5 EUR"),
    .init("100 EUR / 8 EUR", "12.5"),
    .init("200 * 5%", "10.0"),
    .init("5% * 2", "10%"),
    .init("5% + 2.5%", "7.5%"),
    .init("1h + 30m", "90m"),
    .init("1.5h", "90m"),
    .init("1s / 4", "250ms"),
    .init("timestamp(\"2026-11-27T14:30:00Z\") + 1h", "timestamp(\"2026-11-27T15:30:00Z\")"),
    .init("timestamp(\"2026-11-27T15:30:00+01:00\")", "timestamp(\"2026-11-27T14:30:00Z\")"),
    .init("timestamp(\"2026-11-27T14:30:00.25Z\") - timestamp(\"2026-11-27T14:30:00Z\")", "250ms"),
    .init("duration(\"1h30m\")", "90m"),
    .init("duration(\"-1.5s\")", "-1500ms"),
    .init("MAX * 2", "200"),
    .init("burst", "200"),
    .init("cap * 2", "2000 EUR"),
    .init("\"XETR\" in VENUES", "true"),
    .init("\"XNYS\" in VENUES", "false"),
    .init("size(VENUES)", "2"),
    .init("max(1, 2.5)", "2.5"),
    .init("min(3 EUR, 2 EUR)", "2 EUR"),
    .init("abs(-5 EUR)", "5 EUR"),
    .init("int(2.9)", "2"),
    .init("int(-2.9)", "-2"),
    .init("decimal(3)", "3.0"),
    .init("string(Side.buy)", "\"buy\""),
    .init("string(1.50)", "\"1.5\""),
    .init("false && order.flag", "false"),
    .init("order.flag && false", "false"),
    .init("order.flag || true", "true"),
    .init("!true", "false"),
    .init("true ? 1 : 2", "1"),
    .init("[1, 2][1]", "2"),
    .init("{\"a\": 1}[\"a\"]", "1"),
    .init("venues[\"XETR\"].tick", "0.01"),
    .init("\"XETR\" in venues", "true"),
    .init("09:30 < 10:00", "true"),
    .init("\"abc\".startsWith(\"ab\")", "true"),
    .init("\"b\" > \"abc\"", "true"),
    .init("[1, 2] == [1, 2.0]", "true"),
    .init("Side.buy == buy", "true"),
    .init("[\"x\", \"y\"].size()", "2"),
    .init("size(\"héllo\")", "5"),
]

@Suite struct FoldingTests {
    @Test(arguments: foldCases) func folds(_ c: FoldCase) {
        let r = SemaHarness.type(c.expr)
        #expect(r.codes.isEmpty, "\(c.expr): \(r.messages)")
        #expect(r.value?.description == c.value, "\(c.expr) folded to \(r.value?.description ?? "nothing")")
    }

    @Test func inputsDoNotFold() {
        for e in ["order.qty + 1", "order.flag && true", "order.flag ? 1 : 2", "rate(order.trader, 1s)"] {
            #expect(SemaHarness.type(e).value == nil, "\(e)")
        }
    }

    @Test(arguments: [
        ("9_223_372_036_854_775_807 + 1", "E0410"),
        ("-(-9_223_372_036_854_775_807 - 1)", "E0410"),
        ("3_037_000_500 * 3_037_000_500", "E0410"),
        ("100_000_000_000_000_000_000_000_000_000.0 * 1_000.0", "E0410"),
        ("1 / 0", "E0411"),
        ("5 % 0", "E0411"),
        ("order.qty / 0", "E0411"),
        ("1.5 / 0.0", "E0411"),
        ("100 EUR / 0", "E0411"),
        ("int(99_999_999_999_999_999_999.0)", "E0410"),
        ("106_751d * 2", "E0410"),
    ])
    func arithmeticErrorsAreReported(_ c: (String, String)) {
        let r = SemaHarness.type(c.0)
        #expect(r.codes == [c.1], "\(c.0): \(r.messages)")
        #expect(r.type == .error)
    }

    @Test func overflowMessageNamesTheExpression() {
        let r = SemaHarness.type("9_223_372_036_854_775_807 + 1")
        #expect(r.messages == ["`9_223_372_036_854_775_807 + 1` overflows"])
    }

    @Test func intsWidenToDecimalsInMixedArithmetic() {
        let r = SemaHarness.type("order.n * 1.5")
        guard case .binary(_, let l, let rhs) = r.expr.kind else {
            Issue.record("not a binary expression")
            return
        }
        #expect(r.program.conversions[l.id] == .decimal)
        #expect(r.program.types[rhs.id] == .decimal)
        // A constant int is converted in place.
        let c = SemaHarness.type("order.qty > 2")
        guard case .binary(_, _, let two) = c.expr.kind else {
            Issue.record("the expression does not have the shape this test reads")
            return
        }
        #expect(c.program.constants[two.id] == .decimal(Fixed(2)))
        #expect(c.program.types[two.id] == .decimal)
    }

    @Test func stringLiteralsBecomeSymbols() {
        let r = SemaHarness.type("order.venue in [\"XETR\", \"XPAR\"]")
        guard case .binary(_, _, let list) = r.expr.kind else {
            Issue.record("the expression does not have the shape this test reads")
            return
        }
        #expect(r.program.types[list.id] == .list(.symbol))
        #expect(r.program.constants[list.id] == .list([.symbol("XETR"), .symbol("XPAR")]))
    }
}

@Suite struct ValueTests {
    @Test func printsWritLiterals() {
        #expect(Value.decimal(Fixed(5)).description == "5.0")
        #expect(Value.decimal(Fixed("0.125")!).description == "0.125")
        #expect(Value.money(Fixed(5_000_000), currency: "EUR").description == "5000000 EUR")
        #expect(Value.percent(Fixed("2.5")!).description == "2.5%")
        #expect(Value.duration(5_400_000_000_000).description == "90m")
        #expect(Value.duration(1_500_000_000).description == "1500ms")
        #expect(Value.duration(0).description == "0s")
        #expect(Value.duration(86_400_000_000_000).description == "1d")
        #expect(Value.timestamp(0).description == "timestamp(\"1970-01-01T00:00:00Z\")")
        #expect(Value.timestamp(-1).description == "timestamp(\"1969-12-31T23:59:59.999999999Z\")")
        #expect(Value.timeOfDay(seconds: 34_200, zone: "UTC").description == "09:30")
        #expect(Value.timeOfDay(seconds: 34_215, zone: "Europe/Paris").description == "09:30:15[Europe/Paris]")
        #expect(Value.enumCase(type: "Side", case: "buy").description == "Side.buy")
        #expect(Value.string("a\"b\\c\n").description == "\"a\\\"b\\\\c\\n\"")
        #expect(Value.symbol("XETR").description == "\"XETR\"")
        #expect(Value.list([.int(1), .int(2)]).description == "[1, 2]")
        #expect(Value.map([Value.Entry(key: .string("a"), value: .bool(true))]).description == "{\"a\": true}")
        #expect(Value.null.description == "null")
    }

    @Test func calendarRoundTrips() {
        for days: Int64 in [-719_468, -1, 0, 1, 11_016, 20_419, 106_751] {
            let (y, m, d) = Value.civil(fromDays: days)
            #expect(Value.days(year: y, month: m, day: d) == days)
        }
        #expect(Value.civil(fromDays: 20_785) == (2026, 11, 28))
    }

    @Test func timestampsParseAsRFC3339() throws {
        #expect(try TimeLiterals.parseTimestamp("2026-11-27T14:30:00Z").get() == 1_795_789_800_000_000_000)
        #expect(try TimeLiterals.parseTimestamp("2024-02-29T00:00:00Z").get() > 0)
        for bad in [
            "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T14:30:00",
            "2026-11-27", "2026-11-27T14:30:00.Z", "3000-01-01T00:00:00Z",
        ] {
            #expect(throws: Reason.self) { try TimeLiterals.parseTimestamp(bad).get() }
        }
    }

    @Test func durationsParseAsCEL() throws {
        #expect(try TimeLiterals.parseDuration("1h30m").get() == 5_400_000_000_000)
        #expect(try TimeLiterals.parseDuration("250ms").get() == 250_000_000)
        #expect(try TimeLiterals.parseDuration("1.5us").get() == 1_500)
        #expect(try TimeLiterals.parseDuration("0").get() == 0)
        for bad in ["", "5", "1d", "1h 30m", "h", "0.5ns", "1e3s"] {
            #expect(throws: Reason.self) { try TimeLiterals.parseDuration(bad).get() }
        }
    }
}
