/// Expressions: CEL's syntax and precedence (grammar/writ.ebnf, "Expressions"),
/// with Writ's typed literals. Binary operators are parsed by precedence
/// climbing; recursion and tree depth are both capped at
/// `ParserState.maxNesting`, so deep input cannot overflow the stack here
/// or in any later pass that walks the tree.
///
/// The functions that recurse (`parseTernary` … `parsePrimary`,
/// `parseSequence`, `parseMap`) work on token indices and leave every
/// diagnostic and node construction to small non-inlined helpers: in debug
/// builds a frame holds every temporary of every path through a function,
/// and the helpers keep those frames small.

/// What a bracketed sequence is, for messages.
enum SequenceKind {
    case arguments, list, map, index, parenthesis, tuple

    var description: String {
        switch self {
        case .arguments: "argument list"
        case .list: "list"
        case .map: "map"
        case .index: "index"
        case .parenthesis: "parenthesis"
        case .tuple: "tuple"
        }
    }
}

extension ParserState {
    // MARK: - The recursive descent

    /// `expr`, as the value of a declaration or block item. Remembers where
    /// it ended so that a stray token right after it can be reported as such.
    mutating func parseExpr() -> Expr {
        let e = parseTernary()
        lastExprEnd = pos
        return e
    }

    /// `expr = or_expr [ "?" or_expr ":" expr ]` (right-associative).
    mutating func parseTernary() -> Expr {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > ParserState.maxNesting { return tooDeep() }
        let start = starts[pos]
        let condition = parseBinary(minPrecedence: 1)
        if !accept(.question) { return condition }
        let then = parseBinary(minPrecedence: 1)
        let otherwise = accept(.colon) ? parseTernary() : missingElseBranch()
        return makeConditional(condition, then, otherwise, from: start)
    }

    /// `or_expr` down to `multiplication`: left-associative binary operators
    /// with at least `minPrecedence`, by precedence climbing.
    mutating func parseBinary(minPrecedence: Int) -> Expr {
        let start = starts[pos]
        var lhs = parseUnary()
        while let op = binaryOperator(), op.precedence >= minPrecedence {
            consumeOperator()
            let rhs = parseBinary(minPrecedence: op.precedence + 1)
            lhs = makeBinary(op, lhs, rhs, from: start)
        }
        return lhs
    }

    /// `unary = member | "!" { "!" } member | "-" { "-" } member`
    mutating func parseUnary() -> Expr {
        guard at(.bang) || at(.minus) else { return parseMember() }
        let first = pos
        let kind = kinds[pos]
        while kinds[pos] == kind { pos += 1 }
        let end = pos
        let operand = parseMember()
        return makeUnaries(operand, operators: first..<end)
    }

    /// `member = primary { "." name [ "(" [ expr_list ] ")" ] | "[" expr "]" }`
    mutating func parseMember() -> Expr {
        let start = starts[pos]
        var e = parsePrimary()
        while true {
            if accept(.dot) {
                guard ParserState.isName(kinds[pos]) else { return missingFieldName(from: start) }
                let nameIndex = pos
                pos += 1
                if at(.lParen) {
                    let open = pos
                    pos += 1
                    let args = parseSequence(open: open, closer: .rParen, what: .arguments, trailingComma: false)
                    e = makeCall(target: e, nameIndex: nameIndex, args: args, from: start)
                } else {
                    e = makeSelect(e, nameIndex: nameIndex, from: start)
                }
            } else if at(.lBracket) {
                let open = pos
                pos += 1
                let index = parseTernary()
                if !accept(.rBracket) { unclosed(open, .rBracket, .index) }
                e = makeIndex(e, index, from: start)
            } else {
                return e
            }
        }
    }

    /// `primary`: a name or global call, a parenthesised expression, a list,
    /// a map or a literal.
    mutating func parsePrimary() -> Expr {
        switch kinds[pos] {
        case .identifier:
            let nameIndex = pos
            pos += 1
            guard at(.lParen) else { return makeIdentifier(nameIndex) }
            let open = pos
            pos += 1
            let args = parseSequence(open: open, closer: .rParen, what: .arguments, trailingComma: false)
            return makeCall(target: nil, nameIndex: nameIndex, args: args, from: starts[nameIndex])
        case .int, .decimal, .string, .money, .percent, .duration, .timeOfDay, .keyword(.true), .keyword(.false),
            .keyword(.null):
            return makeLiteral()
        case .keyword:
            guard keywordIsValue(pos) else { return missingExpression() }
            pos += 1
            return makeIdentifier(pos - 1)
        case .punct(.lParen):
            let open = pos
            pos += 1
            let inner = parseTernary()
            if accept(.comma) {
                let rest = parseSequence(open: open, closer: .rParen, what: .tuple, trailingComma: false)
                return makeTuple([inner] + rest, from: starts[open])
            }
            if !accept(.rParen) { unclosed(open, .rParen, .parenthesis) }
            return inner
        case .punct(.lBracket):
            let open = pos
            pos += 1
            let items = parseSequence(open: open, closer: .rBracket, what: .list, trailingComma: true)
            return makeList(items, from: starts[open])
        case .punct(.lBrace):
            return parseMap()
        case .invalid:
            return invalidOperand()
        default:
            return missingExpression()
        }
    }

