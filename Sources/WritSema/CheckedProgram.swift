/// The checked program: what the IR compiler lowers. Declarations with their
/// resolved types and folded values, the expressions they hold (still as
/// AST), and side tables keyed by `NodeID` for every expression node.

import WritSyntax
import WritValue

/// A whole program after checking. Arrays keep declaration order (files in
/// compilation order, declarations in source order).
public struct CheckedProgram: Sendable {
    /// Input schemas (`order`, `market`, …).
    public var schemas: [CheckedSchema] = []
    /// Enumerations: the declared ones, then the built-in ones the program refers to.
    public var enums: [CheckedEnum] = []
    /// `const` declarations with their folded values.
    public var consts: [CheckedConstant] = []
    /// `set` declarations with their values.
    public var sets: [CheckedSet] = []
    /// `data` declarations.
    public var data: [CheckedData] = []
    /// Jurisdictions with limits and rules.
    public var jurisdictions: [CheckedJurisdiction] = []
    /// Regions of the topology.
    public var regions: [CheckedRegion] = []
    /// Clusters of the topology.
    public var clusters: [CheckedCluster] = []
    /// Links between clusters (each pair once).
    public var links: [CheckedLink] = []
    /// Routing policies.
    public var routes: [CheckedRoute] = []
    /// Replication tiers.
    public var tiers: [CheckedTier] = []
    /// Data classes.
    public var dataClasses: [CheckedDataClass] = []
    /// The DR policy, if one is declared.
    public var dr: CheckedDRPolicy?
    /// Reports.
    public var reports: [CheckedReport] = []
    /// Tests.
    public var tests: [CheckedTest] = []
    /// One slot per distinct stateful call (by structure), in order of first use.
    public var stateSlots: [StateSlot] = []
    /// The state slot of each stateful call node.
    public var slotOfCall: [NodeID: Int] = [:]

    /// The type of every checked expression node (after implicit conversion
    /// of constants: a string literal used as a symbol has type `symbol`).
    public var types: [NodeID: WType] = [:]
    /// What each identifier, selection and call resolved to.
    public var resolutions: [NodeID: Symbol] = [:]
    /// The value of every node that folds to a constant.
    public var constants: [NodeID: Value] = [:]
    /// Non-constant nodes whose value the context converts implicitly
    /// (an `int` expression where a `decimal` is required): node → target type.
    public var conversions: [NodeID: WType] = [:]

    /// Creates an empty program.
    public init() {}

    /// The schema with this name.
    public func schema(_ name: String) -> CheckedSchema? { schemas.first { $0.name == name } }
    /// The jurisdiction with this name.
    public func jurisdiction(_ name: String) -> CheckedJurisdiction? { jurisdictions.first { $0.name == name } }
    /// The rule with this id.
    public func rule(_ id: RuleID) -> CheckedRule? {
        jurisdiction(id.jurisdiction)?.rules.first { $0.name == id.rule }
    }
    /// The data declaration with this name.
    public func dataDecl(_ name: String) -> CheckedData? { data.first { $0.name == name } }
    /// The cluster with this name.
    public func cluster(_ name: String) -> CheckedCluster? { clusters.first { $0.name == name } }
    /// The enumeration with this name (declared, or built in and used).
    public func enumeration(_ name: String) -> CheckedEnum? { enums.first { $0.name == name } }
    /// The position of a case in its enumeration (the engine's encoding of it).
    public func caseIndex(_ type: String, _ name: String) -> Int? { enumeration(type)?.cases.firstIndex(of: name) }
    /// The type of a checked expression (`.error` if it was never checked).
    public func type(of e: Expr) -> WType { types[e.id] ?? .error }
}

// MARK: - Inputs and types

/// A schema: the fields of one input record.
public struct CheckedSchema: Sendable, Hashable {
    /// The schema's name, which is also the input root (`order`).
    public var name: String
    /// Fields in declaration order.
    public var fields: [CheckedField]
    /// The declaration.
    public var span: Span
    /// The field with this name.
    public func field(_ name: String) -> CheckedField? { fields.first { $0.name == name } }
}

/// A field of a schema or a column of a data table.
public struct CheckedField: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The value type (never `.optional`: see `isOptional`).
    public var type: WType
    /// Whether the value may be absent (`T?`).
    public var isOptional: Bool
    /// For `money(currency)`: the sibling field that holds the currency.
    public var currencyField: String?
    /// The derived default, computed when an event arrives without the field;
    /// its bare names are sibling fields (resolved to `Symbol.field`).
    public var defaultValue: Expr?
    /// The declaration.
    public var span: Span
}

/// An enumeration.
public struct CheckedEnum: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// Its cases in order (the engine numbers them from 0).
    public var cases: [String]
    /// Whether the language defines it (`Side` is declared; `Role` is built in).
    public var isBuiltin: Bool
    /// The declaration (`Span.unknown` for a built-in enum).
    public var span: Span
}

