/// Message factories for the platform proofs, in Cedar's style: one
/// sentence, no capital, no final period, user names in backticks, the fix
/// on a separate help line. Each names the path or the failure it found.

import WritSyntax

/// Builds the proofs' diagnostics.
enum ProofMessages {
    private static func ms(_ ns: Int64) -> String { LatencyGraph.describe(ns) }

    private static func orNames(_ xs: [String]) -> String { orList(xs) }

    private static func andNames(_ xs: [String]) -> String {
        let q = xs.map { "`\($0)`" }
        guard q.count > 1 else { return q.first ?? "" }
        return q.dropLast().joined(separator: ", ") + " and " + q[q.count - 1]
    }

    /// E0801: orders of `regime` have no legal route (with every cluster up
    /// when `failures` is empty, else when any of `failures` is down).
    static func strandedRegime(
        _ regime: String, route: Span, failures: [(name: String, span: Span)], keptWithAllUp: [String]
    ) -> Diagnostic {
        let help =
            "make \(failures.isEmpty ? "a" : "another") trading cluster a compliance hub of `\(regime)` "
            + "(`hubs = [\(regime)]`), or add one to `fallback`"
        guard let first = failures.first else {
            return Diagnostic(
                .strandedRegime, "orders of `\(regime)` have no legal route, even with every cluster up", at: route,
                notes: [
                    DiagnosticNote(
                        span: nil,
                        message: "no cluster that is up passes the route's filters for `\(regime)`, "
                            + "and no fallback cluster is a compliance hub of `\(regime)`")
                ], help: help)
        }
        let kept = andNames(keptWithAllUp)
        return Diagnostic(
            .strandedRegime,
            "orders of `\(regime)` have no legal route when \(orNames(failures.map(\.name))) \(failures.count > 1 ? "goes" : "is") down",
            at: route,
            notes: [
                DiagnosticNote(
                    span: first.span,
                    message: keptWithAllUp.count == 1
                        ? "`\(first.name)` is the only cluster the route allows for `\(regime)`"
                        : "with every cluster up, the route allows \(kept) for `\(regime)`")
            ], help: help)
    }

    /// E0802: a synchronous tier whose budget is below a round trip between two replicas.
    static func synchronousOverBudget(
        tier: String, budget: Int64, from: String, to: String, roundTrip: Int64, path: String, at span: Span,
        budgetSpan: Span
    ) -> Diagnostic {
        Diagnostic(
            .replicationBudget,
            "tier `\(tier)` is synchronous within \(ms(budget)), but the round trip between `\(from)` and `\(to)` takes \(ms(roundTrip))",
            at: span,
            notes: [
                DiagnosticNote(span: nil, message: "the shortest path is \(path)"),
                DiagnosticNote(span: budgetSpan, message: "every write waits for that round trip"),
            ],
            help:
                "keep a synchronous tier's replicas within \(ms(budget / 2)) one way of each other, or make the tier asynchronous"
        )
    }

    /// E0802: a quorum tier whose budget is below the round trip a writer waits for.
    static func quorumOverBudget(
        tier: String, quorum: Int64, budget: Int64, writer: String, waitsFor: String, roundTrip: Int64, path: String,
        at span: Span, budgetSpan: Span
    ) -> Diagnostic {
        Diagnostic(
            .replicationBudget,
            "a quorum of \(quorum) in tier `\(tier)` takes at least \(ms(roundTrip)), over its \(ms(budget)) budget, wherever it is written",
            at: span,
            notes: [
                DiagnosticNote(
                    span: nil,
                    message: "written at `\(writer)`, the best place, it waits for `\(waitsFor)`: \(path)"),
                DiagnosticNote(span: budgetSpan, message: "the budget is here"),
            ],
            help: "place \(quorum) replicas within \(ms(budget / 2)) one way of each other, or lower the quorum")
    }

