/// The domain built-ins: stateful controls (each call site becomes a state
/// slot, shared by structurally equal calls) and the DR trigger inputs.

import WritSyntax
import WritValue

extension Analyzer {
    func checkDomainCall(_ e: Expr, _ fn: Name, _ args: [Expr], _ s: Scope) -> WType {
        switch fn.text {
        case "rate", "executions", "otr":
            let key = keyArgument(args[0], s, of: fn.text)
            let window = windowArgument(args[1], s)
            guard key, let window else { return .error }
            let kind: StateSlotKind = fn.text == "rate" ? .rate : fn.text == "executions" ? .executions : .otr
            let t: WType = kind == .otr ? .decimal : .int
            registerSlot(kind, call: e, key: args[0], window: window, type: t)
            return t
        case "window_sum":
            let at = check(args[0], s)
            var amountOK = !at.containsError
            if amountOK, !(at.isNumeric || at.isMoney) {
                report(
                    Messages.invalidArgument(
                        "`window_sum` sums an int, a decimal or money, found \(Messages.a(at))", at: args[0].span))
                amountOK = false
            }
            let key = keyArgument(args[1], s, of: fn.text)
            let window = windowArgument(args[2], s)
            guard amountOK, key, let window else { return .error }
            registerSlot(.windowSum, call: e, key: args[1], amount: args[0], window: window, type: at)
            return at
        case "position":
            let a = symbolArgument(args[0], s, of: fn.text)
            let b = symbolArgument(args[1], s, of: fn.text)
            guard a, b else { return .error }
            registerSlot(.position, call: e, key: args[0], secondKey: args[1], type: .decimal)
            return .decimal
        case "killed":
            let st = check(args[0], s, hint: .enumeration("KillScope"))
            var scope: String?
            if !st.containsError {
                if st == .enumeration("KillScope"), case .enumCase(_, let c)? = program.constants[args[0].id] {
                    scope = c
                } else {
                    report(
                        Messages.invalidArgument(
                            "the scope of `killed` must be one of \(orList(BuiltinEnums.killScope.cases))",
                            at: args[0].span))
                }
            }
            let key = symbolArgument(args[1], s, of: fn.text)
            guard let scope, key else { return .error }
            registerSlot(.killed, call: e, key: args[1], scope: scope, type: .bool)
            return .bool
        case "duplicate":
            let t = check(args[0], s, hint: .symbol)
            if t.containsError { return .error }
            guard t == .symbol || t == .string else {
                report(
                    Messages.invalidArgument(
                        "`duplicate` takes an id (a symbol or string), found \(Messages.a(t))", at: args[0].span))
                return .error
            }
            registerSlot(.duplicate, call: e, key: args[0], type: .bool)
            return .bool
        case "latch":
            return checkLatch(e, args, s)
        case "open_sum":
            let at = check(args[0], s)
            var amountOK = !at.containsError
            if amountOK, !(at == .decimal || at.isMoney) {
                report(
                    Messages.invalidArgument(
                        "`open_sum` sums a decimal or money, found \(Messages.a(at))", at: args[0].span))
                amountOK = false
            }
            let key = keyArgument(args[1], s, of: fn.text)
            guard amountOK, key else { return .error }
            registerSlot(.openSum, call: e, key: args[1], amount: args[0], type: at)
            return at
        case "window_max", "window_min":
            return checkWindowExtreme(e, fn.text, args, s)
        case "between":
            return checkBetween(e, args, s)
        case "down":
            let t = check(args[0], s)
            if t.containsError { return .error }
            guard t == .cluster else {
                report(Messages.invalidArgument("`down` takes a cluster, found \(Messages.a(t))", at: args[0].span))
                return .error
            }
            return .bool
        case "down_count":
            var hint: WType?
            if case .identifier(let n) = args[0].kind {
                if enumCases["Role"]?.contains(n) == true {
                    hint = .enumeration("Role")
                } else if enumCases["Continent"]?.contains(n) == true {
                    hint = .enumeration("Continent")
                }
            }
            let t = check(args[0], s, hint: hint)
            if t.containsError { return .error }
            guard t == .enumeration("Role") || t == .enumeration("Continent"), program.constants[args[0].id] != nil
            else {
                report(
                    Messages.invalidArgument(
                        "`down_count` takes a role or a continent, such as `primary` or `emea`", at: args[0].span))
                return .error
            }
            return .int
        case "lag":
            let t = check(args[0], s)
            if t.containsError { return .error }
            guard t == .tier else {
                report(
                    Messages.invalidArgument("`lag` takes a replication tier, found \(Messages.a(t))", at: args[0].span)
                )
                return .error
            }
            return .duration
        case "security_incident", "regulatory_halt":
            return .bool
        default:
            return .error
        }
    }

