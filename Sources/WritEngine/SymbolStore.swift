/// Interned text: every symbol, currency and string value is a 32-bit id.
/// Ids below `staticCount` are the bundle's symbols (immutable, shared);
/// the others are interned at run time in a fixed-capacity table with
/// reference counts: state that keeps an id retains it, and an id nobody
/// retains is freed at the start of the next event (so a decision can still
/// be rendered after `process` returns). Equal text always has one id, so
/// text equality is integer equality.

/// The symbols of a bundle: an open-addressing index over their bytes.
final class StaticSymbols: @unchecked Sendable {
    // INVARIANT: immutable after init; shared by all engines of a program.
    let count: Int
    let bytes: RawBuffer<UInt8>
    let offsets: RawBuffer<Int32>
    private let index: RawBuffer<UInt32>
    private let mask: Int

    init(_ symbols: [String]) {
        count = symbols.count
        var all: [UInt8] = []
        var offs: [Int32] = [0]
        for s in symbols {
            all.append(contentsOf: s.utf8)
            offs.append(Int32(all.count))
        }
        bytes = RawBuffer(all)
        offsets = RawBuffer(offs)
        var size = 16
        while size < symbols.count * 2 { size *= 2 }
        mask = size - 1
        index = RawBuffer(zeroed: size)
        for id in 0..<symbols.count {
            let start = Int(offsets[id])
            let p = UnsafeRawPointer(bytes.base + start)
            let n = Int(offsets[id + 1]) - start
            var slot = Int(truncatingIfNeeded: TextHash.hash(p, n)) & mask
            while index[slot] != 0 { slot = (slot + 1) & mask }
            index[slot] = UInt32(id + 1)
        }
    }

    deinit {
        bytes.free()
        offsets.free()
        index.free()
    }

    /// A reference-free view of the table for the hot path.
    var view: StaticSymbolView { StaticSymbolView(count: count, bytes: bytes, offsets: offsets, index: index, mask: mask) }
}

/// The bundle's symbols as raw buffers (valid while their `StaticSymbols` lives).
struct StaticSymbolView: BitwiseCopyable {
    let count: Int
    let bytes: RawBuffer<UInt8>
    let offsets: RawBuffer<Int32>
    let index: RawBuffer<UInt32>
    let mask: Int

    /// The bytes of symbol `id`.
    @inline(__always)
    func text(_ id: Int) -> (UnsafeRawPointer, Int) {
        let start = Int(offsets[id])
        return (UnsafeRawPointer(bytes.base + start), Int(offsets[id + 1]) - start)
    }

