/// The parser's public entry points and its core: token navigation, error
/// reporting in panic mode, and the top-level loop over imports and
/// declarations. Declarations, expressions and recovery live in the
/// `Parser+*.swift` files. The grammar is grammar/writ.ebnf.

/// Hands out `NodeID`s; share one across the files of a compilation so that
/// ids are unique in the whole program.
public struct NodeIDAllocator: Sendable {
    private var nextRaw: Int32

    /// Creates an allocator whose first id is `start`.
    public init(start: Int32 = 0) { nextRaw = start }

    /// The id `next()` will return.
    public var upcoming: NodeID { NodeID(nextRaw) }

    /// The next unused id.
    public mutating func next() -> NodeID {
        let id = NodeID(nextRaw)
        nextRaw &+= 1
        return id
    }
}

/// Everything the parser produces for one file.
public struct ParseResult: Sendable {
    /// The syntax tree (declarations that could not be read are left out).
    public var unit: SourceUnit
    /// The lexer's tokens, ending with `.eof` (for the formatter).
    public var tokens: [Token]
    /// The comments of the file, in source order.
    public var comments: [Comment]
    /// The lexer's and the parser's diagnostics, sorted by position.
    public var diagnostics: [Diagnostic]
}

/// The recursive-descent parser for Writ.
public enum Parser {
    /// How deeply an expression's syntax tree may nest (E0215); the checker
    /// holds an expression with its `let`s inlined to the same limit.
    public static let maxNesting = ParserState.maxNesting
    /// Parses a whole file.
    ///
    /// The parser never fails: it reports at most one diagnostic per construct
    /// it cannot read, skips to the next declaration or block item, and goes on.
    public static func parse(_ file: SourceFile, fileIndex: Int, ids: inout NodeIDAllocator) -> ParseResult {
        let lexed = Lexer.lex(file, fileIndex: fileIndex)
        var state = ParserState(file: file, fileIndex: fileIndex, tokens: lexed.tokens, ids: ids)
        let unit = state.parseFile()
        ids = state.ids
        var bag = DiagnosticBag()
        bag.add(contentsOf: lexed.diagnostics)
        bag.add(contentsOf: state.diagnostics)
        return ParseResult(unit: unit, tokens: lexed.tokens, comments: lexed.comments, diagnostics: bag.sorted)
    }

    /// Parses a standalone expression (used by tests and `writ eval`-style tools).
    /// Anything after the expression is reported.
    public static func parseExpression(
        _ file: SourceFile, fileIndex: Int, ids: inout NodeIDAllocator
    ) -> (Expr, [Diagnostic]) {
        let lexed = Lexer.lex(file, fileIndex: fileIndex)
        var state = ParserState(file: file, fileIndex: fileIndex, tokens: lexed.tokens, ids: ids)
        let expr = state.parseExpr()
        if state.cur.kind != .eof {
            state.report(
                .unexpectedAfterExpression, "unexpected \(state.describe(state.cur)) after the expression",
                at: state.cur.span, found: state.cur,
                help: "an operator such as `&&`, `+` or `==` may be missing")
        }
        ids = state.ids
        var bag = DiagnosticBag()
        bag.add(contentsOf: lexed.diagnostics)
        bag.add(contentsOf: state.diagnostics)
        return (expr, bag.sorted)
    }
}

/// The mutable state of one parse. Errors follow the panic-mode discipline of
/// clox: the first error of a construct sets `panic`, which silences further
/// reports until a recovery point (the next block item or declaration) clears it.
struct ParserState {
    let file: SourceFile
    let fileIndex: Int
    /// Tokens, ending with exactly one `.eof`.
    var tokens: [Token]
    /// The kind of each token, start offset and preceding line breaks: the
    /// recursive expression parser reads these small arrays rather than
    /// copying whole tokens, which keeps its stack frames small.
    var kinds: [TokenKind]
    var starts: [Int]
    var breaks: [Int]
    /// Index of the current token.
    var pos = 0
    var ids: NodeIDAllocator
    /// The raw id of the first node this parse creates.
    let idBase: Int32
    /// Depth of the subtree rooted at each node, indexed by `id.raw - idBase`.
    var nodeDepths: [Int32] = []
    var diagnostics: [Diagnostic] = []
    /// Set by the first error of a construct; silences reports until cleared.
    var panic = false
    /// Every error met so far, reported or silenced (and `.invalid` tokens
    /// the lexer reported): a construct whose count went up has failed.
    var errorCount = 0
    /// Set when an item did not belong in its block (E0214, E0218): the
    /// block's structure is confused, and its other items are read silently.
    var misplacedItem = false
    /// Whether a diagnostic triggered by the end of the file was reported
    /// (there is never more than one).
    var eofReported = false
    /// Current recursion depth of expressions and types.
    var nesting = 0
    /// The token index right after the last complete expression.
    var lastExprEnd = -1

