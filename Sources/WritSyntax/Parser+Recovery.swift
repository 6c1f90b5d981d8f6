/// Error recovery: the synchronisation points of the grammar, skipping to
/// them after an error, and the loop over the items of a `{ … }` block that
/// every block-shaped declaration shares. Every loop here makes progress.

extension ParserState {
    // MARK: - Synchronisation points

    /// Whether the token at `i` starts a top-level declaration, judged by its
    /// shape so that a keyword used as a name (`x.region`, `region = emea`,
    /// `role = dr` before the next property) is not taken for one:
    /// `test`/`import` before a string; `const`/`set`/`data`/`link` before a
    /// name; the others before a name and then `{` or a title string (and so
    /// `report` as a rule severity, before a string, is not one).
    func isDeclarationStart(_ i: Int) -> Bool {
        guard case .keyword(let k) = kinds[i], ParserState.declarationKeywords.contains(k) else { return false }
        if i > 0, kinds[i - 1] == .punct(.dot) { return false }
        let next = kinds[min(i + 1, kinds.count - 1)]
        switch k {
        case .test, .import:
            return next == .string
        case .const, .set, .data, .link:
            return next == .identifier
        default:
            guard next == .identifier else { return false }
            let after = kinds[min(i + 2, kinds.count - 1)]
            return after == .punct(.lBrace) || after == .string
        }
    }

    /// Whether the token at `i` is an item keyword starting an item: not a
    /// field after `.`, not a property named like one (`level = 2`), not the
    /// base of a selection (`level.x`).
    func isItemKeywordStart(_ i: Int, in set: Set<Keyword> = ParserState.itemKeywords) -> Bool {
        guard case .keyword(let k) = kinds[i], set.contains(k) else { return false }
        if i > 0, kinds[i - 1] == .punct(.dot) { return false }
        let next = kinds[min(i + 1, kinds.count - 1)]
        return next != .punct(.equal) && next != .punct(.dot)
    }

    /// Whether the token at `i` starts a property `name =`.
    func isPropertyStart(_ i: Int) -> Bool {
        ParserState.isName(kinds[i]) && kinds[min(i + 1, kinds.count - 1)] == .punct(.equal)
            && !(i > 0 && kinds[i - 1] == .punct(.dot))
    }

    // MARK: - Skipping

    /// Skips to the next top-level declaration (or the end of the file),
    /// stepping over balanced brackets; stray closing brackets are skipped.
    mutating func skipToDeclaration(consumeFirst: Bool) {
        var open: [Punct] = []
        var first = consumeFirst
        while cur.kind != .eof {
            if !first, isDeclarationStart(pos) || cur.is(.import) { return }
            first = false
            track(advance(), &open)
        }
    }

    /// Skips to the next item of the current block: an item keyword, a
    /// property `name =` (or a field `name :` in a field list) at the block's
    /// depth, the block's closing `}`, a declaration keyword, or the end of
    /// the file.
    mutating func skipToBlockItem(consumeFirst: Bool, fieldList: Bool, properties: Bool, names: Bool = false) {
        var open: [Punct] = []
        var first = consumeFirst
        while cur.kind != .eof {
            if !first {
                if isDeclarationStart(pos) { return }
                if open.isEmpty {
                    if cur.is(.rBrace) || isItemKeywordStart(pos) || (properties && isPropertyStart(pos)) { return }
                    if fieldList, ParserState.isName(kinds[pos]), !ParserState.literalKeywords.contains(kinds[pos]),
                        peek().is(.colon)
                    {
                        return
                    }
                    if names, ParserState.isName(kinds[pos]) { return }
                } else if cur.is(.rBrace), !open.contains(.lBrace) {
                    return  // a `(` or `[` left open inside the item: the `}` closes the block
                }
            }
            first = false
            track(advance(), &open)
        }
    }

    /// Keeps the stack of open brackets up to date while skipping.
    private func track(_ t: Token, _ open: inout [Punct]) {
        guard case .punct(let p) = t.kind else { return }
        switch p {
        case .lParen, .lBracket, .lBrace:
            open.append(p)
        case .rParen, .rBracket, .rBrace:
            let opener: Punct = p == .rParen ? .lParen : p == .rBracket ? .lBracket : .lBrace
            if let i = open.lastIndex(of: opener) { open.removeSubrange(i...) }
        default:
            break
        }
    }

    // MARK: - Blocks

