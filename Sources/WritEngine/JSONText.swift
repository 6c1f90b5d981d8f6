/// JSON string escaping for decision lines, byte for byte as the oracle
/// writes them: `"` and `\` escaped, control characters as `\n`, `\r`, `\t`,
/// `\b`, `\f` or `\u00xx` (lower-case hex), everything else as is.

/// JSON text helpers.
enum JSONText {
    /// `s` as a JSON string literal, in UTF-8.
    static func quoted(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        append(quoted: Array(s.utf8), to: &out)
        return out
    }

    /// Appends `bytes` (UTF-8) as a JSON string literal.
    static func append(quoted bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(0x22)
        for b in bytes { escape(b, &out) }
        out.append(0x22)
    }

    /// Appends `bytes` (UTF-8) as a JSON string literal.
    static func append(quoted bytes: [UInt8], to out: inout [UInt8]) {
        out.append(0x22)
        for b in bytes { escape(b, &out) }
        out.append(0x22)
    }

    @inline(__always)
    static func escape(_ b: UInt8, _ out: inout [UInt8]) {
        switch b {
        case 0x22: out.append(0x5C); out.append(0x22)
        case 0x5C: out.append(0x5C); out.append(0x5C)
        case 0x0A: out.append(0x5C); out.append(0x6E)
        case 0x0D: out.append(0x5C); out.append(0x72)
        case 0x09: out.append(0x5C); out.append(0x74)
        case 0x08: out.append(0x5C); out.append(0x62)
        case 0x0C: out.append(0x5C); out.append(0x66)
        case 0..<0x20:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
        default: out.append(b)
        }
    }
}
