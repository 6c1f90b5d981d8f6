/// Lines that cannot be decoded are refused with a reason naming the field
/// and the problem, and processing goes on (docs/input-contract.md).

import Testing
import WritEngine

@Suite struct InputLineTests {
    func engine() throws -> Engine {
        let e = try EnginePrograms.rulesEngine()
        e.bind("restricted_symbols", symbols: [])
        e.bind("kyc_blocked", symbols: [])
        _ = e.processLine(Lines.market())
        return e
    }

    func reason(_ line: String) throws -> String {
        try engine().processLine(line) ?? "(no line)"
    }

    @Test func badJSON() throws {
        #expect(try reason(#"{"event":"new","id":"O-1","#) == #"{"id":"O-1","verdict":"reject","jurisdictions":[],"rules":[],"reasons":["the line is not valid JSON"],"citations":[],"reject_code":99}"#)
        #expect(try reason("[1, 2]").contains("the line is not a JSON object"))
        #expect(try reason("{\"event\":\"new\" x}").contains(#""id":"line 2""#))
    }

    /// Text fields with an escaped control character are refused (a kill of
    /// `T-1` was not a kill of `T-1\u0000`); bytes that are not UTF-8 make the
    /// line invalid JSON (they were copied raw into the decision line).
    @Test func controlCharactersAndMalformedUTF8AreRefused() throws {
        for (field, value) in [("trader", #"T-1\u0000"#), ("id", #"O-\u0007"#), ("account", #"A\n1"#), ("symbol", #"SAP\t"#)] {
            let line = Lines.order("O-1", qty: "100").replacingOccurrences(
                of: #""\#(field)":""#, with: #""\#(field)":"\#(value)"#, options: [], range: nil)
            let out = try reason(line)
            #expect(out.contains("field `\(field)` has a control character (U+0000 to U+001F)"), "\(field): \(out)")
        }
        // Escapes of other characters are fine.
        let fine = Lines.order("O-1", qty: "100").replacingOccurrences(of: #""trader":""#, with: #""trader":"\u00e9"#)
        #expect(!(try reason(fine).contains("control character")))
        // Raw bytes: a stray continuation byte, an overlong "/", a surrogate, a cut sequence, beyond U+10FFFF.
        let e = try engine()
        for bad: [UInt8] in [[0xFF, 0xFE], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]] {
            var bytes = Array(#"{"event":"new","id":"O-"#.utf8) + bad + Array(#"","ts":"2026-11-27T14:30:00Z"}"#.utf8)
            var d = Decision()
            bytes.withUnsafeMutableBytes { e.process(UnsafeRawBufferPointer($0), into: &d) }
            var out: [UInt8] = []
            e.render(d, into: &out)
            let line = String(decoding: out, as: UTF8.self)
            #expect(line.contains("the line is not valid JSON"), "\(bad): \(line)")
        }
        // Well-formed multi-byte text passes the scanner (2, 3 and 4 bytes).
        for good in ["Müller", "日本", "😀"] {
            let line = Lines.order("O-1", qty: "100").replacingOccurrences(of: #""trader":"T-1""#, with: #""trader":"T-\#(good)""#)
            #expect(!(try reason(line).contains("not valid JSON")), "\(good)")
        }
    }

    /// A text field with a character that prints as nothing is refused,
    /// naming it: `T-1` followed by a zero-width space escaped the kill of `T-1`.
    @Test func invisibleCharactersAreRefused() throws {
        for (value, code) in [
            (#"T-1\u200b"#, "U+200B"), ("T-1\u{7F}", "U+007F"), (#"T-1\u007f"#, "U+007F"), (#"T-\u00ad1"#, "U+00AD"),
            (#"T-1\u0085"#, "U+0085"), ("\u{FEFF}T-1", "U+FEFF"), (#"T-1\u2066"#, "U+2066"), ("T-1\u{202E}", "U+202E"),
        ] {
            let line = Lines.order("O-1", qty: "100").replacingOccurrences(of: #""trader":"T-1""#, with: #""trader":"\#(value)""#)
            let out = try reason(line)
            #expect(out.contains("field `trader` has an invisible character (\(code)); ids and names must be printable"), "\(value): \(out)")
        }
        // An id may not start or end with a space (`T-1 ` is another trader than `T-1`); inside, it may.
        for (value, code) in [("T-1 ", "U+0020"), ("T-1\u{00A0}", "U+00A0"), (" T-1", "U+0020"), ("T-1\u{3000}", "U+3000")] {
            let line = Lines.order("O-1", qty: "100").replacingOccurrences(of: #""trader":"T-1""#, with: #""trader":"\#(value)""#)
            let out = try reason(line)
            #expect(out.contains("field `trader` starts or ends with a space (\(code)); give the id without it"), "\(value): \(out)")
        }
        // Visible characters outside ASCII are fine, and so are spaces inside an id.
        for value in ["Müller", "日本", "T 1", "T\u{00A0}1", "😀"] {
            let line = Lines.order("O-1", qty: "100").replacingOccurrences(of: #""trader":"T-1""#, with: #""trader":"\#(value)""#)
            let out = try reason(line)
            #expect(!out.contains("invisible") && !out.contains("space"), "\(value): \(out)")
        }
    }

    /// An id too long for the decision line is cut before a character,
    /// never inside one: the line stays valid UTF-8.
    @Test func longIdsAreCutOnACharacter() throws {
        let id = "I" + String(repeating: "é", count: 128)  // 257 bytes
        let line = Lines.order("O-1", qty: "100").replacingOccurrences(of: #""id":"O-1""#, with: #""id":"\#(id)""#)
        var d = Decision()
        let e = try engine()
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { e.process(UnsafeRawBufferPointer($0), into: &d) }
        var out: [UInt8] = []
        e.render(d, into: &out)
        #expect(String(validating: out, as: UTF8.self) != nil, "not UTF-8: \(String(decoding: out, as: UTF8.self))")
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.hasPrefix(#"{"id":"I\#(String(repeating: "é", count: 127))","#), "\(text)")
        #expect(text.contains("field `id` is longer than 256 bytes"), "\(text)")
    }

    /// A field given twice is refused at its second member: a gateway that
    /// keeps the first value would send another order than the one decided.
    @Test func fieldsGivenTwiceAreRefused() throws {
        let order = Lines.order("O-1", qty: "307")
        let twice = order.replacingOccurrences(of: #""qty":"307""#, with: #""qty":"999999999","qty":"307""#)
        let twiceOut = try reason(twice)
        #expect(twiceOut.contains("field `qty` is given twice"), "\(twiceOut)")
        let nullThenValue = order.replacingOccurrences(of: #""qty":"307""#, with: #""qty":null,"qty":"307""#)
        #expect(try reason(nullThenValue).contains("field `qty` is given twice"))
        let events = order.replacingOccurrences(of: #"{"event":"new","#, with: #"{"event":"new","event":"cancel","#)
        let eventsOut = try reason(events)
        #expect(eventsOut.contains("field `event` is given twice"), "\(eventsOut)")
        // A cancel reads only `id` and `ts`: other members, twice or not, are not read.
        let e = try engine()
        _ = e.processLine(order)
        let cancel = #"{"event":"cancel","id":"O-1","ts":"2026-11-27T14:31:00Z","qty":"1","qty":"2"}"#
        #expect(e.processLine(cancel)?.contains(#""verdict":"allow""#) == true)
    }

    /// A busted fill has no decision, but its `id`, `exec_id` and `ts` must
    /// read: a broken one is refused with a line (the reports could not read
    /// it, and it used to stop the day's reports).
    @Test func bustedFillsAreCheckedButDecideNothing() throws {
        #expect(try reason(#"{"event":"fill_cancel","id":"O-1","exec_id":"E-1","ts":"2026-11-27T14:30:00Z"}"#) == "(no line)")
        #expect(try reason(#"{"event":"fill_cancel"}"#).contains("missing field `id`"))
        #expect(try reason(#"{"event":"fill_cancel","id":"O-1","ts":"2026-11-27T14:30:00Z"}"#).contains("missing field `exec_id`"))
        #expect(try reason(#"{"event":"fill_cancel","id":"O-1","exec_id":"E-1","ts":"soon"}"#).contains("field `ts` is not an RFC 3339 timestamp: `soon`"))
        #expect(try reason(#"{"event":"fill_cancel","id":"O-1","exec_id":7,"ts":"2026-11-27T14:30:00Z"}"#).contains("field `exec_id` must be"))
        // Other members (a quantity, say) are not read.
        #expect(try reason(#"{"event":"fill_cancel","id":"O-1","exec_id":"E-1","ts":"2026-11-27T14:30:00Z","qty":"x"}"#) == "(no line)")
    }

    @Test func unknownEventAndMissingEvent() throws {
        #expect(try reason(#"{"event":"teleport","id":"O-1"}"#).contains("unknown event `teleport`"))
        #expect(try reason(#"{"id":"O-1"}"#).contains("missing field `event`"))
        #expect(try reason(#"{"event":7,"id":"O-1"}"#).contains("field `event` must be a string"))
    }

    @Test func wrongTypes() throws {
        let line = Lines.order("O-1").replacingOccurrences(of: #""account":"A-1""#, with: #""account":12"#)
        #expect(try reason(line).contains("field `account` must be a string"))
        let b = Lines.order("O-1").replacingOccurrences(of: #""qty":"100""#, with: #""qty":true"#)
        #expect(try reason(b).contains("field `qty` must be a decimal string or a number"))
    }

    @Test func badDecimalTimestampAndCase() throws {
        #expect(try reason(Lines.order("O-1", qty: "12.3.4")).contains("field `qty` is not a decimal: `12.3.4`"))
        #expect(try reason(Lines.order("O-1", ts: "2026-02-30T10:00:00Z")).contains("field `ts` is not an RFC 3339 timestamp: `2026-02-30T10:00:00Z`"))
        #expect(try reason(Lines.order("O-1", side: "long")).contains("field `side` is not a case of `Side`: `long`"))
    }

    @Test func missingField() throws {
        let line = Lines.order("O-1").replacingOccurrences(of: #""account":"A-1","#, with: "")
        #expect(try reason(line).contains("missing field `account`"))
    }

    @Test func processingGoesOn() throws {
        let e = try engine()
        #expect(e.processLine("not json")?.contains(#""id":"line 2""#) == true)
        #expect(e.processLine("") == nil)
        #expect(e.processLine(Lines.order("O-1"))?.contains(#""verdict":"allow""#) == true)
        #expect(e.lineCount == 4)
    }

    @Test func numbersAndEscapes() throws {
        let e = try engine()
        let line = Lines.order("O-\\u0031").replacingOccurrences(of: #""qty":"100""#, with: #""qty":100"#)
        #expect(e.processLine(line) == #"{"id":"O-1","verdict":"allow","jurisdictions":["EU","GLOBAL"],"rules":[],"reasons":[],"citations":[],"route":"eu_central_1","dr_level":"full"}"#)
    }

    @Test func unknownOrderID() throws {
        let e = try engine()
        #expect(e.processLine(#"{"event":"cancel","id":"O-9","ts":"2026-11-27T14:30:00Z"}"#) == #"{"id":"O-9","verdict":"reject","jurisdictions":[],"rules":[],"reasons":["unknown order id"],"citations":[],"reject_code":99}"#)
        #expect(e.processLine(Lines.order("O-9", event: "modify"))?.contains("unknown order id") == true)
    }
}
