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
        while i < n {
            p.storeBytes(of: q.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self)
            i += 1
        }
    }
}
