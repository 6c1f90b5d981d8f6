/// The platform: regions, clusters, links, replication tiers, data classes
/// and routes. Each block's properties are checked against its allowed set.

import WritSyntax
import WritValue

extension Analyzer {
    func checkPlatform() {
        for d in allDecls {
            guard case .block(let b) = d, isRegistered(b.name) else { continue }
            switch b.kind {
            case .region: checkRegion(b)
            case .cluster: checkCluster(b)
            case .tier: checkTier(b)
            case .dataClass: checkDataClass(b)
            case .level: break
            }
        }
        checkClusterTitles()
        checkLinks()
        for d in allDecls {
            if case .route(let r) = d, isRegistered(r.name) { checkRoute(r) }
        }
        for d in allDecls {
            if case .dr(let dr) = d, isRegistered(dr.name), program.dr == nil { checkDR(dr) }
        }
    }

    private func checkRegion(_ b: BlockDecl) {
        let owner = "region `\(b.name.text)`"
        let props = propertyTable(b.properties, allowed: ["continent"], owner: owner)
        let continent = requiredProperty(props, "continent", owner: owner, at: b.name.span, example: "emea")
            .flatMap { enumValue($0, "Continent", platformScope) }
        guard let continent else { return }
        program.regions.append(CheckedRegion(name: b.name.text, title: b.title, continent: continent, span: b.span))
    }

    private func checkCluster(_ b: BlockDecl) {
        let owner = "cluster `\(b.name.text)`"
        let s = platformScope
        let props = propertyTable(
            b.properties, allowed: ["region", "provider", "role", "jurisdiction", "hubs", "capacity"], owner: owner)
        let region = requiredProperty(props, "region", owner: owner, at: b.name.span, example: "eu_west")
            .flatMap { referenceValue($0, .region, s) }
        let provider = requiredProperty(props, "provider", owner: owner, at: b.name.span, example: "aws")
            .flatMap { enumValue($0, "Provider", s) }
        let role = requiredProperty(props, "role", owner: owner, at: b.name.span, example: "primary")
            .flatMap { enumValue($0, "Role", s) }
        let jurisdictions = props["jurisdiction"].map { referenceList($0, .jurisdiction, s, allowSingle: true) } ?? []
        let hubs = props["hubs"].map { referenceList($0, .jurisdiction, s) } ?? []
        var capacity: Int64?
        if let p = props["capacity"], case .int(let c)? = constantProperty(p, .int, s) {
            if c <= 0 {
                report(Messages.invalidPropertyValue("`capacity` must be positive, found \(c)", at: p.value.span))
            } else {
                capacity = c
            }
        }
        guard let region, let provider, let role, let jurisdictions, let hubs else { return }
        program.clusters.append(
            CheckedCluster(
                name: b.name.text, title: b.title, region: region, provider: provider, role: role,
                jurisdictions: jurisdictions, hubs: hubs, capacity: capacity, span: b.span))
    }

    /// Events name a cluster by its name or its title, so no title may be
    /// another cluster's title or name: `cluster_down` would pick one of
    /// the two at random (the first).
    private func checkClusterTitles() {
        var clusters: [BlockDecl] = []
        for d in allDecls {
            if case .block(let b) = d, b.kind == .cluster, isRegistered(b.name) { clusters.append(b) }
        }
        var taken: [String: Name] = [:]
        for b in clusters { taken[b.name.text] = b.name }
        for b in clusters {
            guard let title = b.title, title != b.name.text else { continue }
            if let other = taken[title] {
                report(Messages.duplicateClusterTitle(title, of: b.name, other: other))
            } else {
                taken[title] = b.name
            }
        }
    }

    /// Whether `n` names a cluster; reports an unknown or wrong name otherwise.
    private func clusterName(_ n: Name) -> Bool {
        switch names[n.text] {
        case .block(let b)? where b.kind == .cluster:
            return true
        case let d?:
            report(Messages.wrongKind(n, is: d.kindWord, expected: "cluster"))
        case nil:
            let clusters = names.compactMap { k, v -> String? in
                if case .block(let b) = v, b.kind == .cluster { k } else { nil }
            }
            report(Messages.unknownName(n.text, suggestion: suggestion(for: n.text, in: clusters), at: n.span))
        }
        return false
    }

