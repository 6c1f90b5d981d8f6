/// The formatter's line printer: lays out the tokens of one declaration (and
/// the comments among them) as indented lines, given which blocks stay on one
/// line and before which operators a long line breaks.

/// One line of formatted output.
struct FormattedLine: Equatable {
    /// Spaces before the text.
    var indent: Int
    /// The code on the line (empty for a comment line or a blank line).
    var code: String
    /// A comment: at the end of the code, or alone on the line.
    var comment: String?

    /// A blank line.
    static let blank = FormattedLine(indent: 0, code: "", comment: nil)
    var isBlank: Bool { code.isEmpty && comment == nil }

    /// Columns taken by the code (comments do not count towards the limit).
    var width: Int { code.isEmpty ? 0 : indent + code.unicodeScalars.count }

    /// The line as printed. A trailing comment follows the code after two spaces.
    var rendered: String {
        if isBlank { return "" }
        let pad = String(repeating: " ", count: indent)
        guard let comment else { return pad + code }
        return code.isEmpty ? pad + comment : pad + code + "  " + comment
    }
}

/// Prints one declaration.
struct DeclPrinter {
    /// Where a token that starts a line goes.
    enum LineKind { case decl, item, clause, close }

    let plan: FormatPlan
    let bytes: [UInt8]
    let decl: FormatPlan.DeclRange
    /// Comments inside the declaration and a trailing one after it, in order.
    let comments: [Comment]
    /// Blocks printed on one line.
    let oneLine: Set<Int>
    /// Tokens before which a line break is forced (long lines).
    let forced: Set<Int>

    private(set) var lines: [FormattedLine] = []
    /// Output line of each one-line block.
    private(set) var blockLine: [Int: Int] = [:]
    /// Output lines spanned by each region.
    private(set) var regionLines: [Int: ClosedRange<Int>] = [:]

    private var nextComment = 0
    /// End offset of the last token or comment printed.
    private var lastEnd: Int
    private var previous: Int?
    private var breakBeforeNext = false
    /// The last thing printed was the `{` of a multi-line block (no blank line may follow).
    private var afterOpenBrace = false
    /// Indent of the last line started by a declaration, item, clause or `}`.
    private var base = 0
    /// For each open bracket, the indent of the line on which it was opened.
    private var brackets: [Int] = []

    init(
        plan: FormatPlan, bytes: [UInt8], decl: FormatPlan.DeclRange, comments: [Comment], oneLine: Set<Int>,
        forced: Set<Int>
    ) {
        self.plan = plan
        self.bytes = bytes
        self.decl = decl
        self.comments = comments
        self.oneLine = oneLine
        self.forced = forced
        self.lastEnd = plan.tokens[decl.first].span.start
    }

    /// Lays out the declaration.
    mutating func run() {
        for t in decl.first...decl.last {
            printComments(before: plan.tokens[t].span.start, next: t)
            if !plan.drop[t] { printToken(t) }
        }
        printComments(before: Int.max, next: nil)
    }

    // MARK: - Tokens

    /// Where `t` goes if it starts a line of its own.
    func lineStart(_ t: Int) -> (indent: Int, kind: LineKind)? {
        if t == decl.first { return (0, .decl) }
        if let b = plan.itemOf[t], !oneLine.contains(b) { return (2 * (plan.blocks[b].depth + 1), .item) }
        if let b = plan.clauseOf[t], !oneLine.contains(b) { return (2 * (plan.blocks[b].depth + 1) + 2, .clause) }
        if let b = plan.closeOf[t], !oneLine.contains(b) { return (2 * plan.blocks[b].depth, .close) }
        return nil
    }

    /// Indent of a continuation line that starts with `t`: under the line
    /// that opened the innermost open bracket (+2 inside it), or the line's
    /// base +2 outside brackets.
    private func continuationIndent(_ t: Int) -> Int {
        guard let opened = brackets.last else { return base + 2 }
        return plan.isCloser(t) ? opened : opened + 2
    }

    private func newlines(from start: Int, to end: Int) -> Int {
        guard start < end else { return 0 }
        var n = 0
        for i in max(0, start)..<min(end, bytes.count) where bytes[i] == UInt8(ascii: "\n") { n += 1 }
        return n
    }

    private func isRegionContinuation(_ t: Int) -> Bool {
        guard case .expr(let r) = plan.context[t] else { return false }
        return plan.regions[r].first != t
    }

    private mutating func startLine(indent: Int, blank: Bool) {
        if blank, let last = lines.last, !last.isBlank { lines.append(.blank) }
        lines.append(FormattedLine(indent: indent, code: "", comment: nil))
    }

