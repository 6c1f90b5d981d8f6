/// Tests: events (`given`) whose properties are constants of their schema's
/// fields, and expectations (`expect`) naming a verdict and existing rules.

import WritSyntax
import WritValue

extension Analyzer {
    func checkTests() {
        var seen: [String: Span] = [:]
        for d in allDecls {
            guard case .test(let t) = d else { continue }
            if let first = seen[t.name] {
                report(Messages.duplicateTest(t.name, at: t.nameSpan, first: first))
            } else {
                seen[t.name] = t.nameSpan
            }
            checkTest(t)
        }
    }

    private func checkTest(_ t: TestDecl) {
        var steps: [CheckedTestStep] = []
        var sawGiven = false
        for step in t.steps {
            switch step {
            case .given(let g):
                sawGiven = true
                if let cg = checkGiven(g) { steps.append(.given(cg)) }
            case .bind(let b):
                if let cb = checkBind(b) { steps.append(.bind(cb)) }
            case .expect(let x):
                if !sawGiven { report(Messages.expectWithoutGiven(at: x.span)) }
                if let cx = checkExpect(x) { steps.append(.expect(cx)) }
            }
        }
        if !t.steps.contains(where: { if case .expect = $0 { true } else { false } }) {
            report(Messages.testWithoutExpect(t.name, at: t.nameSpan))
        }
        program.tests.append(CheckedTest(name: t.name, steps: steps, span: t.span))
    }

    /// `given bound name = […]`: `name` is bound data; the value a constant list of its type.
    private func checkBind(_ b: TestBind) -> CheckedBind? {
        let n = b.name.text
        if let d = program.data.first(where: { $0.name == n }), case .table(let t) = d.source, let binding = t.binding {
            return checkTableBind(b, t, binding: binding)
        }
        guard let d = program.data.first(where: { $0.name == n }), case .bound(let binding) = d.source else {
            if let decl = names[n] {
                report(Messages.wrongKind(b.name, is: decl.kindWord, expected: "run-time list (`data … bound`)"))
            } else {
                let bound = program.data.compactMap { d -> String? in if case .bound = d.source { d.name } else { nil } }
                report(Messages.unknownName(n, suggestion: suggestion(for: n, in: bound), at: b.name.span))
            }
            return nil
        }
        let t = require(b.value, Scope(place: "a test"), d.type, what: "the value of `\(n)`")
        guard t != .error else { return nil }
        guard let v = program.constants[b.value.id] else {
            report(Messages.notConstant("a test value", at: b.value.span))
            return nil
        }
        var values: [String] = []
        if case .list(let xs) = v { for x in xs { if case .symbol(let s) = x { values.append(s) } else if case .string(let s) = x { values.append(s) } } }
        if case .set(let xs) = v { for x in xs { if case .symbol(let s) = x { values.append(s) } else if case .string(let s) = x { values.append(s) } } }
        return CheckedBind(binding: binding, values: values, span: b.span)
    }

    /// `given bound t = [{ col: value, … }, …]` for a bound table: a list of
    /// rows, each a map literal giving every column a constant of its type.
    private func checkTableBind(_ b: TestBind, _ t: CheckedTable, binding: String) -> CheckedBind? {
        let n = b.name.text
        guard case .list(let elems) = b.value.kind else {
            report(
                Messages.typeMismatch(
                    what: "the rows of `\(n)`", expected: .list(.row(n)), found: check(b.value, Scope(place: "a test")),
                    at: b.value.span, hint: "write `[{ \(t.columns.map { "\($0.name): …" }.joined(separator: ", ")) }]`"))
            return nil
        }
        var rows: [[String]] = []
        var ok = true
        for el in elems {
            guard case .map(let entries) = el.kind else {
                report(
                    Messages.typeMismatch(
                        what: "a row of `\(n)`", expected: .row(n), found: check(el, Scope(place: "a test")), at: el.span,
                        hint: "write a row as `{ \(t.columns.map { "\($0.name): …" }.joined(separator: ", ")) }`"))
                ok = false
                continue
            }
            var cells = [String?](repeating: nil, count: t.columns.count)
            for en in entries {
                var name: String?
                if case .identifier(let x) = en.key.kind { name = x }
                if case .literal(.string(let x)) = en.key.kind { name = x }
                guard let name, let ci = t.columns.firstIndex(where: { $0.name == name }) else {
                    report(
                        Messages.unknownField(
                            Name(name ?? text(en.key.span), en.key.span), of: "`\(n)`",
                            suggestion: suggestion(for: name ?? "", in: t.columns.map(\.name))))
                    ok = false
                    continue
                }
                let c = t.columns[ci]
                guard require(en.value, Scope(place: "a test"), c.type, what: "`\(n).\(c.name)`") != .error else {
                    ok = false
                    continue
                }
                guard let v = program.constants[en.value.id] else {
                    report(Messages.notConstant("a test value", at: en.value.span))
                    ok = false
                    continue
                }
                cells[ci] = Analyzer.cellText(v)
            }
            if let missing = t.columns.indices.first(where: { cells[$0] == nil }), ok {
                report(
                    Messages.missingProperty(
                        t.columns[missing].name, of: "this row of `\(n)`", at: el.span,
                        example: "\(t.columns[missing].name): …"))
                ok = false
            }
            rows.append(cells.map { $0 ?? "" })
        }
        guard ok else { return nil }
        return CheckedBind(binding: binding, values: [], span: b.span, columns: t.columns.map(\.name), rows: rows)
    }

