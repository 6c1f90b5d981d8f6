/// Expression checking: gives every node a type, resolves names, folds
/// constants. Operators, calls and macros are in their own files.

import WritSyntax
import WritValue

extension Analyzer {
    /// Checks `e` in scope `s`. `hint` is the type the context expects: it
    /// resolves bare enum cases and types empty lists, but a mismatch is the
    /// caller's to report (see `require`).
    @discardableResult
    func check(_ e: Expr, _ s: Scope, hint: WType? = nil) -> WType {
        let t = checkKind(e, s, hint: hint)
        program.types[e.id] = t
        if case .enumeration(let n) = t { useEnum(n) }
        if t.containsError, !untypedEmptyLists.isEmpty {
            for c in TypedDump.children(e) { reportUntypedEmptyList(c) }
        }
        return t
    }

    /// Reports `e` if it is an empty list literal whose element type nothing
    /// told and that something needed (the only error type without a diagnostic).
    func reportUntypedEmptyList(_ e: Expr) {
        if untypedEmptyLists.remove(e.id) != nil {
            report(Messages.untypedEmptyList(at: e.span))
        }
    }

    private func checkKind(_ e: Expr, _ s: Scope, hint: WType?) -> WType {
        switch e.kind {
        case .error:
            return .error
        case .literal(let lit):
            return checkLiteral(e, lit)
        case .identifier(let name):
            return checkIdentifier(e, name, s, hint: hint)
        case .select(let base, let name):
            return checkSelect(e, base, name, s)
        case .index(let base, let index):
            return checkIndex(e, base, index, s)
        case .call(let target, let fn, let args):
            return checkCall(e, target, fn, args, s, hint: hint)
        case .unary(let op, let x):
            return checkUnary(e, op, x, s, hint: hint)
        case .binary(let op, let l, let r):
            return checkBinary(e, op, l, r, s, hint: hint)
        case .conditional(let c, let a, let b):
            return checkConditional(e, c, a, b, s, hint: hint)
        case .list(let elems):
            return checkList(e, elems, s, hint: hint)
        case .map(let entries):
            return checkMap(e, entries, s, hint: hint)
        case .tuple(let parts):
            for part in parts { check(part, s) }
            report(Messages.misplacedTuple(at: e.span))
            return .error
        }
    }

    // MARK: Requirements

    /// Checks `e` and requires a value of type `want` (converting constants
    /// and ints as allowed). Returns the type to use (`want`, or `.error`).
    @discardableResult
    func require(_ e: Expr, _ s: Scope, _ want: WType, what: String) -> WType {
        let t = check(e, s, hint: want)
        return expect(e, t, want, what: what)
    }

    /// Requires the already-checked `e` (of type `t`) to be usable as `want`.
    @discardableResult
    func expect(_ e: Expr, _ t: WType, _ want: WType, what: String) -> WType {
        if t.containsError || want.containsError {
            if t.containsError { reportUntypedEmptyList(e) }
            return t.containsError ? .error : t
        }
        if convert(e, from: t, to: want) { return want }
        if case .money(.fixed(let a)) = t, case .money(.fixed(let b)) = want {
            report(Messages.currencyMismatchExpected(found: a, expected: b, what: what, at: e.span))
            return .error
        }
        if want == .bool {
            report(Messages.notACondition(what: what, found: t, at: e.span))
        } else {
            report(
                Messages.typeMismatch(
                    what: what, expected: want, found: t, at: e.span, hint: conversionHelp(from: t, to: want)))
        }
        return .error
    }

    /// A help line for a common near-miss conversion.
    func conversionHelp(from t: WType, to want: WType) -> String? {
        switch (t, want) {
        case (.string, .symbol), (.string, .currency):
            return "only a string literal converts to a \(want); compare with a literal such as `\"XETR\"`"
        case (.decimal, .int):
            return "truncate with `int(…)` if dropping the fraction is intended"
        case (.percent, .decimal), (.percent, .int):
            return "a percent applies to a quantity by multiplication: `qty * 5%`"
        case (.int, .duration), (.decimal, .duration):
            return "write a duration with its unit, such as `10ms` or `5m`"
        case (.int, .money), (.decimal, .money):
            return "write money with its currency, such as `5_000 EUR`"
        case (.int, .percent), (.decimal, .percent):
            return "write a percent with `%`, such as `5%`"
        default:
            return nil
        }
    }

