/// Exact decimals from input text, fast: plain digits with an optional
/// fraction are read with 64-bit arithmetic; anything else (underscores, more
/// than 18 integer digits, malformed text) is left to `Fixed.parseRaw`,
/// whose results these always equal.

import WritValue

/// Decimal parsing for the decoder.
enum DecimalText {
    /// Powers of ten up to 10⁸.
    @inline(__always)
    static func pow10(_ k: Int) -> UInt64 {
        var r: UInt64 = 1
        for _ in 0..<k { r &*= 10 }
        return r
    }

    /// The raw value (×10⁸) of the decimal text `p[0..<n]`, or nil.
    @inline(__always)
    static func parse(_ p: UnsafeRawPointer, _ n: Int) -> Int128? {
        var i = 0
        var negative = false
        if n > 0, p.load(fromByteOffset: 0, as: UInt8.self) == 0x2D {
            negative = true
            i = 1
        }
        var intPart: UInt64 = 0
        var digits = 0
        while i < n {
            let c = p.load(fromByteOffset: i, as: UInt8.self) &- 0x30
            guard c <= 9 else { break }
            intPart = intPart &* 10 &+ UInt64(c)
            digits += 1
            i += 1
        }
        var frac: UInt64 = 0
        var fracDigits = 0
        if i < n, p.load(fromByteOffset: i, as: UInt8.self) == 0x2E {
            i += 1
            while i < n {
                let c = p.load(fromByteOffset: i, as: UInt8.self) &- 0x30
                guard c <= 9 else { break }
                frac = frac &* 10 &+ UInt64(c)
                fracDigits += 1
                i += 1
            }
            if fracDigits == 0 { return slow(p, n) }
        }
        guard i == n, digits > 0, digits <= 18, fracDigits <= 8 else { return slow(p, n) }
        let raw = Int128(intPart) * 100_000_000 + Int128(frac &* pow10(8 - fracDigits))
        return negative ? 0 - raw : raw
    }

    private static func slow(_ p: UnsafeRawPointer, _ n: Int) -> Int128? {
        Fixed.parseRaw(p.assumingMemoryBound(to: UInt8.self), count: n)
    }
}
