import WritSema

/// The platform's run-time data (docs/platform.md, "At run time"): the
/// clusters, links and tiers of the topology, the routing policies and the
/// DR policy with their expressions compiled to small expression trees
/// (`IRPlatformNode`), and the order dimensions a route reads — each
/// `table[order.field]` lookup, its rows grouped into classes by the
/// columns the routes read — so that the engine precomputes a route for
/// every class combination on a platform event and reads it per order.

/// The platform section of a program (`PLAT`); nil when the program
/// declares no route and no DR policy.
public struct IRPlatform: Sendable, Hashable {
    /// Texts the expressions compare: cluster, jurisdiction, enum case and
    /// data cell names. A symbol value is an index into this list.
    public var strings: [String] = []
    /// The clusters, in declaration order.
    public var clusters: [IRCluster] = []
    /// The links (each pair once).
    public var links: [IRLink] = []
    /// The replication tiers, in declaration order.
    public var tiers: [IRTier] = []
    /// The order dimensions the routes read.
    public var dimensions: [IRRouteDimension] = []
    /// The routing policies, in declaration order.
    public var routes: [IRRoute] = []
    /// The DR policy, if declared.
    public var dr: IRDRPolicy?
    /// The expression nodes; an expression is the index of its root.
    public var nodes: [IRPlatformNode] = []
    /// Children of list nodes (node indices).
    public var listItems: [Int32] = []

    /// An empty platform.
    public init() {}

    /// The number of route table entries: the product of each dimension's class count plus one.
    public var combinationCount: Int { dimensions.reduce(1) { $0 * ($1.classCount + 1) } }
}

/// A cluster of the topology.
public struct IRCluster: Sendable, Hashable {
    /// The declared name (string index).
    public var name: Int
    /// The title (`nautilus-enterprise-us-east-1`), string index; -1 when none.
    public var title: Int
    /// The region's name, its continent, the provider and the role (string indices).
    public var region: Int
    /// The continent (a `Continent` case, string index).
    public var continent: Int
    /// The provider (a `Provider` case, string index).
    public var provider: Int
    /// The role (a `Role` case, string index).
    public var role: Int
    /// Jurisdictions served (string indices).
    public var jurisdictions: [Int]
    /// Compliance hubs (string indices).
    public var hubs: [Int]
    /// The capacity, or -1 when not declared.
    public var capacity: Int64
    /// Creates a cluster.
    public init(
        name: Int, title: Int, region: Int, continent: Int, provider: Int, role: Int, jurisdictions: [Int],
        hubs: [Int], capacity: Int64
    ) {
        self.name = name
        self.title = title
        self.region = region
        self.continent = continent
        self.provider = provider
        self.role = role
        self.jurisdictions = jurisdictions
        self.hubs = hubs
        self.capacity = capacity
    }
}

/// A link between two clusters (indices into `IRPlatform.clusters`).
public struct IRLink: Sendable, Hashable {
    /// The longest one-way latency a link may have (`CheckedLink.maxLatency`, one minute).
    public static let maxLatency = CheckedLink.maxLatency
    /// One end.
    public var a: Int
    /// The other end.
    public var b: Int
    /// One-way latency in nanoseconds.
    public var latency: Int64
    /// Creates a link.
    public init(a: Int, b: Int, latency: Int64) {
        self.a = a
        self.b = b
        self.latency = latency
    }
}

/// A replication tier.
public struct IRTier: Sendable, Hashable {
    /// The name (string index).
    public var name: Int
    /// Whether writes wait for every replica (`synchronous`): its data at risk is zero.
    public var synchronous: Bool
    /// The budget in nanoseconds.
    public var budget: Int64
    /// Creates a tier.
    public init(name: Int, synchronous: Bool, budget: Int64) {
        self.name = name
        self.synchronous = synchronous
        self.budget = budget
    }
}

/// One `table[order.field]` lookup read by the routes: the order's symbol
/// field, and the table's rows grouped into classes (1-based; class 0 is
/// "no row") by the values of the columns the routes read.
public struct IRRouteDimension: Sendable, Hashable {
    /// The table's name (for messages).
    public var table: String
    /// The order field holding the key (a symbol field of the order schema).
    public var field: String
    /// Keys of the table's rows, as texts, and the class of each.
    public var keys: [String]
    /// The class of each key (1…classCount).
    public var keyClass: [Int]
    /// The number of classes.
    public var classCount: Int
    /// The columns read (names).
    public var columns: [String]
    /// Per class (0-based, for class k+1) and column: the cell's node (a constant).
    public var cells: [[Int32]]
    /// Creates a dimension.
    public init(
        table: String, field: String, keys: [String], keyClass: [Int], classCount: Int, columns: [String],
        cells: [[Int32]]
    ) {
        self.table = table
        self.field = field
        self.keys = keys
        self.keyClass = keyClass
        self.classCount = classCount
        self.columns = columns
        self.cells = cells
    }
}