    /// E0803: two replicas that no chain of links joins.
    static func disconnectedReplicas(_ tier: String, _ a: String, _ b: String, at span: Span, notes: [(String, Span)])
        -> Diagnostic
    {
        Diagnostic(
            .disconnectedReplicas, "no chain of links joins `\(a)` and `\(b)`, replicas of tier `\(tier)`", at: span,
            notes: notes.map { DiagnosticNote(span: $0.1, message: "`\($0.0)` is the other replica") },
            help: "declare a `link` that connects them, directly or through other clusters")
    }

    /// E0804: a replica outside a data class's residency.
    static func residencyViolation(
        dataClass: String, residency: [String], tier: String, cluster: String, outside: [String], at span: Span,
        replica: Span
    ) -> Diagnostic {
        let where_ =
            outside.isEmpty ? "which serves no jurisdiction" : "in \(andNames(outside))"
        return Diagnostic(
            .residencyViolation,
            "data of class `\(dataClass)` must stay in \(orNames(residency)), but tier `\(tier)` keeps a replica on `\(cluster)`, \(where_)",
            at: span,
            notes: [DiagnosticNote(span: replica, message: "`\(cluster)` is a replica of tier `\(tier)` here")],
            help:
                "remove `\(cluster)` from the tier's replicas, or give the class a tier whose replicas all lie in \(orNames(residency))"
        )
    }

    /// E0805: a level allowing a capability the level above does not.
    static func levelAllowsMore(_ level: String, _ cap: String, above: String, at span: Span, aboveSpan: Span)
        -> Diagnostic
    {
        Diagnostic(
            .levelAllowsMore, "level `\(level)` allows `\(cap)`, which `\(above)`, the level above it, does not",
            at: span, notes: [DiagnosticNote(span: aboveSpan, message: "`\(above)` allows this")],
            help: "a level may only take capabilities away: remove `\(cap)` here, or allow it in `\(above)`")
    }

    /// W0802: a level allowing exactly what the level above allows.
    static func levelRestrictsNothing(_ level: String, above: String, at span: Span, aboveSpan: Span) -> Diagnostic {
        Diagnostic(
            .levelRestrictsNothing, "level `\(level)` allows the same as `\(above)`, the level above it", at: span,
            notes: [DiagnosticNote(span: aboveSpan, message: "`\(above)` allows this")],
            help: "take away what `\(level)` must stop, or merge the two levels")
    }

    /// E0806: a level whose trigger can never hold.
    static func unreachableLevel(_ level: String, trigger: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .unreachableLevel, "level `\(level)` can never be entered: `\(trigger)` is never true", at: span,
            help: "`down_count` is at most the number of clusters it counts and `lag` is never negative; "
                + "write a trigger that can hold")
    }

    /// E0807: a level whose trigger can never clear.
    static func inescapableLevel(_ level: String, trigger: String, at span: Span) -> Diagnostic {
        Diagnostic(
            .inescapableLevel, "level `\(level)` can never be left: `\(trigger)` is always true", at: span,
            help: "the platform leaves a level once its trigger has cleared for `recover_after`; "
                + "write a trigger that can clear")
    }

    /// W0801: an asynchronous tier whose lag can never meet its budget.
    static func lagOverBudget(
        tier: String, strategy: String, leader: Bool, budget: Int64, from: String, to: String, latency: Int64,
        path: String, at span: Span, budgetSpan: Span
    ) -> Diagnostic {
        let what = leader ? "from its leader `\(from)` to `\(to)`" : "between `\(from)` and `\(to)`"
        return Diagnostic(
            .lagOverBudget,
            "tier `\(tier)` replicates \(what) in \(ms(latency)) at best, over its \(ms(budget)) budget",
            at: span,
            notes: [
                DiagnosticNote(span: nil, message: "the shortest path is \(path)"),
                DiagnosticNote(span: budgetSpan, message: "the budget is here"),
            ],
            help: "the `\(strategy)` replicas of this tier always lag more than its budget; "
                + "move them closer or raise the budget")
    }
}
