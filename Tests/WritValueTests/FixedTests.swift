/// Tests of the exact decimal type: parsing, printing, arithmetic, rounding
/// and overflow.
import Testing
import WritValue

@Suite struct FixedTests {
    @Test(arguments: [
        ("123.45", "123.45"), ("-5", "-5"), ("+0.5", "0.5"), ("5_000_000", "5000000"),
        ("0.00000001", "0.00000001"), ("1.50", "1.5"), ("0", "0"), ("-0.0", "0"),
    ])
    func parsesAndPrints(input: String, printed: String) {
        #expect(Fixed(input)?.description == printed)
    }

    @Test(arguments: ["", "-", ".5", "5.", "1..2", "1e5", "0.000000001", "_1", "1__0", "1_", "abc", "1.2.3",
                      "999999999999999999999999999999999999999"])
    func rejectsMalformed(input: String) {
        #expect(Fixed(input) == nil)
    }

    @Test func arithmetic() throws {
        let a = try #require(Fixed("123.45"))
        let b = try #require(Fixed("1000"))
        #expect(a.multiplied(by: b)?.description == "123450")
        #expect(a.adding(b)?.description == "1123.45")
        #expect(a.subtracting(b)?.description == "-876.55")
        #expect(b.divided(by: Fixed(3))?.description == "333.33333333")
        #expect(Fixed(2).divided(by: Fixed(3))?.description == "0.66666667")
        #expect(Fixed(1).divided(by: Fixed(0)) == nil)
        #expect(Fixed(-7).divided(by: Fixed(2))?.description == "-3.5")
    }

    @Test func roundsHalfToEven() throws {
        // 0.00000001 × 0.5 = 0.000000005 → ties to even 0.
        let tiny = try #require(Fixed("0.00000001"))
        let half = try #require(Fixed("0.5"))
        #expect(tiny.multiplied(by: half)?.raw == 0)
        // 0.00000003 × 0.5 = 0.000000015 → 0.00000002.
        let three = try #require(Fixed("0.00000003"))
        #expect(three.multiplied(by: half)?.raw == 2)
        #expect(three.negated().multiplied(by: half)?.raw == -2)
    }

    @Test func wideIntermediates() throws {
        // 10^12 shares at a price of 10^10 does not overflow.
        let qty = try #require(Fixed("1000000000000"))
        let price = try #require(Fixed("10000000000"))
        #expect(qty.multiplied(by: price)?.description == "10000000000000000000000")
        // But 10^20 × 10^20 does.
        let big = try #require(Fixed("100000000000000000000"))
        #expect(big.multiplied(by: big) == nil)
        let max = Fixed(raw: Fixed.maxRaw)
        #expect(max.adding(Fixed(raw: 1)) == nil)
        #expect(max.negated().subtracting(Fixed(raw: 2)) == nil)
    }

    @Test func parsesBytesWithoutStrings() {
        #expect(Fixed.parse(bytes: Array("-12.5".utf8)) == Fixed("-12.5"))
        #expect(Fixed.parse(bytes: Array("x".utf8)) == nil)
    }
}
