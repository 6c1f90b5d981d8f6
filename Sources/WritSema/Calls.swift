/// Calls of built-in functions and methods: CEL's (`size`, `has`,
/// `timestamp`, `matches`, …), the stateful domain controls (`rate`,
/// `window_sum`, `killed`, …) and the DR trigger inputs (`down`, `lag`, …).

import WritSyntax
import WritValue

/// The built-in functions and their arities.
enum Builtins {
    /// Global functions: name → number of arguments.
    static let functions: [String: Int] = [
        "size": 1, "has": 1, "timestamp": 1, "duration": 1, "abs": 1, "min": 2, "max": 2, "int": 1,
        "decimal": 1, "string": 1, "matches": 2,
        "rate": 2, "window_sum": 3, "executions": 2, "position": 2, "otr": 2, "killed": 2, "duplicate": 1,
        "latch": 3, "open_sum": 2, "window_max": 2, "window_min": 2, "between": 3,
        "down": 1, "down_count": 1, "lag": 1, "security_incident": 0, "regulatory_halt": 0,
    ]
    /// Methods (receiver style): name → number of arguments.
    static let methods: [String: Int] = [
        "size": 0, "startsWith": 1, "endsWith": 1, "contains": 1, "matches": 1,
        "all": 2, "exists": 2, "exists_one": 2, "filter": 2, "map": 2,
    ]
    /// The macros, which bind a variable.
    static let macros: Set<String> = ["all", "exists", "exists_one", "filter", "map"]
    /// Functions that read engine state.
    static let stateful: Set<String> = [
        "rate", "window_sum", "executions", "position", "otr", "killed", "duplicate", "latch", "open_sum",
        "window_max", "window_min",
    ]
    /// Functions that only DR triggers may call.
    static let drInputs: Set<String> = ["down", "down_count", "lag", "security_incident", "regulatory_halt"]
    /// The largest window of a stateful control, in nanoseconds (1d).
    static let maxWindow: Int64 = 86_400_000_000_000
    /// The buckets of a `window_max`/`window_min` history: its window is
    /// cut into this many (docs/engine-semantics.md, "State").
    static let historyBuckets: Int64 = 10
}

extension Analyzer {
    func checkCall(_ e: Expr, _ target: Expr?, _ fn: Name, _ args: [Expr], _ s: Scope, hint: WType?) -> WType {
        if let target {
            if Builtins.macros.contains(fn.text) { return checkMacro(e, target, fn, args, s) }
            return checkMethod(e, target, fn, args, s)
        }
        return checkFunction(e, fn, args, s)
    }

    /// Checks arguments without requirements (after an error, so that names still resolve).
    private func checkLoose(_ args: [Expr], _ s: Scope) {
        for a in args { check(a, s) }
    }

    private func arityOK(_ fn: Name, _ args: [Expr], _ want: Int, method: Bool, _ s: Scope) -> Bool {
        if args.count == want || (fn.text == "latch" && !method && args.count == 2) { return true }
        report(Messages.argumentCount(fn.text, expected: want, found: args.count, method: method, at: fn.span))
        checkLoose(args, s)
        return false
    }

    // MARK: Methods

    private func checkMethod(_ e: Expr, _ target: Expr, _ fn: Name, _ args: [Expr], _ s: Scope) -> WType {
        guard let arity = Builtins.methods[fn.text] else {
            check(target, s)
            checkLoose(args, s)
            let help = Builtins.functions[fn.text] != nil ? "`\(fn.text)` is a function: write `\(fn.text)(…)`" : nil
            report(
                Messages.unknownFunction(
                    fn, method: true, suggestion: suggestion(for: fn.text, in: Builtins.methods.keys), help: help))
            return .error
        }
        program.resolutions[e.id] = .builtin(fn.text)
        let tt = check(target, s)
        guard arityOK(fn, args, arity, method: true, s) else { return .error }
        switch fn.text {
        case "size":
            return sizeOf(e, target, tt)
        case "matches":
            return checkMatches(e, target, tt, args[0], s)
        default:  // startsWith, endsWith, contains
            let at = check(args[0], s, hint: .string)
            if tt.containsError || at.containsError { return .error }
            guard tt == .string || tt == .symbol else {
                report(
                    Messages.invalidArgument(
                        "`\(fn.text)` is called on a string, not on \(Messages.a(tt))", at: target.span))
                return .error
            }
            guard at == .string || at == .symbol else {
                report(
                    Messages.invalidArgument("`\(fn.text)` takes a string, found \(Messages.a(at))", at: args[0].span))
                return .error
            }
            if let a = stringValue(program.constants[target.id]), let b = stringValue(program.constants[args[0].id]) {
                let r =
                    fn.text == "startsWith" ? a.hasPrefix(b) : fn.text == "endsWith" ? a.hasSuffix(b) : a.contains(b)
                program.constants[e.id] = .bool(r)
            }
            return .bool
        }
    }