    /// `expr { "," expr } [ "," ] closer` after the opening bracket at
    /// `open`. A missing comma between two elements is reported and the list
    /// read on; anything else that is not `,` or the closer ends it as unclosed.
    mutating func parseSequence(open: Int, closer: Punct, what: SequenceKind, trailingComma: Bool) -> [Expr] {
        var items: [Expr] = []
        if accept(closer) { return items }
        while true {
            let before = pos
            items.append(parseTernary())
            if pos == before {  // nothing read (already reported)
                _ = accept(closer)
                return items
            }
            if accept(closer) { return items }
            if accept(.comma) {
                if trailingComma, accept(closer) { return items }
                continue
            }
            if startsExpressionOnSameLine(pos) {
                missingComma(what)
                continue
            }
            unclosed(open, closer, what)
            return items
        }
    }

    /// `"{" [ map_inits [ "," ] ] "}"`, `map_inits = expr ":" expr { "," expr ":" expr }`
    mutating func parseMap() -> Expr {
        let open = pos
        pos += 1
        var entries: [MapEntry] = []
        if accept(.rBrace) { return makeMap(entries, from: starts[open]) }
        while true {
            let before = pos
            let key = parseTernary()
            if pos == before {
                _ = accept(.rBrace)
                break
            }
            let value = accept(.colon) ? parseTernary() : missingMapValue()
            entries.append(MapEntry(key: key, value: value))
            if accept(.rBrace) { break }
            if accept(.comma) {
                if accept(.rBrace) { break }
                continue
            }
            if startsExpressionOnSameLine(pos) {
                missingComma(.map)
                continue
            }
            unclosed(open, .rBrace, .map)
            break
        }
        return makeMap(entries, from: starts[open])
    }

    // MARK: - Token tests

    /// Whether a token of this kind can begin an expression (keywords aside:
    /// see `startsExpression(at:)`).
    static func canStartExpression(_ kind: TokenKind) -> Bool {
        switch kind {
        case .identifier, .int, .decimal, .string, .money, .percent, .duration, .timeOfDay:
            return true
        case .punct(let p):
            return p == .lParen || p == .lBracket || p == .lBrace || p == .bang || p == .minus
        case .keyword, .invalid, .eof:
            return false
        }
    }

    /// Whether the token at `i` can begin an expression.
    func startsExpression(at i: Int) -> Bool {
        let i = min(i, kinds.count - 1)
        if case .keyword = kinds[i] { return ParserState.literalKeywords.contains(kinds[i]) || keywordIsValue(i) }
        return ParserState.canStartExpression(kinds[i])
    }

    /// Whether the token at `i` begins an expression on the line of the
    /// previous token (a missing comma rather than the end of a list).
    func startsExpressionOnSameLine(_ i: Int) -> Bool {
        breaks[min(i, breaks.count - 1)] == 0 && startsExpression(at: i)
    }

    /// Keywords that never stand for a value.
    static let structuralKeywords: Set<Keyword> = [.in, .when, .cite, .let]
    /// Keywords that are literals.
    static let literalKeywords: Set<TokenKind> = [.keyword(.true), .keyword(.false), .keyword(.null)]

    /// Whether the keyword at `i` is used as a name in an expression: as the
    /// base of a selection (`cluster.health` in a route filter), the mirror
    /// image of a keyword after `.` (`Role.dr`). Elsewhere keywords are
    /// reserved: an enum case that is a keyword is written qualified.
    func keywordIsValue(_ i: Int) -> Bool {
        guard case .keyword(let k) = kinds[i], !ParserState.structuralKeywords.contains(k),
            !ParserState.literalKeywords.contains(kinds[i])
        else { return false }
        return kinds[min(i + 1, kinds.count - 1)] == .punct(.dot)
    }

