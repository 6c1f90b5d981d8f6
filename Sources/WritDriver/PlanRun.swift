/// The work behind `writ plan replication`: where every data class's
/// replicas live (its tier's clusters, their jurisdictions and regions), the
/// tier's strategy and budget, the class's residency, and the worst round
/// trip between its replicas over the topology's shortest paths; rendered as
/// a text table or as JSON.
import WritSema
import WritSyntax

/// The replica placement of every data class of a program.
public struct ReplicationPlan: Sendable, Equatable {
    /// One replica of a data class: a cluster of its tier.
    public struct Replica: Sendable, Equatable {
        /// The cluster's name (`us_east_1`).
        public var cluster: String
        /// Its title (`nautilus-enterprise-us-east-1`), if declared.
        public var title: String?
        /// The jurisdictions it serves (none for an edge or a global hub).
        public var jurisdictions: [String]
        /// Its region.
        public var region: String
        /// The region's continent.
        public var continent: String
    }

    /// The worst round trip between two replicas.
    public struct RoundTrip: Sendable, Equatable {
        /// One end.
        public var from: String
        /// The other end.
        public var to: String
        /// Twice the shortest one-way latency, in nanoseconds.
        public var nanoseconds: Int64
    }

    /// Where one data class is replicated.
    public struct Placement: Sendable, Equatable {
        /// The class's name.
        public var dataClass: String
        /// Its title, if declared.
        public var title: String?
        /// Its tier's name.
        public var tier: String
        /// The tier's title, if declared.
        public var tierTitle: String?
        /// The tier's strategy (a case of `Strategy`).
        public var strategy: String
        /// For a quorum tier: how many replicas acknowledge a write.
        public var quorum: Int64?
        /// For a multi-master tier: how conflicts are resolved.
        public var conflict: String?
        /// The tier's budget in nanoseconds.
        public var budget: Int64
        /// Jurisdictions the data must stay in (empty: no constraint).
        public var residency: [String]
        /// The tier's replicas, in declaration order.
        public var replicas: [Replica]
        /// The worst round trip between two replicas; nil with one replica
        /// or when some pair is not connected.
        public var worstRoundTrip: RoundTrip?
    }

    /// One placement per data class, in declaration order.
    public var placements: [Placement]

    /// The plan of a checked program.
    public init(_ program: CheckedProgram) {
        let graph = LatencyGraph(program)
        placements = program.dataClasses.compactMap { dc in
            guard let tier = program.tiers.first(where: { $0.name == dc.tier }) else { return nil }
            let replicas = tier.replicas.compactMap { name -> Replica? in
                guard let c = program.cluster(name) else { return nil }
                let continent = program.regions.first { $0.name == c.region }?.continent ?? ""
                return Replica(
                    cluster: c.name, title: c.title, jurisdictions: c.jurisdictions, region: c.region,
                    continent: continent)
            }
            let worst = graph.worstRoundTrip(tier.replicas).map {
                RoundTrip(from: $0.from, to: $0.to, nanoseconds: $0.roundTrip)
            }
            return Placement(
                dataClass: dc.name, title: dc.title, tier: tier.name, tierTitle: tier.title, strategy: tier.strategy,
                quorum: tier.quorum, conflict: tier.conflict, budget: tier.budget, residency: dc.residency,
                replicas: replicas, worstRoundTrip: worst)
        }
    }
}

/// Runs `writ plan`.
public enum PlanRun {
    /// Checks the rule files at `paths` and, when they have no errors, plans
    /// their replication (nil otherwise; the compilation holds the diagnostics).
    /// - Throws: `UsageError` for a missing, unreadable or empty path.
    public static func replication(paths: [String]) throws(UsageError) -> (Compilation, ReplicationPlan?) {
        let c = try Compilation.check(paths: paths)
        guard !c.hasErrors, let program = c.checked?.program else { return (c, nil) }
        return (c, ReplicationPlan(program))
    }