/// A `const` with its folded value.
public struct CheckedConstant: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The type (the declared one, or the value's).
    public var type: WType
    /// The value.
    public var value: Value
    /// The declaration.
    public var span: Span
}

/// A `set` with its values.
public struct CheckedSet: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The element type.
    public var elementType: WType
    /// Distinct values in declaration order.
    public var values: [Value]
    /// The declaration.
    public var span: Span
}

/// A `data` declaration.
public struct CheckedData: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The type of the name in expressions (`table(name)` for a CSV table).
    public var type: WType
    /// Where the values come from.
    public var source: CheckedDataSource
    /// The declaration.
    public var span: Span
    /// For bound data: the value until the host binds one (`= […]`), nil
    /// when the declaration has none (reading it unbound fails closed).
    public var boundDefault: Value? = nil
}

/// The values of a data declaration.
public enum CheckedDataSource: Sendable, Hashable {
    /// A table read from a CSV file at build time.
    case table(CheckedTable)
    /// Supplied by the host at run time under this binding name.
    case bound(binding: String)
    /// A literal folded at build time.
    case literal(Value)
}

/// A keyed table read from a CSV file, or bound by the host at run time.
public struct CheckedTable: Sendable, Hashable {
    /// The path as written (empty for a bound table).
    public var path: String
    /// Columns in declaration order.
    public var columns: [CheckedField]
    /// The (first) key column's index in `columns`.
    public var keyIndex: Int
    /// Rows in file order; each has one value per column (`null` for an empty optional cell).
    public var rows: [[Value]]
    /// The key columns' indices in `columns`: one, or several for a
    /// composite key `key (account, symbol)` (all symbols).
    public var keyIndices: [Int] = []
    /// For a table the host binds at run time: the binding name.
    public var binding: String? = nil
    /// For a bound table: whether it is declared empty until bound (`= []`).
    public var boundEmptyDefault = false
    /// The key column (the first one of a composite key).
    public var keyColumn: CheckedField { columns[keyIndex] }
    /// Whether the key is a tuple of columns.
    public var isComposite: Bool { keyIndices.count > 1 }
    /// The type of a key: the key column's, or a tuple of symbols.
    public var keyType: WType { isComposite ? .tuple(keyIndices.map { _ in .symbol }) : keyColumn.type }
    /// The key of `row`: its key cell, or for a composite key the symbol
    /// whose text is the key cells' texts joined by U+001F (as a tuple
    /// `(a, b)` is at run time).
    public func key(of row: [Value]) -> Value {
        guard isComposite else { return row[keyIndex] }
        return .symbol(CheckedTable.compositeText(keyIndices.map { row[$0] }))
    }
    /// The text of a composite key of symbols: the parts joined by U+001F.
    public static func compositeText(_ parts: [Value]) -> String {
        parts.map { v -> String in
            if case .symbol(let t) = v { return t }
            if case .string(let t) = v { return t }
            return "\(v)"
        }.joined(separator: "\u{1F}")
    }
}

// MARK: - Jurisdictions

/// A jurisdiction: when it applies, its limits and its rules.
public struct CheckedJurisdiction: Sendable, Hashable {
    /// The name (`EU`).
    public var name: String
    /// The title (`"MiFID II"`).
    public var title: String?
    /// The `applies when` condition (nil only if it was missing, an error).
    public var applies: Expr?
    /// Limits with their folded values.
    public var limits: [CheckedLimit]
    /// The declared cost budget per order, in instructions.
    public var budget: Int?
    /// Rules in declaration order.
    public var rules: [CheckedRule]
    /// The declaration.
    public var span: Span
}

/// A limit of a jurisdiction.
public struct CheckedLimit: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The type.
    public var type: WType
    /// The folded value.
    public var value: Value
    /// The declaration.
    public var span: Span
}

/// Identifies a rule across the program: `EU.price_collar`.
public struct RuleID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The jurisdiction's name.
    public var jurisdiction: String
    /// The rule's name.
    public var rule: String
    /// Creates an id.
    public init(jurisdiction: String, rule: String) {
        self.jurisdiction = jurisdiction
        self.rule = rule
    }
    /// `EU.price_collar`.
    public var description: String { "\(jurisdiction).\(rule)" }
    /// Orders by jurisdiction, then rule name.
    public static func < (a: RuleID, b: RuleID) -> Bool { (a.jurisdiction, a.rule) < (b.jurisdiction, b.rule) }
}

/// A rule.
public struct CheckedRule: Sendable, Hashable {
    /// Its id.
    public var id: RuleID
    /// The rule's own name.
    public var name: String { id.rule }
    /// What happens when it fires.
    public var severity: RuleSeverity
    /// The message given with the decision.
    public var message: String
    /// The citation of the regulation.
    public var citation: String?
    /// The FIX OrdRejReason (tag 103) a reject by this rule carries (`code N`), if given.
    public var code: Int? = nil
    /// The condition under which it fires.
    public var condition: Expr
    /// The declaration.
    public var span: Span
}