    private func checkLinks() {
        var seen: [String: Span] = [:]
        for d in allDecls {
            guard case .link(let l) = d else { continue }
            let a = clusterName(l.from)
            let b = clusterName(l.to)
            let lt = require(l.latency, platformScope, .duration, what: "the latency of a link")
            var latency: Int64?
            if lt != .error {
                if case .duration(let ns)? = program.constants[l.latency.id] {
                    if ns <= 0 {
                        report(
                            Messages.invalidLink(
                                "the latency of a link must be positive, found `\(text(l.latency.span))`",
                                at: l.latency.span, help: "give its one-way latency, such as `62ms`"))
                    } else if ns > CheckedLink.maxLatency {
                        report(
                            Messages.invalidLink(
                                "the latency of a link is at most 1m, found `\(text(l.latency.span))`",
                                at: l.latency.span,
                                help: "give its one-way latency, such as `62ms`; a link slower than a minute is not a link"))
                    } else {
                        latency = ns
                    }
                } else {
                    report(Messages.notConstant("the latency of a link", at: l.latency.span))
                }
            }
            guard a, b else { continue }
            if l.from.text == l.to.text {
                report(
                    Messages.invalidLink(
                        "a link joins two different clusters, but both ends are `\(l.from.text)`", at: l.to.span,
                        help: "name the cluster at the other end"))
                continue
            }
            let key = [l.from.text, l.to.text].sorted().joined(separator: "<->")
            if let first = seen[key] {
                report(Messages.duplicateLink(l.from.text, l.to.text, at: l.span, first: first))
                continue
            }
            seen[key] = l.span
            if let latency {
                program.links.append(CheckedLink(from: l.from.text, to: l.to.text, latency: latency, span: l.span))
            }
        }
    }

    private func checkTier(_ b: BlockDecl) {
        let owner = "tier `\(b.name.text)`"
        let s = platformScope
        let props = propertyTable(
            b.properties, allowed: ["budget", "strategy", "replicas", "quorum", "conflict"], owner: owner)
        let budget = requiredProperty(props, "budget", owner: owner, at: b.name.span, example: "10ms")
            .flatMap { durationProperty($0, s, positive: true) }
        let strategy = requiredProperty(props, "strategy", owner: owner, at: b.name.span, example: "synchronous")
            .flatMap { enumValue($0, "Strategy", s) }
        let replicas = requiredProperty(
            props, "replicas", owner: owner, at: b.name.span, example: "[eu_west_1, eu_central_1]"
        )
        .flatMap { p -> [String]? in
            guard let r = referenceList(p, .cluster, s) else { return nil }
            if r.isEmpty {
                report(Messages.invalidPropertyValue("`replicas` lists no cluster", at: p.value.span))
                return nil
            }
            return r
        }
        var quorum: Int64?
        var conflict: String?
        if let strategy {
            if strategy == "quorum" {
                if let p = requiredProperty(props, "quorum", owner: owner, at: b.name.span, example: "2"),
                    case .int(let q)? = constantProperty(p, .int, s)
                {
                    if q < 1 || (replicas.map { q > Int64($0.count) } ?? false) {
                        report(
                            Messages.invalidPropertyValue(
                                "a quorum of \(q) is not between 1 and the \(replicas?.count ?? 0) replicas",
                                at: p.value.span))
                    } else {
                        quorum = q
                    }
                }
            } else if let p = props["quorum"] {
                report(
                    Messages.propertyNotApplicable("quorum", because: "to the `\(strategy)` strategy", at: p.name.span))
            }
            if strategy == "multi_master" {
                conflict = requiredProperty(
                    props, "conflict", owner: owner, at: b.name.span, example: "last_writer_wins"
                )
                .flatMap { enumValue($0, "Conflict", s) }
            } else if let p = props["conflict"] {
                report(
                    Messages.propertyNotApplicable(
                        "conflict", because: "to the `\(strategy)` strategy", at: p.name.span))
            }
        }
        guard let budget, let strategy, let replicas else { return }
        program.tiers.append(
            CheckedTier(
                name: b.name.text, title: b.title, budget: budget, strategy: strategy, replicas: replicas,
                quorum: quorum,
                conflict: conflict, span: b.span))
    }

    private func checkDataClass(_ b: BlockDecl) {
        let owner = "class `\(b.name.text)`"
        let s = platformScope
        let props = propertyTable(b.properties, allowed: ["tier", "residency"], owner: owner)
        let tier = requiredProperty(props, "tier", owner: owner, at: b.name.span, example: "critical")
            .flatMap { referenceValue($0, .tier, s) }
        let residency = props["residency"].map { referenceList($0, .jurisdiction, s) } ?? []
        if let p = props["residency"], residency?.isEmpty == true {
            report(
                Messages.invalidPropertyValue(
                    "`residency` lists no jurisdiction: the class could be kept nowhere", at: p.value.span,
                    help: "list where its data may be kept (`residency = [EU, UK]`), or remove `residency` to allow anywhere"))
        }
        guard let tier, let residency else { return }
        program.dataClasses.append(
            CheckedDataClass(name: b.name.text, title: b.title, tier: tier, residency: residency, span: b.span))
    }

