/// Table-driven tests of the typing rules: each expression, checked in a
/// rule over the harness prelude, has the given type (as declared types are
/// written) or reports exactly the given code.
import Testing
import WritSyntax
import WritValue

@testable import WritSema

struct TypingCase: CustomTestStringConvertible, Sendable {
    let expr: String
    /// A type (`money(EUR)`) or a diagnostic code (`E0403`).
    let expect: String
    init(_ expr: String, _ expect: String) {
        self.expr = expr
        self.expect = expect
    }
    var testDescription: String { "\(expr) ~ \(expect)" }
}

let arithmeticCases: [TypingCase] = [
    .init("order.n + 1", "int"),
    .init("order.n + 1.5", "decimal"),
    .init("order.qty * 2", "decimal"),
    .init("order.n / 2", "decimal"),
    .init("order.n % 3", "int"),
    .init("order.qty % 2", "E0402"),
    .init("order.eur + order.eur", "money(EUR)"),
    .init("order.eur + order.usd", "E0403"),
    .init("order.eur - order.notional", "money(EUR)"),
    .init("order.notional + order.price", "money"),
    .init("order.eur * 2", "money(EUR)"),
    .init("2 * order.eur", "money(EUR)"),
    .init("order.eur * 5%", "money(EUR)"),
    .init("order.eur * order.qty", "money(EUR)"),
    .init("order.eur / 4", "money(EUR)"),
    .init("order.eur / order.eur", "decimal"),
    .init("order.eur / order.usd", "E0403"),
    .init("order.eur * order.eur", "E0402"),
    .init("order.eur / 5%", "E0402"),
    .init("order.qty * 5%", "decimal"),
    .init("5% * order.qty", "percent"),
    .init("order.pct + 1%", "percent"),
    .init("order.pct / 2", "percent"),
    .init("order.pct / 1%", "decimal"),
    .init("order.pct * order.pct", "E0402"),
    .init("order.pct + order.qty", "E0402"),
    .init("order.eur + 5%", "E0402"),
    .init("order.eur + 5", "E0402"),
    .init("order.age + 10ms", "duration"),
    .init("order.age * 2", "duration"),
    .init("3 * order.age", "duration"),
    .init("order.age / 2", "duration"),
    .init("order.age * 1.5", "E0402"),
    .init("order.age + 5", "E0402"),
    .init("order.ts + 1h", "timestamp"),
    .init("1h + order.ts", "timestamp"),
    .init("order.ts - 1h", "timestamp"),
    .init("order.ts - order.ts", "duration"),
    .init("order.ts + order.ts", "E0402"),
    .init("-order.eur", "money(EUR)"),
    .init("-order.age", "duration"),
    .init("-order.flag", "E0402"),
    .init("!order.flag", "bool"),
    .init("!order.qty", "E0407"),
    .init("order.note + \"x\"", "string"),
    .init("order.legs + [1.5]", "list<decimal>"),
]

let comparisonCases: [TypingCase] = [
    .init("order.qty > 1", "bool"),
    .init("order.n == 1.0", "bool"),
    .init("order.venue == \"XETR\"", "bool"),
    .init("\"XETR\" == order.venue", "bool"),
    .init("order.currency == \"EUR\"", "bool"),
    .init("order.note == order.venue", "E0405"),
    .init("order.venue == 5", "E0405"),
    .init("order.eur > 5 EUR", "bool"),
    .init("order.eur > 5 USD", "E0403"),
    .init("order.notional > 5 USD", "bool"),
    .init("order.pct > 0.05", "E0405"),
    .init("order.pct > 5%", "bool"),
    .init("order.age > 5", "E0405"),
    .init("order.age >= 5ms", "bool"),
    .init("order.side == short", "bool"),
    .init("short == order.side", "bool"),
    .init("order.side != Side.short", "bool"),
    .init("order.ord_type == market", "bool"),
    .init("market == order.ord_type", "bool"),
    .init("order.side == OrdType.limit", "E0405"),
    .init("order.side < Side.sell", "E0406"),
    .init("order.flag < true", "E0406"),
    .init("order.open < 09:30", "bool"),
    .init("order.open < 09:30[Europe/Paris]", "E0417"),
    .init("order.note < \"b\"", "bool"),
    .init("order.ts > timestamp(\"2026-01-01T00:00:00Z\")", "bool"),
    .init("order.price == null", "E0405"),
    .init("order == order", "E0405"),
    .init("order.legs == [1.5]", "bool"),
]

