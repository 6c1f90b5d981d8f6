/// An allocation-free reader of one JSON line (RFC 8259), as strict as the
/// oracle's: it validates the whole document, remembers the top-level
/// members of an object (key and value as byte ranges of the line), and
/// the first top-level `"id"` string as soon as it has been read, so that a
/// line broken after its id still names it.

/// The JSON type of a member's value.
enum JSONKind: UInt8, BitwiseCopyable {
    case string, number, object, array, trueValue, falseValue, null
}

/// One top-level member of an object.
struct JSONMember: BitwiseCopyable {
    var keyStart: Int32
    var keyEnd: Int32
    var keyEscaped: Bool
    var kind: JSONKind
    /// For strings: the bytes between the quotes; otherwise the token.
    var valueStart: Int32
    var valueEnd: Int32
    var valueEscaped: Bool
}

/// The outcome of scanning a line.
enum ScanResult {
    /// A JSON object; its members are in the scanner's buffer.
    case object(count: Int)
    /// Valid JSON that is not an object.
    case notObject
    /// Not valid JSON (or members beyond the buffer's capacity).
    case invalid
}

/// Scans lines into a fixed buffer of members.
struct JSONScanner {
    static let maxDepth = 64
    static let maxMembers = 256
    let members: RawBuffer<JSONMember>
    private var p: UnsafePointer<UInt8> = UnsafePointer(bitPattern: 1)!
    private var n = 0
    private var i = 0
    private var depth = 0
    private var count = 0
    /// The first top-level `"id"` string member (index into `members`), or -1.
    private(set) var idMember = -1

    init() { members = RawBuffer(zeroed: JSONScanner.maxMembers) }

    /// The top-level members of the last line scanned.
    var memberCount: Int { count }

    func free() { members.free() }

    /// Scans `line`.
    mutating func scan(_ line: UnsafeRawBufferPointer) -> ScanResult {
        guard let base = line.baseAddress else { return .invalid }
        p = base.assumingMemoryBound(to: UInt8.self)
        n = line.count
        i = 0
        depth = 0
        count = 0
        idMember = -1
        skipSpace()
        guard i < n else { return .invalid }
        let isObject = p[i] == 0x7B
        guard value(topLevel: true) else { return .invalid }
        skipSpace()
        guard i == n else { return .invalid }
        return isObject ? .object(count: count) : .notObject
    }

    @inline(__always)
    private mutating func skipSpace() {
        while i < n {
            let b = p[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1 } else { break }
        }
    }

    private mutating func value(topLevel: Bool = false) -> Bool {
        guard i < n else { return false }
        switch p[i] {
        case 0x7B: return object(topLevel: topLevel)
        case 0x5B: return array()
        case 0x22:
            var esc = false
            return string(&esc)
        case 0x74: return word(0x74, 0x72, 0x75, 0x65)
        case 0x66:
            guard i + 5 <= n, p[i + 1] == 0x61, p[i + 2] == 0x6C, p[i + 3] == 0x73, p[i + 4] == 0x65 else { return false }
            i += 5
            return true
        case 0x6E: return word(0x6E, 0x75, 0x6C, 0x6C)
        default: return number()
        }
    }