    /// A constant as the text of a CSV cell (what `Engine.bind` reads).
    static func cellText(_ v: Value) -> String {
        switch v {
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .decimal(let f): return f.description
        case .percent(let f): return f.description + "%"
        case .money(let a, let c): return "\(a.description) \(c)"
        case .string(let s), .symbol(let s): return s
        default: return plainText(v)
        }
    }

    /// The most times a test may feed one event (`repeat N`): a million
    /// events take seconds; more is a typo, and would run for hours.
    static let maxRepeat = 1_000_000

    private func checkGiven(_ g: TestGiven) -> CheckedGiven? {
        if g.repeatCount < 1 || g.repeatCount > Analyzer.maxRepeat {
            report(Messages.invalidRepeat(g.repeatCount, at: g.span))
        }
        let kind = g.kind.text
        guard case .schema? = names[kind], let info = schemas[kind] else {
            if let d = names[kind] {
                report(Messages.wrongKind(g.kind, is: d.kindWord, expected: "schema"))
            } else {
                let schemaNames = names.compactMap { k, v -> String? in if case .schema = v { k } else { nil } }
                report(Messages.unknownSchema(g.kind, suggestion: suggestion(for: kind, in: schemaNames)))
            }
            return nil
        }
        let s = Scope(place: "a test")
        var values: [CheckedTestValue] = []
        var seen: [String: Span] = [:]
        var ok = true
        for p in g.properties {
            guard let f = info.field(p.name.text) else {
                report(
                    Messages.unknownField(
                        p.name, of: "`\(kind)`", suggestion: suggestion(for: p.name.text, in: info.fields.map(\.name))))
                ok = false
                continue
            }
            if let first = seen[f.name] {
                report(Messages.duplicateMember(p.name, what: "value", in: "this `given`", first: first))
                continue
            }
            seen[f.name] = p.name.span
            let r = require(p.value, s, f.type, what: "`\(kind).\(f.name)`")
            guard r != .error else {
                ok = false
                continue
            }
            guard let v = program.constants[p.value.id] else {
                report(Messages.notConstant("a test value", at: p.value.span))
                ok = false
                continue
            }
            values.append(CheckedTestValue(field: f.name, value: v, span: p.span))
        }
        // Money whose currency is a sibling field must agree with it.
        for f in info.fields {
            guard let cf = f.currencyField,
                let mv = values.first(where: { $0.field == f.name }), case .money(_, let c) = mv.value,
                let cv = values.first(where: { $0.field == cf }), case .symbol(let code) = cv.value, code != c
            else { continue }
            report(
                Messages.currencyMismatchExpected(found: c, expected: code, what: "`\(kind).\(f.name)`", at: mv.span))
            ok = false
        }
        guard ok else { return nil }
        return CheckedGiven(kind: kind, values: values, repeatCount: min(Analyzer.maxRepeat, max(1, g.repeatCount)), span: g.span)
    }

    private func checkExpect(_ x: TestExpect) -> CheckedExpect? {
        guard let verdict = TestVerdict(rawValue: x.verdict.text) else {
            report(Messages.invalidVerdict(x.verdict))
            return nil
        }
        guard let list = x.rules else { return CheckedExpect(verdict: verdict, rules: nil, span: x.span) }
        var ids: [RuleID] = []
        var ok = true
        for (jn, rn) in list {
            guard case .jurisdiction(let j)? = names[jn.text] else {
                if let d = names[jn.text] {
                    report(Messages.wrongKind(jn, is: d.kindWord, expected: "jurisdiction"))
                } else {
                    let js = names.compactMap { k, v -> String? in if case .jurisdiction = v { k } else { nil } }
                    report(Messages.unknownJurisdiction(jn, suggestion: suggestion(for: jn.text, in: js)))
                }
                ok = false
                continue
            }
            guard j.rules.contains(where: { $0.name.text == rn.text }) else {
                report(
                    Messages.unknownRule(
                        rn, jurisdiction: jn.text, suggestion: suggestion(for: rn.text, in: j.rules.map(\.name.text))))
                ok = false
                continue
            }
            ids.append(RuleID(jurisdiction: jn.text, rule: rn.text))
        }
        return ok ? CheckedExpect(verdict: verdict, rules: ids, span: x.span) : nil
    }
}
