/// Declarations and block items: schema, enum, const, set, data,
/// jurisdiction (with rules), the property blocks (region, cluster, tier,
/// class, level), link, route, dr, report and test — each as in
/// grammar/writ.ebnf.

extension ParserState {
    // MARK: - Shared pieces

    /// The name after a declaration keyword. A keyword in its place is
    /// reported and used anyway (unless it starts the next declaration).
    mutating func declarationName(after kw: Token) -> Name? {
        if cur.kind == .identifier { return name(advance()) }
        if case .keyword(let k) = cur.kind, !isDeclarationStart(pos), !isItemKeywordStart(pos) {
            let t = advance()
            report(
                .keywordAsName, "`\(k.rawValue)` is a keyword and cannot be used as a name", at: t.span, found: t,
                help: "choose another name, e.g. `\(k.rawValue)_`")
            return name(t)
        }
        report(
            .expectedName, "expected a name after `\(kw.text)`, found \(describe(cur))", at: missingSpan(before: cur),
            found: cur)
        return nil
    }

    /// An optional title string after a declaration's name.
    mutating func optionalTitle() -> String? {
        cur.kind == .string ? advance().value : nil
    }

    /// The `{` that opens the body of `what` (e.g. "region `emea`").
    mutating func openBrace(for what: String) -> Token? {
        if let t = eat(.lBrace) { return t }
        report(
            .expectedToken, "expected `{` to start the body of \(what), found \(describe(cur))",
            at: missingSpan(before: cur), found: cur)
        return nil
    }

    /// `= expr` after a declaration's name or type. When the `=` is missing
    /// the value is still read if one follows on the same line.
    mutating func initializer(for what: String) -> Expr {
        if eat(.equal) != nil { return parseExpr() }
        let recover = startsExpressionOnSameLine(pos)
        report(
            .expectedToken, "expected `=` and a value after \(what), found \(describe(cur))",
            at: missingSpan(before: cur), found: cur,
            fixIt: recover
                ? FixIt(span: Span(file: fileIndex, start: cur.span.start, end: cur.span.start), replacement: "= ")
                : nil)
        return recover ? parseExpr() : errorExpr(at: insertionPoint)
    }

    /// `name = expr` (the current token is the name and the next one `=`).
    mutating func parseProperty() -> Property {
        let n = advance()
        advance()  // =
        let value = parseExpr()
        return Property(name: name(n), value: value, span: span(from: n.span.start))
    }

    /// One item of a block of properties. Reads `name = value`; also reads
    /// `name: value` and `name value` (reporting the missing `=`).
    mutating func parsePropertyItem(
        owner: String, expected: String = "a property `name = value`",
        suggestions: [Keyword] = [], into props: inout [Property]
    ) {
        if isPropertyStart(pos) {
            props.append(parseProperty())
            return
        }
        let atExpressionEnd = lastExprEnd == pos && cur.newlinesBefore == 0
        let misspeltItem =
            cur.kind == .identifier && Suggest.closest(to: cur.value, in: suggestions.map(\.rawValue)) != nil
        if cur.kind == .identifier, !atExpressionEnd, !misspeltItem, peek().newlinesBefore == 0 {
            if peek().is(.colon) {
                let n = advance()
                let colon = advance()
                report(
                    .expectedToken, "expected `=` after property `\(n.text)`, found `:`", at: colon.span, found: colon,
                    help: "properties are written `name = value`", fixIt: FixIt(span: colon.span, replacement: "="))
                let value = parseExpr()
                props.append(Property(name: name(n), value: value, span: span(from: n.span.start)))
                return
            }
            if startsExpression(at: pos + 1) {
                let n = advance()
                report(
                    .expectedToken, "expected `=` after property `\(n.text)`", at: insertionPoint, found: cur,
                    help: "properties are written `name = value`",
                    fixIt: FixIt(span: insertionPoint, replacement: " ="))
                let value = parseExpr()
                props.append(Property(name: name(n), value: value, span: span(from: n.span.start)))
                return
            }
        }
        reportUnexpectedItem(owner: owner, expected: expected, suggestions: suggestions)
    }

    /// `{ { property [ sep ] } }` after the `{` was consumed.
    mutating func parsePropertyBlock(open: Token, owner: String, outerItems: Set<Keyword> = []) -> [Property] {
        var props: [Property] = []
        parseBlockBody(open: open, owner: owner, outerItems: outerItems) { p in
            p.parsePropertyItem(owner: owner, into: &props)
        }
        return props
    }

