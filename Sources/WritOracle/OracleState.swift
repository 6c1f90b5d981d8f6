/// The oracle's state: plain dictionaries, one per state slot, plus live
/// orders, market records and kill switches. Every table has a capacity
/// (docs/engine-semantics.md, "Bounded memory"); see `TableRoom` for what
/// "full" means here.

import WritValue

/// How many entries each table may hold (fixed at load, as in the engine).
public struct OracleCapacities: Sendable, Hashable {
    /// Keys per state slot (per `rate`, `window_sum`, … call).
    public var keysPerSlot: Int
    /// Live orders.
    public var liveOrders: Int
    /// Ids remembered per `duplicate` slot (the ids of the day).
    public var idsPerDay: Int
    /// Market records, one per (symbol, venue).
    public var marketRecords: Int
    /// Kill switches in force.
    public var killSwitches: Int
    /// Rows a bound table keeps free for `set` controls that add a row.
    public var boundTableSpareRows: Int
    /// Orders no longer live whose fills still count (the one closed first
    /// is forgotten first); 0 keeps none.
    public var closedOrders: Int

    /// Creates capacities; the defaults are far above what a test stream needs.
    public init(
        keysPerSlot: Int = 65_536, liveOrders: Int = 1_048_576, idsPerDay: Int = 1_048_576,
        marketRecords: Int = 65_536, killSwitches: Int = 4_096, boundTableSpareRows: Int = 4_096,
        closedOrders: Int = 262_144
    ) {
        self.keysPerSlot = keysPerSlot
        self.liveOrders = liveOrders
        self.idsPerDay = idsPerDay
        self.marketRecords = marketRecords
        self.killSwitches = killSwitches
        self.boundTableSpareRows = boundTableSpareRows
        self.closedOrders = closedOrders
    }
}

/// The key of a state table entry: the key values as text (symbols by value).
struct StateKey: Hashable {
    var parts: [String]
    init(_ parts: String...) { self.parts = parts }
    init(parts: [String]) { self.parts = parts }
}

/// A counter in a tumbling window.
struct WindowCount {
    /// Start of the window the count belongs to (ns since the epoch).
    var start: Int64
    var count: Int64
}

/// A sum in a tumbling window.
struct WindowSum {
    var start: Int64
    /// An int, decimal or money value.
    var sum: RuntimeValue
}

/// The two counters of an order-to-trade ratio, in one window.
struct OTRCount {
    var start: Int64
    /// Accepted `new` and `modify` messages.
    var orders: Int64
    /// Fills.
    var fills: Int64
}

/// A live order: its record as last accepted and what has been filled.
struct LiveOrder {
    var record: Record
    var filled: Fixed
    /// Per `open_sum` slot, what the order adds to it.
    var open: [Int: OpenShare] = [:]
}

/// Everything the oracle remembers between events.
struct OracleState {
    /// `rate` slots: slot index → key → messages in the key's window.
    var rate: [Int: [StateKey: WindowCount]] = [:]
    /// `window_sum` slots: slot index → key (+ currency) → sum of accepted amounts.
    var windowSum: [Int: [StateKey: WindowSum]] = [:]
    /// `executions` slots: fills per key.
    var executions: [Int: [StateKey: WindowCount]] = [:]
    /// `otr` slots.
    var otr: [Int: [StateKey: OTRCount]] = [:]
    /// `position` slots: signed net filled quantity per (account, instrument).
    var position: [Int: [StateKey: Fixed]] = [:]
    /// `duplicate` slots: id → start of the UTC day it was last seen in.
    var seenIDs: [Int: [StateKey: Int64]] = [:]
    /// Kill switches in force: (scope, key).
    var kills: Set<StateKey> = []
    /// The `exec_id`s of the fills applied → start of the UTC day each was last applied in.
    var execIDs: [StateKey: Int64] = [:]
    /// `latch` slots: slot index → key → the time the latch ends
    /// (`Int64.max`: until a person resets it).
    var latches: [Int: [StateKey: Int64]] = [:]
    /// `open_sum` slots: slot index → key (+ currency) → the live orders' contributions.
    var openSum: [Int: [StateKey: OpenTotal]] = [:]
    /// `window_max` and `window_min` slots: slot index → market record
    /// (symbol, venue) → the values its field took.
    var histories: [Int: [StateKey: FieldHistory]] = [:]
    /// Live orders by id.
    var live: [String: LiveOrder] = [:]
    /// Orders no longer live (cancelled, or filled), by id: a fill of one
    /// still counts. `closedOrder[closedHead...]` holds their ids in the
    /// order they were first closed (the next to be forgotten first).
    var closed: [String: LiveOrder] = [:]
    var closedOrder: [String] = []
    var closedHead = 0
    /// Market records by (symbol, venue).
    var market: [StateKey: Record] = [:]
}

/// Whether a table has room for a new key.
///
/// INTERPRETATION (Q7, bounded memory): an entry whose window ended before
/// the window of the current event holds nothing the current event can
/// read, so it is reclaimed when — and only when — the table is at its
/// capacity. A table that is still full afterwards has no room: the update
/// that needed a new entry is not made, and reading a key that has no entry
/// in a full table is the error `state table full` (the key may have lost
/// updates, so the value cannot be trusted: fail closed).
enum TableRoom {
    /// Room in `table` (reclaiming entries that are not `current`).
    static func has<V>(_ table: inout [StateKey: V], capacity: Int, current: (V) -> Bool) -> Bool {
        if table.count < capacity { return true }
        table = table.filter { current($0.value) }
        return table.count < capacity
    }

    /// Room in a table whose entries never expire.
    static func has<V>(_ table: [StateKey: V], capacity: Int) -> Bool { table.count < capacity }
}
