/// The worst-case cost of a jurisdiction per order, in engine instructions:
/// the `applies` condition plus every rule's condition. One per node; a
/// constant subexpression is one load; a field of an input one load; `in` a
/// set or table 2; a stateful control 4; a regular expression 16; a macro
/// (bound × body) + 1, where the bound is the size of a list literal or a
/// constant collection. Every sum and product saturates at `Int.max`, which
/// stands for "too large to count": such a cost exceeds every budget.
///
/// The engine unrolls every macro (one copy of the body per element), and
/// compiling an unrolled body takes time that grows faster than its size.
/// So the macros of one condition (`applies`, a rule) may unroll to at most
/// `maxUnrolled` instructions of cost in all (E0603), whatever the budget;
/// so may those of each expression outside the jurisdictions (routes, DR
/// triggers, reports, field defaults).

import WritSyntax
import WritValue

extension Analyzer {
    func analyseCost() {
        var reported: Set<NodeID> = []
        for j in program.jurisdictions {
            unrolledInCondition = 0
            let applies = j.applies.map { cost($0, &reported) } ?? 0
            var perRule: [(rule: String, cost: Int)] = []
            var costliest: (String, Int, Span)?
            for r in j.rules {
                unrolledInCondition = 0
                let c = cost(r.condition, &reported)
                perRule.append((r.name, c))
                if costliest == nil || c > costliest!.1 { costliest = (r.name, c, r.span) }
            }
            let total = perRule.reduce(applies) { satAdd($0, $1.cost) }
            costs.append(JurisdictionCost(name: j.name, cost: total, budget: j.budget, perRule: perRule))
            if let b = j.budget, total > b,
                case .jurisdiction(let decl)? = names[j.name], let span = decl.budget?.span
            {
                report(Messages.budgetExceeded(j.name, cost: total, budget: b, at: span, costliest: costliest))
            }
        }
        boundUnrolling(&reported)
    }

    /// Holds every expression outside the jurisdictions — a route's
    /// `applies`, origin, filters and ranks, a DR level's trigger, a report's
    /// `select` and fields, a field's default — to the unrolling bound of a
    /// condition (E0603): they are unrolled the same way, and are not budgeted.
    private func boundUnrolling(_ reported: inout Set<NodeID>) {
        var exprs: [Expr] = []
        for r in program.routes {
            exprs += [r.applies, r.origin].compactMap { $0 } + r.filters + r.ranks.map(\.key)
        }
        exprs += program.dr?.levels.compactMap(\.trigger) ?? []
        for r in program.reports { exprs += [r.select].compactMap { $0 } + r.fields.map(\.value) }
        for s in program.schemas { exprs += s.fields.compactMap(\.defaultValue) }
        boundingUnrollOnly = true
        defer { boundingUnrollOnly = false }
        for e in exprs {
            unrolledInCondition = 0
            _ = cost(e, &reported)
        }
    }

