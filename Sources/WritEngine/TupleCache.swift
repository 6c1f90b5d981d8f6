/// A cache of composite keys (docs/engine-semantics.md, "Expressions"): the
/// id of the text `x U+001F y` by the ids of its parts, so that a tuple key
/// seen before costs a fixed-width hash and a few comparisons instead of
/// building, checking, hashing and interning its text. It owns nothing: an
/// entry is used only while the generations of its three ids are the ones
/// it saw (freeing an id changes its generation), so it never keeps a text
/// alive and never changes what the symbol table holds or when it is full.
/// In front of it, a few composites last found are kept with the symbol
/// table's count of removals: while no id has been freed since, they are
/// valid without looking at any generation (an order computes the same
/// pair several times: in step 3, in its rules, when recorded).

import CMallocInfo

/// One cached composite: the parts, the composite's id + 1 (0 empty), and
/// the generation of each id when it was cached.
struct TupleCacheEntry: BitwiseCopyable {
    var x: UInt32 = 0
    var y: UInt32 = 0
    var idPlusOne: UInt32 = 0
    var composite: UInt32 = 0
    var xGeneration: UInt32 = 0
    var yGeneration: UInt32 = 0
    var idGeneration: UInt32 = 0
    var pad: UInt32 = 0
}

/// One composite found lately: its parts (`x | y << 32`), whether the
/// first part is itself composite, its id, and `SymbolStore.removals` + 1
/// when it was found (0: empty).
struct TupleRecentEntry: BitwiseCopyable {
    var parts: UInt64 = 0
    var composite: UInt32 = 0
    var id: UInt32 = 0
    var stamp: UInt64 = 0
}

/// A direct-mapped table of composites: a new entry replaces the one in its place.
struct TupleCache {
    /// Entries (a power of two).
    static let capacity = 8192
    /// Composites found lately (a power of two), direct-mapped.
    static let recentCapacity = 8
    let entries: RawBuffer<TupleCacheEntry>
    let recent: RawBuffer<TupleRecentEntry>

    init() {
        entries = RawBuffer(zeroed: TupleCache.capacity)
        recent = RawBuffer(zeroed: TupleCache.recentCapacity)
    }

    func free() {
        entries.free()
        recent.free()
    }

    /// Populates the table's pages (see `RawBuffer.prefault`); the bytes populated.
    func prefault() -> Int { entries.prefault() + recent.prefault() }

    @inline(__always)
    private func place(_ x: UInt32, _ y: UInt32, _ composite: Bool) -> UnsafeMutablePointer<TupleCacheEntry> {
        let h = TextHash.mix(UInt64(x) | UInt64(y) << 32 ^ (composite ? 0x9E37_79B9 : 0))
        return entries.base + (Int(truncatingIfNeeded: h) & (TupleCache.capacity - 1))
    }

    @inline(__always)
    private func recentPlace(_ x: UInt32, _ y: UInt32) -> UnsafeMutablePointer<TupleRecentEntry> {
        let h = (x &* 0x9E37_79B1) ^ (y &* 0x85EB_CA6B)
        return recent.base + Int(truncatingIfNeeded: h >> 29) & (TupleCache.recentCapacity - 1)
    }

    /// Starts loading the entry of `(x, y)`, where `find` will look (`StatePrefetch`).
    @inline(__always)
    func prefetch(_ x: Int128, _ y: Int128, composite: Bool) {
        let e = place(UInt32(truncatingIfNeeded: x), UInt32(truncatingIfNeeded: y), composite)
        writ_prefetch(UnsafeRawPointer(e))
    }

    /// Whether `v` is a symbol id the cache can hold.
    @inline(__always)
    private static func fits(_ v: Int128) -> Bool { v >= 0 && v < Int128(UInt32.max) }

    /// The id of the composite of `x` and `y`, if cached and still valid; else -1.
    @inline(__always)
    func find(_ x: Int128, _ y: Int128, composite: Bool, _ symbols: SymbolStore) -> Int {
        guard TupleCache.fits(x), TupleCache.fits(y) else { return -1 }
        let xs = UInt32(truncatingIfNeeded: x)
        let ys = UInt32(truncatingIfNeeded: y)
        let parts = UInt64(xs) | UInt64(ys) << 32
        let c: UInt32 = composite ? 1 : 0
        let stamp = symbols.removals &+ 1
        let m = recentPlace(xs, ys)
        if m.pointee.stamp == stamp && m.pointee.parts == parts && m.pointee.composite == c { return Int(m.pointee.id) }
        let e = place(xs, ys, composite).pointee
        guard e.idPlusOne != 0, e.x == xs, e.y == ys, e.composite == c else { return -1 }
        let id = Int(e.idPlusOne) - 1
        guard symbols.generation(id) == e.idGeneration, symbols.generation(Int(xs)) == e.xGeneration,
            symbols.generation(Int(ys)) == e.yGeneration
        else { return -1 }
        m.pointee = TupleRecentEntry(parts: parts, composite: c, id: e.idPlusOne - 1, stamp: stamp)
        return id
    }

    /// Remembers that the composite of `x` and `y` is `id`.
    @inline(__always)
    func insert(_ x: Int128, _ y: Int128, composite: Bool, _ id: Int, _ symbols: SymbolStore) {
        guard TupleCache.fits(x), TupleCache.fits(y), id >= 0, id < Int(UInt32.max) else { return }
        let xs = UInt32(truncatingIfNeeded: x)
        let ys = UInt32(truncatingIfNeeded: y)
        place(xs, ys, composite).pointee = TupleCacheEntry(
            x: xs, y: ys, idPlusOne: UInt32(id + 1), composite: composite ? 1 : 0,
            xGeneration: symbols.generation(Int(xs)), yGeneration: symbols.generation(Int(ys)),
            idGeneration: symbols.generation(id))
        recentPlace(xs, ys).pointee = TupleRecentEntry(
            parts: UInt64(xs) | UInt64(ys) << 32, composite: composite ? 1 : 0, id: UInt32(id),
            stamp: symbols.removals &+ 1)
    }
}