    /// Whether a token of this kind can be a property name or a name after `.`.
    static func isName(_ kind: TokenKind) -> Bool {
        if case .keyword = kind { return true }
        return kind == .identifier
    }

    /// The binary operator at the current token, if any. `=` reads as `==`
    /// (reported in `consumeOperator`); a lone `&` or `|` (reported by the
    /// lexer) reads as `&&` or `||`.
    func binaryOperator() -> BinaryOp? {
        switch kinds[pos] {
        case .punct(let p):
            switch p {
            case .orOr: return .or
            case .andAnd: return .and
            case .eqEq, .equal: return .eq
            case .notEq: return .ne
            case .less: return .lt
            case .lessEq: return .le
            case .greater: return .gt
            case .greaterEq: return .ge
            case .plus: return .add
            case .minus: return .sub
            case .star: return .mul
            case .slash: return .div
            case .percent: return .rem
            default: return nil
            }
        case .keyword(.in):
            return .in
        case .invalid:
            let text = tokens[pos].text
            return text == "&" ? .and : text == "|" ? .or : nil
        default:
            return nil
        }
    }

    // MARK: - Helpers off the recursive path

    /// Consumes a binary operator, reporting `=` used as a comparison.
    @inline(never)
    mutating func consumeOperator() {
        let t = advance()
        if t.is(.equal) {
            report(
                .assignmentInExpression, "`=` is not a comparison", at: t.span, found: t,
                help: "write `==` to compare two values", fixIt: FixIt(span: t.span, replacement: "=="))
        } else if t.kind == .invalid {
            failSilently()  // the lexer reported the lone `&` or `|`
        }
    }

    /// The depth of the subtree rooted at `e` (1 for a leaf).
    func depth(_ e: Expr) -> Int {
        let i = Int(e.id.raw &- idBase)
        return i >= 0 && i < nodeDepths.count ? Int(nodeDepths[i]) : 1
    }

    /// A new node whose deepest child has depth `childDepth`. A node that
    /// would make the tree deeper than the limit becomes an error node.
    @inline(never)
    mutating func makeExpr(_ kind: ExprKind, _ span: Span, childDepth: Int = 0) -> Expr {
        if childDepth + 1 > ParserState.maxNesting {
            reportTooDeep(at: pos > 0 ? tokens[pos - 1] : cur)
            return errorExpr(at: span)
        }
        let id = ids.next()
        nodeDepths.append(Int32(childDepth + 1))
        return Expr(id: id, span: clamp(span), kind: kind)
    }

    /// An error node (its diagnostic has been reported, or the lexer's covers it).
    @inline(never)
    mutating func errorExpr(at span: Span) -> Expr {
        let id = ids.next()
        nodeDepths.append(1)
        return Expr(id: id, span: clamp(span), kind: .error)
    }

    @inline(never)
    mutating func makeConditional(_ c: Expr, _ a: Expr, _ b: Expr, from start: Int) -> Expr {
        makeExpr(.conditional(c, a, b), span(from: start), childDepth: max(depth(c), depth(a), depth(b)))
    }

    @inline(never)
    mutating func makeBinary(_ op: BinaryOp, _ l: Expr, _ r: Expr, from start: Int) -> Expr {
        makeExpr(.binary(op, l, r), span(from: start), childDepth: max(depth(l), depth(r)))
    }

    @inline(never)
    mutating func makeUnaries(_ operand: Expr, operators: Range<Int>) -> Expr {
        var e = operand
        for i in operators.reversed() {
            e = makeExpr(
                .unary(kinds[i] == .punct(.bang) ? .not : .negate, e), span(from: starts[i]), childDepth: depth(e))
        }
        return e
    }

    @inline(never)
    mutating func makeCall(target: Expr?, nameIndex: Int, args: [Expr], from start: Int) -> Expr {
        let deepest = args.reduce(target.map(depth) ?? 0) { max($0, depth($1)) }
        return makeExpr(
            .call(target: target, function: name(tokens[nameIndex]), args: args), span(from: start),
            childDepth: deepest)
    }

    @inline(never)
    mutating func makeSelect(_ base: Expr, nameIndex: Int, from start: Int) -> Expr {
        makeExpr(.select(base: base, name: name(tokens[nameIndex])), span(from: start), childDepth: depth(base))
    }

    @inline(never)
    mutating func makeIndex(_ base: Expr, _ index: Expr, from start: Int) -> Expr {
        makeExpr(.index(base: base, index: index), span(from: start), childDepth: max(depth(base), depth(index)))
    }

    @inline(never)
    mutating func makeIdentifier(_ i: Int) -> Expr {
        let t = tokens[i]
        return makeExpr(.identifier(t.value.isEmpty ? t.text : t.value), t.span)
    }

