/// Message factories for every checker diagnostic, in Cedar's style: one
/// sentence, no capital, no final period, user text in backticks, a
/// separate help line for the fix. Types are named in the user's words.

import WritSyntax

/// Builds the checker's diagnostics.
enum Messages {
    // MARK: Naming types in messages

    /// A type in words, with user names in backticks: `money in `EUR``.
    static func name(_ t: WType) -> String {
        switch t {
        case .money(.fixed(let c)): "money in `\(c)`"
        case .timeOfDay(let z): z == "UTC" ? "time of day" : "time of day in `\(z)`"
        case .enumeration(let n): "`\(n)`"
        case .list(.error): "list"
        case .list(let x): "list of \(plural(x))"
        case .set(let x): "set of \(plural(x))"
        case .map(let k, let v): "map from \(plural(k)) to \(plural(v))"
        case .optional(let x): "optional \(name(x))"
        case .record(let n): "record `\(n)`"
        case .row(let n): "row of `\(n)`"
        case .table(let n): "table `\(n)`"
        default: t.description
        }
    }

    private static func plural(_ t: WType) -> String {
        switch t {
        case .money: "money"
        case .enumeration(let n): "`\(n)` cases"
        case .timeOfDay: "times of day"
        case .list, .set, .map, .record, .row, .table, .optional: name(t)
        case .dataClass: "data classes"
        case .null: "nulls"
        default: "\(t.description)s"
        }
    }

    /// A type with an article: `an int`, `money in `EUR``, `a case of `Side``.
    static func a(_ t: WType) -> String {
        switch t {
        case .int: "an int"
        case .money: name(t)
        case .null: "null"
        case .enumeration(let n): "a case of `\(n)`"
        case .record, .table: "the \(name(t))"
        case .error: "an invalid value"
        default: "a \(name(t))"
        }
    }

    /// The verb for an arithmetic operator in messages (`add`).
    static func verb(_ op: BinaryOp) -> String {
        switch op {
        case .add: "add"
        case .sub: "subtract"
        case .mul: "multiply"
        case .div: "divide"
        default: "combine"
        }
    }

    private static func firstHere(_ span: Span, _ what: String = "first declared here") -> [DiagnosticNote] {
        [DiagnosticNote(span: span, message: what)]
    }

    private static func didYouMean(_ s: String?, at span: Span) -> (String?, FixIt?) {
        guard let s else { return (nil, nil) }
        return ("did you mean `\(s)`?", FixIt(span: span, replacement: s))
    }

    // MARK: Names (E03xx)

    static func unknownName(_ name: String, suggestion: String?, at span: Span) -> Diagnostic {
        let (help, fix) = didYouMean(suggestion, at: span)
        return Diagnostic(.unknownName, "unknown name `\(name)`", at: span, help: help, fixIt: fix)
    }

