/// The lexer: bytes to tokens and comments. It never fails: what it cannot
/// read becomes an `.invalid` token and one diagnostic, and it goes on.

/// The result of lexing one file.
public struct LexedFile: Sendable {
    /// Tokens, ending with exactly one `.eof`.
    public var tokens: [Token]
    /// Comments in source order.
    public var comments: [Comment]
    /// Lexical diagnostics.
    public var diagnostics: [Diagnostic]
}

/// Turns a source file into tokens.
public struct Lexer {
    private let file: SourceFile
    private let fileIndex: Int
    private let b: [UInt8]
    private var i = 0
    private var tokens: [Token] = []
    private var comments: [Comment] = []
    private var diagnostics: [Diagnostic] = []
    private var pendingNewlines = 0
    private var lineHasCode = false

    /// Lexes `file`, whose spans will carry `fileIndex`.
    public static func lex(_ file: SourceFile, fileIndex: Int = 0) -> LexedFile {
        var lexer = Lexer(file: file, fileIndex: fileIndex)
        lexer.run()
        return LexedFile(tokens: lexer.tokens, comments: lexer.comments, diagnostics: lexer.diagnostics)
    }

    private init(file: SourceFile, fileIndex: Int) {
        self.file = file
        self.fileIndex = fileIndex
        self.b = file.bytes
    }

    /// Durations' units, longest first so that `ms` wins over `m`.
    static let durationUnits = ["ns", "us", "ms", "s", "m", "h", "d"]

    private func peek(_ k: Int = 0) -> UInt8 { i + k < b.count ? b[i + k] : 0 }
    private func span(_ s: Int, _ e: Int) -> Span { Span(file: fileIndex, start: s, end: e) }
    private func text(_ s: Int, _ e: Int) -> String { String(decoding: b[s..<e], as: UTF8.self) }

