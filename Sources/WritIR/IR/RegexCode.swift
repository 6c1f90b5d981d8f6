/// Regular expressions of `matches`, compiled to a small NFA program over
/// Unicode scalars (Thompson's construction): literals, `.`, classes with
/// ranges and negation, `\d \w \s` and their negations, `^`, `$`, groups,
/// `|`, and the quantifiers `* + ? {n} {n,} {n,m}` (lazy and possessive
/// markers accepted; they do not change whether a match exists). The
/// engine runs it with a Pike VM that finds a match anywhere in the text.

/// One NFA instruction.
public struct RegexOp: Sendable, Hashable, BitwiseCopyable {
    /// What it does.
    public var kind: Kind
    /// Scalar, class index or first target.
    public var x: Int32
    /// Second target (split) or whether a class is negated.
    public var y: Int32

    /// The instruction kinds.
    @frozen
    public enum Kind: UInt8, Sendable, Hashable, BitwiseCopyable {
        /// Consume scalar `x`.
        case char = 0
        /// Consume any scalar but a newline.
        case any
        /// Consume a scalar in class `x` (not in it when `y` is 1).
        case cls
        /// Continue at `x` and at `y`.
        case split
        /// Continue at `x`.
        case jmp
        /// Only at the start of the text.
        case bol
        /// Only at the end of the text.
        case eol
        /// A match.
        case match
    }

    /// Creates an instruction.
    public init(_ kind: Kind, _ x: Int32 = 0, _ y: Int32 = 0) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// A compiled regular expression.
public struct RegexCode: Sendable, Hashable {
    /// The program; execution starts at 0.
    public var ops: [RegexOp] = []
    /// Classes: for class `i`, ranges `ranges[classStart[i] ..< classStart[i + 1]]` (inclusive bounds).
    public var classStart: [Int32] = [0]
    /// Inclusive scalar ranges, low and high.
    public var ranges: [(UInt32, UInt32)] = []

    /// Creates a program from its parts.
    public init(ops: [RegexOp] = [], classStart: [Int32] = [0], ranges: [(UInt32, UInt32)] = []) {
        self.ops = ops
        self.classStart = classStart
        self.ranges = ranges
    }

    /// The most instructions a pattern may compile to.
    public static let maxOps = 4096

    public static func == (a: RegexCode, b: RegexCode) -> Bool {
        a.ops == b.ops && a.classStart == b.classStart && a.ranges.map(\.0) == b.ranges.map(\.0)
            && a.ranges.map(\.1) == b.ranges.map(\.1)
    }

    public func hash(into h: inout Hasher) {
        h.combine(ops)
        h.combine(classStart)
    }

    /// Compiles `pattern`; nil (with the reason) if it uses what is not supported.
    public static func compile(_ pattern: String) -> Result<RegexCode, RegexError> {
        var p = RegexParser(Array(pattern.unicodeScalars))
        let ast: RegexNode
        do throws(RegexError) {
            ast = try p.parseAlternation()
            if p.i < p.s.count { throw RegexError("unexpected `\(p.s[p.i])`") }
        } catch {
            return .failure(error)
        }
        var code = RegexCode(ops: [], classStart: [0], ranges: [])
        code.emit(ast)
        code.ops.append(RegexOp(.match))
        if code.ops.count > maxOps { return .failure(RegexError("the pattern is too long")) }
        return .success(code)
    }

    private mutating func emit(_ n: RegexNode) {
        switch n {
        case .empty:
            break
        case .char(let c):
            ops.append(RegexOp(.char, Int32(bitPattern: c)))
        case .any:
            ops.append(RegexOp(.any))
        case .bol:
            ops.append(RegexOp(.bol))
        case .eol:
            ops.append(RegexOp(.eol))
        case .cls(let rs, let negated):
            ranges.append(contentsOf: rs)
            classStart.append(Int32(ranges.count))
            ops.append(RegexOp(.cls, Int32(classStart.count - 2), negated ? 1 : 0))
        case .concat(let xs):
            for x in xs { emit(x) }
        case .alt(let a, let b):
            let split = ops.count
            ops.append(RegexOp(.split))
            emit(a)
            let jump = ops.count
            ops.append(RegexOp(.jmp))
            ops[split].x = Int32(split + 1)
            ops[split].y = Int32(ops.count)
            emit(b)
            ops[jump].x = Int32(ops.count)
        case .repeat(let x, let lo, let hi):
            for _ in 0..<lo { emit(x) }
            if let hi {
                // Up to hi - lo optional copies.
                var splits: [Int] = []
                for _ in lo..<hi {
                    splits.append(ops.count)
                    ops.append(RegexOp(.split))
                    emit(x)
                }
                for s in splits {
                    ops[s].x = Int32(s + 1)
                    ops[s].y = Int32(ops.count)
                }
            } else {
                let split = ops.count
                ops.append(RegexOp(.split))
                emit(x)
                ops.append(RegexOp(.jmp, Int32(split)))
                ops[split].x = Int32(split + 1)
                ops[split].y = Int32(ops.count)
            }
        }
    }
}

/// Why a pattern cannot be compiled.
public struct RegexError: Error, Sendable {
    /// The reason.
    public var reason: String
    init(_ r: String) { reason = r }
}

indirect enum RegexNode {
    case empty
    case char(UInt32)
    case any
    case bol
    case eol
    case cls([(UInt32, UInt32)], negated: Bool)
    case concat([RegexNode])
    case alt(RegexNode, RegexNode)
    case `repeat`(RegexNode, Int, Int?)
}

struct RegexParser {
    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    static let digit: [(UInt32, UInt32)] = [(0x30, 0x39)]
    static let word: [(UInt32, UInt32)] = [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]
    static let space: [(UInt32, UInt32)] = [(0x09, 0x0D), (0x20, 0x20)]

