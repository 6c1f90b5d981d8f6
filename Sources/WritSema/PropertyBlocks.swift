/// Property blocks (`name = expr` lists of regions, clusters, tiers, levels,
/// routes, reports): unknown and duplicate properties, required ones, and
/// typed reads of their values.

import WritSyntax
import WritValue

extension Analyzer {
    /// The scope of platform property values: constants and declared names only.
    var platformScope: Scope { Scope(place: "a platform declaration") }

    /// Indexes `props` by name, reporting unknown (with did-you-mean) and duplicate ones.
    func propertyTable(_ props: [Property], allowed: [String], owner: String) -> [String: Property] {
        var out: [String: Property] = [:]
        for p in props {
            guard allowed.contains(p.name.text) else {
                report(Messages.unknownProperty(p.name, of: owner, allowed: allowed))
                continue
            }
            if let first = out[p.name.text] {
                report(Messages.duplicateMember(p.name, what: "property", in: owner, first: first.name.span))
                continue
            }
            out[p.name.text] = p
        }
        return out
    }

    /// The property `name`, reporting it missing (at `span`) if absent.
    func requiredProperty(_ table: [String: Property], _ name: String, owner: String, at span: Span, example: String)
        -> Property?
    {
        if let p = table[name] { return p }
        report(Messages.missingProperty(name, of: owner, at: span, example: "\(name) = \(example)"))
        return nil
    }

    /// What a reference expression resolved to (a cluster, region, tier, class or jurisdiction name).
    func referenceName(_ e: Expr) -> String? {
        switch program.resolutions[e.id] {
        case .cluster(let n)?, .region(let n)?, .tier(let n)?, .dataClass(let n)?, .jurisdiction(let n)?: n
        default: nil
        }
    }

    /// A case of the enum `enumName`.
    func enumValue(_ p: Property, _ enumName: String, _ s: Scope) -> String? {
        let t = require(p.value, s, .enumeration(enumName), what: "`\(p.name.text)`")
        guard t != .error, case .enumCase(_, let c)? = program.constants[p.value.id] else { return nil }
        return c
    }

    /// A list of cases of the enum `enumName`.
    func enumListValue(_ p: Property, _ enumName: String, _ s: Scope) -> [String]? {
        let t = require(p.value, s, .list(.enumeration(enumName)), what: "`\(p.name.text)`")
        guard t != .error, case .list(let xs)? = program.constants[p.value.id] else { return nil }
        return xs.compactMap { if case .enumCase(_, let c) = $0 { c } else { nil } }
    }

    /// A reference to a declared platform object of type `t`.
    func referenceValue(_ p: Property, _ t: WType, _ s: Scope) -> String? {
        let r = require(p.value, s, t, what: "`\(p.name.text)`")
        guard r != .error else { return nil }
        return referenceName(p.value)
    }

    /// A list of references of type `t` (a single one too when `allowSingle`).
    func referenceList(_ p: Property, _ t: WType, _ s: Scope, allowSingle: Bool = false) -> [String]? {
        let vt = check(p.value, s, hint: .list(t))
        if vt.containsError { return nil }
        if allowSingle, vt == t { return referenceName(p.value).map { [$0] } }
        guard expect(p.value, vt, .list(t), what: "`\(p.name.text)`") != .error else { return nil }
        guard case .list(let elems) = p.value.kind else {
            report(
                Messages.notConstant("`\(p.name.text)`", at: p.value.span, help: "list the names in brackets: `[a, b]`")
            )
            return nil
        }
        var names: [String] = []
        var seen: Set<String> = []
        for el in elems {
            guard let n = referenceName(el) else { return nil }
            if seen.contains(n) {
                report(Messages.duplicateElement(n, in: "list", at: el.span))
            } else {
                names.append(n)
                seen.insert(n)
            }
        }
        return names
    }

    /// A constant value of type `t`.
    func constantProperty(_ p: Property, _ t: WType, _ s: Scope) -> Value? {
        let r = require(p.value, s, t, what: "`\(p.name.text)`")
        guard r != .error else { return nil }
        guard let v = program.constants[p.value.id] else {
            report(Messages.notConstant("`\(p.name.text)`", at: p.value.span))
            return nil
        }
        return v
    }

    /// A constant duration, optionally required to be positive.
    func durationProperty(_ p: Property, _ s: Scope, positive: Bool) -> Int64? {
        guard case .duration(let ns)? = constantProperty(p, .duration, s) else { return nil }
        if positive, ns <= 0 {
            report(
                Messages.invalidPropertyValue(
                    "`\(p.name.text)` must be a positive duration, found `\(text(p.value.span))`", at: p.value.span))
            return nil
        }
        if ns < 0 {
            report(Messages.invalidPropertyValue("`\(p.name.text)` cannot be negative", at: p.value.span))
            return nil
        }
        return ns
    }

    /// A constant list of strings.
    func stringListProperty(_ p: Property, _ s: Scope) -> [String]? {
        guard case .list(let xs)? = constantProperty(p, .list(.string), s) else { return nil }
        return xs.compactMap { if case .string(let t) = $0 { t } else { nil } }
    }

    /// A constant string.
    func stringProperty(_ p: Property, _ s: Scope) -> String? {
        guard case .string(let t)? = constantProperty(p, .string, s) else { return nil }
        return t
    }
}