    private mutating func word(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Bool {
        guard i + 4 <= n, p[i] == a, p[i + 1] == b, p[i + 2] == c, p[i + 3] == d else { return false }
        i += 4
        return true
    }

    private mutating func object(topLevel: Bool) -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= JSONScanner.maxDepth else { return false }
        i += 1
        skipSpace()
        if i < n, p[i] == 0x7D {
            i += 1
            return true
        }
        while true {
            skipSpace()
            guard i < n, p[i] == 0x22 else { return false }
            let keyStart = i + 1
            var keyEscaped = false
            guard string(&keyEscaped) else { return false }
            let keyEnd = i - 1
            skipSpace()
            guard i < n, p[i] == 0x3A else { return false }
            i += 1
            skipSpace()
            guard i < n else { return false }
            let first = p[i]
            let valueStart = i
            var valueEscaped = false
            let ok: Bool
            if first == 0x22 {
                ok = string(&valueEscaped)
            } else {
                ok = value()
            }
            guard ok else { return false }
            if topLevel {
                guard count < JSONScanner.maxMembers else { return false }
                let kind: JSONKind
                switch first {
                case 0x22: kind = .string
                case 0x7B: kind = .object
                case 0x5B: kind = .array
                case 0x74: kind = .trueValue
                case 0x66: kind = .falseValue
                case 0x6E: kind = .null
                default: kind = .number
                }
                let m = JSONMember(
                    keyStart: Int32(keyStart), keyEnd: Int32(keyEnd), keyEscaped: keyEscaped, kind: kind,
                    valueStart: Int32(kind == .string ? valueStart + 1 : valueStart),
                    valueEnd: Int32(kind == .string ? i - 1 : i), valueEscaped: valueEscaped)
                members[count] = m
                if idMember < 0, kind == .string, isID(m) { idMember = count }
                count += 1
            }
            skipSpace()
            guard i < n else { return false }
            if p[i] == 0x2C {
                i += 1
                continue
            }
            if p[i] == 0x7D {
                i += 1
                return true
            }
            return false
        }
    }

    /// Whether the member's key is `id` (an escaped key never matches here;
    /// the decoder compares unescaped keys).
    private func isID(_ m: JSONMember) -> Bool {
        !m.keyEscaped && m.keyEnd - m.keyStart == 2 && p[Int(m.keyStart)] == 0x69 && p[Int(m.keyStart) + 1] == 0x64
    }

