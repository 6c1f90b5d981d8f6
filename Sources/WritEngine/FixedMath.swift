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
            let p = Int128(a) &* Int128(b)
            var q = p / fixedOne
            let r = p % fixedOne
            let twice = r.magnitude &* 2
            let d = fixedOne.magnitude
            if twice > d || (twice == d && q & 1 != 0) { q += p < 0 ? -1 : 1 }
            return q
        }
        return _unsafePerformance { Fixed(raw: x).multiplied(by: Fixed(raw: y))?.raw }
    }

    /// `x ÷ y` rounded half to even; nil on overflow (y must not be 0).
    @inline(__always)
    static func divide(_ x: Int128, _ y: Int128) -> Int128? {
        _unsafePerformance { Fixed(raw: x).divided(by: Fixed(raw: y))?.raw }
    }

    /// `int(x)`, truncated toward zero; nil if it does not fit in Int64.
    @inline(__always)
    static func truncate(_ x: Int128) -> Int64? {
        _unsafePerformance { Fixed(raw: x).truncatedInt }
    }
}