// MARK: - Platform

/// A region of the topology.
public struct CheckedRegion: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The title.
    public var title: String?
    /// A case of the built-in enum `Continent`.
    public var continent: String
    /// The declaration.
    public var span: Span
}

/// A cluster of the topology.
public struct CheckedCluster: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The title.
    public var title: String?
    /// Its region.
    public var region: String
    /// A case of `Provider`.
    public var provider: String
    /// A case of `Role`.
    public var role: String
    /// Jurisdictions it serves.
    public var jurisdictions: [String]
    /// Jurisdictions whose compliance hub it is.
    public var hubs: [String]
    /// Its capacity, if declared.
    public var capacity: Int64?
    /// The declaration.
    public var span: Span
}

/// A network link between two clusters (symmetric).
public struct CheckedLink: Sendable, Hashable {
    /// The longest one-way latency a link may have: one minute. Any real
    /// link is far below it, and sums of such latencies along any path of
    /// any platform fit an `Int64` of nanoseconds many times over.
    public static let maxLatency: Int64 = 60_000_000_000
    /// One end.
    public var from: String
    /// The other end.
    public var to: String
    /// One-way latency in nanoseconds.
    public var latency: Int64
    /// The declaration.
    public var span: Span
}

/// One `rank` key of a route.
public struct CheckedRank: Sendable, Hashable {
    /// The key, evaluated per candidate.
    public var key: Expr
    /// The key's type (orderable).
    public var type: WType
    /// Ascending or descending.
    public var direction: RankDirection
}

/// A routing policy.
public struct CheckedRoute: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The title.
    public var title: String?
    /// Which orders it routes (all when nil).
    public var applies: Expr?
    /// The order's origin cluster (a cluster or a symbol naming one), if declared.
    public var origin: Expr?
    /// Conditions every candidate must meet.
    public var filters: [Expr]
    /// Keys to order the remaining candidates by, most significant first.
    public var ranks: [CheckedRank]
    /// Clusters to try, in order, when no candidate remains.
    public var fallback: [String]
    /// The declaration.
    public var span: Span
}

/// A replication tier.
public struct CheckedTier: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The title.
    public var title: String?
    /// The replication latency budget in nanoseconds.
    public var budget: Int64
    /// A case of `Strategy`.
    public var strategy: String
    /// Replica clusters.
    public var replicas: [String]
    /// For the quorum strategy: how many replicas must acknowledge.
    public var quorum: Int64?
    /// For multi-master: a case of `Conflict`.
    public var conflict: String?
    /// The declaration.
    public var span: Span
}

/// A data class.
public struct CheckedDataClass: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The title.
    public var title: String?
    /// Its tier.
    public var tier: String
    /// Jurisdictions the data must stay in (empty: no constraint).
    public var residency: [String]
    /// The declaration.
    public var span: Span
}

/// The DR policy: ordered levels.
public struct CheckedDRPolicy: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The title.
    public var title: String?
    /// Levels from the most permissive to the most restrictive.
    public var levels: [CheckedLevel]
    /// People notified on any level change.
    public var notify: [String]
    /// Default time a trigger must stay false before the level is left, in nanoseconds.
    public var recoverAfter: Int64?
    /// The declaration.
    public var span: Span
}

/// A DR level.
public struct CheckedLevel: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The title.
    public var title: String?
    /// Cases of `Capability` this level allows.
    public var allows: [String]
    /// When the level is entered (nil for the first level).
    public var trigger: Expr?
    /// Hysteresis in nanoseconds.
    public var recoverAfter: Int64?
    /// Who is told when the level is entered.
    public var notify: [String]
    /// The declaration.
    public var span: Span
}

// MARK: - Reports and tests

/// A report.
public struct CheckedReport: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The title.
    public var title: String?
    /// The regulator's identifier.
    public var regulator: String
    /// A case of `Event`: which events feed the report.
    public var event: String
    /// The record the event carries (a schema name, or `decision`).
    public var eventRecord: String
    /// Which events are included (all when nil).
    public var select: Expr?
    /// A case of `Format`.
    public var format: String
    /// The schema the output must validate against.
    public var schema: String?
    /// When the report is produced.
    public var schedule: String?
    /// Fields in order.
    public var fields: [CheckedReportField]
    /// The declaration.
    public var span: Span
}

/// A field of a report.
public struct CheckedReportField: Sendable, Hashable {
    /// The target name (`TxId`).
    public var name: String
    /// The value's type.
    public var type: WType
    /// The value.
    public var value: Expr
    /// The declaration.
    public var span: Span
}

