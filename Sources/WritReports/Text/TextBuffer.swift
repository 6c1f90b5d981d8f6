/// A growable byte buffer that the generators write text into without
/// creating intermediate strings: decimals, timestamps, JSON, CSV. It keeps
/// a zero byte after the text so that C functions can read it in place.
import WritValue

/// ASCII/UTF-8 text under construction: raw storage that grows by
/// doubling, appended to with `memcpy`. Not copyable, so that two values
/// never share (or free twice) the same storage.
struct TextBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The number of bytes written.
    private(set) var count = 0

    /// An empty buffer with room for `capacity` bytes.
    init(capacity: Int = 256) {
        self.capacity = Swift.max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Forgets the contents, keeping the storage.
    mutating func removeAll() { count = 0 }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        b.update(from: base, count: count)
        base.deallocate()
        base = b
        capacity = c
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ b: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = b
        count += 1
    }

    /// Appends `n` bytes from `p`.
    @inline(__always)
    mutating func append(_ p: UnsafePointer<UInt8>, count n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).update(from: p, count: n)
        count += n
    }

    /// Appends the UTF-8 of a string.
    @inline(__always)
    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { if let p = $0.baseAddress { append(p, count: $0.count) } }
    }

    /// Appends a static ASCII text.
    @inline(__always)
    mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { if let p = $0.baseAddress { append(p, count: $0.count) } }
    }

    /// Calls `body` with the bytes written.
    func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes written.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The byte at `i`.
    subscript(i: Int) -> UInt8 { base[i] }

    /// Appends a non-negative integer with at least `width` digits.
    mutating func appendInt(_ v: Int64, width: Int = 1) {
        if v < 0 {
            append(UInt8(ascii: "-"))
            appendUnsigned(UInt64(v.magnitude), width: width)
        } else {
            appendUnsigned(UInt64(v), width: width)
        }
    }

    /// Appends an unsigned integer with at least `width` digits.
    mutating func appendUnsigned(_ v: UInt64, width: Int = 1) {
        var n = 1
        var t = v
        while t >= 10 {
            t /= 10
            n += 1
        }
        let total = Swift.max(n, width)
        reserve(total)
        var x = v
        var i = count + total - 1
        while i >= count {
            base[i] = UInt8(ascii: "0") + UInt8(x % 10)
            x /= 10
            i -= 1
        }
        count += total
    }

    /// Appends a decimal in its canonical text: no exponent, no trailing
    /// fractional zeros, `-` when negative (`123.4`, `400`, `-0.5`).
    mutating func appendDecimal(_ f: Fixed) {
        let negative = f.raw < 0
        let m = f.raw.magnitude
        let one = UInt128(Fixed.one)
        let intPart = m / one
        var frac = UInt64(m % one)
        if negative { append(UInt8(ascii: "-")) }
        if let small = UInt64(exactly: intPart) {
            appendUnsigned(small)
        } else {
            append(String(intPart))
        }
        if frac != 0 {
            var digits = Fixed.scale
            while frac % 10 == 0 {
                frac /= 10
                digits -= 1
            }
            append(UInt8(ascii: "."))
            appendUnsigned(frac, width: digits)
        }
    }

    /// Appends an instant as `2026-11-27T14:30:00.000123Z` (UTC): the
    /// fraction in groups of three digits (milli, micro, nano), as many as it
    /// needs, none for whole seconds.
    mutating func appendTimestamp(_ ns: Int64) {
        let perDay: Int64 = 86_400_000_000_000
        var days = ns / perDay
        var rest = ns % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let (y, mo, d) = Value.civil(fromDays: days)
        appendInt(Int64(y), width: 4)
        append(UInt8(ascii: "-"))
        appendInt(Int64(mo), width: 2)
        append(UInt8(ascii: "-"))
        appendInt(Int64(d), width: 2)
        append(UInt8(ascii: "T"))
        let secs = rest / 1_000_000_000
        appendInt(secs / 3600, width: 2)
        append(UInt8(ascii: ":"))
        appendInt(secs / 60 % 60, width: 2)
        append(UInt8(ascii: ":"))
        appendInt(secs % 60, width: 2)
        let frac = rest % 1_000_000_000
        if frac != 0 {
            append(UInt8(ascii: "."))
            if frac % 1_000_000 == 0 {
                appendInt(frac / 1_000_000, width: 3)
            } else if frac % 1000 == 0 {
                appendInt(frac / 1000, width: 6)
            } else {
                appendInt(frac, width: 9)
            }
        }
        append(UInt8(ascii: "Z"))
    }

    /// Calls `body` with the text as a zero-terminated C string.
    mutating func withCString<R>(_ body: (UnsafePointer<CChar>) -> R) -> R {
        reserve(1)
        base[count] = 0
        return base.withMemoryRebound(to: CChar.self, capacity: count + 1) { body($0) }
    }

    /// The text as a string.
    var string: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }
}

/// Texts of values, for the generators that build strings.
enum TextFormat {
    /// The canonical decimal text of `f`.
    static func decimal(_ f: Fixed) -> String {
        var b = TextBuffer(capacity: 32)
        b.appendDecimal(f)
        return b.string
    }

    /// `2026-11-27T14:30:00.000123Z`.
    static func timestamp(_ ns: Int64) -> String {
        var b = TextBuffer(capacity: 32)
        b.appendTimestamp(ns)
        return b.string
    }

    /// The number of digits before and after the point of `f`'s canonical text.
    static func digits(_ f: Fixed) -> (integer: Int, fraction: Int) {
        let m = f.raw.magnitude
        let one = UInt128(Fixed.one)
        var intPart = m / one
        var intDigits = 0
        repeat {
            intDigits += 1
            intPart /= 10
        } while intPart != 0
        var frac = UInt64(m % one)
        var fracDigits = frac == 0 ? 0 : Fixed.scale
        while frac != 0 && frac % 10 == 0 {
            frac /= 10
            fracDigits -= 1
        }
        return (intDigits, fracDigits)
    }
}
