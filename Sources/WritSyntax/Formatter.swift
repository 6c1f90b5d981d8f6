/// `writ fmt`'s engine: the canonical layout of Writ source. It keeps every
/// token (except optional separators, which it normalises) and every comment,
/// changes only whitespace and line breaks, and is idempotent. The layout is
/// documented rule by rule in docs/formatting.md.
///
/// The work is split in four: `FormatPlan` maps the tokens (from the AST and
/// the token stream), `FormatPlan.needsSpace` spaces them, `DeclPrinter` lays
/// out one declaration, and this file puts the declarations, imports and
/// top-level comments together.

/// Why a file was not formatted.
public enum FormatError: Error, Sendable {
    /// The file has lexer or parser errors (listed); it is left untouched.
    case syntaxErrors([Diagnostic])
}

/// The Writ formatter.
public enum Formatter {
    /// The column limit: one-line blocks must fit in it, and an expression
    /// whose line exceeds it is broken before its top-level `||` / `&&`.
    public static let lineLimit = 100

    /// Canonical text for `file`; refuses (throws) a file that has lexer or parser errors.
    ///
    /// The result parses to the same tokens and comments as `file`, apart
    /// from optional separators; should the layout ever fail that check (a
    /// bug), the file's text is returned unchanged rather than altered.
    public static func format(_ file: SourceFile) throws(FormatError) -> String {
        let result = try layout(file)
        return result.verified ? result.text : file.text
    }

    /// The canonical text of `file`, and whether it passed the check that it
    /// parses to the same tokens and comments (tests assert that it always does).
    static func layout(_ file: SourceFile) throws(FormatError) -> (text: String, verified: Bool) {
        var ids = NodeIDAllocator()
        let parsed = Parser.parse(file, fileIndex: 0, ids: &ids)
        let errors = parsed.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { throw .syntaxErrors(errors) }
        let plan = FormatPlan(unit: parsed.unit, tokens: parsed.tokens, comments: parsed.comments, bytes: file.bytes)
        let text = FileLayout(plan: plan, bytes: file.bytes, comments: parsed.comments).render()
        return (text, FormatCheck.sameTokens(plan, parsed.comments, as: text))
    }
}

/// Puts a file together: imports one per line with no blank line between
/// them, then declarations separated by one blank line, each preceded by its
/// own-line comments; comments after the last declaration end the file.
struct FileLayout {
    let plan: FormatPlan
    let bytes: [UInt8]
    let comments: [Comment]

    private func newlines(from start: Int, to end: Int) -> Int {
        guard start < end else { return 0 }
        var n = 0
        for i in max(0, start)..<min(end, bytes.count) where bytes[i] == UInt8(ascii: "\n") { n += 1 }
        return n
    }

    /// The formatted text: lines joined by `\n`, ending with exactly one
    /// newline (empty for a file with neither tokens nor comments).
    func render() -> String {
        var out: [FormattedLine] = []
        var c = 0
        var lastEnd = 0
        var previous: (decl: FormatPlan.DeclRange, lineCount: Int)?
        let tokens = plan.tokens

        for (k, d) in plan.decls.enumerated() {
            let start = tokens[d.first].span.start
            // A comment after the next declaration's first token is not this one's
            // (`const A = 1 const B = 2  // about B`): it must not move past B.
            let nextStart = k + 1 < plan.decls.count ? tokens[plan.decls[k + 1].first].span.start : Int.max
            // Comments after the last printed token (a dropped `;` may follow
            // it) belong to the next group, unless they trail on its line.
            let lastPrinted = (d.first...d.last).last { !plan.drop[$0] } ?? d.first
            let end = tokens[lastPrinted].span.end
            var leading: [Comment] = []
            while c < comments.count, comments[c].span.start < start {
                leading.append(comments[c])
                c += 1
            }
            var own: [Comment] = []
            while c < comments.count,
                comments[c].span.start < end
                    || (comments[c].isTrailing && comments[c].span.start < nextStart
                        && newlines(from: end, to: comments[c].span.start) == 0)
            {
                own.append(comments[c])
                c += 1
            }
            let lines = DeclPrinter.layout(plan: plan, bytes: bytes, decl: d, comments: own)

            let groupStart = leading.first?.span.start ?? start
            let userBlank = newlines(from: lastEnd, to: groupStart) >= 2
            var blank = !out.isEmpty && !d.isImport
            if let p = previous, !p.decl.isImport, p.lineCount == 1, lines.count == 1, !userBlank,
                tokens[p.decl.first].kind == tokens[d.first].kind
            {
                blank = false
            }
            if blank { out.append(.blank) }
            for (i, cm) in leading.enumerated() {
                if i > 0, newlines(from: leading[i - 1].span.end, to: cm.span.start) >= 2 { out.append(.blank) }
                out.append(FormattedLine(indent: 0, code: "", comment: cm.text))
            }
            if let last = leading.last, newlines(from: last.span.end, to: start) >= 2 { out.append(.blank) }
            out += lines
            lastEnd = max(end, own.last?.span.end ?? end)
            previous = (d, lines.count)
        }
        for cm in comments[c...] {
            if !out.isEmpty, newlines(from: lastEnd, to: cm.span.start) >= 2 { out.append(.blank) }
            out.append(FormattedLine(indent: 0, code: "", comment: cm.text))
            lastEnd = cm.span.end
        }
        while out.last?.isBlank == true { out.removeLast() }
        return out.isEmpty ? "" : out.map(\.rendered).joined(separator: "\n") + "\n"
    }
}
