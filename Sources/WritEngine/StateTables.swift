/// The engine's state (docs/engine-semantics.md, "State"): one table per
/// state slot, the kill switches, live orders and market records, all of
/// fixed capacity chosen at load. Keys are symbol ids (retained while an
/// entry holds them); a full table makes the operation that needed a new
/// entry fail closed.

import CMallocInfo

/// Capacities of the state tables, fixed when an engine is created.
public struct EngineConfiguration: Sendable, Hashable {
    /// Keys per state slot (per distinct `rate`, `window_sum`, … call).
    public var keysPerSlot: Int
    /// Live orders.
    public var liveOrders: Int
    /// Ids remembered per `duplicate` slot (the ids of the day).
    public var idsPerDay: Int
    /// Market records, one per (symbol, venue).
    public var marketRecords: Int
    /// Kill switches in force.
    public var killSwitches: Int
    /// Run-time symbols (texts not in the bundle: ids, accounts, …).
    public var runtimeSymbols: Int
    /// Rows a bound table keeps free for `set` controls that add a row: a
    /// table bound with N rows holds at most N + this many (docs/engine-semantics.md).
    public var boundTableSpareRows: Int
    /// Orders no longer live whose fills still count (cancelled or filled:
    /// an execution that races a cancel still moves the position); when
    /// full, the order closed first is forgotten first. 0 keeps none.
    public var closedOrders: Int

    /// Creates capacities; the defaults match the oracle's (docs/ir.md).
    public init(
        keysPerSlot: Int = 65_536, liveOrders: Int = 1_048_576, idsPerDay: Int = 1_048_576,
        marketRecords: Int = 65_536, killSwitches: Int = 4_096, runtimeSymbols: Int = 4_194_304,
        boundTableSpareRows: Int = 4_096, closedOrders: Int = 262_144
    ) {
        self.keysPerSlot = keysPerSlot
        self.liveOrders = liveOrders
        self.idsPerDay = idsPerDay
        self.marketRecords = marketRecords
        self.killSwitches = killSwitches
        self.runtimeSymbols = runtimeSymbols
        self.boundTableSpareRows = boundTableSpareRows
        self.closedOrders = closedOrders
    }
}

/// One entry of a state slot's table. Its fields mean, by kind:
/// rate and executions: `start` of the window, `count`;
/// window_sum: `start`, `sum`; otr: `start`, `count` (orders), `other` (fills);
/// position: `sum`; duplicate: `start` of the day last seen; kill switches: nothing;
/// latch: `start` is the time it ends (`Int64.max` until a person resets it);
/// open_sum: `sum` of the live orders' contributions, `count` of those orders.
struct SlotEntry: BitwiseCopyable {
    var sum: Int128 = 0
    var start: Int64 = 0
    var count: Int64 = 0
    var other: Int64 = 0
}

/// What one live order adds to one `open_sum` slot: its amount when it was
/// accepted, its current contribution (the amount × the unfilled share),
/// the table key (key and currency) it is under; `used` 0 for none.
struct OpenEntry: BitwiseCopyable {
    var amount: Int128 = 0
    var contribution: Int128 = 0
    var key: UInt64 = 0
    var used: UInt8 = 0
}

/// Key of a table entry: two 32-bit parts.
@inline(__always)
func stateKey(_ a: Int128, _ b: Int128 = 0) -> UInt64 {
    UInt64(truncatingIfNeeded: a) & 0xFFFF_FFFF | UInt64(truncatingIfNeeded: b) << 32
}

/// Records of one schema kept by key (live orders, market records): the
/// frame slots and presence bytes of the schema, copied in and out.
struct RecordStore {
    private(set) var index: OpenTable<Int32>
    let slots: RawBuffer<Int128>
    let presence: RawBuffer<UInt8>
    /// Per record: quantity filled (live orders).
    let filled: RawBuffer<Int128>
    let slotCount: Int
    let fieldCount: Int
    private let freeList: RawBuffer<Int32>
    private var freeCount: Int