    /// The id of these bytes, if they are a bundle symbol.
    @inline(__always)
    func lookup(_ p: UnsafeRawPointer, _ n: Int, hash: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = index[slot]
            if e == 0 { return nil }
            let id = Int(e - 1)
            let (q, m) = text(id)
            if m == n && Bytes.equal(p, q, n) { return id }
            slot = (slot + 1) & mask
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CMallocInfo

/// One run-time symbol: its hash, reference count, length and bytes (inline
/// up to 32, else in an overflow cell) — one cache line's worth.
struct SymbolEntry: BitwiseCopyable {
    var hash: UInt64 = 0
    var refcount: UInt32 = 0
    var overflow: Int32 = 0
    /// Length + 1; 0 marks a free entry.
    var length: UInt32 = 0
    /// How many times the entry has been freed: an id and its generation
    /// name one text for as long as the id is in use (`TupleCache`).
    var generation: UInt32 = 0
    var inline: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
}

/// The run-time part of the symbol table.
struct SymbolStore {
    /// Longest text a symbol or string may have, in bytes.
    static let maxLength = 256
    /// Bytes stored inline per entry; longer texts use an overflow cell.
    static let inlineLength = 32
    /// Offset of the inline bytes in an entry.
    static let inlineOffset = 24

    let statics: StaticSymbolView
    let base: Int
    let capacity: Int
    private let entries: RawBuffer<SymbolEntry>
    private let overflow: RawBuffer<UInt8>
    private let overflowFree: RawBuffer<Int32>
    private var overflowFreeCount: Int
    /// Per slot: entry + 1 in the low 32 bits, the hash's high 32 bits above; 0 empty.
    private let index: RawBuffer<UInt64>
    private let mask: Int
    private let freeEntries: RawBuffer<UInt32>
    private var freeCount = 0
    private var fresh = 0
    /// Entries in use.
    private(set) var used = 0
    /// How many times entries have been freed (or the table emptied): while
    /// it is unchanged, every id in use names the text it named before.
    private(set) var removals: UInt64 = 0
    /// Ids interned or released during this event, to free if nobody retains them.
    private let pending: RawBuffer<UInt32>
    private var pendingCount = 0
    static let pendingCapacity = 4096

    init(statics: StaticSymbolView, capacity: Int) {
        self.statics = statics
        base = statics.count
        self.capacity = capacity
        entries = RawBuffer(zeroed: capacity)
        let cells = Swift.max(16, capacity / 16)
        overflow = RawBuffer(zeroed: cells * SymbolStore.maxLength)
        overflowFree = RawBuffer(zeroed: cells)
        for i in 0..<cells { overflowFree[i] = Int32(cells - 1 - i) }
        overflowFreeCount = cells
        var size = 16
        while size < capacity * 2 { size *= 2 }
        mask = size - 1
        index = RawBuffer(zeroed: size)
        freeEntries = RawBuffer(zeroed: capacity)
        pending = RawBuffer(zeroed: SymbolStore.pendingCapacity)
    }

    /// Populates the table's pages (see `RawBuffer.prefault`); the bytes populated.
    func prefault() -> Int {
        entries.prefault() + overflow.prefault() + overflowFree.prefault() + index.prefault()
            + freeEntries.prefault() + pending.prefault()
    }

    func free() {
        entries.free()
        overflow.free()
        overflowFree.free()
        index.free()
        freeEntries.free()
        pending.free()
    }

    @inline(__always)
    private func entry(_ e: Int) -> UnsafeMutablePointer<SymbolEntry> { entries.base + e }

    /// The run-time entries, for native code to read texts in place
    /// (allocated once, with the store).
    var entriesBase: UnsafeRawPointer { UnsafeRawPointer(entries.base) }

    @inline(__always)
    private func bytes(_ e: Int, _ n: Int) -> UnsafeMutableRawPointer {
        if n > SymbolStore.inlineLength {
            return UnsafeMutableRawPointer(overflow.base + Int(entries.base[e].overflow) * SymbolStore.maxLength)
        }
        return UnsafeMutableRawPointer(entries.base + e) + SymbolStore.inlineOffset
    }

    @inline(__always)
    private static func tag(_ h: UInt64) -> UInt64 { h & 0xFFFF_FFFF_0000_0000 }

    /// The bytes of `id` (empty for an id that is not in use).
    @inline(__always)
    func text(_ id: Int) -> (UnsafeRawPointer, Int) {
        if id < base {
            // A corrupt value (never produced by valid IR) reads as the empty text.
            if id < 0 { return (UnsafeRawPointer(index.base), 0) }
            return statics.text(id)
        }
        let e = id - base
        if e >= capacity { return (UnsafeRawPointer(index.base), 0) }
        let length = Int(entries.base[e].length)
        if length == 0 { return (UnsafeRawPointer(index.base), 0) }
        return (UnsafeRawPointer(bytes(e, length - 1)), length - 1)
    }

    /// The text of `id` as a Swift string (slow path).
    func string(_ id: Int) -> String {
        guard id >= 0, id < base + capacity else { return "" }
        let (p, n) = text(id)
        return String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// Starts loading the index line where interning these bytes begins
    /// (an order's id is new text, in a random place of a big index).
    @inline(__always)
    func prefetch(_ p: UnsafeRawPointer, _ n: Int) {
        let h = TextHash.hash(p, n)
        writ_prefetch(UnsafeRawPointer(index.base + (Int(truncatingIfNeeded: h) & mask)))
    }

    /// The id of these bytes without interning them; nil if they have none.
    func find(_ p: UnsafeRawPointer, _ n: Int) -> Int? {
        let h = TextHash.hash(p, n)
        if let id = statics.lookup(p, n, hash: h) { return id }
        return findRuntime(p, n, h).map { base + $0 }
    }

    @inline(__always)
    private func findRuntime(_ p: UnsafeRawPointer, _ n: Int, _ h: UInt64) -> Int? {
        let t = SymbolStore.tag(h)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let x = index[slot]
            if x == 0 { return nil }
            if x & 0xFFFF_FFFF_0000_0000 == t {
                let e = Int(x & 0xFFFF_FFFF) - 1
                let en = entries.base[e]
                if en.hash == h, Int(en.length) - 1 == n, Bytes.equal(p, bytes(e, n), n) { return e }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The id of these bytes, interning them if needed; nil when the table
    /// is full or the text is too long. A new id lives until the next event
    /// unless retained (`retained` starts it at one reference).
    mutating func intern(_ p: UnsafeRawPointer, _ n: Int, retained: Bool = false) -> Int? {
        guard n <= SymbolStore.maxLength else { return nil }
        let h = TextHash.hash(p, n)
        if let id = statics.lookup(p, n, hash: h) { return id }
        if let e = findRuntime(p, n, h) {
            if retained { entries.base[e].refcount &+= 1 }
            return base + e
        }
        guard retained || pendingCount < SymbolStore.pendingCapacity else { return nil }
        let e: Int
        if freeCount > 0 {
            freeCount -= 1
            e = Int(freeEntries[freeCount])
        } else if fresh < capacity {
            e = fresh
            fresh += 1
        } else {
            return nil
        }
        var en = SymbolEntry()
        en.generation = entries.base[e].generation
        if n > SymbolStore.inlineLength {
            guard overflowFreeCount > 0 else {
                freeEntries[freeCount] = UInt32(e)
                freeCount += 1
                return nil
            }
            overflowFreeCount -= 1
            en.overflow = overflowFree[overflowFreeCount]
        }
        en.hash = h
        en.length = UInt32(n + 1)
        en.refcount = retained ? 1 : 0
        entries.base[e] = en
        Bytes.copy(bytes(e, n), p, n)
        place(e, h)
        used += 1
        if !retained {
            pending[pendingCount] = UInt32(base + e)
            pendingCount += 1
        }
        return base + e
    }

    @inline(__always)
    private func place(_ e: Int, _ h: UInt64) {
        var slot = Int(truncatingIfNeeded: h) & mask
        while index[slot] != 0 { slot = (slot + 1) & mask }
        index[slot] = SymbolStore.tag(h) | UInt64(e + 1)
    }

    /// Keeps `id` alive (state refers to it).
    @inline(__always)
    func retain(_ id: Int) {
        guard id >= base, id - base < capacity else { return }
        entries.base[id - base].refcount &+= 1
    }

    /// Gives up a reference; an id nobody retains is freed at the next event.
    @inline(__always)
    mutating func release(_ id: Int) {
        guard id >= base, id - base < capacity else { return }
        let e = id - base
        entries.base[e].refcount &-= 1
        if entries.base[e].refcount == 0, pendingCount < SymbolStore.pendingCapacity {
            pending[pendingCount] = UInt32(id)
            pendingCount += 1
        }
    }

    /// Frees the ids of the last event that nobody retained.
    mutating func collect() {
        for i in 0..<pendingCount {
            let e = Int(pending[i]) - base
            if entries.base[e].length != 0, entries.base[e].refcount == 0 { remove(e) }
        }
        pendingCount = 0
    }

    private mutating func remove(_ e: Int) {
        // Backward-shift deletion from the linear-probing index.
        let h = entries.base[e].hash
        var slot = Int(truncatingIfNeeded: h) & mask
        while Int(index[slot] & 0xFFFF_FFFF) != e + 1 { slot = (slot + 1) & mask }
        var hole = slot
        var next = (hole + 1) & mask
        while index[next] != 0 {
            let other = Int(index[next] & 0xFFFF_FFFF) - 1
            let home = Int(truncatingIfNeeded: entries.base[other].hash) & mask
            if (next - home) & mask >= (next - hole) & mask {
                index[hole] = index[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        index[hole] = 0
        if Int(entries.base[e].length) - 1 > SymbolStore.inlineLength {
            overflowFree[overflowFreeCount] = entries.base[e].overflow
            overflowFreeCount += 1
        }
        entries.base[e].length = 0
        entries.base[e].generation &+= 1
        freeEntries[freeCount] = UInt32(e)
        freeCount += 1
        used -= 1
        removals &+= 1
    }

    /// The generation of `id` (0 for a bundle symbol; see `SymbolEntry.generation`).
    @inline(__always)
    func generation(_ id: Int) -> UInt32 {
        let e = id &- base
        guard e >= 0, e < capacity else { return 0 }
        return entries.base[e].generation
    }

    /// Every run-time entry in use: id, reference count, text (for snapshots).
    func entriesInUse() -> [(id: Int, refcount: UInt32, text: [UInt8])] {
        var out: [(id: Int, refcount: UInt32, text: [UInt8])] = []
        for e in 0..<fresh where entries.base[e].length != 0 {
            let (p, n) = text(base + e)
            out.append((base + e, entries.base[e].refcount, Array(UnsafeRawBufferPointer(start: p, count: n))))
        }
        return out
    }

    /// Empties the table.
    mutating func clear() {
        for e in 0..<fresh {
            entries.base[e].length = 0
            entries.base[e].generation &+= 1
        }
        index.zero()
        freeCount = 0
        fresh = 0
        used = 0
        removals &+= 1
        pendingCount = 0
        let cells = overflowFree.count
        for i in 0..<cells { overflowFree[i] = Int32(cells - 1 - i) }
        overflowFreeCount = cells
    }

    /// Restores an entry at its id (snapshots); false if it does not fit.
    mutating func restore(id: Int, refcount: UInt32, text bytes: [UInt8]) -> Bool {
        let e = id - base
        guard e >= 0, e < capacity, bytes.count <= SymbolStore.maxLength, entries.base[e].length == 0 else { return false }
        let n = bytes.count
        var en = SymbolEntry()
        en.generation = entries.base[e].generation
        if n > SymbolStore.inlineLength {
            guard overflowFreeCount > 0 else { return false }
            overflowFreeCount -= 1
            en.overflow = overflowFree[overflowFreeCount]
        }
        let h = bytes.withUnsafeBytes { TextHash.hash($0.baseAddress ?? UnsafeRawPointer(index.base), n) }
        en.hash = h
        en.length = UInt32(n + 1)
        en.refcount = refcount
        entries.base[e] = en
        bytes.withUnsafeBytes { b in
            if let s = b.baseAddress { Bytes.copy(self.bytes(e, n), s, n) }
        }
        place(e, h)
        used += 1
        fresh = Swift.max(fresh, e + 1)
        return true
    }

    /// After restoring entries: every entry below `fresh` not in use becomes free.
    mutating func finishRestore() {
        removals &+= 1
        freeCount = 0
        for e in stride(from: fresh - 1, through: 0, by: -1) where entries.base[e].length == 0 {
            freeEntries[freeCount] = UInt32(e)
            freeCount += 1
        }
    }
}