    /// How deeply expressions, types and syntax trees may nest.
    static let maxNesting = 256

    init(file: SourceFile, fileIndex: Int, tokens: [Token], ids: NodeIDAllocator) {
        self.file = file
        self.fileIndex = fileIndex
        let tokens =
            tokens.isEmpty
            ? [Token(kind: .eof, span: Span(file: fileIndex, start: file.bytes.count, end: file.bytes.count), text: "")]
            : tokens
        self.tokens = tokens
        self.kinds = tokens.map(\.kind)
        self.starts = tokens.map(\.span.start)
        self.breaks = tokens.map(\.newlinesBefore)
        self.ids = ids
        var probe = ids
        self.idBase = probe.next().raw
    }

    // MARK: - Tokens

    /// The current token.
    var cur: Token { tokens[pos] }

    /// The token `n` places after the current one (the `.eof` at the end).
    func peek(_ n: Int = 1) -> Token { tokens[min(pos + n, tokens.count - 1)] }

    /// End offset of the last consumed token (0 before the first).
    var prevEnd: Int { pos > 0 ? tokens[pos - 1].span.end : 0 }

    /// The last consumed token, if any.
    var prev: Token? { pos > 0 ? tokens[pos - 1] : nil }

    /// Consumes and returns the current token (never moves past `.eof`).
    @discardableResult
    mutating func advance() -> Token {
        let t = tokens[pos]
        if t.kind != .eof { pos += 1 }
        return t
    }

    /// Consumes the current token if it is `p`.
    mutating func eat(_ p: Punct) -> Token? { cur.is(p) ? advance() : nil }

    /// Whether the current token is `p` (without copying it).
    func at(_ p: Punct) -> Bool { kinds[pos] == .punct(p) }

    /// Consumes the current token if it is `p`; says whether it did.
    mutating func accept(_ p: Punct) -> Bool {
        guard kinds[pos] == .punct(p) else { return false }
        pos += 1
        return true
    }

    /// Replaces the token at `i` by two tokens split after `firstLength`
    /// bytes (`>=` in `list<int>=` becomes `>` and `=`).
    mutating func split(at i: Int, firstLength: Int, _ first: TokenKind, _ second: TokenKind) {
        let t = tokens[i]
        let s = t.span
        let a = Token(
            kind: first, span: Span(file: s.file, start: s.start, end: s.start + firstLength),
            text: String(t.text.prefix(firstLength)), newlinesBefore: t.newlinesBefore)
        let b = Token(
            kind: second, span: Span(file: s.file, start: s.start + firstLength, end: s.end),
            text: String(t.text.dropFirst(firstLength)))
        tokens.replaceSubrange(i...i, with: [a, b])
        kinds.replaceSubrange(i...i, with: [a.kind, b.kind])
        starts.replaceSubrange(i...i, with: [a.span.start, b.span.start])
        breaks.replaceSubrange(i...i, with: [a.newlinesBefore, 0])
    }

    /// Consumes the current token if it is `k`.
    mutating func eat(_ k: Keyword) -> Token? { cur.is(k) ? advance() : nil }

    /// A span from `start` to the end of the last consumed token.
    func span(from start: Int) -> Span { Span(file: fileIndex, start: start, end: max(start, prevEnd)) }

    /// An empty span right after the last consumed token.
    var insertionPoint: Span { Span(file: fileIndex, start: prevEnd, end: prevEnd) }

    /// Where to point when something is missing before `found`: at `found`
    /// when it is on the same line, otherwise right after the previous token.
    func missingSpan(before found: Token) -> Span {
        if pos > 0, found.kind == .eof || found.newlinesBefore > 0 { return insertionPoint }
        return found.span
    }

