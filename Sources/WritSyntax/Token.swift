/// Tokens: what the lexer produces and the parser and formatter consume.

/// The reserved words of Writ. Kept equal to the keyword list in
/// grammar/writ.ebnf by a test.
public enum Keyword: String, CaseIterable, Sendable {
    case alert, applies, bound, budget, cite
    case `class`, cluster
    case const, data, dr
    case `enum`, expect
    case `false`, fallback, field, filter, from, given, hold
    case `import`, `in`, jurisdiction, key, `let`, level, limits, link
    case null, rank, region, reject
    case `repeat`, report, route, rule, schema, set, test, tier
    case `true`, when
}

/// Punctuation and operators.
public enum Punct: String, CaseIterable, Sendable {
    case andAnd = "&&", orOr = "||", bang = "!", question = "?", colon = ":"
    case eqEq = "==", notEq = "!=", lessEq = "<=", greaterEq = ">="
    case biArrow = "<->", less = "<", greater = ">"
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
    case dot = ".", comma = ",", semicolon = ";", equal = "="
    case lParen = "(", rParen = ")", lBracket = "[", rBracket = "]"
    case lBrace = "{", rBrace = "}"
}

/// The kind of a token.
public enum TokenKind: Hashable, Sendable {
    /// A name: `order`, `EU_VENUES`.
    case identifier
    /// A reserved word.
    case keyword(Keyword)
    /// `500_000`
    case int
    /// `123.45`
    case decimal
    /// `"text"` or `'text'`
    case string
    /// `5_000_000 EUR`
    case money
    /// `5%`
    case percent
    /// `10ms`
    case duration
    /// `09:30[America/New_York]`
    case timeOfDay
    /// An operator or punctuation mark.
    case punct(Punct)
    /// A stretch the lexer could not read (already diagnosed).
    case invalid
    /// End of file.
    case eof
}

/// One token with its span and decoded value.
public struct Token: Sendable, Hashable {
    /// What it is.
    public var kind: TokenKind
    /// Where it is.
    public var span: Span
    /// The source text exactly as written.
    public var text: String
    /// The decoded value: a string's contents without quotes or escapes; a
    /// number's digits without `_` (`5000000`, `123.45`); an identifier's or
    /// keyword's name; a time of day as `HH:MM:SS`.
    public var value: String
    /// The suffix: a money token's currency, a duration's unit, a time of
    /// day's zone (empty = UTC); empty otherwise.
    public var unit: String
    /// How many line breaks precede the token (comments included), for the formatter.
    public var newlinesBefore: Int

    /// Creates a token.
    public init(
        kind: TokenKind, span: Span, text: String, value: String = "", unit: String = "",
        newlinesBefore: Int = 0
    ) {
        self.kind = kind
        self.span = span
        self.text = text
        self.value = value
        self.unit = unit
        self.newlinesBefore = newlinesBefore
    }

    /// Whether this token is the given punctuation.
    public func `is`(_ p: Punct) -> Bool { kind == .punct(p) }
    /// Whether this token is the given keyword.
    public func `is`(_ k: Keyword) -> Bool { kind == .keyword(k) }
}

/// A `//` comment, kept so that the formatter can put it back.
public struct Comment: Sendable, Hashable {
    /// The span of the comment, from `//` to the end of the line (exclusive).
    public var span: Span
    /// The text including `//`, trailing spaces removed.
    public var text: String
    /// Whether code precedes the comment on its line (a trailing comment).
    public var isTrailing: Bool
    /// Line breaks between the previous token or comment and this comment.
    public var newlinesBefore: Int
}
