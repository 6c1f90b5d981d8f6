/// Exact fixed-point decimals: prices, quantities, notionals and percentages.
/// No binary floating point anywhere in a decision (PRODUCT.md, principle 3).

/// A signed decimal with exactly eight fractional digits, stored as an
/// `Int128` count of 10⁻⁸ units: ±1.7 × 10³⁰ with eight decimals, enough for
/// a quantity of 10¹² times a price of 10¹⁰. Every operation reports
/// overflow by returning `nil` (the engine turns that into a reject: fail
/// closed). Multiplication and division use a 256-bit intermediate and round
/// half to even when the exact result has more than eight decimals.
@frozen
public struct Fixed: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Number of fractional decimal digits.
    public static let scale = 8
    /// 10^scale.
    public static let one: Int128 = 100_000_000
    /// Zero.
    public static let zero = Fixed(raw: 0)

    /// The value times 10⁸.
    public var raw: Int128

    /// Creates a value from its raw representation (value × 10⁸).
    @inlinable
    public init(raw: Int128) { self.raw = raw }

    /// Creates a value from an integer.
    @inlinable
    public init(_ int: Int) { self.raw = Int128(int) * Fixed.one }

    /// Parses `123.45`, `-5`, `+0.5`, `5_000_000` (underscores between
    /// digits). Returns nil for anything else, for more than eight decimals,
    /// or on overflow.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let r = bytes.withUnsafeBufferPointer({ b in b.baseAddress.flatMap { Fixed.parseRaw($0, count: b.count, plus: true) } })
        else { return nil }
        self.raw = r
    }

    /// Parses `count` ASCII bytes at `p` to a raw value: an optional `-`
    /// (and `+` when `plus`), digits with `_` between them, an optional
    /// fraction of at most eight digits; nil for anything else or on
    /// overflow. The one decimal reader: `init(_:)`, `parse(bytes:)` and the
    /// engine's allocation-free readers (JSON fields, table controls) all
    /// come here. Not generic, so that unoptimized builds allocate nothing
    /// for it either, and with the constants written out (`Fixed.scale`,
    /// `Fixed.one`, `Fixed.maxRaw` are globals the engine's no-allocation
    /// checks cannot see into).
    @inlinable
    public static func parseRaw(_ p: UnsafePointer<UInt8>, count n: Int, plus: Bool = false) -> Int128? {
        var i = 0
        var negative = false
        if n > 0 && (p[0] == UInt8(ascii: "-") || (plus && p[0] == UInt8(ascii: "+"))) {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
        }
        var intPart: Int128 = 0
        var frac: Int128 = 0
        var fracDigits = 0
        var seenDot = false
        var digits = 0
        var lastWasDigit = false
        while i < n {
            let b = p[i]
            i += 1
            if b >= 0x30 && b <= 0x39 {
                let d = Int128(b - 0x30)
                if seenDot {
                    fracDigits += 1
                    if fracDigits > 8 { return nil }
                    frac = frac * 10 + d
                } else {
                    let (m, o1) = intPart.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(d)
                    if o1 || o2 { return nil }
                    intPart = a
                }
                digits += 1
                lastWasDigit = true
            } else if b == UInt8(ascii: "_") {
                if !lastWasDigit { return nil }
                lastWasDigit = false
            } else if b == UInt8(ascii: ".") {
                if seenDot || !lastWasDigit { return nil }
                seenDot = true
                lastWasDigit = false
            } else {
                return nil
            }
        }
        if digits == 0 || !lastWasDigit { return nil }
        var f = frac
        var k = fracDigits
        while k < 8 { f *= 10; k += 1 }
        let (m, o1) = intPart.multipliedReportingOverflow(by: 100_000_000)
        let (r, o2) = m.addingReportingOverflow(f)
        if o1 || o2 || r > Int128.max - 1 { return nil }
        return negative ? -r : r
    }

    /// Parses an ASCII decimal from raw bytes without allocating (for the
    /// contiguous collections callers pass: arrays, buffer pointers).
    @inlinable
    public static func parse<C: Collection>(bytes: C) -> Fixed? where C.Element == UInt8 {
        let raw =
            bytes.withContiguousStorageIfAvailable { b in
                b.baseAddress.flatMap { parseRaw($0, count: b.count) }
            } ?? Array(bytes).withUnsafeBufferPointer { b in b.baseAddress.flatMap { parseRaw($0, count: b.count) } }
        return raw.map { Fixed(raw: $0) }
    }

    /// The largest magnitude allowed; kept below Int128.max so that negation
    /// never overflows.
    public static let maxRaw: Int128 = Int128.max - 1

    /// Whether the value has no fractional part.
    @inlinable
    public var isInteger: Bool { raw % Fixed.one == 0 }

    /// The absolute value.
    @inlinable
    public var magnitude: Fixed { Fixed(raw: raw < 0 ? -raw : raw) }

    /// `-self`.
    @inlinable
    public func negated() -> Fixed { Fixed(raw: -raw) }

    /// `self + o`, nil on overflow.
    @inlinable
    public func adding(_ o: Fixed) -> Fixed? {
        let (r, ov) = raw.addingReportingOverflow(o.raw)
        return ov || r == Int128.min || r == Int128.max ? nil : Fixed(raw: r)
    }

    /// `self - o`, nil on overflow.
    @inlinable
    public func subtracting(_ o: Fixed) -> Fixed? {
        let (r, ov) = raw.subtractingReportingOverflow(o.raw)
        return ov || r == Int128.min || r == Int128.max ? nil : Fixed(raw: r)
    }

    /// `self × o`, rounded half to even to eight decimals; nil on overflow.
    @inlinable
    public func multiplied(by o: Fixed) -> Fixed? {
        // Fast path: both fit in 64 bits, so the product fits in 128.
        if let a = Int64(exactly: raw), let b = Int64(exactly: o.raw) {
            let p = Int128(a) * Int128(b)
            return Fixed(raw: Fixed.divRoundHalfEven(p, Fixed.one))
        }
        let negative = (raw < 0) != (o.raw < 0)
        let a = raw.magnitude
        let b = o.raw.magnitude
        let (hi, lo) = a.multipliedFullWidth(by: b)
        guard let q = Fixed.divide(hi: hi, lo: lo, by: UInt128(Fixed.one)) else { return nil }
        return Fixed.make(q, negative: negative)
    }

    /// `self ÷ o`, rounded half to even to eight decimals; nil when `o` is
    /// zero or on overflow.
    @inlinable
    public func divided(by o: Fixed) -> Fixed? {
        if o.raw == 0 { return nil }
        let negative = (raw < 0) != (o.raw < 0)
        let a = raw.magnitude
        let b = o.raw.magnitude
        // (a × 10⁸) ÷ b with a 256-bit numerator.
        let (hi, lo) = a.multipliedFullWidth(by: UInt128(Fixed.one))
        guard let q = Fixed.divide(hi: hi, lo: lo, by: b) else { return nil }
        return Fixed.make(q, negative: negative)
    }

    /// Truncates toward zero to an integer, nil if it does not fit in Int64.
    @inlinable
    public var truncatedInt: Int64? { Int64(exactly: raw / Fixed.one) }

    @inlinable
    static func make(_ magnitude: UInt128, negative: Bool) -> Fixed? {
        guard magnitude <= UInt128(Fixed.maxRaw) else { return nil }
        let m = Int128(magnitude)
        return Fixed(raw: negative ? -m : m)
    }

    /// Signed division rounding half to even.
    @inlinable
    static func divRoundHalfEven(_ n: Int128, _ d: Int128) -> Int128 {
        var q = n / d
        let r = n % d
        let twice = r.magnitude * 2
        let dm = d.magnitude
        if twice > dm || (twice == dm && q % 2 != 0) {
            q += (n < 0) != (d < 0) ? -1 : 1
        }
        return q
    }

    /// (hi:lo) ÷ d for a 256-bit numerator, rounded half to even; nil if the
    /// quotient does not fit in 128 bits.
    @inlinable
    static func divide(hi: UInt128, lo: UInt128, by d: UInt128) -> UInt128? {
        guard hi < d else { return nil }
        let (q, r) = d.dividingFullWidth((high: hi, low: lo))
        // Round half to even: compare 2r with d without overflowing.
        let half = d - r  // r < d, so this is > 0
        if r > half || (r == half && q & 1 == 1) {
            let (q1, o) = q.addingReportingOverflow(1)
            return o ? nil : q1
        }
        return q
    }

    /// Orders values.
    public static func < (a: Fixed, b: Fixed) -> Bool { a.raw < b.raw }

    /// Canonical decimal text: no exponent, no trailing fractional zeros,
    /// `-` for negatives (`123.45`, `5`, `-0.5`).
    public var description: String {
        let negative = raw < 0
        let m = raw.magnitude
        let intPart = m / UInt128(Fixed.one)
        var frac = m % UInt128(Fixed.one)
        var s = (negative ? "-" : "") + String(intPart)
        if frac != 0 {
            var digits = Fixed.scale
            while frac % 10 == 0 { frac /= 10; digits -= 1 }
            let f = String(frac)
            s += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return s
    }
}
