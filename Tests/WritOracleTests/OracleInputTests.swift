/// The oracle's input and output: lines that cannot be decoded (each a
/// reject naming the field and the problem, processing going on), order
/// ids that are not live, market records, the exact decision line.

import Testing
import WritOracle
import WritSema

@Suite struct OracleInputTests {
    static func oracle() -> Oracle {
        Oracle(
            program: OracleFixtures.program(
                """
                import "schema.writ"
                jurisdiction T "T" {
                  applies when true
                  rule collar reject "price is more than 5% away from the reference price" cite "RTS 6 Art. 15(1)(a)"
                    when order.ord_type == limit && abs(order.price - market.reference) > market.reference * 5%
                  rule watch alert "watched account" when order.account == "A-W"
                }
                """))
    }

    static let ts = "2026-11-27T14:30:00Z"

    @Test(arguments: [
        // A line broken after its id still names it.
        (#"{"event":"new","id":"O-9","ts":"2026-"#, "O-9", "the line is not valid JSON"),
        (#"{"event":"new","id":"O-"#, "line 1", "the line is not valid JSON"),
        ("hello", "line 1", "the line is not valid JSON"),
        ("[1,2]", "line 1", "the line is not a JSON object"),
        (#"{"id":"O-1","ts":"2026-11-27T14:30:00Z"}"#, "O-1", "missing field `event`"),
        (#"{"event":"replace","id":"O-1"}"#, "O-1", "unknown event `replace`"),
        (#"{"event":7,"id":"O-1"}"#, "O-1", "field `event` must be a string"),
        (#"{"event":"market","symbol":"SAP","venue":"XETR","ts":"2026-11-27T14:30:00Z","reference":"abc"}"#, "line 1",
         "field `reference` is not a decimal: `abc`"),
        (#"{"event":"control","action":"explode","scope":"trader","key":"T-1","ts":"2026-11-27T14:30:00Z"}"#, "line 1",
         "field `action` is not a case of `ControlAction`: `explode`"),
        (#"{"event":"cancel","id":"O-1"}"#, "O-1", "missing field `ts`"),
    ])
    func malformedLines(line: String, id: String, reason: String) {
        let o = Self.oracle()
        #expect(
            o.process(line: line)
                == "{\"id\":\"\(id)\",\"verdict\":\"reject\",\"jurisdictions\":[],\"rules\":[],\"reasons\":[\"\(reason)\"],\"citations\":[],\"reject_code\":99}")
    }

    @Test(arguments: [
        (["qty": "12.3.4"], [String](), "field `qty` is not a decimal: `12.3.4`"),
        (["qty": "1e5"], [], "field `qty` is not a decimal: `1e5`"),
        (["qty": "1.123456789"], [], "field `qty` is not a decimal: `1.123456789`"),
        (["ts": "2026-13-01T00:00:00Z"], [], "field `ts` is not an RFC 3339 timestamp: `2026-13-01T00:00:00Z`"),
        (["ts": "2026-11-27T14:30:00"], [], "field `ts` is not an RFC 3339 timestamp: `2026-11-27T14:30:00`"),
        (["side": "sideways"], [], "field `side` is not a case of `Side`: `sideways`"),
        ([:], ["account"], "missing field `account`"),
        ([:], ["currency"], "missing field `currency`"),
    ])
    func malformedOrders(set: [String: String], drop: [String], reason: String) {
        let o = Self.oracle()
        let d = o.decide(Lines.order("new", "O-1", at: Self.ts, set, drop: drop))
        #expect(d?.id == "O-1")
        #expect(d?.verdict == "reject")
        #expect(d?.reasons == [reason])
    }

    @Test func wrongJSONTypes() {
        let o = Self.oracle()
        let good = Lines.order("new", "O-1", at: Self.ts)
        let cases = [
            (good.replacingOccurrences(of: "\"account\":\"A-1\"", with: "\"account\":5"), "field `account` must be a string"),
            (good.replacingOccurrences(of: "\"qty\":\"100\"", with: "\"qty\":true"), "field `qty` must be a decimal string or a number"),
        ]
        for (line, reason) in cases {
            #expect(o.decide(line)?.reasons == [reason])
        }
        // Quantities may be JSON integers; `null` is an absent field.
        let numeric = good.replacingOccurrences(of: "\"qty\":\"100\"", with: "\"qty\":100")
        #expect(o.decide(numeric.replacingOccurrences(of: "\"O-1\"", with: "\"O-2\""))?.reasons == [
            "T.collar could not be evaluated: market.reference is missing"
        ])
        let nullAlgo = good.replacingOccurrences(of: "\"id\":\"O-1\"", with: "\"id\":\"O-3\",\"algo\":null")
        #expect(o.decide(nullAlgo)?.verdict == "reject")
    }

    @Test func processingGoesOnAfterBadLines() {
        let o = Self.oracle()
        let out = o.run([
            "{", Lines.market(at: Self.ts, ["reference": "100.00"]), "",
            Lines.order("new", "O-1", at: Self.ts, ["qty": "x"]), Lines.order("new", "O-2", at: Self.ts),
        ])
        #expect(out[0] == "{\"id\":\"line 1\",\"verdict\":\"reject\",\"jurisdictions\":[],\"rules\":[],\"reasons\":[\"the line is not valid JSON\"],\"citations\":[],\"reject_code\":99}")
        #expect(out[1] == nil)
        #expect(out[2] == nil)  // a blank line is skipped
        #expect(ParsedDecision(out[3])?.reasons == ["field `qty` is not a decimal: `x`"])
        #expect(out[4] == "{\"id\":\"O-2\",\"verdict\":\"allow\",\"jurisdictions\":[\"T\"],\"rules\":[],\"reasons\":[],\"citations\":[]}")
    }

    @Test func modifiesAndCancelsNeedALiveOrder() {
        let o = Self.oracle()
        _ = o.process(line: Lines.market(at: Self.ts, ["reference": "100.00"]))
        let unknown = "{\"id\":\"O-1\",\"verdict\":\"reject\",\"jurisdictions\":[],\"rules\":[],\"reasons\":[\"unknown order id\"],\"citations\":[],\"reject_code\":99}"
        #expect(o.process(line: Lines.order("modify", "O-1", at: Self.ts)) == unknown)
        #expect(o.process(line: Lines.cancel("O-1", at: Self.ts)) == unknown)
        // A rejected new does not become live.
        #expect(o.decide(Lines.order("new", "O-1", at: Self.ts, ["price": "200.00"]))?.verdict == "reject")
        #expect(o.process(line: Lines.cancel("O-1", at: Self.ts)) == unknown)
        #expect(o.decide(Lines.order("new", "O-1", at: Self.ts))?.verdict == "allow")
        // A modify that is rejected leaves the order live as it was.
        #expect(o.decide(Lines.order("modify", "O-1", at: Self.ts, ["price": "200.00"]))?.rules == ["T.collar"])
        #expect(o.process(line: Lines.cancel("O-1", at: Self.ts)) == "{\"id\":\"O-1\",\"verdict\":\"allow\",\"jurisdictions\":[],\"rules\":[],\"reasons\":[],\"citations\":[]}")
        #expect(o.process(line: Lines.cancel("O-1", at: Self.ts)) == unknown)
    }

    @Test func marketRecordsAreReplacedFieldByField() {
        let o = Self.oracle()
        _ = o.process(line: Lines.market(at: Self.ts, ["reference": "100.00", "prior_close": "99"]))
        _ = o.process(line: Lines.market(at: Self.ts, ["prior_close": "98"]))
        #expect(o.decide(Lines.order("new", "O-1", at: Self.ts, ["price": "104.99"]))?.verdict == "allow")
        #expect(o.decide(Lines.order("new", "O-2", at: Self.ts, ["price": "105.01"]))?.rules == ["T.collar"])
        _ = o.process(line: Lines.market(at: Self.ts, ["reference": "110"]))
        #expect(o.decide(Lines.order("new", "O-3", at: Self.ts, ["price": "105.01"]))?.verdict == "allow")
        // The market's currency is derived from the venues table (EUR on XETR).
        let usd = o.decide(Lines.order("new", "O-4", at: Self.ts, ["price": "105.01", "currency": "USD"]))
        #expect(usd?.reasons == ["T.collar could not be evaluated: currency mismatch: USD vs EUR"])
        // Another venue of the same symbol has no market record.
        let other = o.decide(Lines.order("new", "O-5", at: Self.ts, ["venue": "XPAR"]))
        #expect(other?.reasons == ["T.collar could not be evaluated: market.reference is missing"])
    }

    @Test func fieldsGivenTwiceAreRefused() {
        let o = Self.oracle()
        let line = Lines.order("new", "O-1", at: Self.ts, [:])
        let twice = line.replacingOccurrences(of: #""event":"new","#, with: #""event":"new","event":"new","#)
        #expect(o.process(line: twice)?.contains("field `event` is given twice") == true)
        let id = line.replacingOccurrences(of: #""id":"O-1""#, with: #""id":"O-1","id":"O-2""#)
        #expect(o.process(line: id)?.contains("field `id` is given twice") == true)
    }

    @Test func decisionLinesEscapeStrings() {
        let o = Self.oracle()
        _ = o.process(line: Lines.market(at: Self.ts, ["reference": "100.00"]))
        let line = Lines.order("new", "X", at: Self.ts, ["account": "A-W"]).replacingOccurrences(of: "\"id\":\"X\"", with: #""id":"O-\"1\\\u00e9""#)
        #expect(
            o.process(line: line)
                == #"{"id":"O-\"1\\é","verdict":"allow","jurisdictions":["T"],"rules":["T.watch"],"reasons":["watched account"],"citations":[""]}"#)
    }
}
