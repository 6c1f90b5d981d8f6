/// The decision index: which jurisdictions can apply to an order's venue,
/// and which rules of a jurisdiction can fire for the values of the order's
/// discriminating enum fields. A rule is left out only where its condition
/// is certainly false (one of its top-level conjuncts is false, and with
/// CEL's commutative `&&` a false conjunct makes the whole false).

/// The index over venues and discriminating fields.
public struct IRDecisionIndex: Sendable, Hashable {
    /// The global index of the order's venue field (a required symbol), or nil.
    public var venueField: Int?
    /// Per jurisdiction: the venue symbol ids for which it applies, sorted,
    /// when its `applies` is exactly a test of the venue against constants
    /// (the test is then not evaluated); nil when it is always a candidate.
    public var venues: [[Int]?] = []
    /// Per jurisdiction: which of its rules can fire.
    public var rules: [IRRuleIndex] = []
    /// Creates an empty index.
    public init() {}
}

/// The rule index of one jurisdiction: a table from the combination of the
/// values of some enum fields of the order, and of whether some optional
/// fields are present, to the rules that can fire.
public struct IRRuleIndex: Sendable, Hashable {
    /// Global field indices of the discriminating fields: required enums of
    /// the order (their case index), or optional fields of the order (0 when
    /// absent, 1 when present; see `presence`).
    public var fields: [Int] = []
    /// For each field: whether it discriminates by presence rather than by value.
    public var presence: [Bool] = []
    /// The number of cases of each field.
    public var radices: [Int] = []
    /// For each combination (mixed radix, the first field least significant):
    /// global rule indices in declaration order.
    public var candidates: [[Int]] = [[]]
    /// Creates a rule index.
    public init(fields: [Int] = [], presence: [Bool]? = nil, radices: [Int] = [], candidates: [[Int]] = [[]]) {
        self.fields = fields
        self.presence = presence ?? Array(repeating: false, count: fields.count)
        self.radices = radices
        self.candidates = candidates
    }
}