    // MARK: Literals

    func checkLiteral(_ e: Expr, _ lit: Literal) -> WType {
        switch lit {
        case .bool(let b):
            program.constants[e.id] = .bool(b)
            return .bool
        case .null:
            program.constants[e.id] = .null
            return .null
        case .string(let s):
            program.constants[e.id] = .string(s)
            return .string
        case .int(let digits):
            guard let v = Int64(digits) else {
                report(Messages.numberOutOfRange(text(e.span), why: "does not fit in an int", at: e.span))
                return .error
            }
            program.constants[e.id] = .int(v)
            return .int
        case .decimal(let digits):
            guard let v = Fixed(digits) else {
                report(Messages.numberOutOfRange(text(e.span), why: decimalProblem(digits), at: e.span))
                return .error
            }
            program.constants[e.id] = .decimal(v)
            return .decimal
        case .percent(let digits):
            guard let v = Fixed(digits) else {
                report(Messages.numberOutOfRange(text(e.span), why: decimalProblem(digits), at: e.span))
                return .error
            }
            program.constants[e.id] = .percent(v)
            return .percent
        case .money(let amount, let currency):
            guard let v = Fixed(amount) else {
                report(Messages.numberOutOfRange(text(e.span), why: decimalProblem(amount), at: e.span))
                return .error
            }
            guard Currencies.isKnown(currency) else {
                let cs = currencySpan(e.span, currency)
                report(Messages.unknownCurrency(currency, at: cs))
                return .error
            }
            program.constants[e.id] = .money(v, currency: currency)
            return .money(.fixed(currency))
        case .duration(let amount, let unit):
            guard let ns = TimeLiterals.durationNanoseconds(amount: amount, unit: unit) else {
                report(
                    Messages.numberOutOfRange(
                        text(e.span), why: "is not a whole number of nanoseconds that fits in a duration", at: e.span))
                return .error
            }
            program.constants[e.id] = .duration(ns)
            return .duration
        case .timeOfDay(let time, let zone):
            let z = zone.isEmpty ? "UTC" : zone
            guard let secs = TimeLiterals.secondsOfDay(time) else {
                report(Messages.numberOutOfRange(text(e.span), why: "is not a time of day", at: e.span))
                return .error
            }
            program.constants[e.id] = .timeOfDay(seconds: secs, zone: z)
            return .timeOfDay(zone: z)
        }
    }

    private func decimalProblem(_ digits: String) -> String {
        if let dot = digits.firstIndex(of: "."), digits[digits.index(after: dot)...].count > Fixed.scale {
            return "has more than \(Fixed.scale) decimal places"
        }
        return "is too large"
    }

    /// The span of the currency code at the end of a money literal.
    private func currencySpan(_ span: Span, _ code: String) -> Span {
        Span(file: span.file, start: max(span.start, span.end - code.utf8.count), end: span.end)
    }

    // MARK: Selection and indexing

