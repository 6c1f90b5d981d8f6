/// The platform, plainly (docs/engine-semantics.md, "Platform"): cluster
/// health, load, links, replication lag, incidents and halts kept in
/// dictionaries; the DR level's triggers and every route's filters and
/// ranks evaluated by walking the checked AST for each order — no
/// precomputed tables, no classes of orders — and shortest paths found by
/// Dijkstra's algorithm when a rank asks for a latency.

import WritSema
import WritSyntax
import WritValue

/// The oracle's platform state.
final class OraclePlatform {
    let program: CheckedProgram
    var health: [String: String] = [:]
    var load: [String: Fixed] = [:]
    var lag: [String: Int64] = [:]
    /// Links that are down, as "a|b" with a < b.
    var linksDown: Set<String> = []
    var incident = false
    var halt = false
    var level = 0
    /// Since when the triggers have asked for less than `level`.
    var since: Int64?
    /// (account, symbol) → net filled quantity, for reduce-only gating.
    var positions: [StateKey: Fixed] = [:]

    init(_ program: CheckedProgram) { self.program = program }

    var enabled: Bool { !program.routes.isEmpty || program.dr != nil }

    func healthOf(_ c: String) -> String { health[c] ?? "up" }

    /// The level the triggers ask for: the last level whose trigger holds
    /// (or cannot be evaluated), else the first.
    func target() -> Int {
        guard let dr = program.dr else { return 0 }
        var t = 0
        for (i, l) in dr.levels.enumerated() where i > 0 {
            guard let trigger = l.trigger else { continue }
            if case .bool(false) = eval(trigger, PlatformContext()) { continue }
            t = i
        }
        return t
    }

    func recoverAfter(_ i: Int) -> Int64 {
        guard let dr = program.dr else { return 0 }
        return dr.levels[i].recoverAfter ?? dr.recoverAfter ?? 0
    }

    /// Time passes to `ts`: one level down per `recover_after` with the triggers below it.
    func advance(to ts: Int64) {
        guard program.dr != nil else { return }
        let t = target()
        while level > t, let s = since, ts >= s + recoverAfter(level) {
            since = s + recoverAfter(level)
            level -= 1
            if level == t { since = nil }
        }
    }

    /// After a platform event at `ts`.
    func settle(at ts: Int64) {
        guard program.dr != nil else { return }
        let t = target()
        if t > level {
            level = t
            since = nil
        } else if t == level {
            since = nil
        } else if since == nil {
            since = ts
        }
        advance(to: ts)
    }

    // MARK: Routes

    /// The route for an order record: (route name, cluster or nil), or nil when no route applies.
    func route(for order: Record, tables: [String: CheckedTable], rows: [String: [String: Int]]) -> (String, String?)? {
        for r in program.routes {
            var ctx = PlatformContext()
            ctx.order = order
            ctx.tables = tables
            ctx.rows = rows
            // A lookup of the order that finds no row: no route.
            var lookups: [(String, String)] = []
            for e in [r.applies, r.origin].compactMap({ $0 }) + r.filters + r.ranks.map(\.key) {
                collectLookups(e, &lookups)
            }
            for (t, f) in lookups {
                guard case .symbol(let k)? = order.fields[f], rows[t]?[k] != nil else { return (r.name, nil) }
            }
            if let a = r.applies {
                switch eval(a, ctx) {
                case .bool(true): break
                case .bool(false): continue
                default: return (r.name, nil)
                }
            }
            if let o = r.origin, case .symbol(let s) = eval(o, ctx), program.clusters.contains(where: { $0.name == s }) {
                ctx.origin = s
            }
            var best: (cluster: String, keys: [PValue])?
            for c in program.clusters {
                ctx.candidate = c.name
                guard r.filters.allSatisfy({ eval($0, ctx) == .bool(true) }) else { continue }
                let keys = r.ranks.map { eval($0.key, ctx) }
                if keys.contains(.error) { continue }
                if let b = best {
                    var better = false
                    for (k, rank) in r.ranks.enumerated() {
                        let c = PValue.compare(keys[k], b.keys[k]) ?? 0
                        if c != 0 {
                            better = rank.direction == .desc ? c > 0 : c < 0
                            break
                        }
                    }
                    if better { best = (c.name, keys) }
                } else {
                    best = (c.name, keys)
                }
            }
            if let best { return (r.name, best.cluster) }
            let hub = r.filters.first { f in
                if case .binary(.in, _, let rhs) = f.kind, case .select(let base, let n) = rhs.kind, n.text == "hubs",
                    case .routeCandidate? = program.resolutions[base.id]
                {
                    return true
                }
                return false
            }
            for f in r.fallback where healthOf(f) != "down" {
                if let o = ctx.origin, latency(from: o, to: f) == nil { continue }
                ctx.candidate = f
                if let hub, eval(hub, ctx) != .bool(true) { continue }
                return (r.name, f)
            }
            return (r.name, nil)
        }
        return nil
    }

