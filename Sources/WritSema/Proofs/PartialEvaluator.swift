/// A three-valued evaluator for the platform proofs: evaluates route filters
/// and DR triggers over what is known at compile time (the candidate
/// cluster's declared properties, which clusters a scenario takes down, the
/// regime under proof) and answers `unknown` for everything else (the
/// order's other fields, live load and latency, incidents). `&&` and `||`
/// follow Kleene's logic, as CEL's commutative short circuit does, and
/// integer and duration inputs with known bounds (`down_count`, `lag`) are
/// intervals, so `down_count(emea) >= 5` is false with four EMEA clusters.

import WritSyntax
import WritValue

/// What the proofs know of a value.
enum Abstract: Equatable {
    /// A known value.
    case value(Value)
    /// A known cluster.
    case cluster(String)
    /// A known region.
    case region(String)
    /// An int (or, when `duration`, a duration in nanoseconds) somewhere in
    /// `lo...hi` (no upper bound when `hi` is nil).
    case range(lo: Int64, hi: Int64?, duration: Bool)
    /// Anything.
    case unknown

    /// A known truth value, or nil.
    var bool: Bool? {
        if case .value(.bool(let b)) = self { return b }
        return nil
    }

    /// An int or duration value as an interval.
    var interval: (lo: Int64, hi: Int64?, duration: Bool)? {
        switch self {
        case .range(let lo, let hi, let d): (lo, hi, d)
        case .value(.int(let i)): (i, i, false)
        case .value(.duration(let d)): (d, d, true)
        default: nil
        }
    }
}

/// The world a proof evaluates in.
struct ProofWorld {
    /// The checked program.
    let program: CheckedProgram
    /// The route candidate bound to `cluster`, if any.
    var candidate: String?
    /// The clusters that are down, or nil when health is not known (DR triggers).
    var down: Set<String>?
    /// The regime under proof, and the expression nodes that stand for the order's regime.
    var regime: String?
    var regimeNodes: Set<NodeID> = []
    /// Macro variables bound while evaluating a macro body, by the macro's call node.
    var locals: [NodeID: Abstract] = [:]

    init(program: CheckedProgram) { self.program = program }

    /// Evaluates `e` as far as the world allows.
    mutating func eval(_ e: Expr) -> Abstract {
        if let v = program.constants[e.id] { return .value(v) }
        if let r = regime, regimeNodes.contains(e.id) { return .value(.symbol(r)) }
        switch e.kind {
        case .identifier:
            return identifier(e)
        case .select(let base, _):
            guard case .platformField(let f)? = program.resolutions[e.id] else { return .unknown }
            switch eval(base) {
            case .cluster(let c): return clusterField(c, f)
            case .region(let r): return regionField(r, f)
            default: return .unknown
            }
        case .unary(.not, let x):
            return eval(x).bool.map { .value(.bool(!$0)) } ?? .unknown
        case .binary(let op, let l, let r):
            return binary(op, l, r)
        case .conditional(let c, let a, let b):
            switch eval(c).bool {
            case true?: return eval(a)
            case false?: return eval(b)
            case nil:
                let x = eval(a)
                return x == eval(b) ? x : .unknown
            }
        case .list(let xs):
            var values: [Value] = []
            for x in xs {
                guard case .value(let v) = eval(x) else { return .unknown }
                values.append(v)
            }
            return .value(.list(values))
        case .call(let target, let fn, let args):
            return call(e, target, fn.text, args)
        default:
            return .unknown
        }
    }

    private func identifier(_ e: Expr) -> Abstract {
        switch program.resolutions[e.id] {
        case .routeCandidate?: candidate.map { .cluster($0) } ?? .unknown
        case .cluster(let n)?: .cluster(n)
        case .region(let n)?: .region(n)
        case .jurisdiction(let n)?: .value(.symbol(n))
        case .macroVariable(_, let binder)?: locals[binder] ?? .unknown
        default: .unknown
        }
    }

    private func clusterField(_ name: String, _ field: String) -> Abstract {
        guard let c = program.cluster(name) else { return .unknown }
        switch field {
        case "name": return .value(.symbol(c.name))
        case "region": return .region(c.region)
        case "provider": return .value(.enumCase(type: "Provider", case: c.provider))
        case "role": return .value(.enumCase(type: "Role", case: c.role))
        case "jurisdiction": return .value(.list(c.jurisdictions.map { .symbol($0) }))
        case "hubs": return .value(.list(c.hubs.map { .symbol($0) }))
        case "capacity": return c.capacity.map { .value(.int($0)) } ?? .unknown
        case "health":
            guard let down else { return .unknown }
            return .value(.enumCase(type: "Health", case: down.contains(name) ? "down" : "up"))
        default: return .unknown  // load and latency are live
        }
    }

    private func regionField(_ name: String, _ field: String) -> Abstract {
        switch field {
        case "name": return .value(.symbol(name))
        case "continent":
            return program.regions.first { $0.name == name }.map {
                .value(.enumCase(type: "Continent", case: $0.continent))
            }
                ?? .unknown
        default: return .unknown
        }
    }

