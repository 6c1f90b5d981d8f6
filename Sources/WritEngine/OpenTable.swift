/// A fixed-capacity hash table from 64-bit keys to trivial values, with
/// linear probing in a power-of-two slot array at most half full. A slot
/// holds its key and value side by side, so a lookup that hits touches one
/// cache line. It never grows: `insert` fails when `count == capacity` (the
/// caller fails closed). All-zero memory is an empty table.

import CMallocInfo

/// One slot: the key plus one (0 marks an empty slot) and the value.
struct TableSlot<Value: BitwiseCopyable>: BitwiseCopyable {
    var key: UInt64
    var value: Value
}

/// An open-addressing table.
struct OpenTable<Value: BitwiseCopyable>: BitwiseCopyable {
    let slots: RawBuffer<TableSlot<Value>>
    let mask: Int
    /// The most entries it may hold.
    let capacity: Int
    /// Entries held.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        var size = 16
        while size < capacity * 2 { size *= 2 }
        mask = size - 1
        slots = RawBuffer(zeroed: size)
    }

    func free() { slots.free() }

    /// Populates the table's pages (see `RawBuffer.prefault`); the bytes populated.
    func prefault() -> Int { slots.prefault() }

    /// The number of slots.
    var slotCount: Int { mask + 1 }
    /// Whether no new key fits.
    var isFull: Bool { count >= capacity }

    @inline(__always)
    static func home(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: TextHash.mix(key)) & mask }

    /// Whether slot `s` holds an entry.
    @inline(__always)
    func occupied(_ s: Int) -> Bool { slots.base[s].key != 0 }

    /// The value in slot `s`.
    @inline(__always)
    func value(_ s: Int) -> Value { slots.base[s].value }

    /// A pointer to the value in slot `s` (valid until the next insertion or removal).
    @inline(__always)
    func valuePointer(_ s: Int) -> UnsafeMutablePointer<Value> {
        // The value follows the 8-byte key at the value's alignment.
        let align = MemoryLayout<Value>.alignment
        let offset = (8 + align - 1) / align * align
        return (UnsafeMutableRawPointer(slots.base + s) + offset).assumingMemoryBound(to: Value.self)
    }

    /// Starts loading the cache line where a lookup of `key` begins, so
    /// that a later `find` or `insert` does not wait for memory.
    @inline(__always)
    func prefetch(_ key: UInt64) {
        writ_prefetch(UnsafeRawPointer(slots.base + OpenTable.home(key, mask)))
    }

    /// `prefetch` for a key whose `TextHash.mix` is `hash` (computed once
    /// for tables keyed alike).
    @inline(__always)
    func prefetch(hash: UInt64) {
        writ_prefetch(UnsafeRawPointer(slots.base + (Int(truncatingIfNeeded: hash) & mask)))
    }

    /// The slot of `key`, if present.
    @inline(__always)
    func find(_ key: UInt64) -> Int? {
        let k = key &+ 1
        var s = OpenTable.home(key, mask)
        while true {
            let x = slots.base[s].key
            if x == k { return s }
            if x == 0 { return nil }
            s = (s + 1) & mask
        }
    }

    /// The slot for `key`, adding it (with a zero value) if absent; nil when full.
    @inline(__always)
    mutating func insert(_ key: UInt64) -> (slot: Int, added: Bool)? {
        let k = key &+ 1
        var s = OpenTable.home(key, mask)
        while true {
            let x = slots.base[s].key
            if x == k { return (s, false) }
            if x == 0 { break }
            s = (s + 1) & mask
        }
        guard count < capacity else { return nil }
        let raw = UnsafeMutableRawPointer(slots.base + s)
        for i in 0..<MemoryLayout<TableSlot<Value>>.stride { raw.storeBytes(of: 0, toByteOffset: i, as: UInt8.self) }
        slots.base[s].key = k
        count += 1
        return (s, true)
    }

    /// The key in slot `s` (which must be occupied).
    @inline(__always)
    func key(at s: Int) -> UInt64 { slots.base[s].key &- 1 }

    /// Removes the entry in slot `s` (backward-shift deletion).
    mutating func remove(slot s: Int) {
        var hole = s
        var next = (hole + 1) & mask
        while slots.base[next].key != 0 {
            let home = OpenTable.home(slots.base[next].key &- 1, mask)
            if (next - home) & mask >= (next - hole) & mask {
                slots.base[hole] = slots.base[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots.base[hole].key = 0
        count -= 1
    }

    /// Removes every entry for which `stale` holds (calling `removed` with
    /// its key first), then re-places the others.
    mutating func removeAll(where stale: (UInt64, Value) -> Bool, removed: (UInt64) -> Void) {
        var dropped = 0
        for s in 0...mask where slots.base[s].key != 0 && stale(slots.base[s].key &- 1, slots.base[s].value) {
            removed(slots.base[s].key &- 1)
            slots.base[s].key = 0
            dropped += 1
        }
        guard dropped > 0 else { return }
        count -= dropped
        // Re-place entries cluster by cluster, starting after an empty slot.
        var start = 0
        while slots.base[start].key != 0 { start += 1 }
        var i = (start + 1) & mask
        for _ in 0..<mask {
            if slots.base[i].key != 0 {
                let entry = slots.base[i]
                slots.base[i].key = 0
                var s = OpenTable.home(entry.key &- 1, mask)
                while slots.base[s].key != 0 { s = (s + 1) & mask }
                slots.base[s] = entry
            }
            i = (i + 1) & mask
        }
    }

    /// Empties the table.
    mutating func clear() {
        slots.zero()
        count = 0
    }

    /// Restores an entry (snapshots); false when full.
    mutating func restore(key: UInt64, value: Value) -> Bool {
        guard let (s, _) = insert(key) else { return false }
        slots.base[s].value = value
        return true
    }
}
