/// A small JSON reader (RFC 8259) for the reports' inputs: event lines of
/// the input contract, the engine's decision lines and the firm's
/// configuration. Numbers keep their text, so decimals stay exact; objects
/// keep their members in order.

/// A JSON value.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as written.
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; a member given twice keeps both (`member` reads the last).
    case object([(key: String, value: JSONValue)])

    /// The last member named `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// What the value is, for messages: `a string`, `a number`, ….
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Parses one JSON text; the error says where it breaks (`line 3, column 7: …`).
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var p = JSONParser(Array(text.utf8))
        return try p.document()
    }

    /// Two values are equal when they are the same JSON (object members in order).
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// Hashes the value.
    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(b)
        case .number(let n): h.combine(n)
        case .string(let s): h.combine(s)
        case .array(let a): h.combine(a)
        case .object(let m):
            for (k, v) in m {
                h.combine(k)
                h.combine(v)
            }
        }
    }
}

/// Where and why a JSON text is not valid.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column (in bytes).
    public var column: Int
    /// What is wrong.
    public var message: String

    /// `line 1, column 9: expected `:``.
    public var description: String { "line \(line), column \(column): \(message)" }
}

private struct JSONParser {
    let b: [UInt8]
    var i = 0
    var depth = 0

    init(_ b: [UInt8]) { self.b = b }

    mutating func document() throws(JSONParseError) -> JSONValue {
        skip()
        let v = try value()
        skip()
        if i < b.count { throw fail("unexpected text after the JSON value") }
        return v
    }

    func fail(_ m: String) -> JSONParseError {
        var line = 1
        var col = 1
        for k in 0..<min(i, b.count) {
            if b[k] == 0x0A {
                line += 1
                col = 1
            } else {
                col += 1
            }
        }
        return JSONParseError(line: line, column: col, message: m)
    }

    mutating func skip() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    mutating func value() throws(JSONParseError) -> JSONValue {
        guard i < b.count else { throw fail("unexpected end of the text") }
        switch b[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let w = word.withUTF8Buffer { Array($0) }
        guard i + w.count <= b.count, Array(b[i..<i + w.count]) == w else { throw fail("unexpected character") }
        i += w.count
    }

    mutating func object() throws(JSONParseError) -> JSONValue {
        depth += 1
        if depth > 64 { throw fail("the JSON is nested more than 64 deep") }
        defer { depth -= 1 }
        i += 1
        var members: [(key: String, value: JSONValue)] = []
        skip()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            return .object(members)
        }
        while true {
            skip()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
            let k = try string()
            skip()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected `:`") }
            i += 1
            skip()
            members.append((k, try value()))
            skip()
            guard i < b.count else { throw fail("unexpected end of the text") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if b[i] == UInt8(ascii: "}") {
                i += 1
                return .object(members)
            }
            throw fail("expected `,` or `}`")
        }
    }

    mutating func array() throws(JSONParseError) -> JSONValue {
        depth += 1
        if depth > 64 { throw fail("the JSON is nested more than 64 deep") }
        defer { depth -= 1 }
        i += 1
        var items: [JSONValue] = []
        skip()
        if i < b.count, b[i] == UInt8(ascii: "]") {
            i += 1
            return .array(items)
        }
        while true {
            skip()
            items.append(try value())
            skip()
            guard i < b.count else { throw fail("unexpected end of the text") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if b[i] == UInt8(ascii: "]") {
                i += 1
                return .array(items)
            }
            throw fail("expected `,` or `]`")
        }
    }

    mutating func number() throws(JSONParseError) -> String {
        let start = i
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        func digits(_ p: inout JSONParser) -> Int {
            let s = p.i
            while p.i < p.b.count, p.b[p.i] >= 0x30, p.b[p.i] <= 0x39 { p.i += 1 }
            return p.i - s
        }
        let intStart = i
        let n = digits(&self)
        guard n > 0 else { throw fail("unexpected character") }
        if n > 1 && b[intStart] == UInt8(ascii: "0") { throw fail("a number cannot start with 0") }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&self) > 0 else { throw fail("expected digits after `.`") }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { throw fail("expected digits in the exponent") }
        }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    mutating func string() throws(JSONParseError) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < b.count else { throw fail("unterminated string") }
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                break
            }
            if c < 0x20 { throw fail("a control character in a string must be escaped") }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < b.count else { throw fail("unterminated string") }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                        throw fail("a lone surrogate in a string")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail("a lone surrogate in a string") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail("a lone surrogate in a string")
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default:
                throw fail("unknown escape in a string")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard i + 4 <= b.count else { throw fail("expected 4 hex digits after `\\u`") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("expected 4 hex digits after `\\u`")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}
