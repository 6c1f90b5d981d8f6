/// The formatter's map of a parsed file: for every token, whether it belongs
/// to an expression, a type or a header; which tokens start declarations,
/// block items and rule clauses; where the blocks are; which separators are
/// dropped. The AST says where expressions, types and most items start; a
/// scan of the tokens finds the braces and the keyword-led items (`applies`,
/// `limits`, `budget`, `filter`, …) that the AST keeps no span for.

/// Layout facts about one file's tokens, indexed by token position.
struct FormatPlan {
    /// What a token is part of: spacing rules differ between the three.
    enum Context: Equatable {
        /// Declaration and item headers: keywords, names, `=`, `:`, braces.
        case header
        /// A written type (`money(EUR)?`, `map<string, int>`).
        case type
        /// An expression, or a bracketed list in a header (`expect reject [EU.a]`);
        /// the payload indexes `regions`.
        case expr(Int)
    }

    /// A run of tokens printed with expression rules.
    struct Region {
        /// First and last token.
        var first: Int
        var last: Int
        /// False for a header list such as `expect`'s `[…]`, which is never broken.
        var isExpression: Bool
    }

    /// A `{ … }` of a declaration or a block item (never a map literal).
    struct Block {
        var open: Int
        var close: Int
        /// 0 for a declaration's own block, 1 for a block inside it, …
        var depth: Int
        /// The first token of each item.
        var items: [Int] = []
        /// The keyword of the declaration or item that owns the block.
        var owner: Keyword?
        /// May be printed on one line (a short property block written on one line).
        var oneLineCandidate = false
        /// Printed `{}` whatever the layout (no items, no comments).
        var isEmpty = false
        /// An `enum` body: its separators are required, so they are printed.
        var isEnum: Bool { owner == .enum }
        /// The item being scanned (only during construction).
        var currentItem: Int?
        var currentItemIsRule = false
    }

    /// One import or declaration: its tokens.
    struct DeclRange {
        var first: Int
        var last: Int
        var isImport: Bool
    }

    /// Tokens without the final `.eof`.
    let tokens: [Token]
    var context: [Context]
    /// Optional separators that are not printed as written.
    var drop: [Bool]
    /// Token → the block of which it starts an item.
    var itemOf: [Int?]
    /// Token → the block whose rule item has a clause (`cite`, `when`) starting here.
    var clauseOf: [Int?]
    /// Token → the block it opens / closes.
    var openOf: [Int?]
    var closeOf: [Int?]
    /// Expression tokens that are unary operators.
    var unary: [Bool]
    /// Expression `:` tokens that separate a map key from its value.
    var mapColon: [Bool]
    /// `&&` / `||` tokens before which a too-long line is broken.
    var breakable: [Bool]
    var blocks: [Block] = []
    var regions: [Region] = []
    var decls: [DeclRange] = []

    /// Owners whose blocks hold only short properties, fields or names, and
    /// so may stay on one line.
    static let oneLineOwners: Set<Keyword> = [
        .schema, .enum, .data, .region, .cluster, .tier, .class, .level, .given, .limits,
    ]
    /// Keywords that start an item inside a block.
    static let itemKeywords: Set<Keyword> = [
        .applies, .limits, .budget, .let, .rule, .filter, .rank, .fallback, .level, .field, .given, .expect,
    ]

    init(unit: SourceUnit, tokens allTokens: [Token], comments: [Comment], bytes: [UInt8]) {
        let tokens = allTokens.last?.kind == .eof ? Array(allTokens.dropLast()) : allTokens
        self.tokens = tokens
        let n = tokens.count
        context = Array(repeating: .header, count: n)
        drop = Array(repeating: false, count: n)
        itemOf = Array(repeating: nil, count: n)
        clauseOf = Array(repeating: nil, count: n)
        openOf = Array(repeating: nil, count: n)
        closeOf = Array(repeating: nil, count: n)
        unary = Array(repeating: false, count: n)
        mapColon = Array(repeating: false, count: n)
        breakable = Array(repeating: false, count: n)

        var facts = ASTFacts()
        facts.collect(unit)
        for span in facts.types { markType(span) }
        for span in facts.exprs { markExpression(span) }
        findDecls(facts.declStarts, importStarts: facts.importStarts)
        for d in decls { markHeaderLists(d) }
        for d in decls { scanBlocks(d, itemStarts: facts.itemStarts, bytes: bytes, comments: comments) }
        for r in regions.indices where regions[r].isExpression { classifyOperators(r) }
    }

