/// The enumerations the language defines: platform vocabularies (`Role`,
/// `Strategy`, …), report vocabularies (`Event`, `Format`) and `KillScope`.

/// A built-in enumeration.
struct BuiltinEnum {
    let name: String
    let cases: [String]
}

/// The built-in enumerations and the fields of built-in records.
enum BuiltinEnums {
    static let continent = BuiltinEnum(name: "Continent", cases: ["americas", "emea", "apac", "global"])
    static let provider = BuiltinEnum(name: "Provider", cases: ["aws", "gcp", "azure"])
    static let role = BuiltinEnum(name: "Role", cases: ["primary", "regional", "dr", "edge", "analytics"])
    static let health = BuiltinEnum(name: "Health", cases: ["up", "degraded", "down"])
    static let strategy = BuiltinEnum(
        name: "Strategy", cases: ["synchronous", "asynchronous", "leader_follower", "multi_master", "quorum"])
    static let conflict = BuiltinEnum(name: "Conflict", cases: ["last_writer_wins", "highest_sequence", "reject"])
    static let capability = BuiltinEnum(
        name: "Capability",
        cases: ["trading", "compliance", "reduce_only", "cancels", "analytics", "reporting", "replication"])
    static let event = BuiltinEnum(name: "Event", cases: ["order", "decision", "fill", "cancel"])
    static let format = BuiltinEnum(name: "Format", cases: ["xml", "json", "csv"])
    static let killScope = BuiltinEnum(name: "KillScope", cases: ["venue", "trader", "desk", "client", "algo"])
    static let verdict = BuiltinEnum(name: "Verdict", cases: ["allow", "hold", "reject"])
    /// How long a `latch` stays on: until a person resets it (`reset`), to the
    /// end of the UTC day it tripped (`end_of_day`), or of the next (`next_day`).
    static let until = BuiltinEnum(name: "Until", cases: ["reset", "end_of_day", "next_day"])

    static let all = [
        continent, provider, role, health, strategy, conflict, capability, event, format, killScope, verdict, until,
    ]

    static func named(_ n: String) -> BuiltinEnum? { all.first { $0.name == n } }

    /// Fields of a cluster value (`cluster.latency` in a route).
    static let clusterFields: [(String, WType)] = [
        ("name", .symbol), ("region", .region), ("provider", .enumeration("Provider")),
        ("role", .enumeration("Role")), ("jurisdiction", .list(.jurisdiction)), ("hubs", .list(.jurisdiction)),
        ("capacity", .int), ("health", .enumeration("Health")), ("load", .percent), ("latency", .duration),
    ]

    /// Fields of a region value.
    static let regionFields: [(String, WType)] = [("name", .symbol), ("continent", .enumeration("Continent"))]

    /// The record of a `decision` event (for reports on decisions), unless a
    /// schema named `decision` is declared.
    static func decisionFields(hasOrder: Bool) -> [(String, WType)] {
        var f: [(String, WType)] = [
            ("verdict", .enumeration("Verdict")), ("rules", .list(.symbol)), ("jurisdictions", .list(.symbol)),
            ("at", .timestamp), ("route", .symbol), ("level", .symbol),
        ]
        if hasOrder { f.append(("order", .record("order"))) }
        return f
    }

    /// Names of the primitive types as written in declarations.
    static let primitiveTypes: [String: WType] = [
        "bool": .bool, "int": .int, "decimal": .decimal, "string": .string, "symbol": .symbol,
        "percent": .percent, "duration": .duration, "timestamp": .timestamp, "timeofday": .timeOfDay(zone: "UTC"),
        "currency": .currency,
    ]
}