    /// The worst-case cost of evaluating `e`; reports macros it cannot bound (once each).
    func cost(_ e: Expr, _ reported: inout Set<NodeID>) -> Int {
        if program.constants[e.id] != nil { return 1 }
        switch e.kind {
        case .error:
            return 0
        case .literal, .identifier:
            return 1
        case .select(let b, _):
            // Reading a field of an input record (or the route candidate) is one load.
            switch program.resolutions[b.id] {
            case .input?, .routeCandidate?: return 1
            default: return satAdd(1, cost(b, &reported))
            }
        case .index(let b, let i):
            if case .table? = program.types[b.id] { return satAdd(2, cost(i, &reported)) }
            return satSum(1, cost(b, &reported), cost(i, &reported))
        case .unary(_, let x):
            return satAdd(1, cost(x, &reported))
        case .binary(.in, let l, let r):
            switch program.types[r.id] {
            case .set?, .table?: return satAdd(2, cost(l, &reported))
            default:
                if program.constants[r.id] != nil { return satAdd(2, cost(l, &reported)) }
                return satSum(1, cost(l, &reported), cost(r, &reported))
            }
        case .binary(_, let l, let r):
            return satSum(1, cost(l, &reported), cost(r, &reported))
        case .conditional(let c, let a, let b):
            return satSum(1, cost(c, &reported), max(cost(a, &reported), cost(b, &reported)))
        case .list(let xs):
            return xs.reduce(1) { satAdd($0, cost($1, &reported)) }
        case .tuple(let xs):
            // Each part, then one interning of the composite key per part after the first.
            return xs.reduce(xs.count - 1) { satAdd($0, cost($1, &reported)) }
        case .map(let es):
            return es.reduce(1) { satSum($0, cost($1.key, &reported), cost($1.value, &reported)) }
        case .call(let target, let fn, let args):
            if let target, Builtins.macros.contains(fn.text), args.count == 2 {
                let targetCost = program.constants[target.id] != nil ? 0 : cost(target, &reported)
                let reportedBefore = reported.count
                macroDepth += 1
                let body = cost(args[1], &reported)
                macroDepth -= 1
                if macroDepth == 0, let n = bound(target) {
                    let unrolled = satMul(n, body)
                    let total = satAdd(unrolledInCondition, unrolled)
                    // Once per condition, unless a macro inside was reported.
                    if total > Self.maxUnrolled, unrolledInCondition <= Self.maxUnrolled,
                        reported.count == reportedBefore, !reported.contains(e.id)
                    {
                        reported.insert(e.id)
                        report(Messages.unrolledTooFar(fn, elements: n, unrolled: unrolled, inAll: total, at: fn.span))
                    }
                    unrolledInCondition = total
                }
                guard let n = bound(target) else {
                    if !boundingUnrollOnly, !reported.contains(e.id), program.types[target.id]?.containsError == false {
                        reported.insert(e.id)
                        report(Messages.unboundedCost(fn.text, over: text(target.span), at: target.span))
                    }
                    return satSum(1, targetCost, body)
                }
                return satSum(1, targetCost, satMul(n, body))
            }
            let argCost = args.reduce(0) { satAdd($0, program.constants[$1.id] != nil ? 0 : cost($1, &reported)) }
            let recv = target.map { cost($0, &reported) } ?? 0
            if program.slotOfCall[e.id] != nil || Builtins.stateful.contains(fn.text) { return satSum(4, argCost, recv) }
            if fn.text == "matches" { return satSum(16, argCost, recv) }
            return satSum(1, argCost, recv)
        }
    }

    /// The most instructions (of cost) the macros of one condition may unroll
    /// to: real rulebooks stay under 200 per rule (rules/: 116 at most);
    /// 5,000 compiles in a fraction of a second.
    static let maxUnrolled = 5_000

    /// A static bound on the number of elements `e` yields, if one is known.
    func bound(_ e: Expr) -> Int? {
        if let v = program.constants[e.id], let n = Fold.size(v) { return Int(n) }
        switch e.kind {
        case .list(let xs): return xs.count
        case .call(let t?, let fn, _) where fn.text == "filter" || fn.text == "map": return bound(t)
        case .conditional(_, let a, let b):
            guard let x = bound(a), let y = bound(b) else { return nil }
            return max(x, y)
        default: return nil
        }
    }
}

/// `a + b`, or `Int.max` when it does not fit (costs are never negative).
func satAdd(_ a: Int, _ b: Int) -> Int {
    let (r, o) = a.addingReportingOverflow(b)
    return o ? .max : r
}

/// `a + b + c`, saturating.
func satSum(_ a: Int, _ b: Int, _ c: Int) -> Int { satAdd(satAdd(a, b), c) }

/// `a × b`, or `Int.max` when it does not fit.
func satMul(_ a: Int, _ b: Int) -> Int {
    let (r, o) = a.multipliedReportingOverflow(by: b)
    return o ? .max : r
}
