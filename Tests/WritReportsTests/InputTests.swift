/// Reading the inputs: the sample day's lines, exact decimals and
/// nanosecond times, decisions paired with their events, day selection, and
/// errors that name the line and the field.
import Testing
import WritValue

@testable import WritReports

@Suite struct InputTests {
    @Test func theSampleDay() throws {
        let day = try Fixtures.day
        #expect(day.orders.count == 15 && day.decisions.count == 16 && day.fills.count == 9)
        #expect(day.killSwitches.count == 2 && day.drChanges.count == 2)
        let e1 = try #require(day.fills.first { $0.execID == "E-1" })
        #expect(e1.price == Fixed("123.4")! && e1.quantity == Fixed(400) && e1.capacity == .dealing)
        #expect(e1.timestamp == ReportDate.ns("2026-11-27T08:30:01.25Z"))
        let joined = try #require(day.joinedFills().first { $0.execID == "E-3" })
        #expect(joined.side == .short && joined.symbol == "TTE")
        let o3 = try #require(day.decisions.first { $0.orderID == "O-3" })
        #expect(o3.rules.map(\.severity) == [.reject, .hold] && o3.rules[0].regime == "EU")
        let refused = try #require(day.decisions.first { $0.orderID == "line 44" })
        #expect(refused.problem == "missing field `qty`")
    }