    // MARK: - Token positions

    /// Index of the first token that starts at or after `offset`.
    func firstToken(atOrAfter offset: Int) -> Int {
        var lo = 0
        var hi = tokens.count
        while lo < hi {  // progress: the interval shrinks every iteration
            let mid = (lo + hi) / 2
            if tokens[mid].span.start < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The tokens a span covers, or nil if it covers none.
    func tokenRange(_ span: Span) -> (first: Int, last: Int)? {
        let first = firstToken(atOrAfter: span.start)
        let last = firstToken(atOrAfter: max(span.end, span.start + 1)) - 1
        return first <= last && first < tokens.count ? (first, last) : nil
    }

    func isOpener(_ t: Int) -> Bool { tokens[t].is(.lParen) || tokens[t].is(.lBracket) || tokens[t].is(.lBrace) }
    func isCloser(_ t: Int) -> Bool { tokens[t].is(.rParen) || tokens[t].is(.rBracket) || tokens[t].is(.rBrace) }

    /// Lowest running depth and final depth of brackets over `first...last`.
    private func balance(_ first: Int, _ last: Int) -> (low: Int, end: Int) {
        var depth = 0
        var low = 0
        for t in first...last {
            if isOpener(t) { depth += 1 } else if isCloser(t) { depth -= 1 }
            low = min(low, depth)
        }
        return (low, depth)
    }

    private func isFree(_ first: Int, _ last: Int) -> Bool {
        (first...last).allSatisfy { context[$0] == .header }
    }

    // MARK: - Regions

    private mutating func markType(_ span: Span) {
        guard let (first, last) = tokenRange(span), isFree(first, last) else { return }
        for t in first...last { context[t] = .type }
    }

    /// Marks an expression's tokens, widened to take in parentheses that wrap
    /// it and brackets its span may have left out, so that the region is balanced.
    private mutating func markExpression(_ span: Span) {
        guard var (first, last) = tokenRange(span) else { return }
        var guardCount = 0
        while guardCount < tokens.count {  // progress: each pass widens the range or stops
            guardCount += 1
            let (low, end) = balance(first, last)
            if low < 0, first > 0 {
                first -= 1
            } else if end > low, last + 1 < tokens.count {
                last += 1
            } else if first > 0, last + 1 < tokens.count, tokens[first - 1].is(.lParen),
                tokens[last + 1].is(.rParen)
            {
                first -= 1
                last += 1
            } else {
                break
            }
        }
        guard balance(first, last) == (0, 0), isFree(first, last) else { return }
        addRegion(first, last, isExpression: true)
    }

    private mutating func addRegion(_ first: Int, _ last: Int, isExpression: Bool) {
        let r = regions.count
        regions.append(Region(first: first, last: last, isExpression: isExpression))
        for t in first...last { context[t] = .expr(r) }
    }

    /// A `[` in a header (an `expect` list) is printed like a list literal.
    private mutating func markHeaderLists(_ d: DeclRange) {
        var t = d.first
        while t <= d.last {
            // `[…]` lists, and the `(a, b)` of a data table's composite `key`.
            let isKeyList = tokens[t].is(.lParen) && t > d.first && tokens[t - 1].is(.key)
            guard context[t] == .header, tokens[t].is(.lBracket) || isKeyList else {
                t += 1
                continue
            }
            let (open, close): (Punct, Punct) = isKeyList ? (.lParen, .rParen) : (.lBracket, .rBracket)
            var depth = 0
            var end = t
            while end <= d.last {
                if context[end] == .header, tokens[end].is(open) { depth += 1 }
                if context[end] == .header, tokens[end].is(close) { depth -= 1 }
                if depth == 0 { break }
                end += 1
            }
            let last = min(end, d.last)
            if isFree(t, last) { addRegion(t, last, isExpression: false) }
            t = last + 1
        }
    }

    // MARK: - Declarations and blocks

    private mutating func findDecls(_ declStarts: [Int], importStarts: [Int]) {
        var starts: [(token: Int, isImport: Bool)] = []
        for o in importStarts { starts.append((firstToken(atOrAfter: o), true)) }
        for o in declStarts { starts.append((firstToken(atOrAfter: o), false)) }
        starts = starts.filter { $0.token < tokens.count }.sorted { $0.token < $1.token }
        var seen = Set<Int>()
        starts = starts.filter { seen.insert($0.token).inserted }
        for (k, s) in starts.enumerated() {
            let last = k + 1 < starts.count ? starts[k + 1].token - 1 : tokens.count - 1
            decls.append(DeclRange(first: s.token, last: last, isImport: s.isImport))
        }
    }

    private func keyword(_ t: Int) -> Keyword? {
        if case .keyword(let k) = tokens[t].kind { return k }
        return nil
    }

    /// Whether `t` is a keyword that starts a block item (`rule`, `limits`, …)
    /// rather than a property named after a keyword (`budget = 10ms`).
    private func isItemKeyword(_ t: Int) -> Bool {
        guard let k = keyword(t), FormatPlan.itemKeywords.contains(k) else { return false }
        if t + 1 < tokens.count, tokens[t + 1].is(.equal) || tokens[t + 1].is(.colon) { return false }
        return true
    }

    private mutating func scanBlocks(_ d: DeclRange, itemStarts: Set<Int>, bytes: [UInt8], comments: [Comment]) {
        var stack: [Int] = []
        var atBoundary = false
        for t in d.first...d.last {
            guard context[t] == .header else {
                atBoundary = false
                continue
            }
            let tok = tokens[t]
            if tok.is(.lBrace) {
                let owner = stack.last.flatMap { blocks[$0].currentItem } ?? (stack.isEmpty ? d.first : nil)
                var b = Block(open: t, close: t, depth: stack.count)
                b.owner = owner.flatMap(keyword)
                openOf[t] = blocks.count
                stack.append(blocks.count)
                blocks.append(b)
                atBoundary = true
                continue
            }
            if tok.is(.rBrace) {
                if let b = stack.popLast() {
                    blocks[b].close = t
                    closeOf[t] = b
                    finishBlock(b, bytes: bytes, comments: comments)
                }
                atBoundary = false
                continue
            }
            if tok.is(.semicolon) || tok.is(.comma) {
                drop[t] = true
                atBoundary = true
                continue
            }
            guard let b = stack.last else { continue }
            if atBoundary || itemStarts.contains(tok.span.start) || isItemKeyword(t) {
                blocks[b].items.append(t)
                blocks[b].currentItem = t
                blocks[b].currentItemIsRule = tok.is(.rule) && isItemKeyword(t)
                itemOf[t] = b
            } else if blocks[b].currentItemIsRule, tok.is(.cite) || tok.is(.when) {
                clauseOf[t] = b
            }
            atBoundary = false
        }
    }

    private mutating func finishBlock(_ b: Int, bytes: [UInt8], comments: [Comment]) {
        let block = blocks[b]
        let start = tokens[block.open].span.start
        let end = tokens[block.close].span.start
        let hasNewline = bytes[start..<end].contains(UInt8(ascii: "\n"))
        let hasComment = comments.contains { $0.span.start > start && $0.span.start < end }
        blocks[b].isEmpty = block.items.isEmpty && !hasComment
        blocks[b].oneLineCandidate =
            !block.items.isEmpty && !hasNewline && !hasComment
            && block.owner.map(FormatPlan.oneLineOwners.contains) ?? false
    }

    // MARK: - Operators

    /// Whether a token ends an operand, so that a following `-` is binary and
    /// a following `(` or `[` is a call or an index.
    func endsOperand(_ t: Int) -> Bool {
        switch tokens[t].kind {
        case .identifier, .int, .decimal, .string, .money, .percent, .duration, .timeOfDay: true
        case .keyword(let k): k != .in
        case .punct(let p): p == .rParen || p == .rBracket || p == .rBrace
        case .invalid, .eof: false
        }
    }

    /// Finds unary operators and map colons, and the `&&` / `||` at bracket
    /// depth 0 (and before any top-level `?`) of the lowest precedence
    /// present: where a long line breaks.
    private mutating func classifyOperators(_ r: Int) {
        let region = regions[r]
        var questions = [0]  // pending `?` per bracket level
        var ors: [Int] = []
        var ands: [Int] = []
        var inBranches = false  // after a top-level `?`: not a place to break
        for t in region.first...region.last {
            let tok = tokens[t]
            if tok.is(.bang) || (tok.is(.minus) && (t == region.first || !endsOperand(t - 1))) {
                unary[t] = true
            }
            if isOpener(t) {
                questions.append(0)
            } else if isCloser(t) {
                if questions.count > 1 { questions.removeLast() }
            } else if tok.is(.question) {
                if questions.count == 1 { inBranches = true }
                questions[questions.count - 1] += 1
            } else if tok.is(.colon) {
                if questions[questions.count - 1] > 0 {
                    questions[questions.count - 1] -= 1
                } else {
                    mapColon[t] = true
                }
            } else if questions.count == 1, !inBranches, tok.is(.orOr) {
                ors.append(t)
            } else if questions.count == 1, !inBranches, tok.is(.andAnd) {
                ands.append(t)
            }
        }
        for t in ors.isEmpty ? ands : ors { breakable[t] = true }
    }
}

/// What the AST tells the formatter: where declarations, items, expressions
/// and types are.
private struct ASTFacts {
    var declStarts: [Int] = []
    var importStarts: [Int] = []
    var itemStarts = Set<Int>()
    var exprs: [Span] = []
    var types: [Span] = []

    mutating func collect(_ unit: SourceUnit) {
        for i in unit.imports { importStarts.append(i.span.start) }
        for d in unit.decls {
            declStarts.append(d.span.start)
            collect(d)
        }
    }

    private mutating func item(_ span: Span) { itemStarts.insert(span.start) }
    private mutating func type(_ t: TypeRef?) { if let t { types.append(t.span) } }
    private mutating func expr(_ e: Expr?) { if let e { exprs.append(e.span) } }

    private mutating func properties(_ ps: [Property]) {
        for p in ps {
            item(p.name.span)
            expr(p.value)
        }
    }

    private mutating func fields(_ fs: [FieldDecl]) {
        for f in fs {
            item(f.name.span)
            type(f.type)
            expr(f.defaultValue)
        }
    }

    private mutating func collect(_ d: Decl) {
        switch d {
        case .schema(let s):
            fields(s.fields)
        case .enumeration(let e):
            for c in e.cases { item(c.span) }
        case .constant(let c):
            type(c.type)
            expr(c.value)
        case .set(let s):
            type(s.elementType)
            expr(s.value)
        case .data(let data):
            switch data.source {
            case .csv(_, _, _, let columns): fields(columns)
            case .boundTable(_, _, let columns, let d):
                fields(columns)
                if let d { expr(d) }
            case .bound(let t, _, let d):
                type(t)
                if let d { expr(d) }
            case .literal(let t, let v):
                type(t)
                expr(v)
            }
        case .jurisdiction(let j):
            for a in j.applies { expr(a) }
            properties(j.limits)
            for l in j.lets {
                item(l.span)
                expr(l.value)
            }
            for r in j.rules {
                item(r.span)
                expr(r.condition)
            }
        case .block(let b):
            properties(b.properties)
        case .link(let l):
            expr(l.latency)
        case .route(let r):
            for f in r.filters { expr(f) }
            for k in r.ranks { expr(k.key) }
            expr(r.fallback)
            properties(r.properties)
        case .dr(let dr):
            properties(dr.properties)
            for l in dr.levels {
                item(l.span)
                properties(l.properties)
            }
        case .report(let r):
            properties(r.properties)
            for f in r.fields {
                item(f.span)
                expr(f.value)
            }
        case .test(let t):
            for s in t.steps {
                switch s {
                case .given(let g):
                    item(g.span)
                    properties(g.properties)
                case .bind(let b):
                    item(b.span)
                    expr(b.value)
                case .expect(let e):
                    item(e.span)
                }
            }
        }
    }
}