    static func missingInputSchema(_ name: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .unknownName, "unknown name `\(name)`: no `schema \(name)` is declared or imported", at: span,
            help: "import the file that declares `schema \(name)` (e.g. `import \"schema.writ\"`), or declare it")
    }

    static func bareEnumCase(_ name: String, enums: [String], at span: Span) -> Diagnostic {
        let e = enums[0]
        return Diagnostic(
            .unknownName, "unknown name `\(name)`", at: span,
            help: "`\(name)` is a case of \(orList(enums)); write `\(e).\(name)` where nothing else tells the enum",
            fixIt: FixIt(span: span, replacement: "\(e).\(name)"))
    }

    static func unknownField(_ n: Name, of owner: String, suggestion: String?) -> Diagnostic {
        let (help, fix) = didYouMean(suggestion, at: n.span)
        return Diagnostic(.unknownField, "\(owner) has no field `\(n.text)`", at: n.span, help: help, fixIt: fix)
    }

    static func unknownType(_ n: Name, suggestion: String?) -> Diagnostic {
        let (help, fix) = didYouMean(suggestion, at: n.span)
        return Diagnostic(
            .unknownType, "unknown type `\(n.text)`", at: n.span,
            help: help
                ?? "the types are bool, int, decimal, string, symbol, money, percent, duration, timestamp, timeofday, currency and declared enums",
            fixIt: fix)
    }

    static func notAType(_ n: Name, kind: String) -> Diagnostic {
        Diagnostic(
            .unknownType, "`\(n.text)` is a \(kind), not a type", at: n.span,
            help: "field types are primitive types, money, collections or enums")
    }

    static func unknownFunction(_ fn: Name, method: Bool, suggestion: String?, help: String?) -> Diagnostic {
        let (h, fix) = didYouMean(suggestion, at: fn.span)
        return Diagnostic(
            .unknownFunction, method ? "unknown method `\(fn.text)`" : "unknown function `\(fn.text)`", at: fn.span,
            help: help ?? h, fixIt: help == nil ? fix : nil)
    }

    static func inputNotAvailable(_ name: String, place: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .inputNotAvailable, "the input `\(name)` is not available in \(place)", at: span,
            help: place.hasPrefix("a report")
                ? "a report's fields read the record of the event it is on"
                : place.hasPrefix("a DR")
                    ? "DR triggers read platform state: `down`, `down_count`, `lag`, `security_incident`, `regulatory_halt`"
                    : "\(place) is computed at build time; use a literal or another constant")
    }

    static func functionNotAvailable(_ fn: String, place: String, help: String, at span: Span) -> Diagnostic {
        Diagnostic(.functionNotAvailable, "`\(fn)` cannot be used in \(place)", at: span, help: help)
    }

    /// What is too large about an expansion of `s`'s shape.
    private static func excess(_ s: ExprShape) -> String {
        if s.depth > Parser.maxNesting {
            let d = s.depth == .max ? "too many" : "\(s.depth)"
            return "be nested \(d) levels deep (the limit is \(Parser.maxNesting))"
        }
        let n = s.size == .max ? "too many" : "\(s.size)"
        return "have \(n) nodes (the limit is \(LetTable.maxNodes))"
    }

    static func roleFieldType(_ schema: String, _ field: String, found: WType, expected: String, effect: String, at span: Span)
        -> Diagnostic
    {
        Diagnostic(
            .roleFieldType,
            "`\(schema).\(field)` is `\(found)`, but the engine reads an event's `\(field)` only as \(expected): \(effect)",
            at: span, help: "declare it as \(expected) (docs/input-contract.md), or give the field another name")
    }

    static func letTooLarge(_ n: Name, _ s: ExprShape) -> Diagnostic {
        Diagnostic(
            .letTooLarge, "`let \(n.text)` would \(excess(s)) once the `let`s it uses are inlined", at: n.span,
            help: "each use of a `let` copies its whole expression; use each `let` fewer times, "
                + "or split the condition into several rules")
    }

    static func letUseTooLarge(at span: Span, _ s: ExprShape) -> Diagnostic {
        Diagnostic(
            .letTooLarge, "this expression would \(excess(s)) once its `let`s are inlined", at: span,
            help: "each use of a `let` copies its whole expression; use the `let`s fewer times, "
                + "or split the condition into several rules")
    }

    static func letsTooLargeInAll(_ span: Span, jurisdiction j: String?) -> Diagnostic {
        Diagnostic(
            .letTooLarge,
            "inlining the `let`s of \(j.map { "jurisdiction `\($0)`" } ?? "this jurisdiction") makes more than \(LetTable.maxNodesPerJurisdiction) nodes in all",
            at: span,
            help: "each use of a `let` copies its whole expression; use large `let`s fewer times")
    }

    static func unrolledTooFar(_ fn: Name, elements n: Int, unrolled: Int, inAll total: Int, at span: Span)
        -> Diagnostic
    {
        func count(_ c: Int) -> String { c == .max ? "more instructions than can be counted" : "\(c) instructions" }
        let inAll = total == unrolled ? "" : " (\(count(total)) with the condition's other macros)"
        return Diagnostic(
            .unrolledTooFar,
            "`\(fn.text)` over \(n) element\(n == 1 ? "" : "s") unrolls to \(count(unrolled))\(inAll), more than the limit of \(Analyzer.maxUnrolled)",
            at: span,
            help: "the engine copies a macro's body once per element: test membership with `in` a set, "
                + "use fewer elements or nest fewer macros")
    }

    static func cyclicDefinition(_ name: String, at span: Span, decl: Span) -> Diagnostic {
        Diagnostic(
            .cyclicDefinition, "`\(name)` is defined in terms of itself", at: span,
            notes: [DiagnosticNote(span: decl, message: "`\(name)` is declared here")],
            help: "give it a value that does not depend on itself")
    }

    static func unknownEnumCase(_ n: Name, enumName: String, suggestion: String?) -> Diagnostic {
        let (help, fix) = didYouMean(suggestion, at: n.span)
        return Diagnostic(.unknownEnumCase, "`\(enumName)` has no case `\(n.text)`", at: n.span, help: help, fixIt: fix)
    }

    static func unknownRule(_ n: Name, jurisdiction: String, suggestion: String?) -> Diagnostic {
        let (help, fix) = didYouMean(suggestion, at: n.span)
        return Diagnostic(
            .unknownRule, "jurisdiction `\(jurisdiction)` has no rule `\(n.text)`", at: n.span, help: help, fixIt: fix)
    }

    static func unknownJurisdiction(_ n: Name, suggestion: String?) -> Diagnostic {
        let (help, fix) = didYouMean(suggestion, at: n.span)
        return Diagnostic(.unknownRule, "unknown jurisdiction `\(n.text)`", at: n.span, help: help, fixIt: fix)
    }

    static func invalidMacroVariable(_ fn: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .invalidMacroVariable, "the variable of `\(fn)` must be a plain name", at: span,
            help: "write the variable first, then the condition: `venues.\(fn)(v, v != \"XOFF\")`")
    }

    static func unknownSchema(_ n: Name, suggestion: String?) -> Diagnostic {
        let (help, fix) = didYouMean(suggestion, at: n.span)
        return Diagnostic(
            .unknownSchema, "no schema is named `\(n.text)`", at: n.span,
            help: help ?? "declare it with `schema \(n.text) { … }`", fixIt: fix)
    }

    static func wrongKind(_ n: Name, is kind: String, expected: String) -> Diagnostic {
        Diagnostic(.wrongKindOfName, "`\(n.text)` is a \(kind), not a \(expected)", at: n.span)
    }

    static func notAValue(_ name: String, kind: String, at span: Span) -> Diagnostic {
        Diagnostic(.wrongKindOfName, "`\(name)` is a \(kind), not a value", at: span)
    }

    static func enumIsNotAValue(_ name: String, example: String?, at span: Span) -> Diagnostic {
        Diagnostic(
            .wrongKindOfName, "`\(name)` is an enum, not a value", at: span,
            help: example.map { "name one of its cases, such as `\(name).\($0)`" })
    }

    // MARK: Types (E04xx)

    static func typeMismatch(what: String, expected: WType, found: WType, at span: Span, hint: String?) -> Diagnostic {
        Diagnostic(.typeMismatch, "\(what) must be \(a(expected)), found \(a(found))", at: span, help: hint)
    }

    static func branchMismatch(_ x: WType, _ y: WType, at span: Span, first: Span) -> Diagnostic {
        Diagnostic(
            .typeMismatch, "the branches of `?:` have different types: \(name(x)) and \(name(y))", at: span,
            notes: [DiagnosticNote(span: first, message: "the first branch is \(a(x))")])
    }

    static func mixedElements(_ x: WType, _ y: WType, at span: Span, first: Span) -> Diagnostic {
        Diagnostic(
            .typeMismatch, "this element is \(a(y)), but the list holds \(plural(x))", at: span,
            notes: [DiagnosticNote(span: first, message: "the first element is here")])
    }

    static func invalidOperands(_ op: BinaryOp, _ l: WType, _ r: WType, at span: Span, help: String?) -> Diagnostic {
        let m: String
        switch op {
        case .add: m = "cannot add \(name(r)) to \(name(l))"
        case .sub: m = "cannot subtract \(name(r)) from \(name(l))"
        case .mul: m = "cannot multiply \(name(l)) by \(name(r))"
        case .div: m = "cannot divide \(name(l)) by \(name(r))"
        default: m = "`%` takes two ints, found \(name(l)) and \(name(r))"
        }
        return Diagnostic(.invalidOperands, m, at: span, help: help)
    }

    static func invalidUnary(_ op: String, _ t: WType, at span: Span) -> Diagnostic {
        Diagnostic(
            .invalidOperands, "cannot negate \(a(t))", at: span,
            help: "`-` applies to numbers, money, percents and durations")
    }

    static func currencyMismatch(verb: String, _ l: String, _ r: String, at span: Span) -> Diagnostic {
        let m: String
        switch verb {
        case "add": m = "cannot add `\(r)` money to `\(l)` money"
        case "subtract": m = "cannot subtract `\(r)` money from `\(l)` money"
        case "divide": m = "cannot divide `\(l)` money by `\(r)` money"
        case "look for": m = "cannot look for `\(l)` money among `\(r)` money"
        default: m = "cannot \(verb) `\(l)` money with `\(r)` money"
        }
        return Diagnostic(
            .currencyMismatch, m, at: span,
            help: "amounts in different currencies need an explicit conversion; keep each rule in one currency")
    }

    static func currencyMismatchExpected(found: String, expected: String, what: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .currencyMismatch, "\(what) must be money in `\(expected)`, found money in `\(found)`", at: span,
            help: "write the amount in `\(expected)`")
    }

    static func unknownCurrency(_ code: String, at span: Span) -> Diagnostic {
        let (help, fix) = didYouMean(Currencies.closest(to: code), at: span)
        return Diagnostic(
            .unknownCurrency, "`\(code)` is not an ISO 4217 currency code", at: span,
            help: help ?? "write an active ISO 4217 code such as `EUR`, `USD` or `JPY`", fixIt: fix)
    }

    static func incomparable(_ op: String, _ l: WType, _ r: WType, at span: Span) -> Diagnostic {
        var help: String?
        if l == .percent || r == .percent { help = "a percent compares only with a percent; write the bound as `5%`" }
        if (l == .duration && r.isNumeric) || (r == .duration && l.isNumeric) {
            help = "write the number as a duration with its unit, such as `10ms`"
        }
        if (l == .string && r == .symbol) || (l == .symbol && r == .string) {
            help = "only a string literal converts to a symbol"
        }
        if case .record = l { help = "compare fields of the records instead" }
        return Diagnostic(.incomparableTypes, "cannot compare \(name(l)) with \(name(r))", at: span, help: help)
    }

    static func nullComparison(_ t: WType, at span: Span) -> Diagnostic {
        Diagnostic(
            .incomparableTypes, "cannot compare \(name(t)) with `null`", at: span,
            help: "to test whether an optional field is present, use `has(order.field)`")
    }

    static func notOrderable(_ op: String, _ t: WType, at span: Span) -> Diagnostic {
        Diagnostic(
            .notOrderable, "`\(op)` cannot order values of type \(name(t))", at: span,
            help:
                "order numbers, money, percents, durations, timestamps, times of day or strings; compare others with `==`"
        )
    }

    static func zoneMismatch(_ a: String, _ b: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .zoneMismatch, "times of day in `\(a)` and `\(b)` cannot be compared", at: span,
            help: "write both times in one zone")
    }

    static func notACondition(what: String, found: WType, at span: Span) -> Diagnostic {
        var help: String?
        if found.isNumeric { help = "compare it with something, such as `\(found == .int ? "x > 0" : "x > 0.0")`" }
        return Diagnostic(.notACondition, "\(what) must be a bool, found \(a(found))", at: span, help: help)
    }

    static func notACollection(_ t: WType, at span: Span) -> Diagnostic {
        Diagnostic(
            .invalidMembership, "`in` needs a list, set, map or table on its right, found \(a(t))", at: span,
            help: "use `==` to compare single values")
    }

    static func membershipMismatch(_ l: WType, _ r: WType, at span: Span) -> Diagnostic {
        Diagnostic(.invalidMembership, "cannot look for \(a(l)) in a \(name(r))", at: span)
    }

    static func notConstant(_ what: String, at span: Span, help: String? = nil) -> Diagnostic {
        Diagnostic(
            .notConstant, "\(what) must be known at build time", at: span,
            help: help ?? "use literals, constants and limits only")
    }

    static func constantOverflow(_ expr: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .constantOverflow, "`\(expr)` overflows", at: span,
            help: "ints hold 64 bits; decimals hold about 30 digits before the point and 8 after")
    }

    static func divisionByZero(_ expr: String, at span: Span) -> Diagnostic {
        Diagnostic(.divisionByZero, "`\(expr)` divides by zero", at: span)
    }

    static func argumentCount(_ fn: String, expected: Int, found: Int, method: Bool, at span: Span) -> Diagnostic {
        let args = expected == 1 ? "1 argument" : "\(expected) arguments"
        return Diagnostic(.argumentCount, "`\(fn)` takes \(args), found \(found)", at: span)
    }

    static func invalidArgument(_ message: String, at span: Span) -> Diagnostic {
        Diagnostic(.invalidArgument, message, at: span)
    }

    static func invalidRegex(_ p: String, why: String, at span: Span) -> Diagnostic {
        Diagnostic(.invalidRegex, "the pattern `\(p)` is not a valid regular expression: \(why)", at: span)
    }

    static func invalidTimeLiteral(_ text: String, kind: String, why: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .invalidTimeLiteral, "`\(text)` is not a valid \(kind): \(why)", at: span,
            help: kind == "timestamp"
                ? "write an RFC 3339 timestamp such as `2026-11-27T14:30:00Z`"
                : "write a duration such as `1h30m`, `250ms` or `90s`")
    }

    static func invalidWindow(_ message: String, at span: Span) -> Diagnostic {
        Diagnostic(.invalidWindow, message, at: span, help: "write a window such as `1s`, `5m` or `1d`")
    }

    static func noFields(_ n: Name, of t: WType, at span: Span) -> Diagnostic {
        Diagnostic(.noFields, "cannot read `\(n.text)` of \(a(t)), which has no fields", at: span)
    }

    static func selectOnTable(_ n: Name, table: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .noFields, "the table `\(table)` has no field `\(n.text)`", at: span,
            help: "look a row up by its key first: `\(table)[key].\(n.text)`")
    }

    static func notIndexable(_ t: WType, at span: Span) -> Diagnostic {
        Diagnostic(
            .notIndexable, "\(a(t)) cannot be indexed", at: span,
            help: "index lists by position, maps and tables by key")
    }

    static func moneyFieldNotCurrency(_ n: Name, field: Name) -> Diagnostic {
        Diagnostic(
            .invalidMoneyCurrency, "`money(\(n.text))` names the field `\(n.text)`, which is not a currency",
            at: n.span,
            notes: [DiagnosticNote(span: field.span, message: "`\(field.text)` is declared here")],
            help: "declare `\(n.text): currency`, or write a currency code such as `money(EUR)`")
    }

    static func invalidMoneyCurrency(_ n: Name, inSchema: Bool) -> Diagnostic {
        Diagnostic(
            .invalidMoneyCurrency,
            inSchema
                ? "`\(n.text)` is neither a currency code nor a field of this schema"
                : "`money(\(n.text))` needs a currency code here",
            at: n.span,
            help: inSchema
                ? "write `money(EUR)` for a fixed currency, or name a sibling field of type currency"
                : "write a currency code such as `money(EUR)`, or `money` for any currency")
    }

    static func optionalNotAllowed(at span: Span) -> Diagnostic {
        Diagnostic(
            .optionalNotAllowed, "only schema fields and data columns can be optional", at: span,
            help: "remove the `?`")
    }

    static func invalidDataValue(_ path: String, line: Int, column: String, cell: String, type: WType, at span: Span)
        -> Diagnostic
    {
        Diagnostic(
            .invalidDataValue, "`\(path)` line \(line): `\(cell)` in column `\(column)` is not \(a(type))", at: span)
    }

    static func numberOutOfRange(_ text: String, why: String, at span: Span) -> Diagnostic {
        Diagnostic(.numberOutOfRange, "`\(text)` \(why)", at: span)
    }

    static func untypedEmptyList(at span: Span) -> Diagnostic {
        Diagnostic(
            .cannotInferType, "cannot tell the element type of this empty list", at: span,
            help: "declare an empty set with its type, such as `set NONE: symbol = []`, and use that")
    }

    static func cannotInferType(_ what: String, at span: Span, example: String) -> Diagnostic {
        Diagnostic(
            .cannotInferType, "cannot tell the element type of the empty \(what)", at: span,
            help: "declare it: `\(example)`")
    }

    static func misplacedTuple(at span: Span) -> Diagnostic {
        Diagnostic(
            .misplacedTuple, "a tuple is only a composite key", at: span,
            help: "use it as the key of `rate`, `window_sum`, `executions` or `otr`, such as `rate((order.trader, order.venue), 1s)`")
    }

    // MARK: Declarations (E05xx)

    static func duplicateDeclaration(_ n: Name, kind: String, prior: TopDecl) -> Diagnostic {
        if let span = prior.nameSpan {
            return Diagnostic(
                .duplicateDeclaration, "`\(n.text)` is declared twice", at: n.span,
                notes: firstHere(span, "the first declaration, a \(prior.kindWord), is here"),
                help: "every top-level name is shared by all files; rename one of them")
        }
        return Diagnostic(
            .duplicateDeclaration, "`\(n.text)` is the name of a built-in enum", at: n.span,
            help: "rename it")
    }

    static func duplicateTest(_ name: String, at span: Span, first: Span) -> Diagnostic {
        Diagnostic(
            .duplicateDeclaration, "two tests are named `\(name)`", at: span, notes: firstHere(first),
            help: "give each test its own name")
    }

    static func duplicateMember(_ n: Name, what: String, in owner: String, first: Span) -> Diagnostic {
        Diagnostic(.duplicateMember, "\(owner) has two \(what)s named `\(n.text)`", at: n.span, notes: firstHere(first))
    }

    static func duplicateMember(_ name: String, what: String, in owner: String, at span: Span, first: Span)
        -> Diagnostic
    {
        Diagnostic(.duplicateMember, "\(owner) has two \(what)s named `\(name)`", at: span, notes: firstHere(first))
    }

    static func unknownProperty(_ n: Name, of owner: String, allowed: [String]) -> Diagnostic {
        let (help, fix) = didYouMean(suggestion(for: n.text, in: allowed), at: n.span)
        return Diagnostic(
            .unknownProperty, "\(owner) has no property `\(n.text)`", at: n.span,
            help: help ?? "the properties are \(orList(allowed))", fixIt: fix)
    }

    static func missingProperty(_ prop: String, of owner: String, at span: Span, example: String) -> Diagnostic {
        Diagnostic(.missingProperty, "\(owner) has no `\(prop)`", at: span, help: "add `\(example)`")
    }

    static func noLevels(_ name: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .missingProperty, "dr `\(name)` declares no level", at: span,
            help: "add levels from the most to the least permissive: `level full { allows = [trading] }`")
    }

    static func missingApplies(_ n: Name) -> Diagnostic {
        Diagnostic(
            .missingApplies, "jurisdiction `\(n.text)` has no `applies when`", at: n.span,
            help: "say which orders it governs, such as `applies when order.venue in EU_VENUES`")
    }

    static func multipleApplies(_ j: String, at span: Span, first: Span) -> Diagnostic {
        Diagnostic(
            .multipleApplies, "jurisdiction `\(j)` has more than one `applies when`", at: span,
            notes: firstHere(first, "the first `applies when` is here"),
            help: "combine the conditions with `||` or `&&`")
    }

    static func invalidBudget(_ value: Int, at span: Span) -> Diagnostic {
        Diagnostic(
            .invalidBudget, "a budget must be positive, found \(value)", at: span,
            help: "the budget is the worst-case number of instructions per order, such as `budget 200`")
    }

    static func propertyNotApplicable(_ prop: String, because: String, at span: Span) -> Diagnostic {
        Diagnostic(.propertyNotApplicable, "`\(prop)` does not apply \(because)", at: span, help: "remove it")
    }

    static func invalidLink(_ message: String, at span: Span, help: String) -> Diagnostic {
        Diagnostic(.invalidLink, message, at: span, help: help)
    }

    static func duplicateLink(_ a: String, _ b: String, at span: Span, first: Span) -> Diagnostic {
        Diagnostic(
            .duplicateLink, "`\(a)` and `\(b)` are linked twice", at: span,
            notes: firstHere(first, "the first link is here"),
            help: "a link is symmetric; declare each pair once")
    }

    static func invalidVerdict(_ n: Name) -> Diagnostic {
        let (help, fix) = didYouMean(suggestion(for: n.text, in: TestVerdict.allCases.map(\.rawValue)), at: n.span)
        return Diagnostic(
            .invalidVerdict, "`\(n.text)` is not a verdict", at: n.span,
            help: help ?? "expect `allow`, `hold` or `reject`", fixIt: fix)
    }

    static func testWithoutExpect(_ name: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .testWithoutExpect, "test \"\(name)\" has no `expect`: it checks nothing, so it could never fail", at: span,
            help: "end it with what the last event must decide, e.g. `expect allow` or `expect reject [J.rule]`")
    }

    static func expectWithoutGiven(at span: Span) -> Diagnostic {
        Diagnostic(
            .expectWithoutGiven, "`expect` comes before any `given`", at: span,
            help: "an expectation checks the decision on the event just before it; add a `given` first")
    }

    static func invalidRepeat(_ n: Int, at span: Span) -> Diagnostic {
        if n >= 1 {
            return Diagnostic(
                .invalidRepeat, "an event may repeat at most \(Analyzer.maxRepeat) times, found `repeat \(n)`",
                at: span, help: "write a count from 1 to 1000000")
        }
        return Diagnostic(
            .invalidRepeat, "an event must repeat at least once, found `repeat \(n)`", at: span,
            help: "remove `repeat` to feed the event once")
    }

    static func dataFile(_ message: String, at span: Span, help: String? = nil) -> Diagnostic {
        Diagnostic(.dataFileError, message, at: span, help: help)
    }

    static func multipleDR(_ n: Name, at span: Span, first: Span) -> Diagnostic {
        Diagnostic(
            .multipleDRPolicies, "the program has a second dr policy `\(n.text)`", at: span,
            notes: firstHere(first, "the first dr policy is here"), help: "declare all levels in one `dr` block")
    }

    static func duplicateClusterTitle(_ title: String, of cluster: Name, other: Name) -> Diagnostic {
        let what = title == other.text ? "the name of cluster `\(other.text)`" : "also the title of cluster `\(other.text)`"
        return Diagnostic(
            .duplicateDeclaration, "cluster `\(cluster.text)` is titled \"\(title)\", \(what)", at: cluster.span,
            notes: firstHere(other.span, "`\(other.text)` is declared here"),
            help: "events name a cluster by its name or its title: give each cluster a title of its own")
    }

    static func invalidPropertyValue(_ message: String, at span: Span, help: String? = nil) -> Diagnostic {
        Diagnostic(.invalidPropertyValue, message, at: span, help: help)
    }

    // MARK: Cost (E06xx)

    static func unboundedCost(_ fn: String, over target: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .unboundedCost, "cannot bound the cost of `\(fn)` over `\(target)`", at: span,
            help: "iterate over a list literal or a constant set, whose size is known at build time")
    }

    static func budgetExceeded(_ j: String, cost: Int, budget: Int, at span: Span, costliest: (String, Int, Span)?)
        -> Diagnostic
    {
        var notes: [DiagnosticNote] = []
        // A saturated cost (`Int.max`) is too large to count.
        func amount(_ c: Int) -> String { c == .max ? "more instructions than can be counted" : "up to \(c) instructions" }
        if let (r, c, s) = costliest {
            notes.append(DiagnosticNote(span: s, message: c == .max ? "the costliest rule, `\(r)`, costs \(amount(c))" : "the costliest rule, `\(r)`, costs \(c)"))
        }
        return Diagnostic(
            .budgetExceeded,
            "jurisdiction `\(j)` costs \(amount(cost)) per order, over its budget of \(budget)", at: span,
            notes: notes, help: "simplify the costliest rules or raise the budget")
    }

    // MARK: Warnings (W01xx)

    static func unused(_ n: Name, kind: String) -> Diagnostic {
        Diagnostic(
            .unusedDeclaration, "\(kind) `\(n.text)` is never used", at: n.span, help: "remove it, or use it in a rule")
    }

    static func missingCitation(_ rule: RuleDecl) -> Diagnostic {
        Diagnostic(
            .missingCitation, "\(rule.severity.rawValue) rule `\(rule.name.text)` cites no regulation",
            at: rule.name.span,
            help: "add the article it enforces: `cite \"RTS 6 Art. 15\"`",
            fixIt: FixIt(span: rule.messageSpan.endPoint, replacement: " cite \"…\""))
    }

    static func neverFires(_ what: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .neverFires, "\(what) is always false", at: span, help: "check the condition; as written it never holds")
    }

    static func alwaysFires(_ what: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .alwaysFires, "\(what) is always true", at: span,
            help: "check the condition; as written it holds for every order")
    }

    static func duplicateElement(_ text: String, in what: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .duplicateElement, "`\(text)` appears twice in this \(what)", at: span, help: "remove the repeated element")
    }

    static func hasAlwaysTrue(_ field: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .hasAlwaysTrue, "`\(field)` is not optional, so `has` is always true", at: span,
            help: "`has` tests fields declared with `?`")
    }
}