    private mutating func binary(_ op: BinaryOp, _ l: Expr, _ r: Expr) -> Abstract {
        switch op {
        case .and, .or:
            // Kleene: false && unknown is false, true || unknown is true.
            let absorbing = op == .or
            let a = eval(l).bool
            let b = eval(r).bool
            if a == absorbing || b == absorbing { return .value(.bool(absorbing)) }
            if let a, let b { return .value(.bool(op == .and ? a && b : a || b)) }
            return .unknown
        case .eq, .ne:
            guard let eq = Self.equal(eval(l), eval(r)) else { return .unknown }
            return .value(.bool(op == .eq ? eq : !eq))
        case .in:
            guard case .value(let c) = eval(r) else { return .unknown }
            if Fold.size(c) == 0 { return .value(.bool(false)) }
            guard case .value(let x) = eval(l), let found = Fold.contains(c, x) else { return .unknown }
            return .value(.bool(found))
        case .lt, .le, .gt, .ge:
            return Self.compare(op, eval(l), eval(r))
        case .add:
            guard let a = eval(l).interval, let b = eval(r).interval, a.duration == b.duration else {
                return .unknown
            }
            let hi: Int64? = a.hi.flatMap { x in b.hi.map { Self.saturatingAdd(x, $0) } }
            return .range(lo: Self.saturatingAdd(a.lo, b.lo), hi: hi, duration: a.duration)
        default:
            return .unknown
        }
    }

    private mutating func call(_ e: Expr, _ target: Expr?, _ fn: String, _ args: [Expr]) -> Abstract {
        if let target {
            guard fn == "exists" || fn == "all", args.count == 2,
                case .value(let c) = eval(target)
            else { return .unknown }
            let elements: [Value]
            switch c {
            case .list(let xs), .set(let xs): elements = xs
            default: return .unknown
            }
            // Kleene's `||` (exists) or `&&` (all) over the elements.
            let absorbing = fn == "exists"
            var sawUnknown = false
            let saved = locals[e.id]
            defer { locals[e.id] = saved }
            for x in elements {
                locals[e.id] = .value(x)
                switch eval(args[1]).bool {
                case absorbing?: return .value(.bool(absorbing))
                case nil: sawUnknown = true
                default: break
                }
            }
            return sawUnknown ? .unknown : .value(.bool(!absorbing))
        }
        switch fn {
        case "down":
            guard let down, args.count == 1, case .cluster(let c) = eval(args[0]) else { return .unknown }
            return .value(.bool(down.contains(c)))
        case "down_count":
            guard args.count == 1, case .enumCase(let type, let name)? = program.constants[args[0].id] else {
                return .unknown
            }
            let matching = program.clusters.filter { c in
                type == "Role"
                    ? c.role == name
                    : program.regions.first { $0.name == c.region }?.continent == name
            }
            if let down {
                return .value(.int(Int64(matching.filter { down.contains($0.name) }.count)))
            }
            return .range(lo: 0, hi: Int64(matching.count), duration: false)
        case "lag":
            return .range(lo: 0, hi: nil, duration: true)
        case "size":
            guard args.count == 1, case .value(let v) = eval(args[0]), let n = Fold.size(v) else { return .unknown }
            return .value(.int(n))
        default:
            return .unknown
        }
    }

    /// Equality of two abstract values; nil when it is not known.
    static func equal(_ a: Abstract, _ b: Abstract) -> Bool? {
        switch (a, b) {
        case (.value(let x), .value(let y)): return Fold.equal(x, y)
        case (.cluster(let x), .cluster(let y)), (.region(let x), .region(let y)): return x == y
        default:
            guard let x = a.interval, let y = b.interval, x.duration == y.duration else { return nil }
            if let xh = x.hi, let yh = y.hi, x.lo == xh, y.lo == yh { return x.lo == y.lo }
            if let xh = x.hi, xh < y.lo { return false }
            if let yh = y.hi, yh < x.lo { return false }
            return nil
        }
    }

    /// An ordering comparison over intervals; unknown when they overlap.
    static func compare(_ op: BinaryOp, _ a: Abstract, _ b: Abstract) -> Abstract {
        if case .value(let x) = a, case .value(let y) = b, let c = Fold.compare(x, y) {
            switch op {
            case .lt: return .value(.bool(c < 0))
            case .le: return .value(.bool(c <= 0))
            case .gt: return .value(.bool(c > 0))
            default: return .value(.bool(c >= 0))
            }
        }
        guard let x = a.interval, let y = b.interval, x.duration == y.duration else { return .unknown }
        // Whether every value of x is below (or at most) every value of y, and the converse.
        func below(
            _ p: (lo: Int64, hi: Int64?, duration: Bool), _ q: (lo: Int64, hi: Int64?, duration: Bool), strict: Bool
        )
            -> Bool
        {
            guard let ph = p.hi else { return false }
            return strict ? ph < q.lo : ph <= q.lo
        }
        switch op {
        case .lt:
            if below(x, y, strict: true) { return .value(.bool(true)) }
            if below(y, x, strict: false) { return .value(.bool(false)) }
        case .le:
            if below(x, y, strict: false) { return .value(.bool(true)) }
            if below(y, x, strict: true) { return .value(.bool(false)) }
        case .gt:
            if below(y, x, strict: true) { return .value(.bool(true)) }
            if below(x, y, strict: false) { return .value(.bool(false)) }
        default:
            if below(y, x, strict: false) { return .value(.bool(true)) }
            if below(x, y, strict: true) { return .value(.bool(false)) }
        }
        return .unknown
    }

    private static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (s, o) = a.addingReportingOverflow(b)
        return o ? (b > 0 ? Int64.max : Int64.min) : s
    }
}