let membershipAndLogicCases: [TypingCase] = [
    .init("order.venue in VENUES", "bool"),
    .init("order.venue in [\"XETR\", \"XPAR\"]", "bool"),
    .init("order.side in [buy, sell]", "bool"),
    .init("order.venue in venues", "bool"),
    .init("order.venue in blocked", "bool"),
    .init("order.qty in [1, 2.5]", "bool"),
    .init("order.n in order.legs", "bool"),
    .init("order.venue in order.attrs", "bool"),
    .init("\"XETR\" in order.tags", "bool"),
    .init("order.venue in \"XETR\"", "E0408"),
    .init("order.venue in [1, 2]", "E0408"),
    .init("order.note in VENUES", "E0408"),
    .init("order.flag && order.qty > 0", "bool"),
    .init("order.flag || order.n", "E0407"),
    .init("order.flag ? order.n : order.qty", "decimal"),
    .init("order.flag ? order.venue : \"XETR\"", "symbol"),
    .init("order.flag ? order.n : order.note", "E0401"),
    .init("order.n ? 1 : 2", "E0407"),
]

let selectionCases: [TypingCase] = [
    .init("order.prce", "E0302"),
    .init("order.qty.x", "E0418"),
    .init("venues[order.venue].tick", "decimal"),
    .init("venues[order.venue].currency", "currency"),
    .init("venues[order.venue].tik", "E0302"),
    .init("venues.tick", "E0418"),
    .init("venues[1]", "E0401"),
    .init("order.legs[0]", "decimal"),
    .init("order.attrs[\"k\"]", "int"),
    .init("order.qty[0]", "E0419"),
    .init("order.legs[\"a\"]", "E0401"),
    .init("market.reference", "money"),
    .init("order.algo", "symbol"),
    .init("MAX + cap", "E0402"),
    .init("nope", "E0301"),
    .init("Side", "E0312"),
    .init("Side.shrt", "E0308"),
    .init("short", "E0301"),
    .init("burst", "int"),
    .init("collar", "percent"),
    .init("KillScope.desk", "KillScope"),
]