    @inline(never)
    mutating func makeList(_ items: [Expr], from start: Int) -> Expr {
        makeExpr(.list(items), span(from: start), childDepth: items.reduce(0) { max($0, depth($1)) })
    }

    @inline(never)
    mutating func makeTuple(_ items: [Expr], from start: Int) -> Expr {
        makeExpr(.tuple(items), span(from: start), childDepth: items.reduce(0) { max($0, depth($1)) })
    }

    @inline(never)
    mutating func makeMap(_ entries: [MapEntry], from start: Int) -> Expr {
        let deepest = entries.reduce(0) { max($0, depth($1.key), depth($1.value)) }
        return makeExpr(.map(entries), span(from: start), childDepth: deepest)
    }

    /// A literal node for the current token, which it consumes.
    @inline(never)
    mutating func makeLiteral() -> Expr {
        let t = advance()
        let l: Literal
        switch t.kind {
        case .int: l = .int(t.value)
        case .decimal: l = .decimal(t.value)
        case .money: l = .money(amount: t.value, currency: t.unit)
        case .percent: l = .percent(t.value)
        case .duration: l = .duration(amount: t.value, unit: t.unit)
        case .timeOfDay: l = .timeOfDay(time: t.value, zone: t.unit)
        case .keyword(.true): l = .bool(true)
        case .keyword(.false): l = .bool(false)
        case .keyword(.null): l = .null
        default: l = .string(t.value)
        }
        return makeExpr(.literal(l), t.span)
    }

    /// An `.invalid` token where an operand belongs: the lexer reported it.
    @inline(never)
    mutating func invalidOperand() -> Expr {
        let t = advance()
        failSilently()
        return errorExpr(at: t.span)
    }

    /// Reports a missing expression at the current token.
    @inline(never)
    mutating func missingExpression() -> Expr {
        let t = cur
        var message = "expected an expression"
        if let p = prev { message += " after \(describe(p))" }
        if t.kind != .eof { message += ", found \(describe(t))" }
        var help: String?
        if case .keyword(let k) = t.kind, !isItemKeywordStart(pos), !isDeclarationStart(pos) {
            help = "`\(k.rawValue)` is a keyword: an enum case of that name is written qualified, like `Role.dr`"
        }
        let at = missingSpan(before: t)
        report(.expectedExpression, message, at: at, found: t, help: help)
        return errorExpr(at: Span(file: fileIndex, start: at.start, end: at.start))
    }

    @inline(never)
    mutating func missingElseBranch() -> Expr {
        report(
            .expectedToken, "expected `:` and the else branch of the conditional, found \(describe(cur))",
            at: missingSpan(before: cur), found: cur, help: "write `condition ? then : else`")
        return errorExpr(at: insertionPoint)
    }

    @inline(never)
    mutating func missingMapValue() -> Expr {
        report(
            .expectedToken, "expected `:` and a value after the map key, found \(describe(cur))",
            at: missingSpan(before: cur), found: cur, help: "map entries are written `key: value`")
        return errorExpr(at: insertionPoint)
    }

    @inline(never)
    mutating func missingFieldName(from start: Int) -> Expr {
        report(
            .expectedName, "expected a field name after `.`, found \(describe(cur))", at: missingSpan(before: cur),
            found: cur)
        return errorExpr(at: span(from: start))
    }

    @inline(never)
    mutating func missingComma(_ what: SequenceKind) {
        let noun = what == .map ? "entries" : what == .arguments ? "arguments" : "elements"
        report(
            .expectedToken, "expected `,` between the \(noun) of the \(what.description)", at: insertionPoint,
            found: cur, fixIt: FixIt(span: insertionPoint, replacement: ","))
    }

    @inline(never)
    mutating func unclosed(_ open: Int, _ closer: Punct, _ what: SequenceKind) {
        reportUnclosed(tokens[open], closer: closer, what: what.description, found: cur)
    }

    @inline(never)
    mutating func tooDeep() -> Expr {
        reportTooDeep(at: cur)
        return errorExpr(at: Span(file: fileIndex, start: starts[pos], end: starts[pos]))
    }

    /// Reports input nested beyond the limit.
    @inline(never)
    mutating func reportTooDeep(at t: Token) {
        report(
            .nestingTooDeep, "expression is nested too deeply (more than \(ParserState.maxNesting) levels)",
            at: t.span, found: t,
            help:
                "split it into smaller parts with `const` declarations, or use `in` with a list instead of a long chain"
        )
    }
}
