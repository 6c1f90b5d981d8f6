/// Constants, sets, data declarations and jurisdiction limits: checked on
/// demand (one may use another, in any order across files) with cycle
/// detection, and folded to values.

import WritSyntax
import WritValue

extension Analyzer {
    /// Checks every constant, set and data declaration and records them in
    /// the program in declaration order.
    func checkValueDeclarations() {
        for d in allDecls {
            switch d {
            case .constant(let c) where isRegistered(c.name):
                if let (t, v) = constantValue(c, at: nil), let v, !t.containsError {
                    program.consts.append(CheckedConstant(name: c.name.text, type: t, value: v, span: c.span))
                }
            case .set(let sd) where isRegistered(sd.name):
                if let (t, vs) = setValues(sd, at: nil), let vs, case .set(let et) = t {
                    program.sets.append(CheckedSet(name: sd.name.text, elementType: et, values: vs, span: sd.span))
                }
            case .data(let dd) where isRegistered(dd.name):
                if dataType(dd, at: nil) != nil, let r = dataResults[dd.name.text] {
                    program.data.append(r)
                }
            default:
                break
            }
        }
    }

    /// A scope for values known at build time.
    func constantScope(_ place: String, jurisdiction: String? = nil) -> Scope {
        Scope(place: place, inputs: .none, jurisdiction: jurisdiction)
    }

    /// Folds an expression that must be constant, with an optional declared type.
    private func foldDeclaration(_ value: Expr, declared: WType?, _ s: Scope, what: String) -> (WType, Value?) {
        var t = check(value, s, hint: declared)
        if let d = declared { t = expect(value, t, d, what: what) }
        if t.containsError {
            reportUntypedEmptyList(value)
            return (.error, nil)
        }
        guard let v = program.constants[value.id] else {
            report(Messages.notConstant(what, at: value.span))
            return (.error, nil)
        }
        return (t, v)
    }

    /// The type and value of a constant; nil (after reporting) on a cycle.
    func constantValue(_ c: ConstDecl, at use: Span?) -> (WType, Value?)? {
        let n = c.name.text
        switch constantProgress[n] {
        case .inProgress?:
            if let use { report(Messages.cyclicDefinition(n, at: use, decl: c.name.span)) }
            return nil
        case .done(let r)?:
            return r
        case nil:
            break
        }
        constantProgress[n] = .inProgress
        let declared = c.type.map { resolveType($0, .value).type }
        let r = foldDeclaration(c.value, declared: declared, constantScope("a constant"), what: "the value of `\(n)`")
        constantProgress[n] = .done(r)
        return r
    }

    /// The type and value of a jurisdiction's limit; nil (after reporting) on a cycle.
    func limitValue(_ j: String, _ p: Property, at use: Span?) -> (WType, Value?)? {
        let key = "\(j).\(p.name.text)"
        switch limitProgress[key] {
        case .inProgress?:
            if let use { report(Messages.cyclicDefinition(p.name.text, at: use, decl: p.name.span)) }
            return nil
        case .done(let r)?:
            return r
        case nil:
            break
        }
        limitProgress[key] = .inProgress
        let r = foldDeclaration(
            p.value, declared: nil, constantScope("a limit", jurisdiction: j), what: "the limit `\(p.name.text)`")
        limitProgress[key] = .done(r)
        return r
    }

    /// The type (`set<T>`) and values of a set; nil (after reporting) on a cycle.
    func setValues(_ sd: SetDecl, at use: Span?) -> (WType, [Value]?)? {
        let n = sd.name.text
        switch setProgress[n] {
        case .inProgress?:
            if let use { report(Messages.cyclicDefinition(n, at: use, decl: sd.name.span)) }
            return nil
        case .done(let r)?:
            return r
        case nil:
            break
        }
        setProgress[n] = .inProgress
        let r = computeSet(sd)
        setProgress[n] = .done(r)
        return r
    }

