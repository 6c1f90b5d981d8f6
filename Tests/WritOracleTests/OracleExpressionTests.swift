/// The oracle's expressions: CEL's commutative error semantics, exact
/// arithmetic and its failures, tables, macros, `has`, percent, `between`.

import Testing
import WritOracle
import WritSema

@Suite struct OracleExpressionTests {
    /// An oracle for one jurisdiction `T` that always applies, with these rules.
    static func oracle(_ rules: String, applies: String = "true") -> Oracle {
        Oracle(program: OracleFixtures.program("import \"schema.writ\"\njurisdiction T \"T\" {\n  applies when \(applies)\n\(rules)\n}\n"))
    }

    @Test func commutativeAndOr() {
        let o = Self.oracle(
            """
              rule false_and_error alert "1" when order.qty < 0 && order.algo == "X"
              rule error_and_false alert "2" when order.algo == "X" && order.qty < 0
              rule true_or_error alert "3" when order.qty > 0 || order.algo == "X"
              rule error_or_true alert "4" when order.algo == "X" || order.qty > 0
              rule error_and_true alert "5" when order.algo == "X" && order.qty > 0
              rule both_errors alert "6" when order.algo == "X" && order.locate_id == "L"
              rule ternary_untaken alert "7" when order.qty > 0 ? true : order.algo == "X"
              rule ternary_error alert "8" when order.algo == "X" ? true : false
            """)
        let d = o.process(line: Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))
        #expect(
            d == """
                {"id":"O-1","verdict":"reject","jurisdictions":["T"],"rules":["T.true_or_error","T.error_or_true",\
                "T.error_and_true","T.both_errors","T.ternary_untaken","T.ternary_error"],"reasons":["3","4",\
                "T.error_and_true could not be evaluated: order.algo is missing",\
                "T.both_errors could not be evaluated: order.algo is missing","7",\
                "T.ternary_error could not be evaluated: order.algo is missing"],"citations":["","","","","",""],\
                "reject_code":99}
                """)
        // With the field present, nothing fails.
        let ok = o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:01Z", ["algo": "Y"]))
        #expect(ok?.verdict == "allow")
        #expect(ok?.rules == ["T.true_or_error", "T.error_or_true", "T.ternary_untaken"])
    }

    @Test func arithmeticFailsClosed() {
        let o = Self.oracle(
            """
              rule overflow alert "o" when order.qty * 1000000000000000000.0 > 0
              rule by_zero alert "z" when order.qty / (order.qty - 10000000000000) > 1
              rule mismatch alert "m" when order.price > 5 EUR
              rule int_overflow alert "i" when int(order.qty) * 9223372036854775807 > 0
              rule no_row alert "n" when venues[order.venue].currency == order.currency
            """)
        let d = o.decide(
            Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z", ["qty": "10000000000000", "currency": "USD", "venue": "XXXX"]))
        #expect(d?.verdict == "reject")
        #expect(
            d?.reasons == [
                "T.overflow could not be evaluated: decimal overflow",
                "T.by_zero could not be evaluated: division by zero",
                "T.mismatch could not be evaluated: currency mismatch: USD vs EUR",
                "T.int_overflow could not be evaluated: int overflow",
                "T.no_row could not be evaluated: no row for \"XXXX\" in venues",
            ])
        let fine = o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:00Z", ["qty": "1"]))
        #expect(fine?.rules == ["T.overflow", "T.mismatch", "T.int_overflow", "T.no_row"])
        #expect(fine?.verdict == "allow")
    }

    @Test func percentScalesAndRoundsHalfEven() {
        let o = Self.oracle(
            """
              rule five_percent alert "p" when order.qty * 5% > 5
              rule half_even alert "h" when order.qty / 2 == 0
              rule money_percent alert "m" when order.price * 2.5% == 2.5 EUR
            """)
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z", ["qty": "100"]))?.rules == ["T.money_percent"])
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:00Z", ["qty": "101"]))?.rules == ["T.five_percent", "T.money_percent"])
        // 0.00000001 / 2 is 0.000000005: half to even gives 0.
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:00Z", ["qty": "0.00000001"]))?.rules == ["T.half_even", "T.money_percent"])
    }

    @Test func macrosUseCommutativeErrors() {
        let o = Self.oracle(
            """
              rule exists_decides alert "e" when [0, 1].exists(x, order.qty / x > 1)
              rule all_fails alert "a" when [0, 1].all(x, order.qty / x > 1)
              rule all_false alert "f" when [0, 1000].all(x, order.qty / x > 1)
              rule exists_one alert "o" when [1, 2, 3].exists_one(x, x == int(order.qty) / 50)
              rule filtered alert "s" when size([1, 2, 3, 4].filter(x, x > 2)) == 2
              rule mapped alert "m" when [1, 2].map(x, x * 2) == [2, 4]
            """)
        let d = o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z", ["qty": "100"]))
        #expect(d?.rules == ["T.exists_decides", "T.all_fails", "T.exists_one", "T.filtered", "T.mapped"])
        #expect(d?.reasons[1] == "T.all_fails could not be evaluated: division by zero")
    }

    @Test func tablesSetsAndHas() {
        let o = Self.oracle(
            """
              rule known alert "k" when order.venue in venues
              rule eu alert "e" when order.venue in EU_VENUES
              rule algo alert "a" when has(order.algo)
              rule row alert "r" when venues[order.venue].tz == "Europe/Berlin"
            """)
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))?.rules == ["T.known", "T.eu", "T.row"])
        let unknown = o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:00Z", ["venue": "XXXX", "algo": "A"]))
        #expect(unknown?.rules == ["T.algo", "T.row"])
        #expect(unknown?.reasons.last == "T.row could not be evaluated: no row for \"XXXX\" in venues")
    }

    @Test func stringFunctions() {
        let o = Self.oracle(
            """
              rule contains alert "c" when order.account.contains("-1")
              rule starts alert "s" when order.isin.startsWith("DE")
              rule ends alert "e" when order.isin.endsWith("600")
              rule text alert "t" when string(order.side) + "/" + string(order.qty) == "buy/100"
              rule length alert "l" when size(order.isin) == 12
              rule pattern alert "p" when order.isin.matches("^[A-Z]{2}[0-9]{10}$")
            """)
        let d = o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z", ["account": "A-12", "isin": "DE0007164600"]))
        #expect(d?.rules == ["T.contains", "T.starts", "T.ends", "T.text", "T.length", "T.pattern"])
        let other = o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:00Z", ["account": "A-2", "isin": "de000716460", "side": "sell"]))
        #expect(other?.rules == [])
        // Without an isin every rule reading it fails (A-1 contains "-1").
        let none = o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:00Z"))
        #expect(none?.rules == ["T.contains", "T.starts", "T.ends", "T.text", "T.length", "T.pattern"])
        #expect(none?.reasons.filter { $0.hasSuffix("could not be evaluated: order.isin is missing") }.count == 4)
    }

    @Test func betweenReadsLocalTimeWithAnOpenEnd() {
        let o = Self.oracle("  rule opening alert \"o\" when between(order.ts, 09:30[America/New_York], 09:45[America/New_York])")
        // 2026-11-27 is in winter time: 09:30 in New York is 14:30 UTC.
        #expect(o.decide(Lines.order("new", "O-1", at: "2026-11-27T14:29:59.999999999Z"))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:00Z"))?.rules == ["T.opening"])
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T09:44:59+00:00"))?.rules == [])
        #expect(o.decide(Lines.order("new", "O-4", at: "2026-11-27T14:44:59.999999999Z"))?.rules == ["T.opening"])
        #expect(o.decide(Lines.order("new", "O-5", at: "2026-11-27T14:45:00Z"))?.rules == [])
        // In summer time (EDT) it is 13:30 UTC.
        #expect(o.decide(Lines.order("new", "O-6", at: "2026-06-15T13:30:00Z"))?.rules == ["T.opening"])
    }

    @Test func appliesThatFailsRejects() {
        let o = Self.oracle("  rule r alert \"r\" when true", applies: "order.algo == \"X\"")
        let d = o.process(line: Lines.order("new", "O-1", at: "2026-11-27T14:30:00Z"))
        #expect(
            d == """
                {"id":"O-1","verdict":"reject","jurisdictions":[],"rules":[],"reasons":\
                ["cannot decide whether T applies: order.algo is missing"],"citations":[],"reject_code":99}
                """)
        #expect(o.decide(Lines.order("new", "O-2", at: "2026-11-27T14:30:00Z", ["algo": "X"]))?.rules == ["T.r"])
        #expect(o.decide(Lines.order("new", "O-3", at: "2026-11-27T14:30:00Z", ["algo": "Y"]))?.verdict == "allow")
    }
}
