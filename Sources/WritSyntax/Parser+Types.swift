/// Types as written in schemas, constants, sets and data declarations:
/// `money`, `money(EUR)`, `money(currency)`, `list<T>`, `set<T>`,
/// `map<K, V>`, names, and `T?` for an optional field. Like the expression
/// parser, the recursive function leaves diagnostics to non-inlined helpers.

extension ParserState {
    /// `type = base_type [ "?" ]`
    mutating func parseType() -> TypeRef {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > ParserState.maxNesting { return typeTooDeep() }
        let start = starts[pos]
        var base: TypeRef
        switch genericKind() {
        case .some(let g):
            pos += 1
            let open = pos
            pos += 1
            let element = parseType()
            var value: TypeRef?
            if g == .map { value = accept(.comma) ? parseType() : missingMapValueType() }
            if !acceptClosingAngle() { unclosedType(open, g) }
            base = makeGeneric(g, element, value, from: start)
        case .none:
            guard let named = parseSimpleType() else { return typeError() }
            base = named
        }
        if accept(.question) {
            base = TypeRef(span: span(from: start), kind: .optional(base))
        }
        return base
    }

    /// The three generic type constructors.
    enum GenericType: String { case list, set, map }

    /// `list`, `set` or `map` directly followed by `<`.
    func genericKind() -> GenericType? {
        guard kinds[min(pos + 1, kinds.count - 1)] == .punct(.less) else { return nil }
        if kinds[pos] == .keyword(.set) { return .set }
        guard kinds[pos] == .identifier else { return nil }
        return GenericType(rawValue: tokens[pos].value).flatMap { $0 == .set ? nil : $0 }
    }

    /// `money [ "(" ( CURRENCY | IDENT ) ")" ]` or a name; nil after reporting
    /// what stands in the place of a type.
    @inline(never)
    mutating func parseSimpleType() -> TypeRef? {
        let t = cur
        if t.kind == .identifier, t.value == "money" {
            advance()
            guard let open = eat(.lParen) else { return TypeRef(span: t.span, kind: .money(nil)) }
            guard cur.kind == .identifier else {
                report(
                    .expectedType, "expected a currency code or a field name in `money(…)`, found \(describe(cur))",
                    at: missingSpan(before: cur), found: cur,
                    help: "write `money(EUR)` for a fixed currency or `money(currency)` for the currency in that field")
                return TypeRef(span: span(from: t.span.start), kind: .error)
            }
            let arg = name(advance())
            if eat(.rParen) == nil {
                reportUnclosed(open, closer: .rParen, what: "`money(…)` type", found: cur)
            }
            return TypeRef(span: span(from: t.span.start), kind: .money(arg))
        }
        if t.kind == .identifier {
            advance()
            return TypeRef(span: t.span, kind: .named(name(t)))
        }
        if t.is(.set) {
            report(
                .expectedToken, "expected `<` and the element type after `set`", at: t.span, found: t,
                help: "write `set<symbol>`")
            advance()
            return TypeRef(span: t.span, kind: .error)
        }
        report(
            .expectedType, "expected a type, found \(describe(t))", at: missingSpan(before: t), found: t,
            help: "write a type such as `int`, `decimal`, `money(EUR)`, `list<symbol>` or an enum's name")
        return nil
    }

    /// Consumes the `>` closing a generic type. A `>=` (as in
    /// `list<int>= [1]`) is split into `>` and `=`.
    mutating func acceptClosingAngle() -> Bool {
        if accept(.greater) { return true }
        guard at(.greaterEq) else { return false }
        split(at: pos, firstLength: 1, .punct(.greater), .punct(.equal))
        pos += 1
        return true
    }

    @inline(never)
    mutating func makeGeneric(_ g: GenericType, _ element: TypeRef, _ value: TypeRef?, from start: Int) -> TypeRef {
        let kind: TypeRefKind
        switch g {
        case .list: kind = .list(element)
        case .set: kind = .set(element)
        case .map: kind = .map(element, value ?? TypeRef(span: insertionPoint, kind: .error))
        }
        return TypeRef(span: span(from: start), kind: kind)
    }

    @inline(never)
    mutating func missingMapValueType() -> TypeRef {
        report(
            .expectedToken, "expected `,` and the value type in `map<…>`, found \(describe(cur))",
            at: missingSpan(before: cur), found: cur, help: "write `map<key type, value type>`")
        return TypeRef(span: insertionPoint, kind: .error)
    }

    @inline(never)
    mutating func unclosedType(_ open: Int, _ g: GenericType) {
        reportUnclosed(tokens[open], closer: .greater, what: "`\(g.rawValue)<…>` type", found: cur)
    }

    @inline(never)
    mutating func typeError() -> TypeRef {
        TypeRef(span: Span(file: fileIndex, start: starts[pos], end: starts[pos]), kind: .error)
    }

    @inline(never)
    mutating func typeTooDeep() -> TypeRef {
        report(
            .nestingTooDeep, "type is nested too deeply (more than \(ParserState.maxNesting) levels)",
            at: cur.span, found: cur)
        return typeError()
    }
}