    /// `field_decl = IDENT ":" type [ "=" expr ]` inside a schema or a data
    /// table (the optional expression is a derived default).
    mutating func parseFieldDecl(owner: String) -> FieldDecl? {
        // Field names may be keywords, as property names and names after `.` may.
        let n: Token
        if cur.kind == .identifier || (ParserState.isName(cur) && peek().is(.colon)) {
            n = advance()
        } else {
            reportUnexpectedItem(owner: owner, expected: "a field `name: type`")
            return nil
        }
        if eat(.colon) == nil {
            if cur.is(.equal) {
                let eq = advance()
                report(
                    .expectedToken, "expected `:` between field `\(n.text)` and its type, found `=`", at: eq.span,
                    found: eq, help: "fields are written `name: type`", fixIt: FixIt(span: eq.span, replacement: ":"))
            } else if cur.kind == .identifier, cur.newlinesBefore == 0 {
                report(
                    .expectedToken, "expected `:` between field `\(n.text)` and its type", at: insertionPoint,
                    found: cur, help: "fields are written `name: type`",
                    fixIt: FixIt(span: insertionPoint, replacement: ":"))
            } else {
                report(
                    .expectedToken, "expected `:` and a type after field `\(n.text)`, found \(describe(cur))",
                    at: missingSpan(before: cur), found: cur, help: "fields are written `name: type`")
                return nil
            }
        }
        let type = parseType()
        let defaultValue = accept(.equal) ? parseExpr() : nil
        return FieldDecl(name: name(n), type: type, defaultValue: defaultValue, span: span(from: n.span.start))
    }

    /// The fields of a schema or data table, after the `{`.
    mutating func parseFieldBlock(open: Token, owner: String) -> [FieldDecl] {
        var fields: [FieldDecl] = []
        parseBlockBody(open: open, owner: owner, fieldList: true) { p in
            if let f = p.parseFieldDecl(owner: owner) { fields.append(f) }
        }
        return fields
    }

    // MARK: - Inputs and types

    /// `schema IDENT { { field_decl [ sep ] } }`
    mutating func parseSchema() -> Decl? {
        let kw = advance()
        guard let n = declarationName(after: kw), let open = openBrace(for: "schema `\(n)`") else { return nil }
        let fields = parseFieldBlock(open: open, owner: "schema")
        return .schema(SchemaDecl(name: n, fields: fields, span: span(from: kw.span.start)))
    }

    /// `enum IDENT { IDENT { sep IDENT } [ sep ] }` (separators optional, as in every block).
    mutating func parseEnum() -> Decl? {
        let kw = advance()
        guard let n = declarationName(after: kw), let open = openBrace(for: "enum `\(n)`") else { return nil }
        var cases: [Name] = []
        let errorsBefore = errorCount
        let closed = parseBlockBody(open: open, owner: "enum", properties: false, names: true) { p in
            // Cases may be keywords (`enum Conflict { …, reject }`): they are
            // used after `.` or where a keyword can stand for a value.
            if ParserState.isName(p.cur) {
                cases.append(p.name(p.advance()))
            } else {
                p.reportUnexpectedItem(owner: "enum", expected: "a case name")
            }
        }
        if closed, cases.isEmpty, errorCount == errorsBefore {
            report(
                .expectedName, "enum `\(n)` has no cases", at: tokens[pos - 1].span,
                help: "list its cases between the braces: `enum \(n) { a, b }`")
        }
        return .enumeration(EnumDecl(name: n, cases: cases, span: span(from: kw.span.start)))
    }

    // MARK: - Constants, sets and reference data

    /// `const IDENT [ ":" type ] "=" expr`
    mutating func parseConst() -> Decl? {
        let kw = advance()
        guard let n = declarationName(after: kw) else { return nil }
        let type = eat(.colon) != nil ? parseType() : nil
        let value = initializer(for: "`\(n)`")
        return .constant(ConstDecl(name: n, type: type, value: value, span: span(from: kw.span.start)))
    }

    /// `set IDENT [ ":" type ] "=" expr`
    mutating func parseSet() -> Decl? {
        let kw = advance()
        guard let n = declarationName(after: kw) else { return nil }
        let type = eat(.colon) != nil ? parseType() : nil
        let value = initializer(for: "`\(n)`")
        return .set(SetDecl(name: n, elementType: type, value: value, span: span(from: kw.span.start)))
    }

