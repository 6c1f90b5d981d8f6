/// The engine's decision on an order event as the reports read it: the
/// decision line of docs/engine-semantics.md, with a time and, where known,
/// the severity of each rule that fired.

/// The verdict of a decision (`allow`, `hold`, `reject`).
public enum DecisionVerdict: String, Sendable, Hashable, CaseIterable {
    /// No rule rejected or held the order.
    case allow
    /// A hold rule fired and nothing rejected.
    case hold
    /// A reject rule fired, a rule could not be evaluated, or the line was refused.
    case reject
}

/// The severity of a rule, as declared in its jurisdiction.
public enum RuleSeverity: String, Sendable, Hashable, CaseIterable {
    /// Rejects the order.
    case reject
    /// Holds the order for a person.
    case hold
    /// Raises an alert; the verdict is unchanged.
    case alert
    /// Records the order for a report; the verdict is unchanged.
    case report
}

/// A rule listed in a decision.
public struct FiredRuleRecord: Sendable, Hashable {
    /// The rule's qualified name, `EU.price_collar`.
    public var rule: String
    /// Its severity, when the caller knows it (the decision line does not carry it).
    public var severity: RuleSeverity?
    /// The reason the decision gives for it.
    public var reason: String
    /// The regulation it cites, if any.
    public var citation: String?

    /// Creates an entry.
    public init(rule: String, severity: RuleSeverity? = nil, reason: String, citation: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.reason = reason
        self.citation = citation
    }

    /// The jurisdiction that declares the rule: the part of `rule` before its
    /// first dot (`EU` for `EU.price_collar`).
    public var regime: String {
        guard let dot = rule.firstIndex(of: ".") else { return rule }
        return String(rule[..<dot])
    }
}

/// One decision.
public struct DecisionRecord: Sendable, Hashable {
    /// The order's id (or `line N` for a refused line).
    public var orderID: String
    /// When it was decided, in nanoseconds since the epoch (UTC).
    public var timestamp: Int64
    /// The verdict.
    public var verdict: DecisionVerdict
    /// The jurisdictions that applied, in declaration order.
    public var jurisdictions: [String]
    /// The rules that fired, in declaration order.
    public var rules: [FiredRuleRecord]
    /// Why the line was refused before any rule ran (a reject without rules).
    public var problem: String?

    /// Creates a decision.
    public init(
        orderID: String, timestamp: Int64, verdict: DecisionVerdict, jurisdictions: [String] = [],
        rules: [FiredRuleRecord] = [], problem: String? = nil
    ) {
        self.orderID = orderID
        self.timestamp = timestamp
        self.verdict = verdict
        self.jurisdictions = jurisdictions
        self.rules = rules
        self.problem = problem
    }
}