    private func computeSet(_ sd: SetDecl) -> (WType, [Value]?) {
        let n = sd.name.text
        let declared = sd.elementType.map { resolveType($0, .value).type }
        let s = constantScope("a constant")
        let t = check(sd.value, s, hint: declared.map { .list($0) })
        if case .list(let elems) = sd.value.kind, elems.isEmpty {
            guard let d = declared else {
                report(Messages.cannotInferType("set `\(n)`", at: sd.value.span, example: "set \(n): symbol = []"))
                return (.error, nil)
            }
            if d.containsError { return (.error, nil) }
            program.types[sd.value.id] = .set(d)
            program.constants[sd.value.id] = .set([])
            return (.set(d), [])
        }
        if t.containsError || declared?.containsError == true { return (.error, nil) }
        let elem: WType
        switch t {
        case .list(let et), .set(let et): elem = declared ?? et
        default:
            report(
                Messages.typeMismatch(
                    what: "the value of set `\(n)`", expected: .list(declared ?? .error), found: t, at: sd.value.span,
                    hint: "write the elements in brackets: `[\"XETR\", \"XPAR\"]`"))
            return (.error, nil)
        }
        if elem.containsError { return (.error, nil) }
        guard convert(sd.value, from: t, to: .set(elem)) else {
            report(
                Messages.typeMismatch(
                    what: "the elements of `\(n)`", expected: elem, found: t.elementType ?? t, at: sd.value.span,
                    hint: conversionHelp(from: t.elementType ?? t, to: elem)))
            return (.error, nil)
        }
        program.types[sd.value.id] = .set(elem)
        guard let v = program.constants[sd.value.id] else {
            report(Messages.notConstant("the value of set `\(n)`", at: sd.value.span))
            return (.error, nil)
        }
        warnDuplicates(sd.value)
        switch v {
        case .set(let xs): return (.set(elem), xs)
        default:
            if case .set(let ys)? = Analyzer.convertValue(v, to: .set(elem)) { return (.set(elem), ys) }
            return (.error, nil)
        }
    }

    /// Warns about repeated constant elements of a list literal.
    func warnDuplicates(_ e: Expr) {
        guard case .list(let elems) = e.kind else { return }
        var seen: [Value] = []
        for el in elems {
            guard let v = program.constants[el.id] else { continue }
            if seen.contains(where: { Fold.equal($0, v) }) {
                report(Messages.duplicateElement(text(el.span), in: "set", at: el.span))
            }
            seen.append(v)
        }
    }

    /// The type of a data declaration's name; nil (after reporting) on a cycle.
    func dataType(_ dd: DataDecl, at use: Span?) -> WType? {
        let n = dd.name.text
        switch dataProgress[n] {
        case .inProgress?:
            if let use { report(Messages.cyclicDefinition(n, at: use, decl: dd.name.span)) }
            return nil
        case .done(let t)?:
            return t
        case nil:
            break
        }
        dataProgress[n] = .inProgress
        var t: WType = .error
        switch dd.source {
        case .csv(let path, let pathSpan, let keys, let columns):
            if let table = loadTable(dd, path: path, pathSpan: pathSpan, keys: keys, columns: columns) {
                tables[n] = table
                t = .table(n)
                dataResults[n] = CheckedData(name: n, type: t, source: .table(table), span: dd.span)
            }
        case .boundTable(let binding, let keys, let columns, let defaultValue):
            var empty = false
            if let d = defaultValue {
                if case .list(let xs) = d.kind, xs.isEmpty {
                    empty = true
                } else {
                    report(
                        Messages.dataFile(
                            "the value of bound data `\(n)` until it is bound can only be `[]`", at: d.span,
                            help: "write `= []` for a table that is empty until the host binds it"))
                }
            }
            if let table = boundTable(dd, binding: binding ?? n, keys: keys, columns: columns, empty: empty) {
                tables[n] = table
                t = .table(n)
                dataResults[n] = CheckedData(name: n, type: t, source: .table(table), span: dd.span)
            }
        case .bound(let ref, let binding, let defaultValue):
            t = resolveType(ref, .value).type
            var value: Value?
            if let d = defaultValue, !t.containsError {
                let (vt, v) = foldDeclaration(
                    d, declared: t, constantScope("a data declaration"), what: "the value of `\(n)` until it is bound")
                if vt.containsError { t = .error } else { value = v }
            }
            if !t.containsError {
                dataResults[n] = CheckedData(
                    name: n, type: t, source: .bound(binding: binding ?? n), span: dd.span, boundDefault: value)
            }
        case .literal(let ref, let value):
            let declared = ref.map { resolveType($0, .value).type }
            let (vt, v) = foldDeclaration(
                value, declared: declared, constantScope("a constant"), what: "the value of `\(n)`")
            t = vt
            if let v, !vt.containsError {
                dataResults[n] = CheckedData(name: n, type: vt, source: .literal(v), span: dd.span)
            }
        }
        dataProgress[n] = .done(t)
        return t
    }
}