    @Test func timestamps() {
        #expect(RFC3339.nanoseconds("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.nanoseconds("2026-11-27T14:30:00.000123Z") == ReportDate.ns("2026-11-27T14:30:00Z") + 123_000)
        #expect(RFC3339.nanoseconds("2026-11-27T15:30:00+01:00") == ReportDate.ns("2026-11-27T14:30:00Z"))
        #expect(
            RFC3339.nanoseconds("2026-11-27t14:30:00.123456789z") == ReportDate.ns("2026-11-27T14:30:00Z") + 123_456_789
        )
        for bad in [
            "2026-02-30T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T14:30:00", "2026-11-27T14:30:00.Z",
            "2026-11-27T14:30:00.1234567891Z", "2026-11-27 14:30:00Z",
        ] {
            #expect(RFC3339.nanoseconds(bad) == nil, "\(bad)")
        }
        var b = TextBuffer()
        for (ns, text) in [
            (Int64(0), "1970-01-01T00:00:00Z"), (1_500_000_000, "1970-01-01T00:00:01.500Z"),
            (1_000_001_000, "1970-01-01T00:00:01.000001Z"), (1_000_000_001, "1970-01-01T00:00:01.000000001Z"),
        ] {
            b.removeAll()
            b.appendTimestamp(ns)
            #expect(b.string == text)
        }
    }

    @Test func decimals() {
        var b = TextBuffer()
        for (text, canonical) in [
            ("123.40", "123.4"), ("400", "400"), ("-0.5", "-0.5"), ("0.00000001", "0.00000001"),
            ("12345678901234567890.5", "12345678901234567890.5"),
        ] {
            b.removeAll()
            b.appendDecimal(Fixed(text)!)
            #expect(b.string == canonical)
        }
        #expect(TextFormat.digits(Fixed("123.456")!) == (3, 3))
        #expect(TextFormat.digits(Fixed("0")!) == (1, 0))
    }

    @Test func reportDates() throws {
        let d = try #require(ReportDate("2026-11-27"))
        #expect(d.compact == "20261127" && d.compactNumber == 20_261_127 && d.description == "2026-11-27")
        #expect(
            d.contains(ReportDate.ns("2026-11-27T23:59:59.999999999Z"))
                && !d.contains(ReportDate.ns("2026-11-28T00:00:00Z")))
        #expect(ReportDate(containing: ReportDate.ns("2026-11-27T12:00:00Z")) == d)
        #expect(ReportDate("2026-02-29") == nil && ReportDate("26-11-27") == nil)
        // Only days whose nanoseconds fit an Int64 (9999-12-31 trapped the report before).
        #expect(ReportDate("9999-12-31") == nil && ReportDate("2262-04-12") == nil && ReportDate("1969-12-31") == nil)
        let last = try #require(ReportDate("2262-04-11"))
        #expect(last == ReportDate.last && last.endNanoseconds == Int64.max && last.contains(Int64.max - 1))
        #expect(ReportDate(containing: Int64.max) == last)
        let day = try Fixtures.day
        #expect(day.on(ReportDate("2026-11-28")!).orders.isEmpty)
        #expect(day.on(d).orders.count == day.orders.count)
    }

    @Test func badLinesAreNamed() {
        let cases: [(String, String)] = [
            ("{\"event\":\"fill\",\"id\":\"O-1\"}", "line 1: fill event: missing field `exec_id`"),
            (
                "\n{\"event\":\"new\",\"id\":\"O-1\",\"ts\":\"2026-11-27T10:00:00Z\",\"qty\":\"1e5\"}",
                "line 2: order event: field `qty` is not a decimal: `1e5`"
            ),
            (
                "{\"event\":\"new\",\"id\":\"O-1\",\"ts\":\"yesterday\"}",
                "line 1: order event: field `ts` is not an RFC 3339 timestamp: `yesterday`"
            ),
            (
                "{\"event\":\"new\",\"id\":\"O-1\",\"ts\":\"2026-11-27T10:00:00Z\",\"side\":\"long\"}",
                "line 1: order event: field `side` is not one of `buy`, `sell`, `short`, `short_exempt`: `long`"
            ),
            ("{\"event\":\"teleport\"}", "line 1: event: unknown event `teleport`"),
            ("{\"event\":", "line 1: not valid JSON: line 1, column 10: unexpected end of the text"),
        ]
        for (text, message) in cases {
            let e = #expect(throws: ReportError.self) { try ReportInputs.decode(lines: text) }
            #expect(e?.description == message)
        }
    }

    @Test func jsonReader() throws {
        let v = try JSONValue.parse(#"{"a":[1,-2.5e3,true,null],"b":"\u00e9\ud83d\ude00\n","a":"last"}"#)
        #expect(v["a"] == .string("last"))
        #expect(v["b"] == .string("é😀\n"))
        for bad in ["[1,]", "{\"a\":01}", "\"\\x\"", "[1] 2", "\"\\ud800\""] {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(bad) }
        }
    }

    @Test func auditRecordsGiveTheSameInputs() throws {
        // The sample day as `writ replay --audit` stores it (docs/audit.md).
        var inputs = ReportInputs()
        var lastTime: [String: String] = [:]
        var seq: Int64 = 0
        for line in try Fixtures.text("day.ndjson").split(separator: "\n").map(String.init) {
            seq += 1
            let json = try JSONValue.parse(line)
            let ts: String = if case .string(let t)? = json["ts"] { t } else { "" }
            if case .string(let id)? = json["id"], json["verdict"] == nil { lastTime[id] = ts }
            let kind: String
            var payload = Array(line.utf8)
            switch json["event"] {
            case .string("new")?, .string("modify")?, .string("cancel")?: kind = "order_event"
            case .string("fill")?: kind = "fill"
            case .string("control")?: kind = "kill_switch"
            case .string("dr_level")?: kind = "dr_level"
            default:
                kind = "decision"
                payload = Array("{\"bundle\":\"ab12\",\"decision\":".utf8) + payload + [UInt8(ascii: "}")]
            }
            try inputs.add(auditKind: kind, timestamp: ts, payload: payload, seq: seq)
        }
        try inputs.add(auditKind: "order_event", timestamp: "2026-11-27T17:00:00Z", payload: Array("{\"event\":".utf8))
        try inputs.add(auditKind: "bundle_load", timestamp: "2026-11-27T00:00:00Z", payload: Array("{}".utf8))
        #expect(inputs.skipped == 1)
        let day = try Fixtures.day
        #expect(inputs.orders == day.orders && inputs.fills == day.fills && inputs.decisions == day.decisions)
        #expect(inputs.killSwitches == day.killSwitches && inputs.drChanges == day.drChanges)
        // A fill line the engine refused (no id; a quantity not above 0) is skipped like a refused order line.
        try inputs.add(auditKind: "fill", timestamp: "2026-11-27T00:00:00Z", payload: Array("{}".utf8), seq: 7)
        let negative = #"{"event":"fill","id":"O-1","exec_id":"E-7","ts":"2026-11-27T16:00:00Z","qty":"-1","price":"1","currency":"EUR","venue":"XETR"}"#
        try inputs.add(auditKind: "fill", timestamp: "2026-11-27T16:00:00Z", payload: Array(negative.utf8), seq: 8)
        #expect(inputs.skipped == 3 && inputs.fills == day.fills)
        // A record of an unknown kind is still an error naming it.
        let e = #expect(throws: ReportError.self) {
            try inputs.add(auditKind: "telegram", timestamp: "2026-11-27T00:00:00Z", payload: Array("{}".utf8), seq: 9)
        }
        #expect(e?.description == "audit record 9: unknown kind `telegram`")
    }

    @Test func selectingVenuesKeepsCancelsWithTheirOrders() throws {
        let us = try Fixtures.day.selecting(venues: Fixtures.usVenues)
        #expect(us.orders.map(\.id) == ["O-6", "O-7", "O-7", "O-8"])
        #expect(us.orders.map(\.event) == [.new, .new, .cancel, .new])
        #expect(us.decisions.count == 4 && us.fills.map(\.execID) == ["E-6", "E-7"])
    }
}
