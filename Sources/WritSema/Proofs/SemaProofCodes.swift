/// The diagnostic codes of the platform proofs (E08xx errors, W08xx
/// warnings): routes that survive a cluster failure, replication budgets and
/// residency, well-formed DR levels. Each is documented in
/// docs/diagnostics/sema.md.

import WritSyntax

extension DiagnosticCode {
    /// A regime whose orders have no legal route with every cluster up, or after one cluster fails.
    public static let strandedRegime = DiagnosticCode("E0801", .error, "regime left without a route")
    /// A synchronous or quorum tier whose budget does not cover the round trip its writes wait for.
    public static let replicationBudget = DiagnosticCode("E0802", .error, "round trip over the tier's budget")
    /// Two replicas of a tier that no chain of links joins.
    public static let disconnectedReplicas = DiagnosticCode("E0803", .error, "replicas not connected")
    /// A data class with residency whose tier keeps a replica outside its allowed jurisdictions.
    public static let residencyViolation = DiagnosticCode("E0804", .error, "replica outside the data's residency")
    /// A DR level that allows something the level above it does not.
    public static let levelAllowsMore = DiagnosticCode("E0805", .error, "level allows more than the one above")
    /// A DR level whose trigger can never hold.
    public static let unreachableLevel = DiagnosticCode("E0806", .error, "level can never be entered")
    /// A DR level whose trigger can never clear.
    public static let inescapableLevel = DiagnosticCode("E0807", .error, "level can never be left")
    /// An asynchronous tier whose budget is below the one-way latency between its replicas.
    public static let lagOverBudget = DiagnosticCode("W0801", .warning, "replication lag always over budget")
    /// A DR level that allows exactly what the level above it allows.
    public static let levelRestrictsNothing = DiagnosticCode("W0802", .warning, "level restricts nothing")

    /// Every code of the platform proofs, in order.
    public static var proofCodes: [DiagnosticCode] {
        [
            strandedRegime, replicationBudget, disconnectedReplicas, residencyViolation, levelAllowsMore,
            unreachableLevel, inescapableLevel, lagOverBudget, levelRestrictsNothing,
        ]
    }
}