    private func stringValue(_ v: Value?) -> String? {
        switch v {
        case .string(let s)?, .symbol(let s)?: s
        default: nil
        }
    }

    private func sizeOf(_ e: Expr, _ x: Expr, _ t: WType) -> WType {
        if case .list(let xs) = x.kind, xs.isEmpty {
            untypedEmptyLists.remove(x.id)
            program.constants[e.id] = .int(0)
            return .int
        }
        if t.containsError { return .error }
        switch t {
        case .list, .set, .map, .string: break
        default:
            report(
                Messages.invalidArgument("`size` takes a list, set, map or string, found \(Messages.a(t))", at: x.span))
            return .error
        }
        if let v = program.constants[x.id], let n = Fold.size(v) { program.constants[e.id] = .int(n) }
        return .int
    }

    private func checkMatches(_ e: Expr, _ subject: Expr, _ st: WType, _ pattern: Expr, _ s: Scope) -> WType {
        let pt = check(pattern, s, hint: .string)
        if st.containsError || pt.containsError { return .error }
        guard st == .string || st == .symbol else {
            report(
                Messages.invalidArgument("`matches` is called on a string, not on \(Messages.a(st))", at: subject.span))
            return .error
        }
        guard pt == .string, case .string(let p)? = program.constants[pattern.id] else {
            report(Messages.invalidArgument("the pattern of `matches` must be a string literal", at: pattern.span))
            return .error
        }
        if let why = RegexCheck.problem(in: p) {
            report(Messages.invalidRegex(p, why: why, at: pattern.span))
            return .error
        }
        return .bool
    }

    // MARK: Functions

    private func checkFunction(_ e: Expr, _ fn: Name, _ args: [Expr], _ s: Scope) -> WType {
        guard let arity = Builtins.functions[fn.text] else {
            checkLoose(args, s)
            let help = Builtins.methods[fn.text] != nil ? "`\(fn.text)` is a method: write `value.\(fn.text)(…)`" : nil
            report(
                Messages.unknownFunction(
                    fn, method: false, suggestion: suggestion(for: fn.text, in: Builtins.functions.keys), help: help))
            return .error
        }
        program.resolutions[e.id] = .builtin(fn.text)
        if Builtins.stateful.contains(fn.text) {
            if !s.stateful {
                let help =
                    s.place == "a `let`"
                    ? "a `let` is pure: call `\(fn.text)` in the rule, where each call is a counter of its own"
                    : "stateful controls are used in jurisdiction rules"
                report(Messages.functionNotAvailable(fn.text, place: s.place, help: help, at: fn.span))
                checkLoose(args, s)
                return .error
            }
            if s.inMacro {
                report(
                    Messages.functionNotAvailable(
                        fn.text, place: "a macro", help: "compute it outside the macro, on a key of the input",
                        at: fn.span))
                checkLoose(args, s)
                return .error
            }
        }
        if Builtins.drInputs.contains(fn.text), !s.drInputs {
            report(
                Messages.functionNotAvailable(
                    fn.text, place: s.place, help: "`\(fn.text)` is an input of DR level triggers", at: fn.span))
            checkLoose(args, s)
            return .error
        }
        guard arityOK(fn, args, arity, method: false, s) else { return .error }
        switch fn.text {
        case "size":
            return sizeOf(e, args[0], check(args[0], s))
        case "matches":
            return checkMatches(e, args[0], check(args[0], s), args[1], s)
        case "has":
            return checkHas(e, args[0], s)
        case "timestamp", "duration":
            return checkTimeConversion(e, fn.text, args[0], s)
        case "abs":
            let t = check(args[0], s)
            if t.containsError { return .error }
            guard isMagnitude(t) else {
                report(
                    Messages.invalidArgument(
                        "`abs` takes a number, money, a percent or a duration, found \(Messages.a(t))", at: args[0].span
                    ))
                return .error
            }
            if let v = program.constants[args[0].id], let z = zero(like: v), let c = Fold.compare(v, z) {
                if c >= 0 {
                    program.constants[e.id] = v
                } else if case .value(let n) = Fold.negate(v) {
                    program.constants[e.id] = n
                } else {
                    report(Messages.constantOverflow(text(e.span), at: e.span))
                    return .error
                }
            }
            return t
        case "min", "max":
            let a = check(args[0], s)
            let b = check(args[1], s, hint: a.containsError ? nil : a)
            if a.containsError || b.containsError { return .error }
            guard let t = unify(args[0], a, args[1], b) else {
                report(comparisonArgs(fn.text, a, b, at: e.span))
                return .error
            }
            guard isMagnitude(t) else {
                report(
                    Messages.invalidArgument(
                        "`\(fn.text)` takes numbers, money, percents or durations, found \(Messages.a(t))", at: e.span))
                return .error
            }
            if let x = program.constants[args[0].id], let y = program.constants[args[1].id], let c = Fold.compare(x, y)
            {
                program.constants[e.id] = (fn.text == "min") == (c <= 0) ? x : y
            }
            return t
        case "int":
            let t = check(args[0], s)
            if t.containsError { return .error }
            guard t.isNumeric else {
                report(
                    Messages.invalidArgument(
                        "`int` takes an int or a decimal, found \(Messages.a(t))", at: args[0].span))
                return .error
            }
            if let v = program.constants[args[0].id], let d = Fold.decimal(v) {
                guard let i = d.truncatedInt else {
                    report(Messages.constantOverflow(text(e.span), at: e.span))
                    return .error
                }
                program.constants[e.id] = .int(i)
            }
            return .int
        case "decimal":
            let t = check(args[0], s)
            if t.containsError { return .error }
            guard t.isNumeric else {
                report(
                    Messages.invalidArgument(
                        "`decimal` takes an int or a decimal, found \(Messages.a(t))", at: args[0].span))
                return .error
            }
            if let v = program.constants[args[0].id], let d = Fold.decimal(v) { program.constants[e.id] = .decimal(d) }
            return .decimal
        case "string":
            let t = check(args[0], s)
            if t.containsError { return .error }
            guard t.isScalar else {
                report(
                    Messages.invalidArgument("`string` takes a single value, found \(Messages.a(t))", at: args[0].span))
                return .error
            }
            if let v = program.constants[args[0].id] { program.constants[e.id] = .string(Analyzer.plainText(v)) }
            return .string
        default:
            return checkDomainCall(e, fn, args, s)
        }
    }