    /// `data IDENT ( from STRING key keys { fields } | bound [ STRING ] key keys { fields } [ = expr ]
    /// | : type bound [ STRING ] [ = expr ] | [ : type ] = expr )` where `keys` is `IDENT` or
    /// `( IDENT , IDENT { , IDENT } )`.
    mutating func parseData() -> Decl? {
        let kw = advance()
        guard let n = declarationName(after: kw) else { return nil }
        let source: DataSource
        if eat(.from) != nil {
            guard cur.kind == .string else {
                report(
                    .expectedToken,
                    "expected the path of the CSV file as a string after `from`, found \(describe(cur))",
                    at: missingSpan(before: cur), found: cur,
                    help: "write `data \(n) from \"file.csv\" key column { … }`")
                return nil
            }
            let path = advance()
            guard let keys = parseDataKeys(of: n.text, after: "the path of") else { return nil }
            guard let open = openBrace(for: "the columns of `\(n)`") else { return nil }
            let columns = parseFieldBlock(open: open, owner: "data")
            source = .csv(path: path.value, pathSpan: path.span, keys: keys, columns: columns)
        } else if eat(.bound) != nil {
            let binding = cur.kind == .string ? advance().value : nil
            guard let keys = parseDataKeys(of: n.text, after: "`bound` of") else { return nil }
            guard let open = openBrace(for: "the columns of `\(n)`") else { return nil }
            let columns = parseFieldBlock(open: open, owner: "data")
            let value = eat(.equal) != nil ? parseExpr() : nil
            source = .boundTable(binding: binding, keys: keys, columns: columns, defaultValue: value)
        } else if eat(.colon) != nil {
            let type = parseType()
            if eat(.bound) != nil {
                let binding = cur.kind == .string ? advance().value : nil
                let value = eat(.equal) != nil ? parseExpr() : nil
                source = .bound(type: type, binding: binding, defaultValue: value)
            } else if eat(.equal) != nil {
                source = .literal(type: type, value: parseExpr())
            } else {
                report(
                    .expectedToken, "expected `=` or `bound` after the type of `\(n)`, found \(describe(cur))",
                    at: missingSpan(before: cur), found: cur,
                    help: "write `= value` for literal data, or `bound` for data the host supplies at run time")
                source = .literal(type: type, value: errorExpr(at: insertionPoint))
            }
        } else if eat(.equal) != nil {
            source = .literal(type: nil, value: parseExpr())
        } else {
            report(
                .expectedToken, "expected `from`, `bound`, `:` or `=` after `data \(n)`, found \(describe(cur))",
                at: missingSpan(before: cur), found: cur,
                help:
                    "data comes from a CSV file (`from`), from the host (`bound` or `: type bound`) or from a literal (`= value`)"
            )
            return nil
        }
        return .data(DataDecl(name: n, source: source, span: span(from: kw.span.start)))
    }

    /// `key IDENT` or `key ( IDENT , IDENT … )`: the key columns of a data table.
    mutating func parseDataKeys(of n: String, after what: String) -> [Name]? {
        guard eat(.key) != nil else {
            report(
                .expectedToken,
                "expected `key` and the key column after \(what) `\(n)`, found \(describe(cur))",
                at: missingSpan(before: cur), found: cur,
                help: "write `key` followed by the column that identifies a row, or `key (a, b)` for a composite key")
            return nil
        }
        if eat(.lParen) != nil {
            var keys: [Name] = []
            while true {
                guard cur.kind == .identifier else {
                    report(
                        .expectedName, "expected the name of a key column in `key (…)`, found \(describe(cur))",
                        at: missingSpan(before: cur), found: cur)
                    return nil
                }
                keys.append(name(advance()))
                if eat(.comma) != nil { continue }
                guard eat(.rParen) != nil else {
                    report(
                        .expectedToken, "expected `,` or `)` in the key columns of `\(n)`, found \(describe(cur))",
                        at: missingSpan(before: cur), found: cur,
                        help: "write the key columns as `key (account, symbol)`")
                    return nil
                }
                break
            }
            return keys
        }
        guard cur.kind == .identifier else {
            report(
                .expectedName, "expected the name of the key column after `key`, found \(describe(cur))",
                at: missingSpan(before: cur), found: cur)
            return nil
        }
        return [name(advance())]
    }

    // MARK: - Jurisdictions and rules