let callCases: [TypingCase] = [
    .init("size(order.legs)", "int"),
    .init("order.legs.size()", "int"),
    .init("size(order.note)", "int"),
    .init("size(order.qty)", "E0413"),
    .init("has(order.algo)", "bool"),
    .init("has(order)", "E0413"),
    .init("order.note.startsWith(\"a\")", "bool"),
    .init("order.venue.contains(\"X\")", "bool"),
    .init("order.note.endsWith(order.note)", "bool"),
    .init("order.qty.startsWith(\"a\")", "E0413"),
    .init("order.note.startsWith(1)", "E0413"),
    .init("order.note.matches(\"^a+[0-9]{2,4}$\")", "bool"),
    .init("matches(order.note, \"^a\")", "bool"),
    .init("order.note.matches(\"(a\")", "E0414"),
    .init("order.note.matches(\"a{3,1}\")", "E0414"),
    .init("order.note.matches(\"*a\")", "E0414"),
    .init("order.note.matches(\"(?=a)\")", "E0414"),
    .init("order.note.matches(order.note)", "E0413"),
    .init("timestamp(\"2026-11-27T14:30:00Z\")", "timestamp"),
    .init("timestamp(\"2026-11-27T14:30:00+01:00\")", "timestamp"),
    .init("timestamp(\"2026-11-27 14:30\")", "E0415"),
    .init("timestamp(order.note)", "E0413"),
    .init("duration(\"1h30m\")", "duration"),
    .init("duration(\"1x\")", "E0415"),
    .init("abs(order.eur)", "money(EUR)"),
    .init("abs(order.note)", "E0413"),
    .init("min(order.n, 1.5)", "decimal"),
    .init("max(order.eur, 5 EUR)", "money(EUR)"),
    .init("min(order.eur, 5 USD)", "E0403"),
    .init("max(order.flag, true)", "E0413"),
    .init("int(order.qty)", "int"),
    .init("decimal(order.n)", "decimal"),
    .init("int(order.note)", "E0413"),
    .init("string(order.side)", "string"),
    .init("string(order.legs)", "E0413"),
    .init("sise(order.legs)", "E0304"),
    .init("order.legs.sise()", "E0304"),
    .init("size(order.legs, 1)", "E0412"),
    .init("rate(order.trader, 1s)", "int"),
    .init("rate(\"T-1\", 1s)", "int"),
    .init("rate(order.trader)", "E0412"),
    .init("rate(order.note, 1s)", "E0413"),
    .init("rate(order.trader, order.age)", "E0416"),
    .init("rate(order.trader, 0s)", "E0416"),
    .init("rate(order.trader, 25h)", "E0416"),
    .init("rate(order.trader, 5)", "E0416"),
    .init("window_sum(order.eur, order.account, 1d)", "money(EUR)"),
    .init("window_sum(order.qty * order.price, order.account, 1d)", "money"),
    .init("window_sum(order.flag, order.account, 1d)", "E0413"),
    .init("executions(order.algo, 1m)", "int"),
    .init("position(order.account, order.id)", "decimal"),
    .init("otr(order.trader, 1d)", "decimal"),
    .init("killed(trader, order.trader)", "bool"),
    .init("killed(KillScope.desk, order.trader)", "bool"),
    .init("killed(order.trader, order.trader)", "E0413"),
    .init("duplicate(order.id)", "bool"),
    .init("between(order.ts, 09:30[America/New_York], 10:00[America/New_York])", "bool"),
    .init("between(order.ts, 09:30[America/New_York], 10:00)", "E0417"),
    .init("between(order.qty, 09:30, 10:00)", "E0413"),
    .init("down(order.venue)", "E0306"),
    .init("security_incident()", "E0306"),
]

let macroAndLiteralCases: [TypingCase] = [
    .init("[1, 2, 3].all(x, x > 0)", "bool"),
    .init("VENUES.exists(v, v == order.venue)", "bool"),
    .init("[1, 2].map(x, x * 2)", "list<int>"),
    .init("[1, 2].filter(x, x > 1)", "list<int>"),
    .init("order.legs.exists_one(l, l > 0)", "bool"),
    .init("order.attrs.all(k, k != \"x\")", "bool"),
    .init("[1, 2].all(x, x)", "E0407"),
    .init("order.qty.all(x, x > 0)", "E0413"),
    .init("[1].all(x + 1, true)", "E0310"),
    .init("[1].all(x)", "E0412"),
    .init("NAMES.all(n, size(n) > 0)", "bool"),
    .init("[order.trader].exists(t, rate(t, 1s) > 1)", "E0306"),
    .init("5_000 EUX", "E0404"),
    .init("99999999999999999999", "E0423"),
    .init("1.123456789", "E0423"),
    .init("0.5ns", "E0423"),
    .init("1.5h", "duration"),
    .init("[1, \"a\"]", "E0401"),
    .init("[1, 2.5]", "list<decimal>"),
    .init("{\"a\": 1}", "map<string, int>"),
    .init("{\"a\": 1, \"b\": \"c\"}", "E0401"),
    .init("09:30", "timeofday"),
    .init("09:30[Asia/Tokyo]", "timeofday[Asia/Tokyo]"),
    .init("[]", "list<?>"),
]