    /// The `table[order.field]` lookups of `e`.
    private func collectLookups(_ e: Expr, _ out: inout [(String, String)]) {
        if program.constants[e.id] != nil { return }
        switch e.kind {
        case .index(let t, let k):
            if case .data(let name)? = program.resolutions[t.id], case .select(let o, let f) = k.kind,
                case .input(schema: "order")? = program.resolutions[o.id]
            {
                out.append((name, f.text))
            }
        case .select(let b, _): collectLookups(b, &out)
        case .unary(_, let x): collectLookups(x, &out)
        case .binary(_, let l, let r):
            collectLookups(l, &out)
            collectLookups(r, &out)
        case .conditional(let c, let a, let b):
            collectLookups(c, &out)
            collectLookups(a, &out)
            collectLookups(b, &out)
        case .list(let xs): for x in xs { collectLookups(x, &out) }
        case .call(_, _, let args): for x in args { collectLookups(x, &out) }
        default: break
        }
    }

    /// Shortest one-way latency from `a` to `b` over links that are up,
    /// never through a cluster that is down; nil when unreachable.
    func latency(from a: String, to b: String) -> Int64? {
        var dist: [String: Int64] = [a: 0]
        var done: Set<String> = []
        while true {
            guard let (u, du) = dist.filter({ !done.contains($0.key) }).min(by: { $0.value < $1.value }) else { break }
            done.insert(u)
            if u == b { return du }
            if u != a && healthOf(u) == "down" { continue }
            for l in program.links {
                let key = [l.from, l.to].sorted().joined(separator: "|")
                if linksDown.contains(key) { continue }
                let v = l.from == u ? l.to : l.to == u ? l.from : nil
                guard let v, !done.contains(v) else { continue }
                if du + l.latency < dist[v] ?? Int64.max { dist[v] = du + l.latency }
            }
        }
        return nil
    }

    // MARK: Expressions

    /// A platform expression's value.
    enum PValue: Equatable {
        case bool(Bool)
        case number(Fixed)
        case duration(Int64)
        case symbol(String)
        case list([PValue])
        case error

        static func compare(_ a: PValue, _ b: PValue) -> Int? {
            switch (a, b) {
            case (.number(let x), .number(let y)): return x < y ? -1 : (y < x ? 1 : 0)
            case (.duration(let x), .duration(let y)): return x < y ? -1 : (x > y ? 1 : 0)
            case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
            case (.symbol(let x), .symbol(let y)):
                return x == y ? 0 : (Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? -1 : 1)
            default: return nil
            }
        }

        init(_ v: Value) {
            switch v {
            case .bool(let b): self = .bool(b)
            case .int(let i): self = .number(Fixed(Int(i)))
            case .decimal(let f): self = .number(f)
            case .percent(let f): self = .number(Fixed(raw: f.raw / 100))
            case .duration(let d): self = .duration(d)
            case .symbol(let s), .string(let s): self = .symbol(s)
            case .enumCase(_, let c): self = .symbol(c)
            case .list(let xs), .set(let xs): self = .list(xs.map(PValue.init))
            default: self = .error
            }
        }
    }

    /// What an expression sees: the order, the candidate, the origin.
    struct PlatformContext {
        var order: Record?
        var tables: [String: CheckedTable] = [:]
        var rows: [String: [String: Int]] = [:]
        var candidate: String?
        var origin: String?
    }