    private static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }
    private static func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }

    private mutating func emit(_ kind: TokenKind, _ s: Int, value: String = "", unit: String = "") {
        tokens.append(
            Token(kind: kind, span: span(s, i), text: text(s, i), value: value, unit: unit,
                  newlinesBefore: pendingNewlines))
        pendingNewlines = 0
        lineHasCode = true
    }

    private mutating func diag(_ code: DiagnosticCode, _ message: String, _ s: Int, _ e: Int, help: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: span(s, e), help: help))
    }

    private mutating func run() {
        refuseInvisibleControls()
        while i < b.count {
            let before = i
            step()
            precondition(i > before, "lexer made no progress at offset \(before)")
        }
        tokens.append(Token(kind: .eof, span: span(b.count, b.count), text: "", newlinesBefore: pendingNewlines))
    }

    /// The characters a source file may not contain, whose UTF-8 encoding
    /// starts at `k`, with their length in bytes and their name. A lone
    /// carriage return, U+2028 and U+2029 are line ends to some editors,
    /// terminals and diff tools but not to others (nor to `SourceFile`'s
    /// line table), so what a reviewer sees could differ from what the
    /// compiler reads — `// note\rrule …` would hide a rule in a comment.
    /// They are refused rather than treated as line ends, so that every
    /// tool agrees on the lines. The bidirectional controls (U+202A–U+202E,
    /// U+2066–U+2069) reorder how text is displayed ("Trojan Source",
    /// CVE-2021-42574) and are refused anywhere, comments and strings too;
    /// a string that needs one writes the escape `\u202E`, which is visible.
    public static func invisibleControl(in b: [UInt8], at k: Int) -> (length: Int, scalar: UInt32, name: String)? {
        switch b[k] {
        case 0x0D:
            if k + 1 < b.count, b[k + 1] == 0x0A { return nil }
            return (1, 0x0D, "CARRIAGE RETURN")
        case 0xE2:
            guard k + 2 < b.count else { return nil }
            let v = 0x2000 | (UInt32(b[k + 1] & 0x3F) << 6) | UInt32(b[k + 2] & 0x3F)
            guard b[k + 1] & 0xC0 == 0x80, b[k + 2] & 0xC0 == 0x80 else { return nil }
            let name: String
            switch v {
            case 0x2028: name = "LINE SEPARATOR"
            case 0x2029: name = "PARAGRAPH SEPARATOR"
            case 0x202A: name = "LEFT-TO-RIGHT EMBEDDING"
            case 0x202B: name = "RIGHT-TO-LEFT EMBEDDING"
            case 0x202C: name = "POP DIRECTIONAL FORMATTING"
            case 0x202D: name = "LEFT-TO-RIGHT OVERRIDE"
            case 0x202E: name = "RIGHT-TO-LEFT OVERRIDE"
            case 0x2066: name = "LEFT-TO-RIGHT ISOLATE"
            case 0x2067: name = "RIGHT-TO-LEFT ISOLATE"
            case 0x2068: name = "FIRST STRONG ISOLATE"
            case 0x2069: name = "POP DIRECTIONAL ISOLATE"
            default: return nil
            }
            return (3, v, name)
        default:
            return nil
        }
    }

    /// `U+000D`, `U+202E`: a code point as messages name it.
    public static func codePoint(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Reports every character `invisibleControl` refuses, wherever it is
    /// (the scan does not depend on tokens, so a comment or a string cannot
    /// hide one). Lexing then goes on, reading each as a space.
    private mutating func refuseInvisibleControls() {
        var k = 0
        while k < b.count {
            guard b[k] == 0x0D || b[k] == 0xE2, let c = Lexer.invisibleControl(in: b, at: k) else {
                k += 1
                continue
            }
            let hex = String(c.scalar, radix: 16, uppercase: true)
            let u = Lexer.codePoint(c.scalar)
            if c.scalar == 0x0D || c.scalar == 0x2028 || c.scalar == 0x2029 {
                diag(.ambiguousLineBreak,
                     "\(u) \(c.name)\(c.scalar == 0x0D ? " without a line feed" : "") is not a line break in Writ",
                     k, k + c.length,
                     help: "remove it: end every line with a line feed (`\\n`) or a carriage return and line feed (`\\r\\n`)")
            } else {
                diag(.bidiControl,
                     "bidirectional control character \(u) \(c.name) can make the code display differently from how it reads",
                     k, k + c.length,
                     help: "remove it; if a string must contain it, write the escape `\\u\(hex)`")
            }
            k += c.length
        }
    }

    private mutating func step() {
        if let c = Lexer.invisibleControl(in: b, at: i) {
            i += c.length  // reported already; read as a space
            return
        }
        let c = b[i]
        switch c {
        case 0x0A:
            i += 1
            pendingNewlines += 1
            lineHasCode = false
        case 0x20, 0x09, 0x0D:
            i += 1
        case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
            let s = i
            while i < b.count, b[i] != 0x0A { i += 1 }
            var e = i
            while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x09 || b[e - 1] == 0x0D { e -= 1 }
            comments.append(
                Comment(span: span(s, e), text: text(s, e), isTrailing: lineHasCode,
                        newlinesBefore: pendingNewlines))
            pendingNewlines = 0
        case _ where Lexer.isIdentStart(c):
            let s = i
            while i < b.count, Lexer.isIdentChar(b[i]) { i += 1 }
            let word = text(s, i)
            if let k = Keyword(rawValue: word) {
                emit(.keyword(k), s, value: word)
            } else {
                emit(.identifier, s, value: word)
            }
        case _ where Lexer.isDigit(c):
            lexNumber()
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            lexString(quote: c)
        default:
            lexPunct()
        }
    }

    private mutating func scanDigits() -> String {
        var digits = ""
        while i < b.count, Lexer.isDigit(b[i]) || b[i] == 0x5F {
            if b[i] != 0x5F { digits.append(Character(UnicodeScalar(b[i]))) }
            i += 1
        }
        return digits
    }

    private mutating func lexNumber() {
        let s = i
        // Time of day: exactly two digits, ':', two digits.
        if Lexer.isDigit(peek(1)), peek(2) == UInt8(ascii: ":"), Lexer.isDigit(peek(3)), Lexer.isDigit(peek(4)) {
            lexTimeOfDay()
            return
        }
        var value = scanDigits()
        var isDecimal = false
        if peek() == UInt8(ascii: "."), Lexer.isDigit(peek(1)) {
            i += 1
            value += "." + scanDigits()
            isDecimal = true
        }
        let numEnd = i
        // Exponents mean binary floating point, which rules never use.
        if (peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E")),
            Lexer.isDigit(peek(1)) || ((peek(1) == UInt8(ascii: "-") || peek(1) == UInt8(ascii: "+")) && Lexer.isDigit(peek(2)))
        {
            i += 2
            while i < b.count, Lexer.isIdentChar(b[i]) { i += 1 }
            diag(.floatingPointLiteral, "`\(text(s, i))` is a floating-point literal", s, i,
                 help: "rules use exact decimals: write the number out in full, e.g. `1500` or `0.015`")
            emit(.invalid, s)
            return
        }
        if peek() == UInt8(ascii: "%") {
            i += 1
            emit(.percent, s, value: value)
            return
        }
        if Lexer.isIdentStart(peek()) {
            var e = i
            while e < b.count, Lexer.isIdentChar(b[e]) { e += 1 }
            let suffix = text(i, e)
            i = e
            if Lexer.durationUnits.contains(suffix) {
                emit(.duration, s, value: value, unit: suffix)
            } else {
                diag(.malformedNumber, "`\(text(s, i))` is not a number, duration or money amount", s, i,
                     help: "durations take one of the units ns, us, ms, s, m, h, d (`10ms`); money puts a space before the currency (`5_000 EUR`)")
                emit(.invalid, s)
            }
            return
        }
        // Money: spaces, then exactly three upper-case letters ending the word.
        var j = i
        while j < b.count, b[j] == 0x20 { j += 1 }
        if j > i, j + 3 <= b.count, Lexer.isUpper(b[j]), Lexer.isUpper(b[j + 1]), Lexer.isUpper(b[j + 2]),
            !(j + 3 < b.count && Lexer.isIdentChar(b[j + 3]))
        {
            i = j + 3
            emit(.money, s, value: value, unit: text(j, j + 3))
            return
        }
        i = numEnd
        emit(isDecimal ? .decimal : .int, s, value: value)
    }

    private mutating func lexTimeOfDay() {
        let s = i
        let hh = Int(text(i, i + 2)) ?? 99
        let mm = Int(text(i + 3, i + 5)) ?? 99
        i += 5
        var ss = 0
        if peek() == UInt8(ascii: ":"), Lexer.isDigit(peek(1)), Lexer.isDigit(peek(2)) {
            ss = Int(text(i + 1, i + 3)) ?? 99
            i += 3
        }
        var zone = ""
        var bad = hh > 23 || mm > 59 || ss > 59
        if peek() == UInt8(ascii: "[") {
            let zs = i + 1
            var e = zs
            while e < b.count, b[e] != UInt8(ascii: "]"), b[e] != 0x0A, e - zs < 64 { e += 1 }
            if e < b.count, b[e] == UInt8(ascii: "]"), e > zs {
                zone = text(zs, e)
                i = e + 1
                let ok = zone.utf8.allSatisfy { Lexer.isIdentChar($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
                if !ok { bad = true }
            } else {
                i = e
                bad = true
            }
        }
        if Lexer.isIdentChar(peek()) {
            while i < b.count, Lexer.isIdentChar(b[i]) { i += 1 }
            bad = true
        }
        if bad {
            diag(.malformedTimeOfDay, "`\(text(s, i))` is not a valid time of day", s, i,
                 help: "write hours 00–23 and minutes 00–59, with an optional IANA zone: `09:30[America/New_York]`")
            emit(.invalid, s)
            return
        }
        let pad = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        emit(.timeOfDay, s, value: "\(pad(hh)):\(pad(mm)):\(pad(ss))", unit: zone)
    }

    private mutating func lexString(quote: UInt8) {
        let s = i
        i += 1
        var value = [UInt8]()
        var closed = false
        while i < b.count {
            let c = b[i]
            if c == quote {
                i += 1
                closed = true
                break
            }
            if c == 0x0A { break }
            if c == UInt8(ascii: "\\") {
                let es = i
                let n = peek(1)
                switch n {
                case UInt8(ascii: "n"): value.append(0x0A); i += 2
                case UInt8(ascii: "t"): value.append(0x09); i += 2
                case UInt8(ascii: "r"): value.append(0x0D); i += 2
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): value.append(n); i += 2
                case UInt8(ascii: "u"):
                    let hex = i + 6 <= b.count ? text(i + 2, i + 6) : ""
                    if hex.count == 4, let v = UInt32(hex, radix: 16), let u = UnicodeScalar(v) {
                        value.append(contentsOf: Array(String(Character(u)).utf8))
                        i += 6
                    } else {
                        i += 2
                        diag(.invalidEscape, "invalid unicode escape", es, i,
                             help: "write `\\u` followed by four hexadecimal digits, e.g. `\\u00e9`")
                    }
                default:
                    i += (n == 0 || n == 0x0A) ? 1 : 2
                    diag(.invalidEscape, "unknown escape sequence `\(text(es, i))`", es, i,
                         help: "the escapes are \\n \\t \\r \\\\ \\\" \\' and \\uXXXX")
                }
                continue
            }
            value.append(c)
            i += 1
        }
        if !closed {
            diag(.unterminatedString, "string is not closed before the end of the line", s, i,
                 help: "add the closing `\(Character(UnicodeScalar(quote)))`")
        }
        emit(.string, s, value: String(decoding: value, as: UTF8.self))
    }

    private mutating func lexPunct() {
        let s = i
        if let p = Lexer.punct(b[i], peek(1), peek(2)) {
            i += p.rawValue.utf8.count
            emit(.punct(p), s)
            return
        }
        // A run of characters that cannot start a token: one diagnostic.
        i += 1
        while i < b.count, b[i] & 0xC0 == 0x80 { i += 1 }  // whole UTF-8 sequence
        let shown = text(s, i)
        diag(.unexpectedCharacter, "unexpected character `\(shown)`", s, i,
             help: shown == "&" || shown == "|" ? "write `&&` or `||` for logical and / or" : "remove it")
        emit(.invalid, s)
    }

    /// The operator starting with `c` followed by `n` and `n2`, longest match first.
    private static func punct(_ c: UInt8, _ n: UInt8, _ n2: UInt8) -> Punct? {
        switch c {
        case UInt8(ascii: "&"): n == UInt8(ascii: "&") ? .andAnd : nil
        case UInt8(ascii: "|"): n == UInt8(ascii: "|") ? .orOr : nil
        case UInt8(ascii: "!"): n == UInt8(ascii: "=") ? .notEq : .bang
        case UInt8(ascii: "="): n == UInt8(ascii: "=") ? .eqEq : .equal
        case UInt8(ascii: "<"):
            n == UInt8(ascii: "-") && n2 == UInt8(ascii: ">") ? .biArrow : n == UInt8(ascii: "=") ? .lessEq : .less
        case UInt8(ascii: ">"): n == UInt8(ascii: "=") ? .greaterEq : .greater
        case UInt8(ascii: "?"): .question
        case UInt8(ascii: ":"): .colon
        case UInt8(ascii: "+"): .plus
        case UInt8(ascii: "-"): .minus
        case UInt8(ascii: "*"): .star
        case UInt8(ascii: "/"): .slash
        case UInt8(ascii: "%"): .percent
        case UInt8(ascii: "."): .dot
        case UInt8(ascii: ","): .comma
        case UInt8(ascii: ";"): .semicolon
        case UInt8(ascii: "("): .lParen
        case UInt8(ascii: ")"): .rParen
        case UInt8(ascii: "["): .lBracket
        case UInt8(ascii: "]"): .rBracket
        case UInt8(ascii: "{"): .lBrace
        case UInt8(ascii: "}"): .rBrace
        default: nil
        }
    }
}