    /// `latch(cond, key[, until])`: a bool condition, a key (a tuple
    /// allowed), and a constant `Until` case (`reset` when omitted). Each
    /// rule has its own latches: a person resets them by the rule's name.
    private func checkLatch(_ e: Expr, _ args: [Expr], _ s: Scope) -> WType {
        let ct = require(args[0], s, .bool, what: "the condition of `latch`")
        let key = keyArgument(args[1], s, of: "latch")
        var until = "reset"
        var untilOK = true
        if args.count == 3 {
            let ut = check(args[2], s, hint: .enumeration("Until"))
            if ut.containsError {
                untilOK = false
            } else if ut == .enumeration("Until"), case .enumCase(_, let c)? = program.constants[args[2].id] {
                until = c
            } else {
                report(
                    Messages.invalidArgument(
                        "how long a `latch` stays on must be one of \(orList(BuiltinEnums.until.cases))",
                        at: args[2].span))
                untilOK = false
            }
        }
        guard let owner = s.rule else {
            report(
                Messages.functionNotAvailable(
                    "latch", place: s.place, help: "a latch belongs to a rule: use it in a rule's condition",
                    at: e.span))
            return .error
        }
        guard ct == .bool, key, untilOK else { return .error }
        registerSlot(.latch, call: e, key: args[1], scope: until, type: .bool, condition: args[0], owner: owner)
        return .bool
    }

    /// `window_max(market.f, W)` / `window_min(market.f, W)`: the highest
    /// (lowest) value of a market field over the last W, per market record
    /// (symbol, venue). The first argument is a field of the `market` schema
    /// (an int, a decimal or money), whose history market events keep; the
    /// schema needs a `ts: timestamp` field to time them; W is cut into
    /// `Builtins.historyBuckets` buckets.
    private func checkWindowExtreme(_ e: Expr, _ fn: String, _ args: [Expr], _ s: Scope) -> WType {
        let t = check(args[0], s)
        var ok = !t.containsError
        if ok {
            if case .field(schema: "market", field: _)? = program.resolutions[args[0].id], t.isNumeric || t.isMoney {
                if program.schemas.first(where: { $0.name == "market" })?.field("ts").map({
                    $0.type == .timestamp && !$0.isOptional
                }) != true {
                    report(
                        Messages.invalidArgument(
                            "`\(fn)` needs the `market` schema to have a field `ts: timestamp`, the time of each market event",
                            at: args[0].span))
                    ok = false
                }
            } else {
                report(
                    Diagnostic(
                        .invalidArgument,
                        "`\(fn)` reads the history of a field of the `market` record (an int, a decimal or money), found `\(text(args[0].span))`",
                        at: args[0].span,
                        help: "name a market field, such as `\(fn)(market.reference, 5m)`: market events keep its history"))
                ok = false
            }
        }
        let window = windowArgument(args[1], s)
        guard ok, let window else { return .error }
        guard window % Builtins.historyBuckets == 0 else {
            report(
                Messages.invalidWindow(
                    "the window `\(text(args[1].span))` of `\(fn)` cannot be cut into \(Builtins.historyBuckets) equal buckets",
                    at: args[1].span))
            return .error
        }
        registerSlot(fn == "window_max" ? .windowMax : .windowMin, call: e, key: args[0], window: window, type: t)
        return t
    }