/// A routing policy with compiled expressions (node indices, -1 when absent).
public struct IRRoute: Sendable, Hashable {
    /// The name.
    public var name: String
    /// Which orders it routes (-1: all).
    public var applies: Int32
    /// The origin cluster (-1: none; latency is then unknown).
    public var origin: Int32
    /// Filters every candidate must pass.
    public var filters: [Int32]
    /// The compliance-hub filter (`E in cluster.hubs`) a fallback must pass, -1 when none.
    public var hubFilter: Int32
    /// Rank keys, most significant first.
    public var ranks: [Int32]
    /// Whether each rank key sorts descending.
    public var descending: [Bool]
    /// Fallback clusters, in order (cluster indices).
    public var fallback: [Int]
    /// The dimensions its expressions read.
    public var dimensions: [Int]
    /// Creates a route.
    public init(
        name: String, applies: Int32, origin: Int32, filters: [Int32], hubFilter: Int32, ranks: [Int32],
        descending: [Bool], fallback: [Int], dimensions: [Int]
    ) {
        self.name = name
        self.applies = applies
        self.origin = origin
        self.filters = filters
        self.hubFilter = hubFilter
        self.ranks = ranks
        self.descending = descending
        self.fallback = fallback
        self.dimensions = dimensions
    }
}

/// The DR policy.
public struct IRDRPolicy: Sendable, Hashable {
    /// The name.
    public var name: String
    /// Levels from the most to the least permissive.
    public var levels: [IRDRLevel]
    /// Creates a policy.
    public init(name: String, levels: [IRDRLevel]) {
        self.name = name
        self.levels = levels
    }
}

/// Capabilities of a DR level, as bits of `IRDRLevel.allows`.
public enum IRCapability: Int, Sendable, CaseIterable {
    /// `trading`, `compliance`, `reduce_only`, `cancels`, `analytics`, `reporting`, `replication`.
    case trading = 0, compliance, reduceOnly, cancels, analytics, reporting, replication
    /// The `Capability` case names, in bit order.
    public static let names = [
        "trading", "compliance", "reduce_only", "cancels", "analytics", "reporting", "replication",
    ]
}

/// A DR level.
public struct IRDRLevel: Sendable, Hashable {
    /// The name (`safe_mode`).
    public var name: String
    /// Capability bits (`IRCapability`).
    public var allows: UInt8
    /// The trigger's node, -1 for the first level.
    public var trigger: Int32
    /// Time its trigger must stay clear before the level is left, in nanoseconds.
    public var recoverAfter: Int64
    /// Creates a level.
    public init(name: String, allows: UInt8, trigger: Int32, recoverAfter: Int64) {
        self.name = name
        self.allows = allows
        self.trigger = trigger
        self.recoverAfter = recoverAfter
    }
}

/// What an expression node computes.
public enum IRPlatformOp: UInt8, Sendable, Hashable, CaseIterable, BitwiseCopyable {
    /// `value` is 0 or 1.
    case bool = 0
    /// A number (int or decimal) as a `Fixed` raw value in `value`; a percent as its fraction.
    case number
    /// A duration in nanoseconds in `value`.
    case duration
    /// A symbol: string index `a`.
    case symbol
    /// A list: `b` items from `listItems[a]`.
    case list
    /// Class cell of dimension `a`, column `b`.
    case dimension
    /// A field of the candidate cluster: `a` is an `IRClusterField`.
    case clusterField
    /// `!a`, `-a`.
    case not, negate
    /// Binary operators on `a` and `b`.
    case and, or, eq, ne, lt, le, gt, ge, isIn, add, subtract
    /// `a ? b : c`.
    case conditional
    /// `down(cluster a)`.
    case down
    /// `down_count`: clusters down whose role (`b` = 0) or continent (`b` = 1) is string `a`.
    case downCount
    /// `lag(tier a)`.
    case lag
    /// `security_incident()`, `regulatory_halt()`.
    case securityIncident, regulatoryHalt
}

/// The fields of a candidate cluster an expression reads.
public enum IRClusterField: Int32, Sendable, CaseIterable {
    /// `cluster.name`, … (`regionName` is `cluster.region` and `cluster.region.name`,
    /// `continent` is `cluster.region.continent`).
    case name = 0, regionName, continent, provider, role, jurisdiction, hubs, capacity, health, load, latency
}

/// One node of a compiled platform expression.
public struct IRPlatformNode: Sendable, Hashable, BitwiseCopyable {
    /// What it computes.
    public var op: IRPlatformOp
    /// First operand (a child node or an index, by `op`).
    public var a: Int32
    /// Second operand.
    public var b: Int32
    /// Third operand.
    public var c: Int32
    /// A constant's value.
    public var value: Int128
    /// Creates a node.
    public init(_ op: IRPlatformOp, a: Int32 = -1, b: Int32 = -1, c: Int32 = -1, value: Int128 = 0) {
        self.op = op
        self.a = a
        self.b = b
        self.c = c
        self.value = value
    }
}
