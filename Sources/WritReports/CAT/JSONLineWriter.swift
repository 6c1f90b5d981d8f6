/// Writes one JSON object per line into a byte buffer, member by member,
/// without building intermediate values: CAT's newline-delimited JSON.
import WritValue

/// Newline-delimited JSON under construction.
struct JSONLineWriter: ~Copyable {
    /// The text written so far.
    var text: TextBuffer
    private var first = true

    /// A writer with room for `capacity` bytes.
    init(capacity: Int = 1 << 16) { text = TextBuffer(capacity: capacity) }

    /// Starts an object.
    mutating func begin() {
        text.append(UInt8(ascii: "{"))
        first = true
    }

    /// Ends the object and the line.
    mutating func end() {
        text.append(UInt8(ascii: "}"))
        text.append(UInt8(ascii: "\n"))
    }

    private mutating func key(_ name: StaticString) {
        if !first { text.append(UInt8(ascii: ",")) }
        first = false
        text.append(UInt8(ascii: "\""))
        text.append(name)
        text.append(UInt8(ascii: "\""))
        text.append(UInt8(ascii: ":"))
    }

    /// `"name":"value"`.
    mutating func string(_ name: StaticString, _ value: String) {
        key(name)
        quoted(value)
    }

    /// `"name":"value"` for a static text.
    mutating func string(_ name: StaticString, _ value: StaticString) {
        key(name)
        text.append(UInt8(ascii: "\""))
        text.append(value)
        text.append(UInt8(ascii: "\""))
    }

    /// `"name":123`.
    mutating func integer(_ name: StaticString, _ value: Int64) {
        key(name)
        text.appendInt(value)
    }

    /// `"name":123.45` (the decimal's canonical text).
    mutating func decimal(_ name: StaticString, _ value: Fixed) {
        key(name)
        text.appendDecimal(value)
    }

    /// `"name":true`.
    mutating func bool(_ name: StaticString, _ value: Bool) {
        key(name)
        text.append(value ? StaticString("true") : StaticString("false"))
    }

    /// `"name":` followed by whatever `body` appends (a nested object or
    /// array, or a value written without an intermediate string).
    mutating func rawMember(_ name: StaticString, _ body: (inout TextBuffer) -> Void) {
        key(name)
        body(&text)
    }

    /// Appends `value` as a JSON string (RFC 8259 escapes; UTF-8 kept).
    mutating func quoted(_ value: String) { JSONLineWriter.quote(value, into: &text) }

    /// Appends `value` as a JSON string to `out`.
    static func quote(_ value: String, into out: inout TextBuffer) {
        out.append(UInt8(ascii: "\""))
        var v = value
        v.withUTF8 { bytes in
            for c in bytes {
                switch c {
                case UInt8(ascii: "\""): out.append(StaticString("\\\""))
                case UInt8(ascii: "\\"): out.append(StaticString("\\\\"))
                case 0x0A: out.append(StaticString("\\n"))
                case 0x0D: out.append(StaticString("\\r"))
                case 0x09: out.append(StaticString("\\t"))
                case 0..<0x20:
                    out.append(StaticString("\\u00"))
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(hex[Int(c >> 4)])
                    out.append(hex[Int(c & 15)])
                default: out.append(c)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