    /// `jurisdiction IDENT [ STRING ] { { jur_item } }`
    mutating func parseJurisdiction() -> Decl? {
        let kw = advance()
        guard let n = declarationName(after: kw) else { return nil }
        let title = optionalTitle()
        guard let open = openBrace(for: "jurisdiction `\(n)`") else { return nil }
        var applies: [Expr] = []
        var limits: [Property] = []
        var budget: (value: Int, span: Span)?
        var rules: [RuleDecl] = []
        var lets: [Property] = []
        let items: Set<Keyword> = [.applies, .limits, .budget, .let, .rule]
        parseBlockBody(open: open, owner: "jurisdiction", properties: false) { p in
            let start = p.cur.span.start
            if p.isItemKeywordStart(p.pos, in: items), case .keyword(let k) = p.cur.kind {
                switch k {
                case .applies:
                    let a = p.advance()
                    if p.eat(.when) == nil {
                        let recover = p.startsExpressionOnSameLine(p.pos)
                        p.report(
                            .expectedToken, "expected `when` after `applies`", at: a.span.endPoint, found: p.cur,
                            help: "write `applies when` followed by the condition",
                            fixIt: FixIt(span: a.span.endPoint, replacement: " when"))
                        if !recover { return }
                    }
                    applies.append(p.parseExpr())
                case .limits:
                    p.advance()
                    guard let o = p.openBrace(for: "`limits`") else { return }
                    limits += p.parsePropertyBlock(open: o, owner: "limits", outerItems: items)
                case .budget:
                    p.advance()
                    guard p.cur.kind == .int else {
                        p.report(
                            .expectedToken,
                            "expected the cost budget as an integer after `budget`, found \(p.describe(p.cur))",
                            at: p.missingSpan(before: p.cur), found: p.cur, help: "write e.g. `budget 200`")
                        return
                    }
                    let t = p.advance()
                    guard let v = Int(t.value) else {
                        p.report(.integerOutOfRange, "budget `\(t.text)` is too large", at: t.span, found: t)
                        return
                    }
                    if let first = budget {
                        p.report(
                            .unexpectedBlockItem, "jurisdiction `\(n)` has a second `budget`",
                            at: p.span(from: start),
                            notes: [DiagnosticNote(span: first.span, message: "the first `budget` is here")],
                            help: "keep one `budget` per jurisdiction")
                    } else {
                        budget = (v, p.span(from: start))
                    }
                case .let:
                    if let l = p.parseLet() { lets.append(l) }
                default:  // .rule
                    if let r = p.parseRule() { rules.append(r) }
                }
            } else if p.isPropertyStart(p.pos) {
                p.misplacedItem = true
                p.report(
                    .unexpectedBlockItem, "properties are not allowed directly in a `jurisdiction` block",
                    at: p.cur.span, found: p.cur, help: "put limits inside `limits { … }`")
            } else {
                p.reportUnexpectedItem(
                    owner: "jurisdiction", expected: "`rule`, `applies`, `limits`, `let` or `budget`",
                    suggestions: [.rule, .applies, .limits, .let, .budget])
            }
        }
        return .jurisdiction(
            JurisdictionDecl(
                name: n, title: title, applies: applies, limits: limits, lets: lets, budget: budget,
                rules: rules, span: span(from: kw.span.start)))
    }

    /// `let IDENT = expr` in a jurisdiction (the current token is `let`).
    mutating func parseLet() -> Property? {
        let kw = advance()
        guard cur.kind == .identifier else {
            report(
                .expectedName, "expected a name after `let`, found \(describe(cur))", at: missingSpan(before: cur),
                found: cur, help: "write `let name = expression`")
            return nil
        }
        let n = advance()
        if eat(.equal) == nil {
            report(
                .expectedToken, "expected `=` after `let \(n.text)`, found \(describe(cur))", at: missingSpan(before: cur),
                found: cur, help: "write `let \(n.text) = expression`",
                fixIt: FixIt(span: n.span.endPoint, replacement: " ="))
            if !startsExpressionOnSameLine(pos) { return nil }
        }
        let value = parseExpr()
        return Property(name: name(n), value: value, span: span(from: kw.span.start))
    }

