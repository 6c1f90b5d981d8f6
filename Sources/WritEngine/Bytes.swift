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

    /// The first character of the `n` UTF-8 bytes at `p` that prints as
    /// nothing (0 if there is none): DEL, the C1 controls U+0080–U+009F, the
    /// soft hyphen U+00AD, and the invisible format characters U+200B–U+200F,
    /// U+2028–U+202E, U+2060–U+2064, U+2066–U+2069 and U+FEFF. The bytes are
    /// valid UTF-8 (the scanner checked the line); ASCII text costs one
    /// comparison per byte.
    @inline(__always)
    static func invisibleScalar(_ p: UnsafeRawPointer, _ n: Int) -> UInt32 {
        var i = 0
        while i < n {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            if b < 0x7F {
                i += 1
                continue
            }
            return invisibleScalar(p, n, from: i)
        }
        return 0
    }

    /// `invisibleScalar` from the first byte at or above 0x7F.
    @inline(never)
    private static func invisibleScalar(_ p: UnsafeRawPointer, _ n: Int, from start: Int) -> UInt32 {
        var i = start
        while i < n {
            let (c, length) = scalar(p, n, at: i)
            switch c {
            case 0x7F...0x9F, 0xAD, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF:
                return c
            default: i += length
            }
        }
        return 0
    }

    /// The space that starts or ends the `n` UTF-8 bytes at `p` (0 if none):
    /// U+0020, U+00A0, U+1680, U+2000–U+200A, U+202F, U+205F or U+3000.
    static func edgeSpace(_ p: UnsafeRawPointer, _ n: Int) -> UInt32 {
        func isSpace(_ c: UInt32) -> Bool {
            c == 0x20 || c == 0xA0 || c == 0x1680 || (0x2000...0x200A).contains(c) || c == 0x202F || c == 0x205F
                || c == 0x3000
        }
        let first = scalar(p, n, at: 0).0
        if isSpace(first) { return first }
        // The last character: back over continuation bytes to its first byte.
        var i = n - 1
        while i > 0 && p.load(fromByteOffset: i, as: UInt8.self) & 0xC0 == 0x80 { i -= 1 }
        let last = scalar(p, n, at: i).0
        return isSpace(last) ? last : 0
    }

    /// The character whose UTF-8 starts at byte `i` of the `n` at `p`, and
    /// its length in bytes. Only what these checks need: a 4-byte
    /// character is returned as its first byte (none of them is sought).
    @inline(__always)
    private static func scalar(_ p: UnsafeRawPointer, _ n: Int, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(p.load(fromByteOffset: i, as: UInt8.self))
        func next(_ k: Int) -> UInt32 { UInt32(p.load(fromByteOffset: i + k, as: UInt8.self)) & 0x3F }
        if b0 < 0xC0 || i + 1 >= n { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | next(1), 2) }
        if b0 < 0xF0, i + 2 < n { return ((b0 & 0x0F) << 12 | next(1) << 6 | next(2), 3) }
        return (b0, 4)
    }
}
