/// Proof (a): every regime keeps a legal route with every cluster up and
/// after any single cluster fails. For each route and each regime, and for
/// each scenario (all up, then each cluster down in turn), some cluster
/// must be up and pass the route's filters for an order of that regime, or
/// some fallback cluster must be up and a compliance hub of the regime.
///
/// The filters are evaluated by `ProofWorld` with `cluster` bound to the
/// candidate's declared properties and its health set by the scenario. The
/// order's regime is the left side of a filter `E in cluster.hubs` (the
/// compliance-hub filter): every occurrence of `E` in the route is that
/// regime. Whatever else the filters read (the order's other fields, live
/// load and latency) is unknown, and an unknown filter counts as passed.

import WritSyntax

extension Analyzer {
    /// Regimes the proof covers: every jurisdiction whose `applies` is not a
    /// constant (one that applies to every order, like firm-wide controls, or
    /// to none, is not a regime an order falls under).
    var provableRegimes: [String] {
        program.jurisdictions.filter { j in
            guard let a = j.applies else { return false }
            if case .bool? = program.constants[a.id] { return false }
            return true
        }.map(\.name)
    }

    func proveRoutes() {
        let regimes = provableRegimes
        guard !regimes.isEmpty, !program.clusters.isEmpty else { return }
        for route in program.routes {
            var world = ProofWorld(program: program)
            world.regimeNodes = regimeNodes(of: route)
            for regime in regimes { proveRoute(route, regime: regime, world: &world) }
        }
    }

    private func proveRoute(_ route: CheckedRoute, regime: String, world: inout ProofWorld) {
        world.regime = regime
        world.down = []
        world.candidate = nil
        if let applies = route.applies, world.eval(applies).bool == false { return }
        let withAllUp = legalClusters(route, regime, &world)
        guard !withAllUp.isEmpty else {
            report(ProofMessages.strandedRegime(regime, route: routeNameSpan(route), failures: [], keptWithAllUp: []))
            return
        }
        var failures: [(name: String, span: Span)] = []
        for c in program.clusters {
            world.down = [c.name]
            if legalClusters(route, regime, &world).isEmpty { failures.append((c.name, blockNameSpan(c.name))) }
        }
        if !failures.isEmpty {
            report(
                ProofMessages.strandedRegime(
                    regime, route: routeNameSpan(route), failures: failures, keptWithAllUp: withAllUp))
        }
    }

    /// The clusters an order of `regime` may legally go to in the world's
    /// scenario: candidates that are up and pass every filter (or may),
    /// then fallback clusters that are up and hubs of the regime.
    private func legalClusters(_ route: CheckedRoute, _ regime: String, _ world: inout ProofWorld) -> [String] {
        let down = world.down ?? []
        var out: [String] = []
        for c in program.clusters where !down.contains(c.name) {
            world.candidate = c.name
            if route.filters.allSatisfy({ world.eval($0).bool != false }) { out.append(c.name) }
        }
        world.candidate = nil
        for f in route.fallback where !down.contains(f) && !out.contains(f) {
            if program.cluster(f)?.hubs.contains(regime) == true { out.append(f) }
        }
        return out
    }

    /// The nodes of `route` that stand for the order's regime: every
    /// expression that reads an input and is written like the left side of a
    /// filter `E in cluster.hubs`.
    private func regimeNodes(of route: CheckedRoute) -> Set<NodeID> {
        let roots = route.filters + (route.applies.map { [$0] } ?? [])
        var texts: Set<String> = []
        for r in roots {
            visit(r) { e in
                if case .binary(.in, let l, let h) = e.kind, isCandidateHubs(h), readsInput(l) {
                    texts.insert(ExprPrinter.text(l))
                }
            }
        }
        guard !texts.isEmpty else { return [] }
        var nodes: Set<NodeID> = []
        for r in roots {
            visit(r) { e in
                if readsInput(e), texts.contains(ExprPrinter.text(e)) { nodes.insert(e.id) }
            }
        }
        return nodes
    }

    private func isCandidateHubs(_ e: Expr) -> Bool {
        guard case .select(let base, let name) = e.kind, name.text == "hubs",
            case .routeCandidate? = program.resolutions[base.id]
        else { return false }
        return true
    }

    /// Whether `e` reads an input record (an order field, directly or through a table).
    func readsInput(_ e: Expr) -> Bool {
        var found = false
        visit(e) { x in
            if case .input? = program.resolutions[x.id] { found = true }
        }
        return found
    }

    /// Calls `f` on `e` and every sub-expression, parents first.
    func visit(_ e: Expr, _ f: (Expr) -> Void) {
        f(e)
        switch e.kind {
        case .select(let b, _): visit(b, f)
        case .call(let t, _, let args):
            if let t { visit(t, f) }
            for a in args { visit(a, f) }
        case .index(let b, let i):
            visit(b, f)
            visit(i, f)
        case .unary(_, let x): visit(x, f)
        case .binary(_, let l, let r):
            visit(l, f)
            visit(r, f)
        case .conditional(let c, let a, let b):
            visit(c, f)
            visit(a, f)
            visit(b, f)
        case .list(let xs), .tuple(let xs): for x in xs { visit(x, f) }
        case .map(let es):
            for en in es {
                visit(en.key, f)
                visit(en.value, f)
            }
        case .literal, .identifier, .error: break
        }
    }

    /// Where a route's name is written.
    func routeNameSpan(_ r: CheckedRoute) -> Span {
        if case .route(let d)? = names[r.name] { return d.name.span }
        return r.span
    }

    /// Where the name of a cluster, region, tier or class is written.
    func blockNameSpan(_ name: String) -> Span {
        if case .block(let b)? = names[name] { return b.name.span }
        return .unknown
    }

    /// The declaration of a platform block, for the spans of its properties.
    func blockDecl(_ name: String) -> BlockDecl? {
        if case .block(let b)? = names[name] { return b }
        return nil
    }
}
