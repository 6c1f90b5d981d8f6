/// Proof (c): data with residency never gets a replica outside its allowed
/// jurisdictions. Every replica of a data class's tier must be a cluster
/// that serves at least one jurisdiction and only allowed ones; a cluster
/// that serves none (an edge, a global analytics hub) is outside every
/// residency.

import WritSyntax

extension Analyzer {
    func proveResidency() {
        for dc in program.dataClasses where !dc.residency.isEmpty {
            guard let tier = program.tiers.first(where: { $0.name == dc.tier }) else { continue }
            for r in tier.replicas {
                guard let c = program.cluster(r) else { continue }
                let outside = c.jurisdictions.filter { !dc.residency.contains($0) }
                guard c.jurisdictions.isEmpty || !outside.isEmpty else { continue }
                report(
                    ProofMessages.residencyViolation(
                        dataClass: dc.name, residency: dc.residency, tier: tier.name, cluster: r, outside: outside,
                        at: propertySpan(dc.name, "residency"), replica: replicaSpan(tier.name, r)))
            }
        }
    }
}
