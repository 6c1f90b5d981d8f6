/// Tests of the lexer: every token kind, the typed literals and their edge
/// cases, strings and escapes, comments, and the lexical diagnostics.

import Testing

@testable import WritSyntax

/// Lexes `text`.
func lex(_ text: String) -> LexedFile { Lexer.lex(SourceFile(path: "l.writ", text: text)) }

/// The tokens of `text` (without `.eof`) as `kind:value[:unit]`.
func tokensOf(_ text: String) -> [String] {
    lex(text).tokens.dropLast().map { t in
        let kind: String
        switch t.kind {
        case .identifier: kind = "id"
        case .keyword(let k): kind = "kw(\(k.rawValue))"
        case .int: kind = "int"
        case .decimal: kind = "dec"
        case .string: kind = "str"
        case .money: kind = "money"
        case .percent: kind = "pct"
        case .duration: kind = "dur"
        case .timeOfDay: kind = "tod"
        case .punct(let p): return p.rawValue
        case .invalid: return "invalid(\(t.text))"
        case .eof: kind = "eof"
        }
        return t.unit.isEmpty ? "\(kind):\(t.value)" : "\(kind):\(t.value):\(t.unit)"
    }
}

/// The lexical diagnostics of `text` as `CODE col`.
func lexCodes(_ text: String) -> [String] {
    let file = SourceFile(path: "l.writ", text: text)
    return Lexer.lex(file).diagnostics.map { "\($0.code) \(file.location(of: $0.span.start).column)" }
}