    /// `rule IDENT severity STRING [ cite STRING ] when expr`. A missing
    /// severity, message, citation text or `when` is reported and the rest
    /// of the rule still read.
    mutating func parseRule() -> RuleDecl? {
        let kw = advance()
        let n: Name
        if cur.kind == .identifier {
            n = name(advance())
        } else if case .keyword(let k) = cur.kind,
            !(RuleSeverity(rawValue: k.rawValue) != nil && peek().kind == .string),
            !isDeclarationStart(pos), !isItemKeywordStart(pos), k != .when, k != .cite
        {
            let t = advance()
            report(
                .keywordAsName, "`\(k.rawValue)` is a keyword and cannot be used as a rule name", at: t.span, found: t,
                help: "choose another name, e.g. `\(k.rawValue)_`")
            n = name(t)
        } else {
            report(
                .expectedName, "expected a rule name after `rule`, found \(describe(cur))",
                at: missingSpan(before: cur),
                found: cur, help: "write `rule name reject \"message\" when condition`")
            return nil
        }

        var severity = RuleSeverity.reject
        var severitySpan = insertionPoint
        if case .keyword(let k) = cur.kind, let s = RuleSeverity(rawValue: k.rawValue) {
            severity = s
            severitySpan = advance().span
        } else if cur.kind == .identifier {
            let t = advance()
            let guess = Suggest.closest(to: t.value, in: RuleSeverity.allCases.map(\.rawValue))
            report(
                .invalidSeverity, "unknown severity `\(t.text)` for rule `\(n)`", at: t.span, found: t,
                help: guess.map { "did you mean `\($0)`?" }
                    ?? "a rule's severity is `reject`, `hold`, `alert` or `report`",
                fixIt: guess.map { FixIt(span: t.span, replacement: $0) })
            severity = guess.flatMap(RuleSeverity.init(rawValue:)) ?? .reject
            severitySpan = t.span
        } else {
            report(
                .invalidSeverity, "rule `\(n)` has no severity", at: missingSpan(before: cur), found: cur,
                help: "write `reject`, `hold`, `alert` or `report` after the rule name")
        }

        var message = ""
        var messageSpan = insertionPoint
        if cur.kind == .string {
            let t = advance()
            message = t.value
            messageSpan = t.span
            if message.allSatisfy(\.isWhitespace) {
                reportWellFormed(
                    .ruleWithoutMessage, "rule `\(n)` has an empty message", at: t.span,
                    help: "write the message shown when the rule fires, e.g. `\(severity.rawValue) \"price outside the collar\"`")
            }
        } else {
            report(
                .ruleWithoutMessage, "rule `\(n)` has no message", at: missingSpan(before: cur), found: cur,
                help:
                    "write the message shown when the rule fires after the severity, e.g. `\(severity.rawValue) \"price outside the collar\"`"
            )
        }

        var citation: String?
        var citationSpan: Span?
        if let c = eat(.cite) {
            if cur.kind == .string {
                let t = advance()
                citation = t.value
                citationSpan = t.span
                if t.value.allSatisfy(\.isWhitespace) {
                    reportWellFormed(
                        .citeWithoutText, "`cite` in rule `\(n)` has an empty citation", at: t.span,
                        help: "write the article the rule enforces, e.g. `cite \"RTS 6 Art. 15(1)(a)\"`, or remove `cite`")
                }
            } else {
                report(
                    .citeWithoutText, "`cite` in rule `\(n)` is not followed by the citation",
                    at: missingSpan(before: cur),
                    found: cur, help: "write the article as a string, e.g. `cite \"RTS 6 Art. 15(1)(a)\"`")
                citation = ""
                citationSpan = c.span
            }
        }

        var code: Int?
        var codeSpan: Span?
        // `code` is a contextual word: a name elsewhere (a column, a field).
        if cur.kind == .identifier, cur.value == "code" {
            let c = advance()
            if cur.kind == .int, let v = Int(cur.value) {
                let t = advance()
                code = v
                codeSpan = Span(file: fileIndex, start: c.span.start, end: t.span.end)
            } else {
                report(
                    .expectedToken, "expected the FIX reject reason as an integer after `code`, found \(describe(cur))",
                    at: missingSpan(before: cur), found: cur,
                    help: "write the OrdRejReason (tag 103), e.g. `code 3` for exceeds limit")
            }
        }

        // A second `cite` or `code`, or `cite` after `code`: said once, and
        // skipped with its value, so that the `when` after it still parses.
        while cur.kind == .keyword(.cite) || (cur.kind == .identifier && cur.value == "code" && peek(1).kind == .int) {
            let isCite = cur.kind == .keyword(.cite)
            let word = isCite ? "cite" : "code"
            let twice = isCite ? citation != nil : code != nil
            let t = advance()
            var end = t.span.end
            if cur.kind == (isCite ? .string : .int) { end = advance().span.end }
            report(
                .repeatedRuleClause,
                twice ? "`\(word)` is given twice in rule `\(n)`" : "`cite` comes after `code` in rule `\(n)`",
                at: Span(file: fileIndex, start: t.span.start, end: end),
                help: twice
                    ? "a rule has one `\(word)`; remove this one" : "write `cite \"…\"` before `code N`, as in `cite \"Art. 15\" code 3`")
        }

        let condition: Expr
        if eat(.when) != nil {
            condition = parseExpr()
        } else {
            // No block item starts like an expression, so one here (even on
            // the next line) is the condition without its `when`.
            let recover = startsExpression(at: pos)
            let at = Span(file: fileIndex, start: cur.span.start, end: cur.span.start)
            report(
                .ruleWithoutCondition, "rule `\(n)` has no `when` condition",
                at: recover ? cur.span : missingSpan(before: cur),
                found: cur, help: "add `when` followed by the condition under which the rule fires",
                fixIt: recover ? FixIt(span: at, replacement: "when ") : nil)
            condition = recover ? parseExpr() : errorExpr(at: insertionPoint)
        }
        return RuleDecl(
            name: n, severity: severity, severitySpan: severitySpan, message: message, messageSpan: messageSpan,
            citation: citation, citationSpan: citationSpan, code: code, codeSpan: codeSpan, condition: condition,
            span: span(from: kw.span.start))
    }

