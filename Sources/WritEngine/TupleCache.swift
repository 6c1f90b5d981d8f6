/// A cache of composite keys (docs/engine-semantics.md, "Expressions"): the
/// id of the text `x U+001F y` by the ids of its parts, so that a tuple key
/// seen before costs a fixed-width hash and a few comparisons instead of
/// building, checking, hashing and interning its text. It owns nothing: an
/// entry is used only while the generations of its three ids are the ones
/// it saw (freeing an id changes its generation), so it never keeps a text
/// alive and never changes what the symbol table holds or when it is full.

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

/// A direct-mapped table of composites: a new entry replaces the one in its place.
struct TupleCache {
    /// Entries (a power of two).
    static let capacity = 8192
    let entries: RawBuffer<TupleCacheEntry>

    init() { entries = RawBuffer(zeroed: TupleCache.capacity) }

    func free() { entries.free() }

    /// Populates the table's pages (see `RawBuffer.prefault`); the bytes populated.
    func prefault() -> Int { entries.prefault() }

    @inline(__always)
    private func place(_ x: UInt32, _ y: UInt32, _ composite: Bool) -> UnsafeMutablePointer<TupleCacheEntry> {
        let h = TextHash.mix(UInt64(x) | UInt64(y) << 32 ^ (composite ? 0x9E37_79B9 : 0))
        return entries.base + (Int(truncatingIfNeeded: h) & (TupleCache.capacity - 1))
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
        let e = place(xs, ys, composite).pointee
        guard e.idPlusOne != 0, e.x == xs, e.y == ys, e.composite == (composite ? 1 : 0) else { return -1 }
        let id = Int(e.idPlusOne) - 1
        guard symbols.generation(id) == e.idGeneration, symbols.generation(Int(xs)) == e.xGeneration,
            symbols.generation(Int(ys)) == e.yGeneration
        else { return -1 }
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
    }
}