    /// The plan as a text table: a row per data class, and under it a row
    /// per replica (cluster, title, jurisdictions, region).
    public static func text(_ plan: ReplicationPlan) -> String {
        guard !plan.placements.isEmpty else { return "no data classes\n" }
        let header = ["class", "tier", "strategy", "budget", "residency", "worst round trip"]
        let classRows = plan.placements.map { p in
            [
                p.dataClass, p.tier, strategyText(p), LatencyGraph.describe(p.budget),
                p.residency.isEmpty ? "any" : p.residency.joined(separator: ", "), roundTripText(p),
            ]
        }
        let replicaRows = plan.placements.map { p in
            p.replicas.map { r in
                [
                    r.cluster, r.title ?? "",
                    r.jurisdictions.isEmpty ? "none" : r.jurisdictions.joined(separator: ", "),
                    "\(r.region) (\(r.continent))",
                ]
            }
        }
        let classWidths = widths([header] + classRows)
        let replicaWidths = widths(replicaRows.flatMap { $0 })
        let classes = plan.placements.count
        let tiers = Set(plan.placements.map(\.tier)).count
        var out =
            "replica placement of \(classes) data class\(classes == 1 ? "" : "es") on \(tiers) tier"
            + "\(tiers == 1 ? "" : "s")\n\n"
        out += line(header, classWidths)
        for (i, row) in classRows.enumerated() {
            out += line(row, classWidths)
            for r in replicaRows[i] { out += "  " + line(r, replicaWidths) }
        }
        return out
    }

    /// The width of each column of `rows`.
    private static func widths(_ rows: [[String]]) -> [Int] {
        var w: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i == w.count { w.append(0) }
                w[i] = max(w[i], cell.count)
            }
        }
        return w
    }

    /// Cells padded to `widths`, two spaces apart, without trailing spaces.
    private static func line(_ cells: [String], _ widths: [Int]) -> String {
        var out = ""
        for (i, cell) in cells.enumerated() {
            out += cell
            if i < cells.count - 1 { out += String(repeating: " ", count: widths[i] - cell.count + 2) }
        }
        while out.hasSuffix(" ") { out.removeLast() }
        return out + "\n"
    }

    /// The plan as one JSON object: `{"classes": [{"class": …, "replicas": […], …}, …]}`.
    public static func json(_ plan: ReplicationPlan) -> String {
        func q(_ s: String) -> String { JSONText.quote(s) }
        func qs(_ xs: [String]) -> String { "[" + xs.map(q).joined(separator: ",") + "]" }
        func opt(_ s: String?) -> String { s.map(q) ?? "null" }
        let items = plan.placements.map { p -> String in
            let replicas = p.replicas.map { r in
                "{\"cluster\":\(q(r.cluster)),\"title\":\(opt(r.title)),\"jurisdictions\":\(qs(r.jurisdictions)),"
                    + "\"region\":\(q(r.region)),\"continent\":\(q(r.continent))}"
            }
            let worst = p.worstRoundTrip.map { w in
                "{\"from\":\(q(w.from)),\"to\":\(q(w.to)),\"ns\":\(w.nanoseconds),"
                    + "\"text\":\(q(LatencyGraph.describe(w.nanoseconds)))}"
            }
            return "{\"class\":\(q(p.dataClass)),\"title\":\(opt(p.title)),\"tier\":\(q(p.tier)),"
                + "\"tier_title\":\(opt(p.tierTitle)),\"strategy\":\(q(p.strategy)),"
                + "\"quorum\":\(p.quorum.map(String.init) ?? "null"),\"conflict\":\(opt(p.conflict)),"
                + "\"budget_ns\":\(p.budget),\"budget\":\(q(LatencyGraph.describe(p.budget))),"
                + "\"residency\":\(qs(p.residency)),\"replicas\":[\(replicas.joined(separator: ","))],"
                + "\"worst_round_trip\":\(worst ?? "null")}"
        }
        guard !items.isEmpty else { return "{\"classes\":[]}\n" }
        return "{\"classes\":[\n" + items.joined(separator: ",\n") + "\n]}\n"
    }

    private static func strategyText(_ p: ReplicationPlan.Placement) -> String {
        if let q = p.quorum { return "\(p.strategy) \(q) of \(p.replicas.count)" }
        if let c = p.conflict { return "\(p.strategy) (\(c))" }
        return p.strategy
    }

    private static func roundTripText(_ p: ReplicationPlan.Placement) -> String {
        guard let w = p.worstRoundTrip else { return p.replicas.count < 2 ? "-" : "not connected" }
        return "\(LatencyGraph.describe(w.nanoseconds)) (\(w.from) ↔ \(w.to))"
    }
}