    // MARK: - Platform

    /// `region|cluster|tier|class IDENT [ STRING ] block`
    mutating func parseBlockDecl(_ kind: BlockKind) -> Decl? {
        let kw = advance()
        guard let n = declarationName(after: kw) else { return nil }
        let title = optionalTitle()
        guard let open = openBrace(for: "\(kw.text) `\(n)`") else { return nil }
        let props = parsePropertyBlock(open: open, owner: kw.text)
        return .block(BlockDecl(kind: kind, name: n, title: title, properties: props, span: span(from: kw.span.start)))
    }

    /// `link IDENT "<->" IDENT expr`
    mutating func parseLink() -> Decl? {
        let kw = advance()
        guard let from = declarationName(after: kw) else { return nil }
        guard let arrow = eat(.biArrow) else {
            report(
                .expectedToken, "expected `<->` between the two ends of link `\(from)`, found \(describe(cur))",
                at: missingSpan(before: cur), found: cur, help: "write `link \(from) <-> other 62ms`")
            return nil
        }
        guard let to = declarationName(after: arrow) else { return nil }
        let latency = parseExpr()
        return .link(LinkDecl(from: from, to: to, latency: latency, span: span(from: kw.span.start)))
    }

    /// `route IDENT [ STRING ] { { route_item [ sep ] } }`
    mutating func parseRoute() -> Decl? {
        let kw = advance()
        guard let n = declarationName(after: kw) else { return nil }
        let title = optionalTitle()
        guard let open = openBrace(for: "route `\(n)`") else { return nil }
        var filters: [Expr] = []
        var ranks: [(key: Expr, direction: RankDirection)] = []
        var fallback: Expr?
        var props: [Property] = []
        let items: Set<Keyword> = [.filter, .rank, .fallback]
        parseBlockBody(open: open, owner: "route") { p in
            if p.isItemKeywordStart(p.pos, in: items), case .keyword(let k) = p.cur.kind {
                let kwTok = p.advance()
                let e = p.parseExpr()
                switch k {
                case .filter:
                    filters.append(e)
                case .rank:
                    ranks.append((e, p.rankDirection()))
                default:  // .fallback
                    if let first = fallback {
                        p.report(
                            .unexpectedBlockItem, "route `\(n)` has a second `fallback`",
                            at: p.span(from: kwTok.span.start),
                            notes: [DiagnosticNote(span: first.span, message: "the first `fallback` is here")],
                            help: "list every fallback cluster in one `fallback [ … ]`")
                    } else {
                        fallback = e
                    }
                }
            } else {
                p.parsePropertyItem(
                    owner: "route", expected: "`filter`, `rank`, `fallback` or a property",
                    suggestions: [.filter, .rank, .fallback], into: &props)
            }
        }
        return .route(
            RouteDecl(
                name: n, title: title, filters: filters, ranks: ranks, fallback: fallback,
                properties: props, span: span(from: kw.span.start)))
    }