    func checkSelect(_ e: Expr, _ base: Expr, _ name: Name, _ s: Scope) -> WType {
        // `Side.short`: a qualified enum case.
        if case .identifier(let en) = base.kind, case .top(let d)? = lookup(en, s, hint: nil) {
            switch d {
            case .enumeration, .builtinEnum:
                useEnum(en)
                program.resolutions[base.id] = .enumType(en)
                program.types[base.id] = .enumeration(en)
                let cases = enumCases[en] ?? []
                guard cases.contains(name.text) else {
                    report(
                        Messages.unknownEnumCase(name, enumName: en, suggestion: suggestion(for: name.text, in: cases)))
                    return .error
                }
                program.resolutions[e.id] = .enumCase(type: en, case: name.text)
                program.constants[e.id] = .enumCase(type: en, case: name.text)
                return .enumeration(en)
            default:
                break
            }
        }
        let bt = check(base, s)
        switch bt {
        case .error:
            return .error
        case .record(let r):
            guard let info = schemas[r] else { return .error }
            guard let f = info.field(name.text) else {
                report(
                    Messages.unknownField(
                        name, of: "`\(r)`", suggestion: suggestion(for: name.text, in: info.fields.map(\.name))))
                return .error
            }
            program.resolutions[e.id] = .field(schema: r, field: f.name)
            return f.type
        case .row(let t):
            guard let table = tables[t] else { return .error }
            guard let c = table.columns.first(where: { $0.name == name.text }) else {
                report(
                    Messages.unknownField(
                        name, of: "the rows of `\(t)`",
                        suggestion: suggestion(for: name.text, in: table.columns.map(\.name))))
                return .error
            }
            program.resolutions[e.id] = .column(table: t, column: c.name)
            if let row = program.constants[base.id], case .list(let cells) = row,
                let i = table.columns.firstIndex(where: { $0.name == c.name }), i < cells.count
            {
                program.constants[e.id] = cells[i]
            }
            return c.type
        case .cluster, .region:
            let fields = bt == .cluster ? BuiltinEnums.clusterFields : BuiltinEnums.regionFields
            guard let f = fields.first(where: { $0.0 == name.text }) else {
                report(
                    Messages.unknownField(
                        name, of: "a \(bt)", suggestion: suggestion(for: name.text, in: fields.map(\.0))))
                return .error
            }
            program.resolutions[e.id] = .platformField(f.0)
            return f.1
        case .table(let t):
            report(Messages.selectOnTable(name, table: t, at: name.span))
            return .error
        default:
            report(Messages.noFields(name, of: bt, at: name.span))
            return .error
        }
    }

    func checkIndex(_ e: Expr, _ base: Expr, _ index: Expr, _ s: Scope) -> WType {
        let bt = check(base, s)
        switch bt {
        case .error:
            check(index, s)
            return .error
        case .list(let t):
            let it = check(index, s, hint: .int)
            guard expect(index, it, .int, what: "a list index") != .error else { return .error }
            if case .list(let xs)? = program.constants[base.id], case .int(let i)? = program.constants[index.id],
                i >= 0, i < xs.count
            {
                program.constants[e.id] = xs[Int(i)]
            }
            return t
        case .map(let k, let v):
            let it = check(index, s, hint: k)
            guard expect(index, it, k, what: "the map key") != .error else { return .error }
            if case .map(let es)? = program.constants[base.id], let key = program.constants[index.id],
                let hit = es.first(where: { Fold.equal($0.key, key) })
            {
                program.constants[e.id] = hit.value
            }
            return v
        case .table(let name):
            guard let table = tables[name] else {
                check(index, s)
                return .error
            }
            if table.isComposite {
                guard checkCompositeKey(index, table, name, s) else { return .error }
            } else {
                let kt = table.keyColumn.type
                let it = check(index, s, hint: kt)
                guard expect(index, it, kt, what: "the key of `\(name)`") != .error else { return .error }
            }
            if table.binding == nil, let key = program.constants[index.id],
                let row = table.rows.first(where: { Fold.equal(table.key(of: $0), key) })
            {
                program.constants[e.id] = .list(row)
            }
            return .row(name)
        default:
            check(index, s)
            report(Messages.notIndexable(bt, at: base.span))
            return .error
        }
    }

    /// Checks the key of a table keyed by a tuple of columns: a tuple
    /// `(a, b, …)` of as many symbols (string literals convert).
    func checkCompositeKey(_ index: Expr, _ table: CheckedTable, _ name: String, _ s: Scope) -> Bool {
        guard case .tuple(let parts) = index.kind, parts.count == table.keyIndices.count else {
            let found: WType
            if case .tuple(let parts) = index.kind {
                found = .tuple(parts.map { check($0, s) })
            } else {
                found = check(index, s)
            }
            if !found.containsError {
                let cols = table.keyIndices.map { table.columns[$0].name }.joined(separator: ", ")
                report(
                    Messages.typeMismatch(
                        what: "the key of `\(name)`", expected: table.keyType, found: found, at: index.span,
                        hint: "`\(name)` is keyed by (\(cols)); write `\(name)[(\(cols))]` with a value for each"))
            }
            return false
        }
        var ok = true
        for (i, part) in parts.enumerated() {
            let col = table.columns[table.keyIndices[i]].name
            let t = check(part, s, hint: .symbol)
            if expect(part, t, .symbol, what: "the `\(col)` of the key of `\(name)`") == .error { ok = false }
        }
        program.types[index.id] = ok ? table.keyType : .error
        if ok, table.binding == nil {
            let values = parts.compactMap { program.constants[$0.id] }
            if values.count == parts.count { program.constants[index.id] = .symbol(CheckedTable.compositeText(values)) }
        }
        return ok
    }

