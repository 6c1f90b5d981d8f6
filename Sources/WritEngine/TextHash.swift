/// The hash of text bytes used by the symbol tables and name lookups: eight
/// bytes at a time, then a final mix so that the low bits spread well in
/// power-of-two tables.

/// Hashing of byte strings.
enum TextHash {
    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 29
            i += 8
        }
        if i < n {
            // The last 1–7 bytes without a byte loop: an overlapping load of
            // text's last eight bytes when there are eight, else two
            // overlapping four-byte loads, or the first, middle and last byte
            // (each a function of the bytes and `n`, which the seed holds).
            let r = n - i
            let tail: UInt64
            if n >= 8 {
                tail = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) >> UInt64(8 * (8 - r))
            } else if n >= 4 {
                tail = UInt64(p.loadUnaligned(as: UInt32.self))
                    | UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
            } else {
                tail = UInt64(p.load(as: UInt8.self)) | UInt64(p.load(fromByteOffset: n >> 1, as: UInt8.self)) << 8
                    | UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self)) << 16
            }
            h = (h ^ tail) &* 0xc4ce_b9fe_1a85_ec53
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
