/// Fixed-point arithmetic for the run loop with `Fixed`'s exact results:
/// the common case (both operands within 64 bits) inline, the wide case
/// through `Fixed` itself. The wide case uses 256-bit intermediates whose
/// standard-library routines the performance checker cannot see into, so
/// it is wrapped in `_unsafePerformance` (it neither allocates nor locks).

import WritValue

/// 10⁸, the raw value of 1 (a literal, so the hot path reads no global).
let fixedOne: Int128 = 100_000_000

/// Checked decimal operations on raw values (×10⁸).
enum FixedMath {
    /// `x × y` rounded half to even; nil on overflow.
    @inline(__always)
    static func multiply(_ x: Int128, _ y: Int128) -> Int128? {
        if let a = Int64(exactly: x), let b = Int64(exactly: y) {
            // |a × b| < 2¹²⁶: divide its magnitude by 10⁸ in 32-bit steps
            // (each a 64-bit division by a constant, which compiles to a
            // multiplication) instead of a 128-bit division.
            let p = Int128(widening: a) &* Int128(widening: b)
            let m = p.magnitude
            let hi = UInt64(truncatingIfNeeded: m >> 64)
            let lo = UInt64(truncatingIfNeeded: m)
            let d: UInt64 = 100_000_000
            var q: UInt128
            var r: UInt64
            if hi == 0 {
                q = UInt128(lo / d)
                r = lo % d
            } else {
                let x3 = hi >> 32
                let q3 = x3 / d
                let x2 = (x3 % d) << 32 | (hi & 0xFFFF_FFFF)
                let q2 = x2 / d
                let x1 = (x2 % d) << 32 | (lo >> 32)
                let q1 = x1 / d
                let x0 = (x1 % d) << 32 | (lo & 0xFFFF_FFFF)
                let q0 = x0 / d
                r = x0 % d
                q = UInt128(q3) << 96 | UInt128(q2) << 64 | UInt128(q1) << 32 | UInt128(q0)
            }
            // Round half to even, on the magnitude (the sign does not change parity).
            let twice = r &* 2
            if twice > d || (twice == d && q & 1 != 0) { q &+= 1 }
            // q < 2¹²⁶: its bits are the value (an inline conversion; `Int128(q)` is a call).
            let v = Int128(_low: q._low, _high: Int64(bitPattern: q._high))
            return p < 0 ? 0 &- v : v
        }
        return _unsafePerformance { Fixed(raw: x).multiplied(by: Fixed(raw: y))?.raw }
    }

    /// `x ÷ y` rounded half to even; nil on overflow (y must not be 0).
    @inline(__always)
    static func divide(_ x: Int128, _ y: Int128) -> Int128? {
        _unsafePerformance { Fixed(raw: x).divided(by: Fixed(raw: y))?.raw }
    }

    /// `divide` with the common case (both operands within 64 bits, the
    /// quotient too) in one 128-by-64-bit division: for the state updates,
    /// out of line so that the run loop's code stays as it is.
    @inline(never)
    static func quotient(_ x: Int128, _ y: Int128) -> Int128? {
        if let a = Int64(exactly: x), let b = Int64(exactly: y), b != 0 {
            // |a| × 10⁸ ÷ |b| with one 128-by-64-bit division when the
            // quotient fits in 64 bits (the high half is below the divisor).
            let d = b.magnitude
            let (hi, lo) = a.magnitude.multipliedFullWidth(by: 100_000_000)
            if hi < d {
                let (q, r) = d.dividingFullWidth((high: hi, low: lo))
                // Round half to even: compare 2r with d without overflowing.
                let half = d - r
                var m = UInt128(q)
                if r > half || (r == half && q & 1 == 1) { m &+= 1 }
                let v = Int128(_low: m._low, _high: Int64(bitPattern: m._high))
                return (a < 0) != (b < 0) ? 0 &- v : v
            }
        }
        return _unsafePerformance { Fixed(raw: x).divided(by: Fixed(raw: y))?.raw }
    }

    /// `int(x)`, truncated toward zero; nil if it does not fit in Int64.
    @inline(__always)
    static func truncate(_ x: Int128) -> Int64? {
        _unsafePerformance { Fixed(raw: x).truncatedInt }
    }
}
