/// Diagnostics as data: a stable code, a severity, a primary span, notes with
/// their own spans, and an optional fix. Rendering lives in
/// `DiagnosticRenderer.swift`; the codes are listed in `DiagnosticCode.swift`.

/// How serious a diagnostic is.
public enum Severity: String, Sendable, Codable, Comparable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: 2
        case .warning: 1
        case .note: 0
        }
    }
    /// Orders values.
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A secondary message attached to a diagnostic, with its own location.
public struct DiagnosticNote: Sendable, Hashable {
    /// Where the note points; `nil` for a note without a location.
    public var span: Span?
    /// One sentence in the style of the primary message.
    public var message: String
    /// Creates a note.
    public init(span: Span?, message: String) {
        self.span = span
        self.message = message
    }
}

/// A mechanical fix: replace the text of `span` by `replacement`.
public struct FixIt: Sendable, Hashable {
    /// The text to replace (empty span = insertion).
    public var span: Span
    /// The new text.
    public var replacement: String
    /// Creates a fix.
    public init(span: Span, replacement: String) {
        self.span = span
        self.replacement = replacement
    }
}

/// One finding of the lexer, parser or checker.
public struct Diagnostic: Sendable, Hashable {
    /// The stable code, e.g. `E0101`.
    public var code: DiagnosticCode
    /// Error, warning or note.
    public var severity: Severity
    /// One sentence, no capital, no final period; user text in backticks.
    public var message: String
    /// The primary location.
    public var span: Span
    /// Notes pointing at related places.
    public var notes: [DiagnosticNote]
    /// A one-line hint saying how to fix it, shown as `help:`.
    public var help: String?
    /// A mechanical fix where one is obvious.
    public var fixIt: FixIt?

    /// Creates a diagnostic; the severity defaults to the code's.
    public init(
        _ code: DiagnosticCode, _ message: String, at span: Span,
        severity: Severity? = nil, notes: [DiagnosticNote] = [], help: String? = nil,
        fixIt: FixIt? = nil
    ) {
        self.code = code
        self.severity = severity ?? code.defaultSeverity
        self.message = message
        self.span = span
        self.notes = notes
        self.help = help
        self.fixIt = fixIt
    }
}

/// Collects diagnostics in the order they are found.
public struct DiagnosticBag: Sendable {
    /// Everything reported so far.
    public private(set) var all: [Diagnostic] = []
    /// Creates an empty bag.
    public init() {}
    /// Adds one diagnostic.
    public mutating func add(_ d: Diagnostic) { all.append(d) }
    /// Adds several.
    public mutating func add(contentsOf ds: [Diagnostic]) { all.append(contentsOf: ds) }
    /// Whether any error was reported.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    /// Diagnostics sorted by file, then position, then code (stable).
    public var sorted: [Diagnostic] {
        all.enumerated().sorted { a, b in
            let x = a.element.span
            let y = b.element.span
            if x.file != y.file { return x.file < y.file }
            if x.start != y.start { return x.start < y.start }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// Edit distance for did-you-mean suggestions.
public enum Suggest {
    /// The candidate closest to `name`, if it is close enough to be a likely typo.
    public static func closest<S: Sequence>(to name: String, in candidates: S) -> String?
    where S.Element == String {
        let limit = max(1, min(3, name.count / 3 + 1))
        var best: (String, Int)?
        for c in candidates where c != name {
            let d = distance(name.lowercased(), c.lowercased())
            if d <= limit, best == nil || d < best!.1 || (d == best!.1 && c < best!.0) {
                best = (c, d)
            }
        }
        return best?.0
    }

    /// Levenshtein distance (with transpositions counted as one edit).
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev2 = [Int](repeating: 0, count: y.count + 1)
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            prev2 = prev
            prev = cur
        }
        return prev[y.count]
    }
}
