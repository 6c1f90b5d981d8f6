/// Text of encoded values, for the IR dump and for explanations: decimals
/// in canonical form, money with its currency, symbols quoted, times in
/// RFC 3339.

import WritValue

extension IRProgram {
    /// The text of symbol `id` if it is a build-time symbol.
    public func symbolText(_ id: Int128) -> String? {
        guard id >= 0, id < Int128(symbols.count) else { return nil }
        return symbols[Int(id)]
    }

    /// `value` (and `second`, the currency of money) as Writ-like text.
    public func format(
        _ value: Int128, kind: ValueKind, second: Int128 = 0, enumIndex: Int? = nil,
        text: (Int128) -> String? = { _ in nil }
    ) -> String {
        if value == ValueKind.nullMarker { return "null" }
        func sym(_ v: Int128) -> String { text(v) ?? symbolText(v) ?? "#\(v)" }
        switch kind {
        case .bool: return value == 0 ? "false" : "true"
        case .int: return String(value)
        case .decimal: return Fixed(raw: value).description
        case .percent:
            return (Fixed(raw: value).multiplied(by: Fixed(100))?.description ?? "?") + "%"
        case .string, .symbol, .currency: return Value.quote(sym(value))
        case .money: return "\(Fixed(raw: value)) \(sym(second))"
        case .duration: return Int64(exactly: value).map(Value.durationText) ?? String(value)
        case .timestamp: return Int64(exactly: value).map(Value.rfc3339) ?? String(value)
        case .timeOfDay:
            let s = Int(value)
            let hh = s / 3600
            let mm = s / 60 % 60
            let ss = s % 60
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            return "\(two(hh)):\(two(mm))" + (ss == 0 ? "" : ":\(two(ss))")
        case .enumeration:
            if let e = enumIndex, e < enums.count, value >= 0, value < Int128(enums[e].cases.count) {
                return enums[e].cases[Int(value)]
            }
            return "case \(value)"
        case .none: return "_"
        }
    }
}