    init(capacity: Int, slotCount: Int, fieldCount: Int) {
        index = OpenTable(capacity: capacity)
        slots = RawBuffer(zeroed: capacity * Swift.max(1, slotCount))
        presence = RawBuffer(zeroed: capacity * Swift.max(1, fieldCount))
        filled = RawBuffer(zeroed: capacity)
        self.slotCount = slotCount
        self.fieldCount = fieldCount
        freeList = RawBuffer(zeroed: capacity)
        for i in 0..<capacity { freeList[i] = Int32(capacity - 1 - i) }
        freeCount = capacity
    }

    /// Populates the store's pages (see `RawBuffer.prefault`); the bytes populated.
    func prefault() -> Int {
        index.prefault() + slots.prefault() + presence.prefault() + filled.prefault() + freeList.prefault()
    }

    func free() {
        index.free()
        slots.free()
        presence.free()
        filled.free()
        freeList.free()
    }

    var count: Int { index.count }
    var isFull: Bool { index.isFull }

    /// Starts loading where a lookup of `key` begins (see `OpenTable.prefetch`).
    @inline(__always)
    func prefetch(_ key: UInt64) { index.prefetch(key) }

    /// Starts loading record `r`'s slots and presence bytes.
    @inline(__always)
    func prefetchRecord(_ r: Int) {
        let p = UnsafeRawPointer(slotBase(r))
        var offset = 0
        while offset < slotCount * MemoryLayout<Int128>.stride {
            writ_prefetch(p + offset)
            offset += 64
        }
        writ_prefetch(UnsafeRawPointer(presenceBase(r)))
    }

    /// The record number of `key`, if kept.
    @inline(__always)
    func find(_ key: UInt64) -> Int? {
        guard let s = index.find(key) else { return nil }
        return Int(index.value(s))
    }

    /// The index slot of `key`, if kept: valid until the next `add` or
    /// `remove` (see `record(at:)`, `remove(at:)`).
    @inline(__always)
    func slot(of key: UInt64) -> Int? { index.find(key) }

    /// The record number in index slot `s`.
    @inline(__always)
    func record(at s: Int) -> Int { Int(index.value(s)) }

    /// A new record for `key` (which must be absent); nil when full.
    mutating func add(_ key: UInt64) -> Int? {
        guard freeCount > 0, let (s, added) = index.insert(key), added else { return nil }
        freeCount -= 1
        let r = freeList[freeCount]
        index.valuePointer(s).pointee = r
        filled[Int(r)] = 0
        return Int(r)
    }

    /// Forgets `key`; returns its record number (still readable until reused).
    mutating func remove(_ key: UInt64) -> Int? {
        guard let s = index.find(key) else { return nil }
        return remove(at: s)
    }

    /// Forgets the record in index slot `s` (from `slot(of:)`, with no
    /// `add` or `remove` since); returns its record number.
    @discardableResult
    mutating func remove(at s: Int) -> Int {
        let r = index.value(s)
        index.remove(slot: s)
        freeList[freeCount] = r
        freeCount += 1
        return Int(r)
    }

    /// Slots of record `r`.
    @inline(__always)
    func slotBase(_ r: Int) -> UnsafeMutablePointer<Int128> { slots.base + r * slotCount }
    /// Presence bytes of record `r`.
    @inline(__always)
    func presenceBase(_ r: Int) -> UnsafeMutablePointer<UInt8> { presence.base + r * fieldCount }

    /// Every (key, record) pair (for snapshots).
    func all() -> [(key: UInt64, record: Int)] {
        var out: [(key: UInt64, record: Int)] = []
        for s in 0..<index.slotCount where index.occupied(s) { out.append((index.key(at: s), Int(index.value(s)))) }
        return out
    }

    /// Empties the store.
    mutating func clear() {
        index.clear()
        let capacity = index.capacity
        for i in 0..<capacity { freeList[i] = Int32(capacity - 1 - i) }
        freeCount = capacity
    }
}