    /// How a token is named in a message: `` `x` `` or "the end of the file".
    func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: "the end of the file"
        case .string: t.text.count > 24 ? "a string" : "`\(t.text)`"
        default: "`\(t.text)`"
        }
    }

    // MARK: - Diagnostics

    /// Reports a diagnostic unless the parser is in panic mode, `found` is an
    /// `.invalid` token (the lexer has reported it) or an error at the end of
    /// the file was reported already. Always enters panic mode.
    mutating func report(
        _ code: DiagnosticCode, _ message: String, at span: Span, found: Token? = nil,
        notes: [DiagnosticNote] = [], help: String? = nil, fixIt: FixIt? = nil
    ) {
        let wasPanicking = panic
        panic = true
        errorCount += 1
        if wasPanicking { return }
        if let found, found.kind == .invalid { return }
        if let found, found.kind == .eof {
            if eofReported { return }
            eofReported = true
        }
        diagnostics.append(Diagnostic(code, message, at: clamp(span), notes: notes, help: help, fixIt: fixIt))
    }

    /// Reports a construct that parsed well but is refused (an empty message):
    /// parsing goes on undisturbed, so it neither enters panic mode nor
    /// makes the enclosing block recover.
    mutating func reportWellFormed(_ code: DiagnosticCode, _ message: String, at span: Span, help: String? = nil) {
        if panic { return }
        diagnostics.append(Diagnostic(code, message, at: clamp(span), help: help))
    }

    /// Enters panic mode for an error the lexer has reported already.
    mutating func failSilently() {
        panic = true
        errorCount += 1
    }

    /// Keeps a span inside the file.
    func clamp(_ s: Span) -> Span {
        let n = file.bytes.count
        let start = max(0, min(s.start, n))
        return Span(file: fileIndex, start: start, end: max(start, min(s.end, n)))
    }

    /// An empty span at the end of the file.
    var endOfFile: Span { Span(file: fileIndex, start: file.bytes.count, end: file.bytes.count) }

    // MARK: - Names

    /// Whether `t` can be a property name or a name after `.` (identifiers and keywords).
    static func isName(_ t: Token) -> Bool {
        if case .keyword = t.kind { return true }
        return t.kind == .identifier
    }

    /// A `Name` for a token.
    func name(_ t: Token) -> Name { Name(t.value.isEmpty ? t.text : t.value, t.span) }

    // MARK: - File

    /// `file = { import } { declaration } EOF`
    mutating func parseFile() -> SourceUnit {
        var imports: [ImportDecl] = []
        var decls: [Decl] = []
        var sawDeclaration = false
        while cur.kind != .eof {
            let start = pos
            let errorsBefore = errorCount
            if cur.is(.import) {
                if let imp = parseImport(afterDeclarations: sawDeclaration) { imports.append(imp) }
            } else if let k = ParserState.declarationKeyword(cur) {
                if let d = parseDeclaration(k) { decls.append(d) }
                sawDeclaration = true
            } else {
                if let (guess, d) = parseMisspeltDeclaration() {
                    if let d { decls.append(d) }
                    if guess != .import, d != nil { sawDeclaration = true }
                } else {
                    reportTopLevelItem()
                }
            }
            // After a failed declaration, what remains of it (say, after a
            // `}` that closed it too early) is skipped without a word.
            if panic || errorCount > errorsBefore {
                skipToDeclaration(consumeFirst: pos == start)
                panic = false
            }
            if pos == start {  // progress guard
                if errorCount == errorsBefore { reportTopLevelItem() }
                panic = false
                advance()
            }
        }
        return SourceUnit(fileIndex: fileIndex, imports: imports, decls: decls)
    }

    /// `import = "import" STRING [ ";" ]`
    mutating func parseImport(afterDeclarations: Bool) -> ImportDecl? {
        let kw = advance()
        guard cur.kind == .string else {
            report(
                .expectedToken, "expected the path of the imported file as a string after `import`",
                at: missingSpan(before: cur), found: cur, help: "write `import \"common.writ\"`")
            return nil
        }
        let path = advance()
        let decl = ImportDecl(path: path.value, span: span(from: kw.span.start), pathSpan: path.span)
        if afterDeclarations {
            report(
                .importAfterDeclaration, "imports must come before all declarations", at: decl.span,
                help: "move this import to the top of the file")
        }
        _ = eat(.semicolon)
        return decl
    }

    /// Reports what stands at the top level instead of a declaration.
    mutating func reportTopLevelItem() {
        let t = cur
        if lastExprEnd == pos, t.newlinesBefore == 0, t.kind != .eof {
            report(
                .unexpectedAfterExpression, "unexpected \(describe(t)) after an expression", at: t.span, found: t,
                help: "an operator such as `&&`, `+` or `==` may be missing")
            return
        }
        if case .keyword(let k) = t.kind, let owner = ParserState.ownerOfItem[k] {
            report(
                .expectedDeclaration, "`\(k.rawValue)` must be inside a `\(owner)` block", at: t.span, found: t,
                help: "move it into a `\(owner)` declaration, or check the braces before it")
            return
        }
        if t.is(.rBrace) {
            report(
                .expectedDeclaration, "unmatched `}` with no open block", at: t.span, found: t,
                help: "remove it, or check the braces of the declaration before it")
            return
        }
        if t.kind == .identifier, peek().is(.equal) {
            report(
                .expectedDeclaration, "expected a declaration, found \(describe(t))", at: t.span, found: t,
                help: "declare a constant with `const \(t.text) = …`, or move the property into its block")
            return
        }
        report(
            .expectedDeclaration, "expected a declaration, found \(describe(t))", at: t.span, found: t,
            help: "a file holds imports and declarations such as `schema`, `const`, `jurisdiction` or `route`")
    }

    /// A word at the top level that is close to a declaration keyword and
    /// followed by what such a declaration would take (`jurisdicton EU {`):
    /// reports it with a fix, then parses the declaration as if it were
    /// spelt right, keeping nothing but that one diagnostic.
    mutating func parseMisspeltDeclaration() -> (Keyword, Decl?)? {
        let t = cur
        guard t.kind == .identifier, peek().kind == .identifier || peek().kind == .string,
            let guess = Suggest.closest(to: t.value, in: ParserState.declarationKeywords.map(\.rawValue)),
            Suggest.distance(t.value.lowercased(), guess) <= max(1, guess.count / 4),
            let k = Keyword(rawValue: guess)
        else { return nil }
        report(
            .misspeltDeclarationKeyword, "unknown declaration `\(t.text)`", at: t.span, found: t,
            help: "did you mean `\(guess)`?", fixIt: FixIt(span: t.span, replacement: guess))
        let keep = diagnostics.count
        let savedEOF = eofReported
        var decl: Decl?
        if k == .import {
            _ = parseImport(afterDeclarations: false)
        } else {
            decl = parseDeclaration(k)
        }
        diagnostics.removeSubrange(keep...)
        eofReported = savedEOF || eofReported
        panic = true
        return (k, decl)
    }

    /// Parses the declaration introduced by the current token (read as `k`).
    mutating func parseDeclaration(_ k: Keyword) -> Decl? {
        switch k {
        case .schema: parseSchema()
        case .enum: parseEnum()
        case .const: parseConst()
        case .set: parseSet()
        case .data: parseData()
        case .jurisdiction: parseJurisdiction()
        case .region: parseBlockDecl(.region)
        case .cluster: parseBlockDecl(.cluster)
        case .tier: parseBlockDecl(.tier)
        case .class: parseBlockDecl(.dataClass)
        case .link: parseLink()
        case .route: parseRoute()
        case .dr: parseDR()
        case .report: parseReport()
        case .test: parseTest()
        default: nil
        }
    }

    // MARK: - Keyword tables

    /// Keywords that start a top-level declaration.
    static let declarationKeywords: [Keyword] = [
        .schema, .enum, .const, .set, .data, .jurisdiction, .region, .cluster, .link, .route, .tier, .class,
        .dr, .report, .test, .import,
    ]

    /// Keywords that start an item inside some block.
    static let itemKeywords: Set<Keyword> = [
        .rule, .applies, .limits, .budget, .let, .given, .expect, .filter, .rank, .fallback, .level, .field,
    ]

    /// The declaration each item keyword belongs in.
    static let ownerOfItem: [Keyword: String] = [
        .rule: "jurisdiction", .applies: "jurisdiction", .limits: "jurisdiction", .budget: "jurisdiction",
        .let: "jurisdiction",
        .given: "test", .expect: "test", .filter: "route", .rank: "route", .fallback: "route",
        .level: "dr", .field: "report",
    ]

    /// The declaration keyword a token is, if any (`import` excluded).
    static func declarationKeyword(_ t: Token) -> Keyword? {
        guard case .keyword(let k) = t.kind, k != .import, declarationKeywords.contains(k) else { return nil }
        return k
    }
}
