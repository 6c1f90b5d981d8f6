/// The registry of diagnostic codes. Codes are stable: once published, a code
/// keeps its meaning forever; retired codes are never reused. Every code is
/// documented in docs/diagnostics.md with a bad example and the fix (a test
/// checks that). Ranges:
///   E01xx lexical · E02xx syntax · E03xx names · E04xx types and units ·
///   E05xx declarations and structure · E06xx cost and static proofs ·
///   W0xxx warnings · I/O and usage problems are not diagnostics (exit 2).

/// A stable diagnostic code with its default severity and a short title.
public struct DiagnosticCode: Hashable, Sendable, CustomStringConvertible {
    /// The code as printed, e.g. `E0101`.
    public let id: String
    /// The severity it is reported with unless a caller overrides it.
    public let defaultSeverity: Severity
    /// A short title (the heading in docs/diagnostics.md).
    public let title: String

    /// Declares a code.
    public init(_ id: String, _ severity: Severity, _ title: String) {
        self.id = id
        self.defaultSeverity = severity
        self.title = title
    }
    /// A textual form for messages and dumps.
    public var description: String { id }
    /// Equality.
    /// Codes are equal when their ids are.
    public static func == (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.id == b.id }
    /// Hashes the value.
    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// Codes the lexer and parser report. Sema's live in WritSema
/// (`DiagnosticCode.semaCodes`).
extension DiagnosticCode {
    // Lexical (E01xx)
    /// Unexpected character.
    public static let unexpectedCharacter = DiagnosticCode("E0101", .error, "unexpected character")
    /// Unterminated string.
    public static let unterminatedString = DiagnosticCode("E0102", .error, "unterminated string")
    /// Invalid escape sequence.
    public static let invalidEscape = DiagnosticCode("E0103", .error, "invalid escape sequence")
    /// Malformed number.
    public static let malformedNumber = DiagnosticCode("E0104", .error, "malformed number")
    /// Malformed time of day.
    public static let malformedTimeOfDay = DiagnosticCode("E0105", .error, "malformed time of day")
    /// Floating-point literal.
    public static let floatingPointLiteral = DiagnosticCode("E0106", .error, "floating-point literal")

    /// A lone carriage return, U+2028 or U+2029: a line end to some tools only.
    public static let ambiguousLineBreak = DiagnosticCode("E0107", .error, "ambiguous line break")
    /// A bidirectional control character (U+202A–U+202E, U+2066–U+2069).
    public static let bidiControl = DiagnosticCode("E0108", .error, "bidirectional control character")

    /// Every code of the lexer, in order. The parser's are `parserCodes`.
    public static var lexerCodes: [DiagnosticCode] {
        [unexpectedCharacter, unterminatedString, invalidEscape, malformedNumber,
         malformedTimeOfDay, floatingPointLiteral, ambiguousLineBreak, bidiControl]
    }
}
