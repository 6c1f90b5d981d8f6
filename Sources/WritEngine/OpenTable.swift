/// A fixed-capacity hash table from 64-bit keys to trivial values, with
/// linear probing in a power-of-two slot array at most half full. It never
/// grows: `insert` fails when `count == capacity` (the caller fails closed).
/// All-zero memory is an empty table.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open-addressing table.
struct OpenTable<Value: BitwiseCopyable>: BitwiseCopyable {
    /// Stored keys plus one; 0 marks an empty slot.
    let keys: RawBuffer<UInt64>
    /// Values by slot.
    let values: RawBuffer<Value>
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
        keys = RawBuffer(zeroed: size)
        values = RawBuffer(zeroed: size)
    }

    func free() {
        keys.free()
        values.free()
    }

    /// The number of slots.
    var slotCount: Int { mask + 1 }
    /// Whether no new key fits.
    var isFull: Bool { count >= capacity }

    @inline(__always)
    static func home(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: TextHash.mix(key)) & mask }

    /// The slot of `key`, if present.
    @inline(__always)
    func find(_ key: UInt64) -> Int? {
        let k = key &+ 1
        var s = OpenTable.home(key, mask)
        while true {
            let x = keys[s]
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
            let x = keys[s]
            if x == k { return (s, false) }
            if x == 0 { break }
            s = (s + 1) & mask
        }
        guard count < capacity else { return nil }
        keys[s] = k
        memset(UnsafeMutableRawPointer(values.base + s), 0, MemoryLayout<Value>.stride)
        count += 1
        return (s, true)
    }

    /// The key in slot `s` (which must be occupied).
    @inline(__always)
    func key(at s: Int) -> UInt64 { keys[s] &- 1 }

    /// Removes the entry in slot `s` (backward-shift deletion).
    mutating func remove(slot s: Int) {
        var hole = s
        var next = (hole + 1) & mask
        while keys[next] != 0 {
            let home = OpenTable.home(keys[next] &- 1, mask)
            if (next - home) & mask >= (next - hole) & mask {
                keys[hole] = keys[next]
                values[hole] = values[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        keys[hole] = 0
        count -= 1
    }

    /// Removes every entry for which `stale` holds (calling `removed` with
    /// its key first), then re-places the others.
    mutating func removeAll(where stale: (UInt64, Value) -> Bool, removed: (UInt64) -> Void) {
        var dropped = 0
        for s in 0...mask where keys[s] != 0 && stale(keys[s] &- 1, values[s]) {
            removed(keys[s] &- 1)
            keys[s] = 0
            dropped += 1
        }
        guard dropped > 0 else { return }
        count -= dropped
        // Re-place entries cluster by cluster, starting after an empty slot.
        var start = 0
        while keys[start] != 0 { start += 1 }
        var i = (start + 1) & mask
        for _ in 0..<mask {
            if keys[i] != 0 {
                let k = keys[i]
                let v = values[i]
                keys[i] = 0
                var s = OpenTable.home(k &- 1, mask)
                while keys[s] != 0 { s = (s + 1) & mask }
                keys[s] = k
                values[s] = v
            }
            i = (i + 1) & mask
        }
    }

    /// Empties the table.
    mutating func clear() {
        keys.zero()
        count = 0
    }

    /// Restores an entry (snapshots); false when full.
    mutating func restore(key: UInt64, value: Value) -> Bool {
        guard let (s, _) = insert(key) else { return false }
        values[s] = value
        return true
    }
}