    // MARK: Conditionals and literals of collections

    func checkConditional(_ e: Expr, _ c: Expr, _ a: Expr, _ b: Expr, _ s: Scope, hint: WType?) -> WType {
        let ct = check(c, s, hint: .bool)
        let condition = expect(c, ct, .bool, what: "the condition of `?:`")
        let at = check(a, s, hint: hint)
        let bt = check(b, s, hint: hint ?? (at.containsError ? nil : at))
        if condition == .error || at.containsError || bt.containsError { return .error }
        guard let t = unify(a, at, b, bt) else {
            report(Messages.branchMismatch(at, bt, at: b.span, first: a.span))
            return .error
        }
        if case .bool(let cv)? = program.constants[c.id], let v = program.constants[cv ? a.id : b.id] {
            program.constants[e.id] = v
        }
        return t
    }

    func checkList(_ e: Expr, _ elems: [Expr], _ s: Scope, hint: WType?) -> WType {
        let elemHint = hint?.elementType
        var types: [WType] = []
        for el in elems { types.append(check(el, s, hint: elemHint)) }
        if elems.isEmpty {
            program.constants[e.id] = .list([])
            if case .list? = hint { return hint! }
            if case .set(let t)? = hint { return .list(t) }
            untypedEmptyLists.insert(e.id)
            return .list(.error)
        }
        if types.contains(where: \.containsError) { return .list(.error) }
        // The element type: the expected one if every element converts to it,
        // otherwise the join of the elements' types.
        var target: WType? = nil
        if let h = elemHint, !h.containsError, zip(elems, types).allSatisfy({ canConvert($0.0, from: $0.1, to: h) }) {
            target = h
        } else {
            var j = types[0]
            for (i, t) in types.enumerated().dropFirst() {
                guard let n = join(j, t, elems[i]) else {
                    report(Messages.mixedElements(j, t, at: elems[i].span, first: elems[0].span))
                    return .list(.error)
                }
                j = n
            }
            target = j
        }
        let t = target!
        for (el, et) in zip(elems, types) where !convert(el, from: et, to: t) {
            report(Messages.mixedElements(t, et, at: el.span, first: elems[0].span))
            return .list(.error)
        }
        let values = elems.compactMap { program.constants[$0.id] }
        if values.count == elems.count { program.constants[e.id] = .list(values) }
        return .list(t)
    }

    func checkMap(_ e: Expr, _ entries: [MapEntry], _ s: Scope, hint: WType?) -> WType {
        var kh: WType?
        var vh: WType?
        if case .map(let k, let v)? = hint {
            kh = k
            vh = v
        }
        if entries.isEmpty {
            program.constants[e.id] = .map([])
            return hint ?? .map(.error, .error)
        }
        var kt: WType?
        var vt: WType?
        var failed = false
        var seenKeys: [Value] = []
        for en in entries {
            let k = check(en.key, s, hint: kh ?? kt)
            let v = check(en.value, s, hint: vh ?? vt)
            if k.containsError || v.containsError {
                failed = true
                continue
            }
            if let want = kh ?? kt {
                if expect(en.key, k, want, what: "a map key") == .error { failed = true }
            } else {
                kt = k
            }
            if let want = vh ?? vt {
                if expect(en.value, v, want, what: "a map value") == .error { failed = true }
            } else {
                vt = v
            }
            if let key = program.constants[en.key.id] {
                if seenKeys.contains(where: { Fold.equal($0, key) }) {
                    report(Messages.duplicateElement(text(en.key.span), in: "map", at: en.key.span))
                }
                seenKeys.append(key)
            }
        }
        if failed { return .map(.error, .error) }
        let pairs = entries.compactMap { en -> Value.Entry? in
            guard let k = program.constants[en.key.id], let v = program.constants[en.value.id] else { return nil }
            return Value.Entry(key: k, value: v)
        }
        if pairs.count == entries.count { program.constants[e.id] = .map(pairs) }
        return .map(kh ?? kt ?? .error, vh ?? vt ?? .error)
    }
}