    private mutating func array() -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= JSONScanner.maxDepth else { return false }
        i += 1
        skipSpace()
        if i < n, p[i] == 0x5D {
            i += 1
            return true
        }
        while true {
            skipSpace()
            guard value() else { return false }
            skipSpace()
            guard i < n else { return false }
            if p[i] == 0x2C {
                i += 1
                continue
            }
            if p[i] == 0x5D {
                i += 1
                return true
            }
            return false
        }
    }

    /// A string starting at its opening quote; ends after the closing quote.
    private mutating func string(_ escaped: inout Bool) -> Bool {
        i += 1
        while i < n {
            // Eight bytes at a time up to a quote, a backslash, a control
            // character or a byte of a multi-byte UTF-8 sequence (the lowest
            // flagged byte of each test is a true one).
            while i + 8 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101
                let quote = w ^ (ones &* 0x22)
                let backslash = w ^ (ones &* 0x5C)
                let flagged =
                    ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (w &- ones &* 0x20) & ~w | w)
                    & (ones &* 0x80)
                if flagged != 0 {
                    i += flagged.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            guard i < n else { return false }
            let b = p[i]
            if b == 0x22 {
                i += 1
                return true
            }
            if b < 0x20 { return false }
            if b >= 0x80 {
                // JSON text is UTF-8: a malformed sequence (a stray
                // continuation byte, an overlong form, a surrogate, beyond
                // U+10FFFF, cut short) makes the line invalid.
                guard let length = utf8Sequence(at: i) else { return false }
                i += length
                continue
            }
            if b == 0x5C {
                escaped = true
                i += 1
                guard i < n else { return false }
                switch p[i] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    i += 1
                case 0x75:
                    i += 1
                    guard let hi = hex4() else { return false }
                    if hi >= 0xD800 && hi < 0xDC00 {
                        guard i + 1 < n, p[i] == 0x5C, p[i + 1] == 0x75 else { return false }
                        i += 2
                        guard let lo = hex4(), lo >= 0xDC00 && lo < 0xE000 else { return false }
                    } else if hi >= 0xDC00 && hi < 0xE000 {
                        return false
                    }
                default:
                    return false
                }
                continue
            }
            i += 1
        }
        return false
    }

    /// The length of the well-formed UTF-8 sequence at `at` (Unicode's
    /// table 3-7), or nil.
    private func utf8Sequence(at k: Int) -> Int? {
        let b0 = p[k]
        func continuation(_ j: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            k + j < n && p[k + j] >= lo && p[k + j] <= hi
        }
        switch b0 {
        case 0xC2...0xDF: return continuation(1) ? 2 : nil
        case 0xE0: return continuation(1, 0xA0) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : nil
        case 0xED: return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : nil
        case 0xF0: return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4: return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default: return nil
        }
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= n else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    private mutating func number() -> Bool {
        let start = i
        if i < n, p[i] == 0x2D { i += 1 }
        guard i < n, p[i] >= 0x30, p[i] <= 0x39 else { return false }
        if p[i] == 0x30 {
            i += 1
        } else {
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        }
        if i < n, p[i] == 0x2E {
            i += 1
            let d = i
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
            guard i > d else { return false }
        }
        if i < n, p[i] == 0x65 || p[i] == 0x45 {
            i += 1
            if i < n, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
            let d = i
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
            guard i > d else { return false }
        }
        return i > start
    }

    /// Unescapes the string bytes `[start, end)` of `line` into `out` (capacity
    /// `cap`); returns the length, or -1 if longer than `cap`. (No nested
    /// functions: one captured in `&&` boxed `o`, which `@_noAllocation`
    /// callers such as the table controls cannot have.)
    static func unescape(
        _ line: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into out: UnsafeMutablePointer<UInt8>, cap: Int
    ) -> Int {
        var o = 0
        var k = start
        while k < end {
            let b = line[k]
            if b != 0x5C {
                guard o < cap else { return -1 }
                out[o] = b
                o += 1
                k += 1
                continue
            }
            let e = line[k + 1]
            k += 2
            var cp: UInt32
            switch e {
            case 0x62: cp = 0x08
            case 0x66: cp = 0x0C
            case 0x6E: cp = 0x0A
            case 0x72: cp = 0x0D
            case 0x74: cp = 0x09
            case 0x75:
                cp = hex(line, k)
                k += 4
                if cp >= 0xD800 && cp < 0xDC00 {
                    let lo = hex(line, k + 2)
                    k += 6
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                }
            default: cp = UInt32(e)
            }
            o = put(cp, out, o, cap)
            guard o >= 0 else { return -1 }
        }
        return o
    }

    /// The four hex digits at `line[at...]`.
    @inline(__always)
    private static func hex(_ line: UnsafePointer<UInt8>, _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for j in 0..<4 {
            let c = line[at + j]
            let d: UInt32 = c <= 0x39 ? UInt32(c - 0x30) : (c <= 0x46 ? UInt32(c - 0x41 + 10) : UInt32(c - 0x61 + 10))
            v = v * 16 + d
        }
        return v
    }

    /// Writes code point `cp` in UTF-8 at `out[o...]`; the next offset, or -1 past `cap`.
    @inline(__always)
    private static func put(_ cp: UInt32, _ out: UnsafeMutablePointer<UInt8>, _ o: Int, _ cap: Int) -> Int {
        if cp < 0x80 {
            guard o + 1 <= cap else { return -1 }
            out[o] = UInt8(cp)
            return o + 1
        }
        if cp < 0x800 {
            guard o + 2 <= cap else { return -1 }
            out[o] = UInt8(0xC0 | (cp >> 6))
            out[o + 1] = UInt8(0x80 | (cp & 0x3F))
            return o + 2
        }
        if cp < 0x10000 {
            guard o + 3 <= cap else { return -1 }
            out[o] = UInt8(0xE0 | (cp >> 12))
            out[o + 1] = UInt8(0x80 | ((cp >> 6) & 0x3F))
            out[o + 2] = UInt8(0x80 | (cp & 0x3F))
            return o + 3
        }
        guard o + 4 <= cap else { return -1 }
        out[o] = UInt8(0xF0 | (cp >> 18))
        out[o + 1] = UInt8(0x80 | ((cp >> 12) & 0x3F))
        out[o + 2] = UInt8(0x80 | ((cp >> 6) & 0x3F))
        out[o + 3] = UInt8(0x80 | (cp & 0x3F))
        return o + 4
    }
}