    func eval(_ e: Expr, _ ctx: PlatformContext) -> PValue {
        if let v = program.constants[e.id] { return PValue(v) }
        switch e.kind {
        case .identifier:
            switch program.resolutions[e.id] {
            case .cluster(let n)?, .jurisdiction(let n)?: return .symbol(n)
            case .enumCase(_, let c)?: return .symbol(c)
            default: return .error
            }
        case .select(let base, let name):
            if case .platformField(let f)? = program.resolutions[e.id] {
                if case .routeCandidate? = program.resolutions[base.id] {
                    guard let n = ctx.candidate, let c = program.cluster(n) else { return .error }
                    return clusterField(c, f, ctx)
                }
                if case .select(let inner, let rn) = base.kind, rn.text == "region",
                    case .routeCandidate? = program.resolutions[inner.id], let n = ctx.candidate,
                    let c = program.cluster(n)
                {
                    if f == "name" { return .symbol(c.region) }
                    if f == "continent" {
                        return program.regions.first { $0.name == c.region }.map { .symbol($0.continent) } ?? .error
                    }
                }
                return .error
            }
            guard case .index(let t, let k) = base.kind, case .data(let tname)? = program.resolutions[t.id],
                case .select(_, let f) = k.kind, case .symbol(let key)? = ctx.order?.fields[f.text],
                let table = ctx.tables[tname], let row = ctx.rows[tname]?[key],
                let col = table.columns.firstIndex(where: { $0.name == name.text })
            else { return .error }
            let v = table.rows[row][col]
            return v == .null ? .error : PValue(v)
        case .unary(let op, let x):
            switch (op, eval(x, ctx)) {
            case (.not, .bool(let b)): return .bool(!b)
            case (.negate, .number(let n)): return .number(Fixed(raw: 0 - n.raw))
            case (.negate, .duration(let d)): return .duration(0 - d)
            default: return .error
            }
        case .binary(let op, let l, let r):
            let a = eval(l, ctx)
            let b = eval(r, ctx)
            switch op {
            case .and:
                if a == .bool(false) || b == .bool(false) { return .bool(false) }
                return a == .bool(true) && b == .bool(true) ? .bool(true) : .error
            case .or:
                if a == .bool(true) || b == .bool(true) { return .bool(true) }
                return a == .bool(false) && b == .bool(false) ? .bool(false) : .error
            case .eq, .ne:
                if a == .error || b == .error { return .error }
                let same: Bool
                switch (a, b) {
                case (.list, _), (_, .list): same = false
                default: same = a == b
                }
                return .bool(op == .eq ? same : !same)
            case .lt, .le, .gt, .ge:
                guard let c = PValue.compare(a, b) else { return .error }
                switch op {
                case .lt: return .bool(c < 0)
                case .le: return .bool(c <= 0)
                case .gt: return .bool(c > 0)
                default: return .bool(c >= 0)
                }
            case .in:
                if a == .error { return .error }
                guard case .list(let xs) = b else { return .error }
                if xs.contains(.error) { return .error }
                return .bool(xs.contains(a))
            case .add, .sub:
                switch (a, b) {
                case (.number(let x), .number(let y)):
                    return (op == .add ? x.adding(y) : x.subtracting(y)).map(PValue.number) ?? .error
                case (.duration(let x), .duration(let y)):
                    let (s, o) = op == .add ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y)
                    return o ? .error : .duration(s)
                default: return .error
                }
            default:
                return .error
            }
        case .conditional(let c, let a, let b):
            guard case .bool(let x) = eval(c, ctx) else { return .error }
            return eval(x ? a : b, ctx)
        case .list(let xs):
            return .list(xs.map { eval($0, ctx) })
        case .call(nil, let fn, let args):
            switch fn.text {
            case "down":
                guard case .cluster(let n)? = program.resolutions[args[0].id] else { return .error }
                return .bool(healthOf(n) == "down")
            case "down_count":
                guard case .enumCase(let type, let c)? = program.constants[args[0].id] else { return .error }
                let n = program.clusters.filter { cl in
                    guard healthOf(cl.name) == "down" else { return false }
                    if type == "Role" { return cl.role == c }
                    return program.regions.first { $0.name == cl.region }?.continent == c
                }.count
                return .number(Fixed(n))
            case "lag":
                guard case .tier(let t)? = program.resolutions[args[0].id] else { return .error }
                return .duration(lag[t] ?? 0)
            case "security_incident": return .bool(incident)
            case "regulatory_halt": return .bool(halt)
            default: return .error
            }
        default:
            return .error
        }
    }

    private func clusterField(_ c: CheckedCluster, _ f: String, _ ctx: PlatformContext) -> PValue {
        switch f {
        case "name": return .symbol(c.name)
        case "region": return .symbol(c.region)
        case "provider": return .symbol(c.provider)
        case "role": return .symbol(c.role)
        case "jurisdiction": return .list(c.jurisdictions.map(PValue.symbol))
        case "hubs": return .list(c.hubs.map(PValue.symbol))
        case "capacity": return c.capacity.map { .number(Fixed(Int($0))) } ?? .error
        case "health": return .symbol(healthOf(c.name))
        case "load": return .number(load[c.name] ?? Fixed(0))
        case "latency":
            guard let o = ctx.origin, let d = latency(from: o, to: c.name) else { return .error }
            return .duration(d)
        default: return .error
        }
    }
}
