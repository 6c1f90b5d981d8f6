/// Checks of the identifiers regulators use: LEI (ISO 17442, with its ISO
/// 7064 MOD 97-10 check digits), ISIN (ISO 6166, Luhn check digit), MIC,
/// country and currency codes. The ESMA schemas check only the shapes; the
/// check digits are checked here, because an authority rejects an LEI or an
/// ISIN that cannot exist.

/// Identifier checks.
public enum Identifiers {
    /// Whether `s` has the shape of an LEI: 18 capital letters or digits, then 2 digits.
    public static func hasLEIShape(_ s: String) -> Bool {
        guard s.utf8.count == 20 else { return false }
        var i = 0
        for c in s.utf8 {
            guard i < 18 ? isUpperAlnum(c) : isDigit(c) else { return false }
            i += 1
        }
        return true
    }

    /// Whether `s` is an LEI whose check digits hold (ISO 7064 MOD 97-10:
    /// letters as 10–35, the whole number mod 97 is 1).
    public static func isValidLEI(_ s: String) -> Bool {
        hasLEIShape(s) && mod97(s.utf8) == 1
    }

    /// The two check digits that complete an 18-character LEI prefix.
    public static func leiCheckDigits(_ prefix: String) -> String? {
        let b = Array(prefix.utf8)
        guard b.count == 18, b.allSatisfy(isUpperAlnum) else { return nil }
        let r = mod97(b + [0x30, 0x30])
        let check = 98 - r
        return check < 10 ? "0\(check)" : "\(check)"
    }

    /// Whether `s` has the shape of an ISIN: 2 letters, 9 letters or digits, a digit.
    public static func hasISINShape(_ s: String) -> Bool {
        guard s.utf8.count == 12 else { return false }
        var i = 0
        for c in s.utf8 {
            guard i < 2 ? isUpper(c) : (i < 11 ? isUpperAlnum(c) : isDigit(c)) else { return false }
            i += 1
        }
        return true
    }

    /// Whether `s` is an ISIN whose check digit holds (letters as 10–35,
    /// then the Luhn algorithm over the digits).
    public static func isValidISIN(_ s: String) -> Bool {
        guard hasISINShape(s) else { return false }
        // Letters become two digits; the Luhn sum runs from the last digit,
        // doubling every second one.
        var sum = 0
        var k = 0
        func add(_ d: Int) {
            var x = d
            if k % 2 == 1 {
                x *= 2
                if x > 9 { x -= 9 }
            }
            sum += x
            k += 1
        }
        for c in s.utf8.reversed() {
            let v = value(c)
            if v >= 10 {
                add(v % 10)
                add(v / 10)
            } else {
                add(v)
            }
        }
        return sum % 10 == 0
    }

    /// Whether `s` has the shape of a MIC: 4 capital letters or digits.
    public static func isMIC(_ s: String) -> Bool {
        s.utf8.count == 4 && s.utf8.allSatisfy(isUpperAlnum)
    }

    /// Whether `s` is 2 capital letters (an ISO 3166 country code's shape).
    public static func isCountryCode(_ s: String) -> Bool {
        s.utf8.count == 2 && s.utf8.allSatisfy(isUpper)
    }

    /// Whether `s` is 3 capital letters (an ISO 4217 currency code's shape).
    public static func isCurrencyCode(_ s: String) -> Bool {
        s.utf8.count == 3 && s.utf8.allSatisfy(isUpper)
    }

    /// Whether every character of `s` is a capital letter or a digit, and it
    /// has 1 to `maxLength` of them (ESMA's `[A-Z0-9]{1,n}` identifiers).
    public static func isUpperAlphanumeric(_ s: String, maxLength: Int) -> Bool {
        let n = s.utf8.count
        return n > 0 && n <= maxLength && s.utf8.allSatisfy(isUpperAlnum)
    }

    /// `s` in capitals without the characters outside `[A-Z0-9]`: how an
    /// execution id becomes an RTS 22 transaction id (`E-1` → `E1`).
    public static func upperAlphanumeric(_ s: String) -> String {
        if isUpperAlphanumeric(s, maxLength: Int.max) { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for c in s.utf8 {
            if isUpperAlnum(c) {
                out.append(c)
            } else if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") {
                out.append(c - 32)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `s` has a character XML 1.0 cannot carry or a line break
    /// (the RTS 22 writer keeps one transaction per line).
    static func hasControlCharacters(_ s: String) -> Bool {
        s.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    private static func isUpperAlnum(_ c: UInt8) -> Bool { isDigit(c) || isUpper(c) }
    private static func value(_ c: UInt8) -> Int { isDigit(c) ? Int(c - 0x30) : Int(c - 0x41) + 10 }

    private static func mod97<C: Sequence<UInt8>>(_ b: C) -> Int {
        var r = 0
        for c in b {
            let v = value(c)
            r = v >= 10 ? (r * 100 + v) % 97 : (r * 10 + v) % 97
        }
        return r
    }
}