    /// Reports a `{`, `(` or `[` that is not closed: the primary span is the
    /// opening bracket, a note points at where the closing one was expected.
    mutating func reportUnclosed(_ open: Token, closer: Punct, what: String, found: Token) {
        var notes: [DiagnosticNote] = []
        if found.kind == .eof {
            let end = tokens.count > 1 ? tokens[tokens.count - 2].span.endPoint : endOfFile
            notes.append(DiagnosticNote(span: end, message: "the file ends before it is closed"))
        } else if isDeclarationStart(pos) {
            notes.append(
                DiagnosticNote(span: found.span, message: "\(describe(found)) starts the next declaration here"))
        } else {
            notes.append(DiagnosticNote(span: found.span, message: "found \(describe(found)) here"))
        }
        report(
            .unclosedDelimiter, "expected `\(closer.rawValue)` to close the \(what) that starts here",
            at: open.span, found: found, notes: notes, help: "add the missing `\(closer.rawValue)`")
    }

    /// Reads the items of a block whose `{` (`open`) was just consumed, up to
    /// and including its `}`. `item` parses one item at the current token,
    /// which is neither `}`, a separator, nor the end of the block; it reports
    /// anything it cannot read. Returns whether the block was closed.
    ///
    /// The block ends early, as unclosed, at the end of the file, at a
    /// declaration keyword, or at an item keyword of the enclosing block
    /// (`outerItems`). After a failed item the loop skips to the next item
    /// (`name =` counts as one only in blocks that take `properties`).
    @discardableResult
    mutating func parseBlockBody(
        open: Token, owner: String, outerItems: Set<Keyword> = [], fieldList: Bool = false, properties: Bool = true,
        names: Bool = false, item: (inout ParserState) -> Void
    ) -> Bool {
        let errorsAtStart = errorCount
        var confused = false
        while true {
            let start = pos
            if cur.is(.rBrace) {
                advance()
                return true
            }
            if cur.kind == .eof || isDeclarationStart(pos) || isItemKeywordStart(pos, in: outerItems) {
                // A block with a failed item is not also reported as unclosed:
                // the failure (a stray `{`, say) is the likely cause.
                if errorCount == errorsAtStart {
                    reportUnclosed(open, closer: .rBrace, what: "`\(owner)` block", found: cur)
                }
                panic = false
                return false
            }
            if cur.is(.semicolon) || cur.is(.comma) {
                advance()
                continue
            }
            let errorsBefore = errorCount
            misplacedItem = false
            if confused { panic = true }  // read on, but say nothing more about this block
            item(&self)
            if misplacedItem { confused = true }
            if panic || errorCount > errorsBefore {
                skipToBlockItem(
                    consumeFirst: pos == start, fieldList: fieldList, properties: properties && !fieldList,
                    names: names)
                panic = false
            }
            if pos == start {  // progress guard
                if errorCount == errorsBefore {
                    report(
                        .unexpectedBlockItem, "unexpected \(describe(cur)) in the `\(owner)` block", at: cur.span,
                        found: cur)
                }
                panic = false
                advance()
            }
        }
    }

    /// Reports a token that cannot start an item of the `owner` block.
    /// `expected` lists what can, e.g. "`rule`, `applies`, `limits` or `budget`".
    mutating func reportUnexpectedItem(owner: String, expected: String, suggestions: [Keyword] = []) {
        misplacedItem = true
        let t = cur
        if lastExprEnd == pos, t.newlinesBefore == 0, t.kind != .eof {
            report(
                .unexpectedAfterExpression, "unexpected \(describe(t)) after an expression", at: t.span, found: t,
                help: "an operator such as `&&`, `+` or `==` may be missing")
            return
        }
        if case .keyword(let k) = t.kind, ParserState.itemKeywords.contains(k), let home = ParserState.ownerOfItem[k] {
            report(
                .unexpectedBlockItem, "`\(k.rawValue)` is not allowed in a `\(owner)` block", at: t.span, found: t,
                help: "`\(k.rawValue)` belongs in a `\(home)` block")
            return
        }
        if t.kind == .identifier,
            let guess = Suggest.closest(to: t.value, in: suggestions.map(\.rawValue))
        {
            report(
                .unexpectedBlockItem, "expected \(expected) in the `\(owner)` block, found \(describe(t))",
                at: t.span, found: t, help: "did you mean `\(guess)`?", fixIt: FixIt(span: t.span, replacement: guess))
            return
        }
        report(
            .unexpectedBlockItem, "expected \(expected) in the `\(owner)` block, found \(describe(t))",
            at: t.span, found: t)
    }
}