    mutating func parseAlternation() throws(RegexError) -> RegexNode {
        var left = try parseConcat()
        while i < s.count, s[i] == "|" {
            i += 1
            let right = try parseConcat()
            left = .alt(left, right)
        }
        return left
    }

    mutating func parseConcat() throws(RegexError) -> RegexNode {
        var items: [RegexNode] = []
        while i < s.count, s[i] != "|", s[i] != ")" {
            var atom = try parseAtom()
            while i < s.count {
                let q = s[i]
                var lo = 0
                var hi: Int?
                if q == "*" {
                    i += 1
                } else if q == "+" {
                    lo = 1
                    i += 1
                } else if q == "?" {
                    hi = 1
                    i += 1
                } else if q == "{", let (a, b) = try parseCount() {
                    lo = a
                    hi = b
                } else {
                    break
                }
                if i < s.count, s[i] == "?" || s[i] == "+" { i += 1 }
                if lo > 1000 || (hi ?? 0) > 1000 { throw RegexError("a repetition count is above 1000") }
                atom = .repeat(atom, lo, hi)
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    /// `{n}`, `{n,}`, `{n,m}`; nil (and no move) if it is a literal brace.
    mutating func parseCount() throws(RegexError) -> (Int, Int?)? {
        var j = i + 1
        func number() -> Int? {
            var v = 0
            var any = false
            while j < s.count, let d = s[j].properties.numericType != nil ? Int(String(s[j])) : nil {
                v = v * 10 + d
                any = true
                j += 1
            }
            return any ? v : nil
        }
        guard let a = number() else { return nil }
        var b: Int? = a
        if j < s.count, s[j] == "," {
            j += 1
            b = number()
        }
        guard j < s.count, s[j] == "}" else { return nil }
        i = j + 1
        if let b, b < a { throw RegexError("a repetition count is backwards") }
        return (a, b)
    }

    mutating func parseAtom() throws(RegexError) -> RegexNode {
        let c = s[i]
        i += 1
        switch c {
        case "(":
            if i + 1 < s.count, s[i] == "?" {
                guard s[i + 1] == ":" else { throw RegexError("the group `(?\(s[i + 1])` is not supported") }
                i += 2
            }
            let inner = try parseAlternation()
            guard i < s.count, s[i] == ")" else { throw RegexError("a `(` is not closed") }
            i += 1
            return inner
        case "[":
            return try parseClass()
        case ".":
            return .any
        case "^":
            return .bol
        case "$":
            return .eol
        case "\\":
            return try parseEscape(inClass: false).node
        case "*", "+", "?":
            throw RegexError("`\(c)` does not follow anything it could repeat")
        default:
            return .char(c.value)
        }
    }

    mutating func parseEscape(inClass: Bool) throws(RegexError) -> (node: RegexNode, ranges: [(UInt32, UInt32)]) {
        guard i < s.count else { throw RegexError("the pattern ends with `\\`") }
        let e = s[i]
        i += 1
        switch e {
        case "d": return (.cls(RegexParser.digit, negated: false), RegexParser.digit)
        case "D": return (.cls(RegexParser.digit, negated: true), [])
        case "w": return (.cls(RegexParser.word, negated: false), RegexParser.word)
        case "W": return (.cls(RegexParser.word, negated: true), [])
        case "s": return (.cls(RegexParser.space, negated: false), RegexParser.space)
        case "S": return (.cls(RegexParser.space, negated: true), [])
        case "n": return (.char(0x0A), [(0x0A, 0x0A)])
        case "t": return (.char(0x09), [(0x09, 0x09)])
        case "r": return (.char(0x0D), [(0x0D, 0x0D)])
        case "f": return (.char(0x0C), [(0x0C, 0x0C)])
        case "v": return (.char(0x0B), [(0x0B, 0x0B)])
        default:
            if e.properties.isAlphabetic || e.properties.numericType != nil {
                throw RegexError("the escape `\\\(e)` is not supported")
            }
            return (.char(e.value), [(e.value, e.value)])
        }
    }

    mutating func parseClass() throws(RegexError) -> RegexNode {
        var negated = false
        if i < s.count, s[i] == "^" {
            negated = true
            i += 1
        }
        var out: [(UInt32, UInt32)] = []
        var first = true
        while i < s.count, s[i] != "]" || first {
            first = false
            var lo: UInt32
            if s[i] == "\\" {
                i += 1
                let (node, rs) = try parseEscape(inClass: true)
                if case .cls(_, true) = node { throw RegexError("a negated escape inside a class is not supported") }
                if rs.count != 1 || rs[0].0 != rs[0].1 {
                    out.append(contentsOf: rs)
                    continue
                }
                lo = rs[0].0
            } else {
                lo = s[i].value
                i += 1
            }
            var hi = lo
            if i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
                i += 1
                if s[i] == "\\" {
                    i += 1
                    let (_, rs) = try parseEscape(inClass: true)
                    guard rs.count == 1 else { throw RegexError("a class range ends in a class") }
                    hi = rs[0].1
                } else {
                    hi = s[i].value
                    i += 1
                }
                if hi < lo { throw RegexError("a class range is backwards") }
            }
            out.append((lo, hi))
        }
        guard i < s.count else { throw RegexError("a `[` is not closed") }
        i += 1
        return .cls(out, negated: negated)
    }
}