/// A test.
public struct CheckedTest: Sendable, Hashable {
    /// Its title.
    public var name: String
    /// Events and expectations in order.
    public var steps: [CheckedTestStep]
    /// The declaration.
    public var span: Span
}

/// One step of a test.
public enum CheckedTestStep: Sendable, Hashable {
    /// An input event.
    case given(CheckedGiven)
    /// Run-time data bound from here on.
    case bind(CheckedBind)
    /// The expected decision of the event before.
    case expect(CheckedExpect)
}

/// `given bound name = […]`: the list the host binds under `binding`.
public struct CheckedBind: Sendable, Hashable {
    /// The binding name (`data … bound "binding"`).
    public var binding: String
    /// The texts of the list's elements.
    public var values: [String]
    /// The construct.
    public var span: Span
    /// For a bound table: its column names, in declaration order (empty for a list).
    public var columns: [String] = []
    /// For a bound table: each row's cell texts, one per column.
    public var rows: [[String]] = []
}

/// An input event of a test.
public struct CheckedGiven: Sendable, Hashable {
    /// The schema of the event.
    public var kind: String
    /// Field values in the order written.
    public var values: [CheckedTestValue]
    /// How many times the event is fed.
    public var repeatCount: Int
    /// The declaration.
    public var span: Span
}

/// A field value of a test event.
public struct CheckedTestValue: Sendable, Hashable {
    /// The field.
    public var field: String
    /// Its value (of the field's type).
    public var value: Value
    /// The property.
    public var span: Span
}

/// A test's verdict.
public enum TestVerdict: String, Sendable, Hashable, CaseIterable {
    /// No rule rejected or held the order.
    case allow
    /// A hold rule fired and no reject rule.
    case hold
    /// A reject rule fired.
    case reject
}

/// An expectation of a test.
public struct CheckedExpect: Sendable, Hashable {
    /// The expected verdict.
    public var verdict: TestVerdict
    /// The rules expected to fire, or nil when not checked.
    public var rules: [RuleID]?
    /// The declaration.
    public var span: Span
}

// MARK: - State and cost

/// The kinds of stateful built-ins.
public enum StateSlotKind: String, Sendable, Hashable, CaseIterable {
    /// `rate(key, window)`: messages for the key in the window.
    case rate
    /// `window_sum(amount, key, window)`: sum of amounts for the key in the window.
    case windowSum = "window_sum"
    /// `executions(key, window)`: fills for the key in the window.
    case executions
    /// `position(account, instrument)`: signed net quantity.
    case position
    /// `otr(key, window)`: orders and modifies per execution.
    case otr
    /// `killed(scope, key)`: whether a kill switch is set.
    case killed
    /// `duplicate(id)`: whether the id was seen today.
    case duplicate
    /// `latch(cond, key[, until])`: on for a key from the order whose
    /// condition held until a person resets it or until a time.
    case latch
    /// `open_sum(amount, key)`: the amounts of the key's live orders, net of fills.
    case openSum = "open_sum"
    /// `window_max(market.f, window)`: the highest value of a market field
    /// over the window, per market record.
    case windowMax = "window_max"
    /// `window_min(market.f, window)`: the lowest.
    case windowMin = "window_min"
}

/// A piece of engine state: one per distinct stateful call in the program.
public struct StateSlot: Sendable, Hashable {
    /// Its index in `CheckedProgram.stateSlots`.
    public var index: Int
    /// What it counts.
    public var kind: StateSlotKind
    /// The key expression (the account for `position`; the id for `duplicate`).
    public var key: Expr
    /// The second key (`position`'s instrument).
    public var secondKey: Expr?
    /// The summed amount (`window_sum`).
    public var amount: Expr?
    /// The window in nanoseconds, for windowed kinds.
    public var window: Int64?
    /// The scope, a case of `KillScope`, for `killed`; the `Until` case for `latch`.
    public var scope: String?
    /// The condition that trips a `latch`.
    public var condition: Expr?
    /// The rule a `latch` belongs to (a person resets it by the rule's name).
    public var owner: RuleID?
    /// The type of the value the slot yields.
    public var type: WType
    /// Every call node that uses it.
    public var sites: [NodeID]
}

/// The worst-case cost of one jurisdiction per order.
public struct JurisdictionCost: Sendable {
    /// The jurisdiction.
    public var name: String
    /// The cost of `applies` plus all rule conditions, in instructions.
    public var cost: Int
    /// The declared budget.
    public var budget: Int?
    /// The cost of each rule's condition, in declaration order.
    public var perRule: [(rule: String, cost: Int)]
    /// Creates a cost record.
    public init(name: String, cost: Int, budget: Int?, perRule: [(rule: String, cost: Int)]) {
        self.name = name
        self.cost = cost
        self.budget = budget
        self.perRule = perRule
    }
}
