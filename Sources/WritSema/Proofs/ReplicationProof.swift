/// Proof (b): a tier's budget fits the latencies between its replicas, over
/// the shortest paths of the topology (a topology without links has no
/// latencies, and is not proved). A synchronous write waits for every
/// replica, so the budget must cover the round trip (twice the shortest
/// one-way latency) between every pair; a quorum write waits for the
/// nearest `quorum - 1` other replicas, so from at least one replica (where
/// writes are best coordinated) the round trip to the last of those must
/// fit the budget. Asynchronous strategies only lag: a
/// budget below the one-way latency from the leader (leader-follower: the
/// first replica) or between any two replicas (asynchronous, multi-master)
/// is a warning, since the lag can never meet it. Every two replicas must be
/// joined by some chain of links. (A quorum larger than the replica set is
/// reported when the tier is checked, E0516.)

import WritSyntax

extension Analyzer {
    func proveReplication(_ graph: LatencyGraph) {
        guard !program.links.isEmpty else { return }
        for tier in program.tiers {
            if let (a, b) = graph.disconnected(tier.replicas) {
                report(
                    ProofMessages.disconnectedReplicas(
                        tier.name, a, b, at: replicaSpan(tier.name, b), notes: [(a, replicaSpan(tier.name, a))]))
                continue
            }
            switch tier.strategy {
            case "synchronous":
                guard let w = graph.worstRoundTrip(tier.replicas), w.roundTrip > tier.budget else { continue }
                report(
                    ProofMessages.synchronousOverBudget(
                        tier: tier.name, budget: tier.budget, from: w.from, to: w.to, roundTrip: w.roundTrip,
                        path: pathText(graph, w.from, w.to), at: replicaSpan(tier.name, w.to),
                        budgetSpan: propertySpan(tier.name, "budget")))
            case "quorum":
                guard let q = tier.quorum, q >= 2 else { continue }
                // The writer whose quorum completes first, and the replica it waits for last.
                var best: (writer: String, waitsFor: String, roundTrip: Int64)?
                for w in tier.replicas {
                    let others = tier.replicas.filter { $0 != w }.compactMap { o in
                        graph.roundTrip(w, o).map { (o, $0) }
                    }.sorted { $0.1 < $1.1 }
                    let need = Int(q) - 1
                    guard need <= others.count else { continue }
                    let last = others[need - 1]
                    if best.map({ last.1 < $0.roundTrip }) ?? true { best = (w, last.0, last.1) }
                }
                guard let best, best.roundTrip > tier.budget else { continue }
                report(
                    ProofMessages.quorumOverBudget(
                        tier: tier.name, quorum: q, budget: tier.budget, writer: best.writer,
                        waitsFor: best.waitsFor, roundTrip: best.roundTrip,
                        path: pathText(graph, best.writer, best.waitsFor),
                        at: replicaSpan(tier.name, best.waitsFor), budgetSpan: propertySpan(tier.name, "budget")))
            default:
                let leader = tier.strategy == "leader_follower" ? tier.replicas.first : nil
                var worst: (String, String, Int64)?
                for (i, a) in tier.replicas.enumerated() {
                    if let leader, a != leader { break }
                    for b in tier.replicas[(i + 1)...] {
                        guard let l = graph.latency(a, b), l > tier.budget else { continue }
                        if worst.map({ l > $0.2 }) ?? true { worst = (a, b, l) }
                    }
                }
                guard let (a, b, l) = worst else { continue }
                report(
                    ProofMessages.lagOverBudget(
                        tier: tier.name, strategy: tier.strategy, leader: leader != nil, budget: tier.budget, from: a,
                        to: b, latency: l, path: pathText(graph, a, b), at: replicaSpan(tier.name, b),
                        budgetSpan: propertySpan(tier.name, "budget")))
            }
        }
    }

    /// `a` → `b` → `c` (with the one-way latency), for notes.
    private func pathText(_ graph: LatencyGraph, _ a: String, _ b: String) -> String {
        let p = graph.path(a, b)
        let hops = p.map { "`\($0)`" }.joined(separator: " → ")
        let one = graph.latency(a, b).map { LatencyGraph.describe($0) } ?? "?"
        return "\(hops) (\(one) one way)"
    }

    /// The span of property `name` of the block `block` (its value), or the block's name.
    func propertySpan(_ block: String, _ name: String) -> Span {
        blockDecl(block)?.properties.first { $0.name.text == name }?.span ?? blockNameSpan(block)
    }

    /// Where `cluster` is written in the `replicas` list of `tier`.
    func replicaSpan(_ tier: String, _ cluster: String) -> Span {
        guard let p = blockDecl(tier)?.properties.first(where: { $0.name.text == "replicas" }) else {
            return blockNameSpan(tier)
        }
        if case .list(let xs) = p.value.kind,
            let x = xs.first(where: { referenceName($0) == cluster })
        {
            return x.span
        }
        return p.value.span
    }
}
