/// The run loop's decimal multiplication (64-bit operands divided by 10⁸ in
/// 32-bit steps) gives exactly `Fixed.multiplied`'s results: rounding half
/// to even, signs, carries between the steps, products above 2⁶⁴.

import Testing
import WritValue

@testable import WritEngine

@Suite struct FixedMathTests {
    /// Raw values (×10⁸) chosen to hit every step of the division.
    static let operands: [Int64] = [
        0, 1, -1, 2, 49_999_999, 50_000_000, 50_000_001, 100_000_000, -100_000_000, 150_000_000,
        250_000_000, 12_345_678_901, -98_765_432_109, 4_294_967_295, 4_294_967_296, 1 << 40, (1 << 40) + 1,
        100_000_000_000_000, 123_450_000_000, 25_000_000_000_000_000, Int64.max, Int64.min + 1, Int64.max / 3,
        -(Int64.max / 7), 999_999_999_999_999_999,
    ]

    @Test func matchesFixedOnEdgeCases() {
        for a in Self.operands {
            for b in Self.operands {
                let expected = Fixed(raw: Int128(a)).multiplied(by: Fixed(raw: Int128(b)))?.raw
                #expect(FixedMath.multiply(Int128(a), Int128(b)) == expected, "\(a) × \(b)")
            }
        }
    }

    @Test func matchesFixedOnPseudoRandomOperands() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let shift = state >> 58  // 0…63 significant bits
            return Int64(bitPattern: state) >> shift
        }
        for _ in 0..<100_000 {
            let a = next()
            let b = next()
            let expected = Fixed(raw: Int128(a)).multiplied(by: Fixed(raw: Int128(b)))?.raw
            #expect(FixedMath.multiply(Int128(a), Int128(b)) == expected, "\(a) × \(b)")
        }
    }

    /// The state updates' quotient (one 128-by-64-bit division when it fits)
    /// gives exactly `Fixed.divided`'s results, nil for a zero divisor.
    @Test func quotientMatchesFixed() {
        for a in Self.operands {
            for b in Self.operands {
                let expected = Fixed(raw: Int128(a)).divided(by: Fixed(raw: Int128(b)))?.raw
                #expect(FixedMath.quotient(Int128(a), Int128(b)) == expected, "\(a) ÷ \(b)")
            }
        }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64(bitPattern: state) >> (state >> 58)
        }
        for _ in 0..<100_000 {
            let a = next()
            let b = next()
            let expected = Fixed(raw: Int128(a)).divided(by: Fixed(raw: Int128(b)))?.raw
            #expect(FixedMath.quotient(Int128(a), Int128(b)) == expected, "\(a) ÷ \(b)")
        }
        // Ties round to even: 1 ÷ 2 × 10⁻⁸ units and 3 ÷ 2.
        #expect(FixedMath.quotient(1, 200_000_000) == 0)
        #expect(FixedMath.quotient(3, 200_000_000) == 2)
        #expect(FixedMath.quotient(-3, 200_000_000) == -2)
    }
}
