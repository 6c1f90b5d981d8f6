/// `string(x)` of non-text values at run time: the value's text as the
/// oracle prints it, interned. This is the one evaluation path that builds
/// a Swift string (it is rare in rules).

import WritIR
import WritValue

extension Machine {
    /// The interned text of `v` of the kind in `aux` (low byte) and enum (above).
    @inline(never)
    mutating func toText(_ v: Int128, aux: UInt32) -> Int? {
        let kind = ValueKind(rawValue: UInt8(truncatingIfNeeded: aux)) ?? .none
        if kind == .enumeration {
            let e = Int(aux >> 8)
            guard e + 1 < enumCaseStart.count, v >= 0, v < Int128(enumCaseStart[e + 1] - enumCaseStart[e]) else { return nil }
            let id = Int(enumCaseSymbol[Int(enumCaseStart[e]) + Int(v)])
            return id >= 0 ? id : nil
        }
        let text: String
        switch kind {
        case .bool: text = v == 0 ? "false" : "true"
        case .int: text = String(v)
        case .decimal: text = Fixed(raw: v).description
        case .percent: text = "\(Fixed(raw: v).multiplied(by: Fixed(100)) ?? Fixed(raw: v))%"
        case .duration: text = Value.durationText(Int64(truncatingIfNeeded: v))
        case .timestamp: text = "timestamp(\"\(Value.rfc3339(Int64(truncatingIfNeeded: v)))\")"
        default: text = String(v)
        }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { raw in
            symbols.intern(UnsafeRawPointer(raw.baseAddress ?? UnsafeMutableRawPointer(textScratch.base)), raw.count)
        }
    }
}
