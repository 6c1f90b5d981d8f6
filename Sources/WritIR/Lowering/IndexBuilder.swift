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

    /// A value while evaluating `applies` for one venue.
    private enum PV: Equatable {
        case bool(Bool)
        /// A symbol: a bundle symbol's id, or nil for a symbol the bundle does not know.
        case symbol(Int?)
        /// Another constant.
        case value(Value)
        /// A row of a table.
        case row(table: Int, row: Int)
        /// An evaluation error.
        case error
    }

    /// Thrown when `applies` reads something besides the venue and constants.
    private struct NotIndexable: Error {}

    /// The venues for which `e` is true, when `applies` depends on the venue
    /// alone and is true or false (never an error) for every venue, and false
    /// for venues the bundle does not know: evaluated at build time for each
    /// bundle symbol.
    private func venueSet(_ e: Expr) -> Set<Int>? {
        do {
            guard try evalVenue(e, nil) == .bool(false) else { return nil }
            var out = Set<Int>()
            for v in 0..<ir.symbols.count {
                switch try evalVenue(e, v) {
                case .bool(true): out.insert(v)
                case .bool(false): break
                default: return nil
                }
            }
            return out
        } catch {
            return nil
        }
    }

    private func constantPV(_ c: Value) -> PV {
        switch c {
        case .bool(let b): .bool(b)
        case .symbol(let s), .string(let s): .symbol(ir.symbolID(s))
        default: .value(c)
        }
    }

    private func evalVenue(_ e: Expr, _ venue: Int?) throws(NotIndexable) -> PV {
        if let c = p.constants[e.id] { return constantPV(c) }
        switch e.kind {
        case .identifier, .select:
            switch p.resolutions[e.id] {
            case .field("order", "venue")?:
                return .symbol(venue)
            case .column(let table, let column)?:
                guard case .select(let base, _) = e.kind, let ti = ir.tables.firstIndex(where: { $0.name == table }),
                    let ci = ir.tables[ti].columns.firstIndex(where: { $0.name == column }),
                    let t = p.dataDecl(table), case .table(let ct) = t.source
                else { throw NotIndexable() }
                let r = try evalVenue(base, venue)
                guard case .row(_, let row) = r else { return .error }
                let cell = ct.rows[row][ci]
                if cell == .null { return .error }
                return constantPV(cell)
            default:
                throw NotIndexable()
            }
        case .index(let t, let k):
            guard case .data(let name)? = p.resolutions[t.id], let ti = ir.tables.firstIndex(where: { $0.name == name }),
                ir.tables[ti].keyKind.isText
            else { throw NotIndexable() }
            let key = try evalVenue(k, venue)
            guard case .symbol(let id) = key else { return .error }
            guard let id, let row = ir.tables[ti].keys.firstIndex(of: Int128(id)) else { return .error }
            return .row(table: ti, row: row)
        case .unary(.not, let x):
            switch try evalVenue(x, venue) {
            case .bool(let b): return .bool(!b)
            default: return .error
            }
        case .binary(let op, let l, let r) where op == .and || op == .or:
            let a = try evalVenue(l, venue)
            let b = try evalVenue(r, venue)
            let absorbing = op == .or
            if a == .bool(absorbing) || b == .bool(absorbing) { return .bool(absorbing) }
            if case .bool = a, case .bool = b { return .bool(!absorbing) }
            return .error
        case .binary(let op, let l, let r) where op == .eq || op == .ne:
            let a = try evalVenue(l, venue)
            let b = try evalVenue(r, venue)
            if a == .error || b == .error { return .error }
            var equal: Bool
            switch (a, b) {
            case (.symbol(let x), .symbol(let y)): equal = x == y
            case (.value(let x), .value(let y)): equal = x == y
            case (.bool(let x), .bool(let y)): equal = x == y
            default: throw NotIndexable()
            }
            return .bool(op == .eq ? equal : !equal)
        case .binary(.in, let l, let r):
            let x = try evalVenue(l, venue)
            if x == .error { return .error }
            guard case .symbol(let id) = x else { throw NotIndexable() }
            if case .data(let name)? = p.resolutions[r.id], let t = ir.tables.first(where: { $0.name == name }),
                t.keyKind.isText
            {
                return .bool(id.map { t.keys.contains(Int128($0)) } ?? false)
            }
            guard let c = p.constants[r.id] else { throw NotIndexable() }
            switch c {
            case .list(let xs), .set(let xs):
                return .bool(xs.contains { constantPV($0) == .symbol(id) && id != nil })
            default:
                throw NotIndexable()
            }
        default:
            throw NotIndexable()
        }
    }

    // MARK: Rules

    /// A constraint: field → allowed case indices (for presence fields: 0 absent, 1 present).
    private typealias Constraint = [Int: Set<Int>]

    /// An optional field of the order, whose presence can discriminate.
    private func presenceField(_ e: Expr) -> IRField? {
        guard case .field("order", let name)? = p.resolutions[e.id], let f = ir.schema("order")?.field(name),
            f.optional, f.kind != .none
        else { return nil }
        return f
    }

    private func isPresence(_ f: IRField) -> Bool { f.optional }

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

    private func allCases(_ f: IRField) -> Set<Int> {
        isPresence(f) ? [0, 1] : Set(0..<ir.enums[f.enumIndex!].cases.count)
    }

    /// The single-field constraint `e` expresses, if any.
    private func constraint(_ e: Expr) -> (IRField, Set<Int>)? {
        if case .call(nil, let fn, let args) = e.kind, fn.text == "has", args.count == 1,
            case .select = args[0].kind, let f = presenceField(args[0])
        {
            return (f, [1])
        }
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
        func radix(_ f: Int) -> Int { allFields[f].optional ? 2 : ir.enums[allFields[f].enumIndex!].cases.count }
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
        return IRRuleIndex(
            fields: fieldList, presence: fieldList.map { allFields[$0].optional }, radices: radices, candidates: candidates)
    }
}
