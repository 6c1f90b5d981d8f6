/// The platform proofs, run after checking on a program without errors (a
/// proof over a half-checked topology would only repeat its errors as
/// failures): (a) routes survive any single cluster failure, (b) tier
/// budgets fit the round trips between replicas, (c) replicas respect
/// residency, (d) DR levels are ordered, reachable and exitable.

import WritSyntax

extension Analyzer {
    func provePlatform() {
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return }
        let graph = LatencyGraph(program)
        proveRoutes()
        proveReplication(graph)
        proveResidency()
        proveDR()
    }
}