@Suite struct TypingRuleTests {
    func verify(_ c: TypingCase) {
        let r = SemaHarness.type(c.expr)
        if c.expect.first == "E" || c.expect.first == "W" {
            #expect(r.codes == [c.expect], "\(c.expr): \(r.messages)")
        } else {
            #expect(r.codes.isEmpty, "\(c.expr): \(r.messages)")
            #expect(r.type.syntax == c.expect, "\(c.expr) has type \(r.type.syntax)")
        }
    }

    @Test(arguments: arithmeticCases) func arithmetic(_ c: TypingCase) { verify(c) }
    @Test(arguments: comparisonCases) func comparison(_ c: TypingCase) { verify(c) }
    @Test(arguments: membershipAndLogicCases) func membershipAndLogic(_ c: TypingCase) { verify(c) }
    @Test(arguments: selectionCases) func selectionAndNames(_ c: TypingCase) { verify(c) }
    @Test(arguments: callCases) func calls(_ c: TypingCase) { verify(c) }
    @Test(arguments: macroAndLiteralCases) func macrosAndLiterals(_ c: TypingCase) { verify(c) }

    @Test func failedOperatorsHaveTheErrorType() {
        for e in ["order.eur + 5%", "order.venue == 5", "nope", "size(order.qty)", "order.qty.x"] {
            #expect(SemaHarness.type(e).type == .error, "\(e)")
        }
    }

    @Test func hasOnARequiredFieldWarns() {
        let r = SemaHarness.type("has(order.qty)")
        #expect(r.codes == ["W0106"])
        #expect(r.type == .bool)
    }

    @Test func nothingIsReportedAboutAnErrorOperand() {
        // One unknown name deep inside arithmetic, comparison, logic and calls: one diagnostic.
        let r = SemaHarness.type(
            "abs((order.qty * nope + 1) / 2) > order.eur && order.side == short || size([nope]) > 0")
        #expect(r.codes == ["E0301", "E0301"], "\(r.messages)")
    }

    @Test func messagesNameTypesInTheUsersWords() {
        #expect(SemaHarness.type("order.eur + 5%").messages == ["cannot add percent to money in `EUR`"])
        #expect(SemaHarness.type("order.eur + order.usd").messages == ["cannot add `USD` money to `EUR` money"])
        #expect(SemaHarness.type("order.pct > 0.05").messages == ["cannot compare percent with decimal"])
        #expect(SemaHarness.type("order.age > 5").messages == ["cannot compare duration with int"])
        #expect(SemaHarness.type("order.venue in [1, 2]").messages == ["cannot look for a symbol in a list of ints"])
        #expect(SemaHarness.type("order.side < Side.sell").messages == ["`<` cannot order values of type `Side`"])
    }
}

@Suite struct EmptyListTests {
    @Test func anEmptyListTakesItsTypeFromTheContext() {
        #expect(SemaHarness.type("order.venue in []").codes.isEmpty)
        #expect(SemaHarness.type("order.venue in []").value == .bool(false))
        #expect(SemaHarness.type("order.legs == []").codes.isEmpty)
        #expect(SemaHarness.type("order.flag ? order.legs : []").type == .list(.decimal))
    }

    @Test func anEmptyListWithoutContextIsReportedWhereItIsNeeded() {
        #expect(SemaHarness.type("[].all(x, x > 0)").codes == ["E0424"])
        #expect(SemaHarness.type("[] + [1]").codes == ["E0424"])
        #expect(SemaHarness.type("size([]) == 0").codes.isEmpty)
        let c = SemaHarness.check(["const NONE = []\nconst N = size(NONE)"])
        #expect(c.result.diagnostics.filter { $0.severity == .error }.map(\.code.id) == ["E0424"])
    }
}
