/// The hash of text bytes used by the symbol tables (FNV-1a, 64 bits, with
/// a final mix so that the low bits spread well in power-of-two tables).

/// Hashing of byte strings.
enum TextHash {
    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        while i < n {
            h = (h ^ UInt64(p.load(fromByteOffset: i, as: UInt8.self))) &* 0x0000_0100_0000_01b3
            i += 1
        }
        return mix(h)
    }

    /// A 64-bit finalizer (from MurmurHash3).
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}