    /// Checks a key argument that may be composite: a symbol, or a tuple
    /// `(a, b, …)` of symbols (one key per combination of the parts).
    private func keyArgument(_ a: Expr, _ s: Scope, of fn: String) -> Bool {
        guard case .tuple(let parts) = a.kind else { return symbolArgument(a, s, of: fn) }
        var ok = true
        for part in parts where !symbolArgument(part, s, of: fn) { ok = false }
        program.types[a.id] = ok ? .tuple(parts.map { _ in .symbol }) : .error
        return ok
    }

    /// Checks a key argument: a symbol (string literals convert).
    private func symbolArgument(_ a: Expr, _ s: Scope, of fn: String) -> Bool {
        let t = check(a, s, hint: .symbol)
        if t.containsError { return false }
        if canConvert(a, from: t, to: .symbol) {
            _ = convert(a, from: t, to: .symbol)
            return true
        }
        report(
            Messages.invalidArgument(
                "the key of `\(fn)` must be a symbol such as an account or venue id, found \(Messages.a(t))", at: a.span
            ))
        return false
    }

    /// Checks a window argument: a constant duration in (0, 1d].
    private func windowArgument(_ a: Expr, _ s: Scope) -> Int64? {
        let t = check(a, s, hint: .duration)
        if t.containsError { return nil }
        guard t == .duration else {
            report(Messages.invalidWindow("a window must be a duration, found \(Messages.a(t))", at: a.span))
            return nil
        }
        guard case .duration(let ns)? = program.constants[a.id] else {
            report(Messages.invalidWindow("a window must be a constant duration", at: a.span))
            return nil
        }
        guard ns > 0, ns <= Builtins.maxWindow else {
            report(Messages.invalidWindow("the window `\(text(a.span))` is not between 0 and 1d", at: a.span))
            return nil
        }
        return ns
    }

    private func checkBetween(_ e: Expr, _ args: [Expr], _ s: Scope) -> WType {
        let tt = check(args[0], s)
        var ok = true
        if !tt.containsError, tt != .timestamp {
            report(
                Messages.invalidArgument("`between` takes a timestamp first, found \(Messages.a(tt))", at: args[0].span)
            )
            ok = false
        }
        var zones: [String] = []
        for a in args.dropFirst() {
            let t = check(a, s)
            if t.containsError {
                ok = false
                continue
            }
            guard case .timeOfDay(let z) = t, program.constants[a.id] != nil else {
                report(
                    Messages.invalidArgument(
                        "the bounds of `between` are times of day such as `09:30[Europe/Paris]`", at: a.span))
                ok = false
                continue
            }
            zones.append(z)
        }
        if ok, zones.count == 2, zones[0] != zones[1] {
            report(Messages.zoneMismatch(zones[0], zones[1], at: args[2].span))
            return .error
        }
        return ok && !tt.containsError ? .bool : .error
    }

    /// Records a stateful call; structurally equal calls share one slot.
    func registerSlot(
        _ kind: StateSlotKind, call e: Expr, key: Expr, secondKey: Expr? = nil, amount: Expr? = nil,
        window: Int64? = nil, scope: String? = nil, type: WType, condition: Expr? = nil, owner: RuleID? = nil
    ) {
        var parts = [kind.rawValue, ExprPrinter.text(key)]
        if let secondKey { parts.append(ExprPrinter.text(secondKey)) }
        if let amount { parts.append(ExprPrinter.text(amount)) }
        if let window { parts.append(String(window)) }
        if let scope { parts.append(scope) }
        if let condition { parts.append(ExprPrinter.text(condition)) }
        if let owner { parts.append(owner.description) }
        let k = parts.joined(separator: "\u{1F}")
        if let i = slotKeys[k] {
            program.stateSlots[i].sites.append(e.id)
            program.slotOfCall[e.id] = i
            return
        }
        let i = program.stateSlots.count
        slotKeys[k] = i
        program.stateSlots.append(
            StateSlot(
                index: i, kind: kind, key: key, secondKey: secondKey, amount: amount, window: window, scope: scope,
                condition: condition, owner: owner, type: type, sites: [e.id]))
        program.slotOfCall[e.id] = i
    }
}