    private func comparisonArgs(_ fn: String, _ a: WType, _ b: WType, at span: Span) -> Diagnostic {
        if case .money(.fixed(let x)) = a, case .money(.fixed(let y)) = b {
            return Messages.currencyMismatch(verb: "compare", x, y, at: span)
        }
        return Messages.invalidArgument(
            "`\(fn)` takes two values of one type, found \(Messages.a(a)) and \(Messages.a(b))", at: span)
    }

    private func isMagnitude(_ t: WType) -> Bool {
        switch t {
        case .int, .decimal, .money, .percent, .duration: true
        default: false
        }
    }

    private func zero(like v: Value) -> Value? {
        switch v {
        case .int: .int(0)
        case .decimal: .decimal(.zero)
        case .money(_, let c): .money(.zero, currency: c)
        case .percent: .percent(.zero)
        case .duration: .duration(0)
        default: nil
        }
    }

    /// The text `string(x)` gives for a constant: a symbol's or enum case's name, a number's digits.
    static func plainText(_ v: Value) -> String {
        switch v {
        case .string(let s), .symbol(let s): s
        case .enumCase(_, let c): c
        case .decimal(let d): d.description
        default: v.description
        }
    }

    private func checkHas(_ e: Expr, _ arg: Expr, _ s: Scope) -> WType {
        guard case .select = arg.kind else {
            check(arg, s)
            report(Messages.invalidArgument("`has` takes a field selection such as `has(order.price)`", at: arg.span))
            return .error
        }
        let t = check(arg, s)
        if t.containsError { return .error }
        var optional = true
        switch program.resolutions[arg.id] {
        case .field(let schema, let field)?:
            optional = schemas[schema]?.field(field)?.isOptional ?? true
        case .column(let table, let column)?:
            optional = tables[table]?.columns.first { $0.name == column }?.isOptional ?? true
        default:
            report(Messages.invalidArgument("`has` takes a field of an input record or a table row", at: arg.span))
            return .error
        }
        if !optional { report(Messages.hasAlwaysTrue(text(arg.span), at: e.span)) }
        return .bool
    }

    private func checkTimeConversion(_ e: Expr, _ fn: String, _ arg: Expr, _ s: Scope) -> WType {
        let want: WType = fn == "timestamp" ? .timestamp : .duration
        let t = check(arg, s)
        if t.containsError { return .error }
        if t == want {
            if let v = program.constants[arg.id] { program.constants[e.id] = v }
            return want
        }
        guard t == .string, case .string(let text)? = program.constants[arg.id] else {
            let example = fn == "timestamp" ? "\"2026-11-27T14:30:00Z\"" : "\"1h30m\""
            report(Messages.invalidArgument("`\(fn)` takes a string literal such as `\(example)`", at: arg.span))
            return .error
        }
        let parsed = fn == "timestamp" ? TimeLiterals.parseTimestamp(text) : TimeLiterals.parseDuration(text)
        switch parsed {
        case .success(let ns):
            program.constants[e.id] = fn == "timestamp" ? .timestamp(ns) : .duration(ns)
            return want
        case .failure(let why):
            report(Messages.invalidTimeLiteral(text, kind: fn, why: why.text, at: arg.span))
            return .error
        }
    }
}
