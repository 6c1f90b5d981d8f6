/// Jurisdictions: exactly one `applies when`, limits that fold to
/// constants, a positive budget, and rules with a bool condition, a citation
/// and a condition that can both hold and fail.

import WritSyntax
import WritValue

extension Analyzer {
    func checkJurisdictions() {
        var decls: [JurisdictionDecl] = []
        for d in allDecls {
            guard case .jurisdiction(let j) = d, isRegistered(j.name) else { continue }
            decls.append(j)
            var limits: [String: Property] = [:]
            for p in j.limits {
                if let first = limits[p.name.text] {
                    report(
                        Messages.duplicateMember(
                            p.name, what: "limit", in: "jurisdiction `\(j.name.text)`", first: first.name.span))
                    continue
                }
                limits[p.name.text] = p
            }
            limitDecls[j.name.text] = limits
        }
        for j in decls { checkJurisdiction(j) }
    }

    private func checkJurisdiction(_ j: JurisdictionDecl) {
        let name = j.name.text
        var limits: [CheckedLimit] = []
        for p in j.limits where limitDecls[name]?[p.name.text] == p {
            if let (t, v) = limitValue(name, p, at: nil), let v, !t.containsError {
                limits.append(CheckedLimit(name: p.name.text, type: t, value: v, span: p.span))
            }
        }
        var lets = checkLets(j)
        var applies: Expr?
        if j.applies.isEmpty {
            report(Messages.missingApplies(j.name))
        }
        let appliesScope = Scope(place: "an `applies when` condition", inputs: .all, jurisdiction: name)
        for (i, written) in j.applies.enumerated() {
            let a = inlineLets(written, &lets)
            if i > 0 { report(Messages.multipleApplies(name, at: a.span, first: j.applies[0].span)) }
            require(a, appliesScope, .bool, what: "the `applies when` condition")
            if i == 0 {
                applies = a
                if case .bool(false)? = program.constants[a.id] {
                    report(Messages.neverFires("the `applies when` condition of `\(name)`", at: a.span))
                }
            }
        }
        var budget: Int?
        if let b = j.budget {
            if b.value <= 0 { report(Messages.invalidBudget(b.value, at: b.span)) } else { budget = b.value }
        }
        var rules: [CheckedRule] = []
        var seen: [String: Span] = [:]
        let ruleScope = Scope(place: "a rule", inputs: .all, jurisdiction: name, stateful: true)
        for r in j.rules {
            if let first = seen[r.name.text] {
                report(Messages.duplicateMember(r.name, what: "rule", in: "jurisdiction `\(name)`", first: first))
            } else {
                seen[r.name.text] = r.name.span
            }
            var scope = ruleScope
            scope.rule = RuleID(jurisdiction: name, rule: r.name.text)
            let condition = inlineLets(r.condition, &lets)
            let t = require(condition, scope, .bool, what: "the condition of rule `\(r.name.text)`")
            if (r.severity == .reject || r.severity == .hold) && r.citation == nil {
                report(Messages.missingCitation(r))
            }
            if t == .bool, case .bool(let b)? = program.constants[condition.id] {
                report(
                    b
                        ? Messages.alwaysFires("the condition of rule `\(r.name.text)`", at: r.condition.span)
                        : Messages.neverFires("the condition of rule `\(r.name.text)`", at: r.condition.span))
            }
            let message = renderMessage(r, jurisdiction: name, lets: &lets)
            let code = checkRejectCode(r)
            if seen[r.name.text] == r.name.span {
                rules.append(
                    CheckedRule(
                        id: RuleID(jurisdiction: name, rule: r.name.text), severity: r.severity, message: message,
                        citation: r.citation, code: code, condition: condition, span: r.span))
            }
        }
        warnUnusedLets(j, lets)
        program.jurisdictions.append(
            CheckedJurisdiction(
                name: name, title: j.title, applies: applies, limits: limits, budget: budget, rules: rules, span: j.span
            ))
    }
}