    /// An origin read from a table's column (`countries[order.client_country].gateway`)
    /// whose rows are in the program: every row's value must name a
    /// cluster, or that row's orders would have no origin — no latency to
    /// rank by, and a route chosen without one.
    private func checkOriginColumn(_ e: Expr) {
        guard case .select(let base, let column) = e.kind, case .index(let tableExpr, _) = base.kind,
            case .data(let name)? = program.resolutions[tableExpr.id],
            let data = program.data.first(where: { $0.name == name }), case .table(let table) = data.source,
            table.binding == nil, let c = table.columns.firstIndex(where: { $0.name == column.text })
        else { return }
        let clusters = Set(program.clusters.map(\.name) + program.clusters.compactMap(\.title))
        for (k, row) in table.rows.enumerated() {
            guard c < row.count else { continue }
            let cell: String
            switch row[c] {
            case .symbol(let v): cell = v
            case .string(let v): cell = v
            default: continue
            }
            if clusters.contains(cell) { continue }
            report(
                Messages.invalidPropertyValue(
                    "`origin` reads `\(column.text)` of `\(table.path)`, whose line \(k + 2) holds `\(cell)`, not a cluster",
                    at: e.span,
                    help: "give that row a cluster's name ("
                        + (program.clusters.prefix(3).map { "`\($0.name)`" } + (program.clusters.count > 3 ? ["…"] : []))
                        .joined(separator: ", ") + ")"
                        + " or make `origin` read a column that holds clusters"))
            return
        }
    }

    /// A route reads the order through tables (`countries[order.client_country]`):
    /// one with no rows (a data file with a header only) leaves every order
    /// without a row, so no order would ever find a cluster.
    private func checkRouteTablesHaveRows(_ exprs: [Expr]) {
        var reported = Set<String>()
        func walk(_ e: Expr) {
            if case .index(let tableExpr, _) = e.kind, case .data(let name)? = program.resolutions[tableExpr.id],
                !reported.contains(name), let data = program.data.first(where: { $0.name == name }),
                case .table(let table) = data.source, table.binding == nil, table.rows.isEmpty
            {
                reported.insert(name)
                report(
                    Messages.invalidPropertyValue(
                        "the route reads table `\(name)`, but `\(table.path)` has no rows: no order would find a cluster",
                        at: e.span, help: "add its rows to `\(table.path)`"))
            }
            for c in TypedDump.children(e) { walk(c) }
        }
        for e in exprs { walk(e) }
    }

    private func checkRoute(_ r: RouteDecl) {
        let owner = "route `\(r.name.text)`"
        let props = propertyTable(r.properties, allowed: ["applies", "origin"], owner: owner)
        let orderScope = Scope(place: "a route", inputs: .all)
        var candidateScope = orderScope
        candidateScope.candidate = true
        var applies: Expr?
        if let p = props["applies"] {
            if require(p.value, orderScope, .bool, what: "`applies`") != .error { applies = p.value }
        }
        var origin: Expr?
        if let p = props["origin"] {
            let t = check(p.value, orderScope)
            if !t.containsError {
                if t == .cluster || canConvert(p.value, from: t, to: .symbol) {
                    _ = convert(p.value, from: t, to: t == .cluster ? .cluster : .symbol)
                    origin = p.value
                    if t != .cluster { checkOriginColumn(p.value) }
                } else {
                    report(
                        Messages.typeMismatch(
                            what: "`origin`", expected: .cluster, found: t, at: p.value.span,
                            hint: "name a cluster, or a symbol field of the order that holds one"))
                }
            }
        }
        for f in r.filters {
            require(f, candidateScope, .bool, what: "a route filter")
        }
        var ranks: [CheckedRank] = []
        for k in r.ranks {
            let t = check(k.key, candidateScope)
            if t.containsError { continue }
            switch t {
            case .int, .decimal, .money, .percent, .duration, .timestamp, .string:
                ranks.append(CheckedRank(key: k.key, type: t, direction: k.direction))
            default:
                report(Messages.notOrderable("rank", t, at: k.key.span))
            }
        }
        var fallback: [String] = []
        if let f = r.fallback {
            fallback =
                referenceList(Property(name: Name("fallback", f.span), value: f, span: f.span), .cluster, platformScope)
                ?? []
        }
        checkRouteTablesHaveRows([applies, origin].compactMap { $0 } + r.filters + r.ranks.map(\.key))
        program.routes.append(
            CheckedRoute(
                name: r.name.text, title: r.title, applies: applies, origin: origin, filters: r.filters, ranks: ranks,
                fallback: fallback, span: r.span))
    }
}
