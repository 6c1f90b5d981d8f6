/// Byte-string comparison and copying in plain Swift, so the performance
/// checker can see through them (it does not trust C's `memcmp`).

/// Small byte routines.
enum Bytes {
    /// Whether `n` bytes at `p` and `q` are equal.
    @inline(__always)
    static func equal(_ p: UnsafeRawPointer, _ q: UnsafeRawPointer, _ n: Int) -> Bool {
        compare(p, q, n) == 0
    }

    /// Three-way comparison of `n` bytes.
    @inline(__always)
    static func compare(_ p: UnsafeRawPointer, _ q: UnsafeRawPointer, _ n: Int) -> Int {
        var i = 0
        while i + 8 <= n {
            let a = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let b = q.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if a != b { break }
            i += 8
        }
        while i < n {
            let a = p.load(fromByteOffset: i, as: UInt8.self)
            let b = q.load(fromByteOffset: i, as: UInt8.self)
            if a != b { return a < b ? -1 : 1 }
            i += 1
        }
        return 0
    }

    /// Copies `count` values from `src` to `dst` in one `memmove` (for
    /// frame slots and presence bytes; not for the run loop, whose checker
    /// does not see into C).
    @inline(__always)
    static func copyValues<T: BitwiseCopyable>(_ dst: UnsafeMutablePointer<T>, _ src: UnsafePointer<T>, _ count: Int) {
        dst.update(from: src, count: count)
    }

    /// Copies `n` bytes from `q` to `p`.
    @inline(__always)
    static func copy(_ p: UnsafeMutableRawPointer, _ q: UnsafeRawPointer, _ n: Int) {
        var i = 0
        while i + 8 <= n {
            p.storeBytes(of: q.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            p.storeBytes(of: q.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self)
            i += 1
        }
    }

    /// Whether the `n` bytes at `p` contain `byte`: eight at a time (a
    /// word has a zero byte exactly when `(x − 0x01…01) & ~x & 0x80…80`
    /// is not 0, here for `x` = the word XOR `byte` in every byte), then
    /// the rest one by one.
    @inline(__always)
    static func contains(_ p: UnsafeRawPointer, _ n: Int, _ byte: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let pattern = UInt64(byte) &* ones
        var i = 0
        while i + 8 <= n {
            let x = p.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
            if (x &- ones) & ~x & 0x8080_8080_8080_8080 != 0 { return true }
            i += 8
        }
        while i < n {
            if p.load(fromByteOffset: i, as: UInt8.self) == byte { return true }
            i += 1
        }
        return false
    }
}