    /// The optional `asc` / `desc` after a rank expression: an identifier
    /// there is the direction unless it is followed by `=` (then it is the
    /// next property).
    mutating func rankDirection() -> RankDirection {
        guard cur.kind == .identifier, !peek().is(.equal) else { return .asc }
        let t = advance()
        if let d = RankDirection(rawValue: t.value) { return d }
        let lower = t.value.lowercased()
        let guess: String? =
            lower.hasPrefix("desc")
            ? "desc"
            : lower.hasPrefix("asc")
                ? "asc"
                : Suggest.closest(to: t.value, in: ["asc", "desc"])
        report(
            .unknownRankDirection, "unknown sort direction `\(t.text)`", at: t.span, found: t,
            help: guess.map { "did you mean `\($0)`?" } ?? "the direction is `asc` (the default) or `desc`",
            fixIt: guess.map { FixIt(span: t.span, replacement: $0) })
        return guess.flatMap(RankDirection.init(rawValue:)) ?? .asc
    }

    /// `dr IDENT [ STRING ] { { dr_item [ sep ] } }`, `dr_item = level IDENT [ STRING ] block | property`
    mutating func parseDR() -> Decl? {
        let kw = advance()
        guard let n = declarationName(after: kw) else { return nil }
        let title = optionalTitle()
        guard let open = openBrace(for: "dr `\(n)`") else { return nil }
        var levels: [BlockDecl] = []
        var props: [Property] = []
        parseBlockBody(open: open, owner: "dr") { p in
            if p.isItemKeywordStart(p.pos, in: [.level]) {
                let lk = p.advance()
                guard let ln = p.declarationName(after: lk) else { return }
                let lt = p.optionalTitle()
                guard let lo = p.openBrace(for: "level `\(ln)`") else { return }
                let lprops = p.parsePropertyBlock(open: lo, owner: "level", outerItems: [.level])
                levels.append(
                    BlockDecl(kind: .level, name: ln, title: lt, properties: lprops, span: p.span(from: lk.span.start)))
            } else {
                p.parsePropertyItem(owner: "dr", expected: "`level` or a property", suggestions: [.level], into: &props)
            }
        }
        return .dr(DRDecl(name: n, title: title, levels: levels, properties: props, span: span(from: kw.span.start)))
    }

    // MARK: - Reports and tests

    /// `report IDENT [ STRING ] { { report_item [ sep ] } }`, `report_item = field STRING = expr | property`
    mutating func parseReport() -> Decl? {
        let kw = advance()
        guard let n = declarationName(after: kw) else { return nil }
        let title = optionalTitle()
        guard let open = openBrace(for: "report `\(n)`") else { return nil }
        var props: [Property] = []
        var fields: [ReportField] = []
        parseBlockBody(open: open, owner: "report") { p in
            if p.isItemKeywordStart(p.pos, in: [.field]) {
                let fk = p.advance()
                guard p.cur.kind == .string else {
                    p.report(
                        .expectedToken,
                        "expected the name of the report field as a string after `field`, found \(p.describe(p.cur))",
                        at: p.missingSpan(before: p.cur), found: p.cur, help: "write `field \"TxId\" = fill.exec_id`")
                    return
                }
                let target = p.advance()
                let value = p.initializer(for: "field \(target.text)")
                fields.append(
                    ReportField(
                        target: target.value, targetSpan: target.span, value: value,
                        span: p.span(from: fk.span.start)))
            } else {
                p.parsePropertyItem(
                    owner: "report", expected: "`field` or a property", suggestions: [.field], into: &props)
            }
        }
        return .report(
            ReportDecl(name: n, title: title, properties: props, fields: fields, span: span(from: kw.span.start)))
    }

    /// `test STRING { { test_item [ sep ] } }`
    mutating func parseTest() -> Decl? {
        let kw = advance()
        guard cur.kind == .string else {
            report(
                .expectedName, "expected the name of the test as a string after `test`, found \(describe(cur))",
                at: missingSpan(before: cur), found: cur, help: "write `test \"what it checks\" { … }`")
            return nil
        }
        let nameTok = advance()
        guard let open = openBrace(for: "test \(nameTok.text)") else { return nil }
        var steps: [TestStep] = []
        let items: Set<Keyword> = [.given, .expect]
        parseBlockBody(open: open, owner: "test", properties: false) { p in
            if p.isItemKeywordStart(p.pos, in: [.given]), p.peek().is(.bound) {
                if let b = p.parseGivenBound() { steps.append(.bind(b)) }
            } else if p.isItemKeywordStart(p.pos, in: [.given]) {
                if let g = p.parseGiven(outerItems: items) { steps.append(.given(g)) }
            } else if p.isItemKeywordStart(p.pos, in: [.expect]) {
                if let e = p.parseExpect() { steps.append(.expect(e)) }
            } else {
                p.reportUnexpectedItem(owner: "test", expected: "`given` or `expect`", suggestions: [.given, .expect])
            }
        }
        return .test(
            TestDecl(name: nameTok.value, nameSpan: nameTok.span, steps: steps, span: span(from: kw.span.start)))
    }