@Suite struct LexerTests {
    @Test func everyTokenKind() {
        let text = "order rule 42 1.5 \"s\" 5 EUR 5% 10ms 09:30 == @"
        #expect(
            tokensOf(text) == [
                "id:order", "kw(rule):rule", "int:42", "dec:1.5", "str:s", "money:5:EUR", "pct:5", "dur:10:ms",
                "tod:09:30:00", "==", "invalid(@)",
            ])
        let tokens = lex(text).tokens
        #expect(tokens.last?.kind == .eof)
        #expect(tokens.filter { $0.kind == .eof }.count == 1)
        #expect(lex("").tokens.map(\.kind) == [.eof])
    }

    @Test(arguments: Punct.allCases)
    func everyOperator(_ p: Punct) {
        let l = lex(p.rawValue)
        #expect(l.tokens.map(\.kind) == [.punct(p), .eof])
        #expect(l.diagnostics.isEmpty)
    }

    @Test(arguments: Keyword.allCases)
    func everyKeyword(_ k: Keyword) {
        #expect(lex(k.rawValue).tokens.map(\.kind) == [.keyword(k), .eof])
        #expect(tokensOf(k.rawValue + "_x") == ["id:\(k.rawValue)_x"])
    }

    @Test func operatorsTakeTheLongestMatch() {
        #expect(
            tokensOf("<-> <- <= < >= > == = != ! && ||") == [
                "<->", "<", "-", "<=", "<", ">=", ">", "==", "=", "!=", "!", "&&", "||",
            ])
        #expect(tokensOf("a<->b") == ["id:a", "<->", "id:b"])
        #expect(tokensOf("a.b(c)[0]") == ["id:a", ".", "id:b", "(", "id:c", ")", "[", "int:0", "]"])
    }

    @Test func numbers() {
        #expect(tokensOf("500_000 123.45 0 007") == ["int:500000", "dec:123.45", "int:0", "int:007"])
        #expect(tokensOf("1. 1..2") == ["int:1", ".", "int:1", ".", ".", "int:2"])
        #expect(tokensOf("x.5") == ["id:x", ".", "int:5"])
        #expect(tokensOf("1_000.000_5") == ["dec:1000.0005"])
    }

    @Test func floatingPointLiteralsAreRejected() {
        #expect(tokensOf("1e5") == ["invalid(1e5)"])
        #expect(lexCodes("1e5") == ["E0106 1"])
        #expect(lexCodes("x = 1.5e-3") == ["E0106 5"])
        #expect(lexCodes("2E+10") == ["E0106 1"])
    }

    /// A lone CR, U+2028 and U+2029 are not line ends: refused wherever
    /// they are, and read as a space so that lexing goes on.
    @Test func ambiguousLineBreaksAreRefused() {
        #expect(lexCodes("// a\rconst X = 1") == ["E0107 5"])
        #expect(lexCodes("// a\r\nconst X = 1").isEmpty)
        #expect(lexCodes("x\u{2028}y") == ["E0107 2"])
        #expect(lexCodes("\"a\u{2029}b\"") == ["E0107 3"])
        #expect(tokensOf("x\ry") == ["id:x", "id:y"])
        #expect(lexCodes("x\r") == ["E0107 2"])
    }

    /// The bidirectional controls are refused in code, comments and strings;
    /// their escapes are fine.
    @Test func bidirectionalControlsAreRefused() {
        for u in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] {
            let c = String(Character(Unicode.Scalar(UInt32(u))!))
            #expect(lexCodes("// x" + c) == ["E0108 5"])
            #expect(lexCodes("\"" + c + "\"") == ["E0108 2"])
            #expect(lexCodes("a" + c + "b") == ["E0108 2"])
        }
        #expect(lexCodes("\"\\u202E\"").isEmpty)
        #expect(lexCodes("// \u{200F} \u{2065} \u{2070} \u{2027}").isEmpty)
    }

    @Test func money() {
        #expect(tokensOf("5_000_000 EUR") == ["money:5000000:EUR"])
        #expect(tokensOf("1.5 USD") == ["money:1.5:USD"])
        #expect(tokensOf("5   JPY") == ["money:5:JPY"])
        #expect(tokensOf("5 EURO") == ["int:5", "id:EURO"])
        #expect(tokensOf("5 EUR_") == ["int:5", "id:EUR_"])
        #expect(tokensOf("5 Eur") == ["int:5", "id:Eur"])
        #expect(tokensOf("5 EU") == ["int:5", "id:EU"])
        #expect(tokensOf("5\nEUR") == ["int:5", "id:EUR"])
        #expect(tokensOf("5 EUR)") == ["money:5:EUR", ")"])
        #expect(lexCodes("5EUR") == ["E0104 1"])
    }

    @Test func percent() {
        #expect(tokensOf("5% 2.5%") == ["pct:5", "pct:2.5"])
        #expect(tokensOf("10%3") == ["pct:10", "int:3"])
        #expect(tokensOf("10 % 3") == ["int:10", "%", "int:3"])
        #expect(tokensOf("a%b") == ["id:a", "%", "id:b"])
    }

    @Test func durations() {
        #expect(
            tokensOf("100ns 3us 10ms 1s 1.5s 5m 2h 1d") == [
                "dur:100:ns", "dur:3:us", "dur:10:ms", "dur:1:s", "dur:1.5:s", "dur:5:m", "dur:2:h", "dur:1:d",
            ])
        #expect(tokensOf("10 ms") == ["int:10", "id:ms"])
        #expect(lexCodes("10mss") == ["E0104 1"])
        #expect(lexCodes("10sec") == ["E0104 1"])
        #expect(lexCodes("3x") == ["E0104 1"])
    }

    @Test func timesOfDay() {
        #expect(tokensOf("09:30") == ["tod:09:30:00"])
        #expect(tokensOf("23:59:59") == ["tod:23:59:59"])
        #expect(tokensOf("09:30[America/New_York]") == ["tod:09:30:00:America/New_York"])
        #expect(tokensOf("00:00[Etc/GMT+5]") == ["tod:00:00:00:Etc/GMT+5"])
        #expect(tokensOf("9:30") == ["int:9", ":", "int:30"])
        #expect(tokensOf("{1: 2}") == ["{", "int:1", ":", "int:2", "}"])
        #expect(lexCodes("24:00") == ["E0105 1"])
        #expect(lexCodes("09:60") == ["E0105 1"])
        #expect(lexCodes("09:30:61") == ["E0105 1"])
        #expect(lexCodes("09:30x") == ["E0105 1"])
        #expect(lexCodes("09:30[") == ["E0105 1"])
        #expect(lexCodes("09:30[]") == ["E0105 1"])
        #expect(lexCodes("09:30[Europe Paris]") == ["E0105 1"])
    }

    @Test func strings() {
        #expect(tokensOf(#""a\nb\t\r\\\"\'""#) == ["str:a\nb\t\r\\\"'"])
        #expect(tokensOf(#"'it\'s' "\u00e9""#) == ["str:it's", "str:é"])
        #expect(tokensOf(#""""#) == ["str:"])
        #expect(tokensOf("\"é ü\"") == ["str:é ü"])
        let unterminated = lex("x = \"abc\ny")
        #expect(unterminated.diagnostics.map(\.code) == [.unterminatedString])
        #expect(unterminated.tokens.map(\.kind) == [.identifier, .punct(.equal), .string, .identifier, .eof])
        #expect(unterminated.tokens[2].value == "abc")
        #expect(lexCodes(#""a\qb""#) == ["E0103 3"])
        #expect(lexCodes(#""\u12""#) == ["E0103 2"])
        #expect(lexCodes(#""\uZZZZ""#) == ["E0103 2"])
        #expect(lexCodes("\"abc\\") == ["E0103 5", "E0102 1"])
    }

    @Test func unexpectedCharacters() {
        let l = lex("a & b | c")
        #expect(l.diagnostics.map(\.code) == [.unexpectedCharacter, .unexpectedCharacter])
        #expect(l.diagnostics.first?.help?.contains("&&") == true)
        #expect(lexCodes("x = é") == ["E0101 5"])
        #expect(tokensOf("#é") == ["invalid(#)", "invalid(é)"])
        #expect(lex("$").diagnostics.first?.message == "unexpected character `$`")
    }

    @Test func commentsAndLineBreaks() {
        let l = lex("a // trailing  \n// own line\n\n  b // end")
        #expect(l.comments.map(\.text) == ["// trailing", "// own line", "// end"])
        #expect(l.comments.map(\.isTrailing) == [true, false, true])
        #expect(l.comments.map(\.newlinesBefore) == [0, 1, 0])
        #expect(l.tokens.map(\.newlinesBefore) == [0, 2, 0])
        #expect(tokensOf("a / b // c") == ["id:a", "/", "id:b"])
        let spans = l.comments.map {
            SourceFile(path: "", text: "a // trailing  \n// own line\n\n  b // end").text(of: $0.span)
        }
        #expect(spans == ["// trailing", "// own line", "// end"])
    }

    @Test func spansCoverTheTokenText() {
        let text = "rule  x 5 EUR\t\"é\" 09:30[UTC]"
        let file = SourceFile(path: "", text: text)
        let l = Lexer.lex(file, fileIndex: 3)
        #expect(l.tokens.dropLast().map { file.text(of: $0.span) } == ["rule", "x", "5 EUR", "\"é\"", "09:30[UTC]"])
        #expect(l.tokens.map(\.text).dropLast() == ["rule", "x", "5 EUR", "\"é\"", "09:30[UTC]"])
        #expect(l.tokens.allSatisfy { $0.span.file == 3 })
        #expect(l.tokens.last?.span == Span(file: 3, start: file.bytes.count, end: file.bytes.count))
    }
}
