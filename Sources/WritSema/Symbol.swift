/// What a name in an expression resolved to: the checker records one for
/// every identifier, field selection and call (`CheckedProgram.resolutions`).

import WritSyntax

/// The target of a resolved identifier, selection or call.
public enum Symbol: Hashable, Sendable {
    /// An input root: the record of the named schema (`order`).
    case input(schema: String)
    /// A field of a schema record (`order.price`).
    case field(schema: String, field: String)
    /// A column of a data table's row (`venues[order.venue].tick`).
    case column(table: String, column: String)
    /// A top-level constant.
    case constant(String)
    /// A limit of a jurisdiction.
    case limit(jurisdiction: String, name: String)
    /// A `set` declaration.
    case set(String)
    /// A `data` declaration.
    case data(String)
    /// An enumeration's name (as in `Side.short`).
    case enumType(String)
    /// A case of an enumeration.
    case enumCase(type: String, case: String)
    /// The variable of a macro (`x` in `l.all(x, p)`); `macro` is the call node.
    case macroVariable(name: String, macro: NodeID)
    /// A built-in function or macro (`size`, `rate`, `all`, …).
    case builtin(String)
    /// A cluster of the topology.
    case cluster(String)
    /// A region.
    case region(String)
    /// A replication tier.
    case tier(String)
    /// A data class.
    case dataClass(String)
    /// A jurisdiction.
    case jurisdiction(String)
    /// `cluster` inside a route: the candidate being filtered or ranked.
    case routeCandidate
    /// A property of a cluster or region (`cluster.latency`, `region.continent`).
    case platformField(String)
}