    private mutating func printToken(_ t: Int) {
        let tok = plan.tokens[t]
        if let (indent, kind) = lineStart(t) {
            let blank = kind == .item && !afterOpenBrace && newlines(from: lastEnd, to: tok.span.start) >= 2
            startLine(indent: indent, blank: blank)
            base = indent
            brackets.removeAll()
        } else if breakBeforeNext || forced.contains(t)
            || (isRegionContinuation(t) && newlines(from: lastEnd, to: tok.span.start) > 0)
        {
            startLine(indent: continuationIndent(t), blank: false)
        } else if let p = previous, !lines.isEmpty {
            lines[lines.count - 1].code += separator(p, t)
        } else {
            startLine(indent: 0, blank: false)
        }
        lines[lines.count - 1].code += plan.text(t)
        breakBeforeNext = false
        afterOpenBrace = false
        previous = t
        lastEnd = tok.span.end
        let line = lines.count - 1

        if case .expr(let r) = plan.context[t] {
            let old = regionLines[r]
            regionLines[r] = (old?.lowerBound ?? line)...line
        }
        if let b = plan.openOf[t] {
            if oneLine.contains(b) { blockLine[b] = line } else { afterOpenBrace = true }
        } else if plan.closeOf[t] == nil {
            if plan.isOpener(t) {
                brackets.append(lines[line].indent)
            } else if plan.isCloser(t), !brackets.isEmpty {
                brackets.removeLast()
            }
        }
        if let b = plan.itemOf[t], plan.blocks[b].isEnum, !oneLine.contains(b) {
            lines[line].code += ","
        }
    }

    /// What goes between two tokens on one line.
    private func separator(_ p: Int, _ n: Int) -> String {
        if let b = plan.openOf[p], oneLine.contains(b) {
            return plan.closeOf[n] == b ? "" : " "
        }
        if let b = plan.closeOf[n], oneLine.contains(b) { return " " }
        if let b = plan.itemOf[n], oneLine.contains(b), plan.blocks[b].items.first != n { return ", " }
        return plan.needsSpace(p, n) ? " " : ""
    }

    // MARK: - Comments

    /// Prints the comments that start before `offset`; `next` is the token
    /// that follows them (nil at the end of the declaration).
    private mutating func printComments(before offset: Int, next: Int?) {
        while nextComment < comments.count, comments[nextComment].span.start < offset {
            let c = comments[nextComment]
            nextComment += 1
            if c.isTrailing, let last = lines.last, !last.code.isEmpty, last.comment == nil {
                lines[lines.count - 1].comment = c.text
            } else {
                let indent = next.map(commentIndent) ?? base
                let blank = next.map(allowsBlankBefore) ?? false
                startLine(indent: indent, blank: blank && newlines(from: lastEnd, to: c.span.start) >= 2)
                lines[lines.count - 1].comment = c.text
                afterOpenBrace = false
            }
            breakBeforeNext = true
            lastEnd = c.span.end
        }
    }

    /// A comment on its own line takes the indent of the code that follows
    /// it; before a closing brace or bracket, that of the block's contents.
    private func commentIndent(_ t: Int) -> Int {
        let t = firstPrinted(from: t)
        if let (indent, kind) = lineStart(t) { return kind == .close ? indent + 2 : indent }
        if plan.isCloser(t), let opened = brackets.last { return opened + 2 }
        return continuationIndent(t)
    }

    /// A blank line may precede a comment between block items, never at the
    /// start of a block.
    private func allowsBlankBefore(_ t: Int) -> Bool {
        guard !afterOpenBrace, let (_, kind) = lineStart(firstPrinted(from: t)) else { return false }
        return kind == .item || kind == .close
    }

    /// The first token from `t` on that is printed (separators are skipped).
    private func firstPrinted(from t: Int) -> Int {
        var t = t
        while t < decl.last, plan.drop[t] { t += 1 }
        return t
    }
}

extension DeclPrinter {
    /// The lines of one declaration. Blocks written on one line stay on one
    /// line if that line fits; then an expression with a line over the limit
    /// is broken before its top-level `||` (or, without any, `&&`) operators.
    static func layout(
        plan: FormatPlan, bytes: [UInt8], decl: FormatPlan.DeclRange, comments: [Comment]
    ) -> [FormattedLine] {
        let limit = Formatter.lineLimit
        func render(_ oneLine: Set<Int>, _ forced: Set<Int>) -> DeclPrinter {
            var p = DeclPrinter(
                plan: plan, bytes: bytes, decl: decl, comments: comments, oneLine: oneLine, forced: forced)
            p.run()
            return p
        }
        let owned = plan.blocks.indices.filter {
            plan.blocks[$0].open >= decl.first && plan.blocks[$0].close <= decl.last
        }
        var oneLine = Set(owned.filter { plan.blocks[$0].isEmpty || plan.blocks[$0].oneLineCandidate })
        var printer = render(oneLine, [])
        let tooWide = oneLine.filter { b in
            !plan.blocks[b].isEmpty && printer.blockLine[b].map { printer.lines[$0].width > limit } ?? false
        }
        if !tooWide.isEmpty {
            oneLine.subtract(tooWide)
            printer = render(oneLine, [])
        }
        var forced = Set<Int>()
        for (r, range) in printer.regionLines where plan.regions[r].isExpression {
            guard range.contains(where: { printer.lines[$0].width > limit }) else { continue }
            let region = plan.regions[r]
            forced.formUnion((region.first...region.last).filter { plan.breakable[$0] })
        }
        if !forced.isEmpty { printer = render(oneLine, forced) }
        return printer.lines
    }
}
