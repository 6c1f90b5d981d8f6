/// A small validator for `matches` patterns (RE2 syntax, which the engine
/// compiles): balanced groups and classes, quantifiers that follow
/// something, well-formed repetition counts, and none of the constructs RE2
/// rejects (backreferences, lookaround).

/// Validates regular expressions at check time.
enum RegexCheck {
    /// nil if `pattern` is acceptable, otherwise the reason.
    static func problem(in pattern: String) -> String? {
        let c = Array(pattern.unicodeScalars)
        var i = 0
        var depth = 0
        var canRepeat = false  // whether a quantifier may follow
        while i < c.count {
            let ch = c[i]
            switch ch {
            case "\\":
                guard i + 1 < c.count else { return "it ends with a lone `\\`" }
                let n = c[i + 1]
                if n.properties.numericType != nil, n != "0" {
                    return "backreferences such as `\\\(n)` are not supported"
                }
                i += 2
                canRepeat = true
                continue
            case "(":
                if i + 2 < c.count, c[i + 1] == "?" {
                    let k = c[i + 2]
                    if k == "=" || k == "!" { return "lookahead `(?\(k)` is not supported" }
                    if k == "<", i + 3 < c.count, c[i + 3] == "=" || c[i + 3] == "!" {
                        return "lookbehind is not supported"
                    }
                }
                depth += 1
                canRepeat = false
            case ")":
                if depth == 0 { return "a `)` has no matching `(`" }
                depth -= 1
                canRepeat = true
            case "[":
                guard let end = classEnd(c, from: i) else { return "a `[` is not closed" }
                i = end + 1
                canRepeat = true
                continue
            case "*", "+", "?":
                if !canRepeat { return "`\(ch)` does not follow anything it could repeat" }
                // A lazy or possessive marker may follow once.
                if i + 1 < c.count, c[i + 1] == "?" { i += 1 }
                canRepeat = false
            case "{":
                if let (end, lo, hi) = repetition(c, from: i) {
                    if !canRepeat { return "`{` does not follow anything it could repeat" }
                    if let hi, hi < lo { return "the repetition `{\(lo),\(hi)}` has its bounds reversed" }
                    if lo > 1000 || (hi ?? 0) > 1000 { return "repetition counts above 1000 are not supported" }
                    i = end + 1
                    canRepeat = false
                    continue
                }
                canRepeat = true  // a literal `{`
            case "|":
                canRepeat = false
            case "^", "$":
                canRepeat = false
            default:
                canRepeat = true
            }
            i += 1
        }
        if depth > 0 { return "a `(` is not closed" }
        return nil
    }

    /// The index of the `]` closing the class that opens at `start`.
    private static func classEnd(_ c: [Unicode.Scalar], from start: Int) -> Int? {
        var i = start + 1
        if i < c.count, c[i] == "^" { i += 1 }
        if i < c.count, c[i] == "]" { i += 1 }  // a leading `]` is literal
        while i < c.count {
            if c[i] == "\\" {
                i += 2
                continue
            }
            if c[i] == "[", i + 1 < c.count, c[i + 1] == ":" {
                // [:alpha:]
                var j = i + 2
                while j + 1 < c.count, !(c[j] == ":" && c[j + 1] == "]") { j += 1 }
                i = j + 2
                continue
            }
            if c[i] == "]" { return i }
            i += 1
        }
        return nil
    }

    /// `{n}`, `{n,}`, `{n,m}` at `start`: its end and bounds; nil if not a repetition.
    private static func repetition(_ c: [Unicode.Scalar], from start: Int) -> (Int, Int, Int?)? {
        var i = start + 1
        func number() -> Int? {
            var v = 0
            var any = false
            while i < c.count, let d = c[i].properties.numericType, d == .decimal, c[i].isASCII {
                v = min(v * 10 + Int(c[i].value - 48), 100_000)
                i += 1
                any = true
            }
            return any ? v : nil
        }
        guard let lo = number() else { return nil }
        var hi: Int? = lo
        if i < c.count, c[i] == "," {
            i += 1
            hi = number()
        }
        guard i < c.count, c[i] == "}" else { return nil }
        return (i, lo, hi)
    }
}
