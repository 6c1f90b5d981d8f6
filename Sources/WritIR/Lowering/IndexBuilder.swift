/// Builds the decision index from the checked conditions: venue sets from
/// `applies`, allowed enum values from the top-level conjuncts of rules.

import WritSema
import WritSyntax
import WritValue

/// Computes `IRDecisionIndex`.
struct IndexBuilder {
    let p: CheckedProgram
    let ir: IRProgram
    /// The largest rule table per jurisdiction.
    static let maxCombinations = 4096

    func build() -> IRDecisionIndex {
        var index = IRDecisionIndex()
        let order = ir.schema("order")
        if let v = order?.field("venue"), v.kind == .symbol, !v.optional { index.venueField = v.index }
        for (ji, j) in p.jurisdictions.enumerated() {
            var venues: [Int]?
            if index.venueField != nil, ir.jurisdictions[ji].appliesConstant == nil, let a = j.applies,
                let set = venueSet(a)
            {
                venues = set.sorted()
            }
            index.venues.append(venues)
            index.rules.append(ruleIndex(ji))
        }
        return index
    }

    // MARK: Venues

    private func isVenue(_ e: Expr) -> Bool {
        if case .field("order", "venue")? = p.resolutions[e.id] { return true }
        return false
    }

    /// The venues for which `e` is true, when `e` is exactly a venue test.
    private func venueSet(_ e: Expr) -> Set<Int>? {
        switch e.kind {
        case .binary(.or, let l, let r):
            guard let a = venueSet(l), let b = venueSet(r) else { return nil }
            return a.union(b)
        case .binary(.eq, let l, let r):
            if isVenue(l), let id = symbolID(p.constants[r.id]) { return [id] }
            if isVenue(r), let id = symbolID(p.constants[l.id]) { return [id] }
            return nil
        case .binary(.in, let l, let r):
            guard isVenue(l) else { return nil }
            if case .data(let name)? = p.resolutions[r.id], let t = ir.tables.first(where: { $0.name == name }),
                t.keyKind == .symbol
            {
                return Set(t.keys.map { Int($0) })
            }
            guard let c = p.constants[r.id] else { return nil }
            var out = Set<Int>()
            switch c {
            case .list(let xs), .set(let xs):
                for x in xs {
                    guard let id = symbolID(x) else { return nil }
                    out.insert(id)
                }
            default:
                return nil
            }
            return out
        default:
            return nil
        }
    }

    private func symbolID(_ v: Value?) -> Int? {
        switch v {
        case .symbol(let s)?, .string(let s)?: ir.symbolID(s)
        default: nil
        }
    }

    // MARK: Rules

    /// A constraint: field → allowed case indices.
    private typealias Constraint = [Int: Set<Int>]

    private func discriminatingField(_ e: Expr) -> IRField? {
        guard case .field("order", let name)? = p.resolutions[e.id], let f = ir.schema("order")?.field(name),
            f.kind == .enumeration, !f.optional, f.enumIndex != nil
        else { return nil }
        return f
    }

    private func caseIndex(_ v: Value?, _ f: IRField) -> Int? {
        guard case .enumCase(let t, let c)? = v, let ei = f.enumIndex, ir.enums[ei].name == t else { return nil }
        return ir.enums[ei].cases.firstIndex(of: c)
    }

    private func allCases(_ f: IRField) -> Set<Int> { Set(0..<ir.enums[f.enumIndex!].cases.count) }

    /// The single-field constraint `e` expresses, if any.
    private func constraint(_ e: Expr) -> (IRField, Set<Int>)? {
        switch e.kind {
        case .binary(let op, let l, let r) where op == .eq || op == .ne:
            var field: IRField?
            var value: Int?
            if let f = discriminatingField(l) {
                field = f
                value = caseIndex(p.constants[r.id], f)
            } else if let f = discriminatingField(r) {
                field = f
                value = caseIndex(p.constants[l.id], f)
            }
            guard let f = field, let v = value else { return nil }
            return (f, op == .eq ? [v] : allCases(f).subtracting([v]))
        case .binary(.in, let l, let r):
            guard let f = discriminatingField(l), let c = p.constants[r.id] else { return nil }
            switch c {
            case .list(let xs), .set(let xs):
                var out = Set<Int>()
                for x in xs {
                    guard let i = caseIndex(x, f) else { return nil }
                    out.insert(i)
                }
                return (f, out)
            default:
                return nil
            }
        case .unary(.not, let x):
            guard let (f, s) = constraint(x) else { return nil }
            return (f, allCases(f).subtracting(s))
        case .binary(.or, let l, let r):
            guard let (f, a) = constraint(l), let (g, b) = constraint(r), f.index == g.index else { return nil }
            return (f, a.union(b))
        default:
            return nil
        }
    }

    private func conjuncts(_ e: Expr) -> [Expr] {
        if case .binary(.and, let l, let r) = e.kind { return conjuncts(l) + conjuncts(r) }
        return [e]
    }

    private func ruleIndex(_ ji: Int) -> IRRuleIndex {
        let j = ir.jurisdictions[ji]
        var live: [(rule: Int, constraint: Constraint)] = []
        for ri in j.firstRule..<(j.firstRule + j.ruleCount) {
            let rule = ir.rules[ri]
            if rule.constant == false { continue }
            var c: Constraint = [:]
            if rule.constant == nil, let checked = p.rule(RuleID(jurisdiction: j.name, rule: rule.name)) {
                for x in conjuncts(checked.condition) {
                    guard let (f, s) = constraint(x) else { continue }
                    c[f.index] = c[f.index].map { $0.intersection(s) } ?? s
                }
            }
            if c.values.contains(where: \.isEmpty) { continue }
            live.append((ri, c))
        }
        // The fields some rule constrains, by global index; drop the least used while the table is too big.
        var usage: [Int: Int] = [:]
        for l in live { for f in l.constraint.keys { usage[f, default: 0] += 1 } }
        var fieldList = usage.keys.sorted()
        let allFields = ir.allFields
        func radix(_ f: Int) -> Int { ir.enums[allFields[f].enumIndex!].cases.count }
        while fieldList.reduce(1, { $0 * radix($1) }) > IndexBuilder.maxCombinations {
            let least = fieldList.min { (usage[$0]!, $0) < (usage[$1]!, $1) }!
            fieldList.removeAll { $0 == least }
        }
        let radices = fieldList.map(radix)
        let combinations = radices.reduce(1, *)
        var candidates: [[Int]] = Array(repeating: [], count: combinations)
        for combo in 0..<combinations {
            var values: [Int: Int] = [:]
            var rest = combo
            for (k, f) in fieldList.enumerated() {
                values[f] = rest % radices[k]
                rest /= radices[k]
            }
            for l in live where l.constraint.allSatisfy({ f, allowed in values[f].map(allowed.contains) ?? true }) {
                candidates[combo].append(l.rule)
            }
        }
        return IRRuleIndex(fields: fieldList, radices: radices, candidates: candidates)
    }
}