    /// `given bound IDENT = expr`
    mutating func parseGivenBound() -> TestBind? {
        let kw = advance()
        _ = advance()  // `bound`
        guard cur.kind == .identifier else {
            report(
                .expectedName, "expected the name of bound data after `given bound`, found \(describe(cur))",
                at: missingSpan(before: cur), found: cur, help: "write e.g. `given bound restricted = [\"XYZ\"]`")
            return nil
        }
        let n = name(advance())
        guard eat(.equal) != nil else {
            report(
                .expectedToken, "expected `=` after `given bound \(n.text)`, found \(describe(cur))",
                at: missingSpan(before: cur), found: cur)
            return nil
        }
        let value = parseTernary()
        return TestBind(name: n, value: value, span: span(from: kw.span.start))
    }

    /// `given IDENT block [ repeat INT ]`
    mutating func parseGiven(outerItems: Set<Keyword>) -> TestGiven? {
        let kw = advance()
        let kind: Name
        if cur.kind == .identifier {
            kind = name(advance())
        } else if case .keyword(let k) = cur.kind, peek().is(.lBrace) {
            let t = advance()
            report(.keywordAsName, "`\(k.rawValue)` is a keyword and cannot name an event", at: t.span, found: t)
            kind = name(t)
        } else {
            report(
                .expectedName, "expected the kind of event after `given`, such as `order`, found \(describe(cur))",
                at: missingSpan(before: cur), found: cur)
            return nil
        }
        guard let open = openBrace(for: "`given \(kind)`") else { return nil }
        let props = parsePropertyBlock(open: open, owner: "given", outerItems: outerItems)
        var count = 1
        if eat(.repeat) != nil {
            if cur.kind == .int {
                let t = advance()
                if let v = Int(t.value) {
                    count = v
                } else {
                    report(.integerOutOfRange, "repeat count `\(t.text)` is too large", at: t.span, found: t)
                }
            } else {
                report(
                    .expectedToken, "expected the number of repetitions after `repeat`, found \(describe(cur))",
                    at: missingSpan(before: cur), found: cur, help: "write e.g. `repeat 10`")
            }
        }
        return TestGiven(kind: kind, properties: props, repeatCount: count, span: span(from: kw.span.start))
    }

    /// `expect name [ "[" [ qualified { "," qualified } [ "," ] ] "]" ]`
    mutating func parseExpect() -> TestExpect? {
        let kw = advance()
        guard ParserState.isName(cur), !isDeclarationStart(pos), !isItemKeywordStart(pos) else {
            report(
                .expectedName, "expected a verdict after `expect`, such as `allow` or `reject`, found \(describe(cur))",
                at: missingSpan(before: cur), found: cur)
            return nil
        }
        let verdict = name(advance())
        guard let open = eat(.lBracket) else {
            return TestExpect(verdict: verdict, rules: nil, span: span(from: kw.span.start))
        }
        var rules: [(jurisdiction: Name, rule: Name)] = []
        while eat(.rBracket) == nil {  // every iteration consumes a rule name or leaves the loop
            if cur.kind == .identifier, peek().is(.dot) {
                let j = advance()
                advance()  // .
                guard cur.kind == .identifier else {
                    report(
                        .expectedName, "expected a rule name after `\(j.text).`, found \(describe(cur))",
                        at: missingSpan(before: cur), found: cur)
                    break
                }
                rules.append((name(j), name(advance())))
            } else if cur.kind == .identifier {
                let t = advance()
                report(
                    .unqualifiedRuleName, "rule `\(t.text)` is not qualified by its jurisdiction", at: t.span, found: t,
                    help: "write the jurisdiction before the rule, e.g. `EU.\(t.text)`")
            } else {
                reportUnclosed(open, closer: .rBracket, what: "list of rules", found: cur)
                break
            }
            if eat(.comma) != nil { continue }
            if cur.is(.rBracket) { continue }
            if cur.kind == .identifier, cur.newlinesBefore == 0 {
                report(
                    .expectedToken, "expected `,` between the rules of `expect`", at: insertionPoint, found: cur,
                    fixIt: FixIt(span: insertionPoint, replacement: ","))
                continue
            }
            reportUnclosed(open, closer: .rBracket, what: "list of rules", found: cur)
            break
        }
        return TestExpect(verdict: verdict, rules: rules, span: span(from: kw.span.start))
    }
}
