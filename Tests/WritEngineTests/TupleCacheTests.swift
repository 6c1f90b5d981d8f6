/// The composite-key cache: a composite found lately is answered without
/// its generations only while no symbol has been freed since.

import Testing

@testable import WritEngine

@Suite struct TupleCacheTests {
    /// Interns `text` in `store` (not retained: freed at the next `collect`).
    private static func intern(_ text: String, _ store: inout SymbolStore) -> Int {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { store.intern(UnsafeRawPointer($0.baseAddress!), $0.count) ?? -1 }
    }

    /// A composite is found again while its parts live; once a part is
    /// freed (and its id reused for another text), neither the recent
    /// composites nor the cache answer for that pair of ids.
    @Test func aFreedPartIsNotAnsweredFor() {
        let statics = StaticSymbols([])
        var store = SymbolStore(statics: statics.view, capacity: 64)
        let cache = TupleCache()
        defer {
            cache.free()
            store.free()
        }
        let x = Self.intern("A-1", &store)
        let y = Self.intern("SAP", &store)
        let z = Self.intern("A-1\u{1F}SAP", &store)
        #expect(x >= 0 && y >= 0 && z >= 0)
        #expect(cache.find(Int128(x), Int128(y), composite: false, store) == -1)
        cache.insert(Int128(x), Int128(y), composite: false, z, store)
        #expect(cache.find(Int128(x), Int128(y), composite: false, store) == z)
        #expect(cache.find(Int128(x), Int128(y), composite: true, store) == -1)
        // Keep y and the composite; free x and give its entry to another text.
        store.retain(y)
        store.retain(z)
        store.collect()
        let w = Self.intern("A-2", &store)
        #expect(w == x)
        #expect(cache.find(Int128(w), Int128(y), composite: false, store) == -1)
        withExtendedLifetime(statics) {}
    }
}
