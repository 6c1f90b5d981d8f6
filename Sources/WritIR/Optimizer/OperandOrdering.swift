/// Ordering of `&&`/`||` operands by estimated cost, cheapest first. It is
/// safe because chains have CEL's commutative error semantics (each operand
/// has its own handler, and the error reported is the first in source
/// order whatever the evaluation order; see `ChainLowering.swift`).

import WritSema
import WritSyntax

/// The evaluation order of a chain's operands.
enum OperandOrdering {
    /// Indices of `costs` sorted by cost, ties in source order (a stable sort).
    static func order(_ costs: [Int]) -> [Int] {
        costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] < costs[$1] : $0 < $1 }
    }
}

/// Estimated cost of evaluating an expression, in rough instruction units:
/// constants are free, slot reads and comparisons cheap, decimal
/// multiplication and table lookups dearer, state lookups dearest.
struct CostModel {
    let program: CheckedProgram

    func cost(_ e: Expr) -> Int {
        if program.constants[e.id] != nil { return 0 }
        switch e.kind {
        case .literal, .error:
            return 0
        case .identifier:
            if case .field? = program.resolutions[e.id] { return 1 }
            return 0
        case .select(let base, _):
            if case .column? = program.resolutions[e.id] { return add(1, cost(base)) }
            if case .field? = program.resolutions[e.id] { return 1 }
            return cost(base)
        case .index(let b, let i):
            return add(add(3, cost(b)), cost(i))
        case .call(let target, let fn, let args):
            let inner = args.reduce(target.map(cost) ?? 0) { add($0, cost($1)) }
            switch fn.text {
            case "has": return 1
            case "rate", "window_sum", "executions", "position", "otr", "killed", "duplicate", "latch", "open_sum",
                "window_max", "window_min":
                return add(12, inner)
            case "between", "matches": return add(6, inner)
            case "all", "exists", "exists_one", "filter", "map": return mul(4, add(1, inner))
            default: return add(2, inner)
            }
        case .unary(_, let x):
            return add(1, cost(x))
        case .binary(let op, let l, let r):
            let own: Int
            switch op {
            case .mul, .div, .rem: own = 4
            case .in: own = 2
            default: own = 1
            }
            return add(add(own, cost(l)), cost(r))
        case .conditional(let c, let a, let b):
            return add(add(1, cost(c)), max(cost(a), cost(b)))
        case .list(let xs):
            return xs.reduce(0) { add($0, cost($1)) }
        case .tuple(let xs):
            return xs.reduce(4 * (xs.count - 1)) { add($0, cost($1)) }
        case .map(let es):
            return es.reduce(0) { add(add($0, cost($1.key)), cost($1.value)) }
        }
    }

    /// Sums and products saturate: nested macros multiply their bodies' costs.
    private func add(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? .max : r
    }

    private func mul(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? .max : r
    }
}
