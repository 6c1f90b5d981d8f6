/// How checked types map to value kinds and how constant `Value`s are
/// encoded into frame slots (docs/ir.md, "Value encodings").

import WritSema
import WritValue

/// Encodes constants with the program's symbol ids and enum numbering.
struct ValueEncoding {
    /// Symbol text → id (ids are indices of the sorted symbol list).
    let symbolIDs: [String: Int]
    /// Enum name → index in `IRProgram.enums`.
    let enumIndex: [String: Int]
    /// Enum name → case name → case index.
    let enumCases: [String: [String: Int]]

    /// The value kind of a checked type.
    static func kind(_ t: WType) -> ValueKind {
        switch t {
        case .bool: .bool
        case .int: .int
        case .decimal: .decimal
        case .percent: .percent
        case .string: .string
        case .symbol: .symbol
        case .currency: .currency
        case .money: .money
        case .duration: .duration
        case .timestamp: .timestamp
        case .timeOfDay: .timeOfDay
        case .enumeration: .enumeration
        case .optional(let inner): kind(inner)
        case .tuple: .symbol
        default: .none
        }
    }

    /// The id of an interned text.
    func symbol(_ text: String) -> Int128? { symbolIDs[text].map { Int128($0) } }

    /// The slots of `value` encoded as `kind`; nil if it cannot be.
    func encode(_ value: Value, as kind: ValueKind) -> [Int128]? {
        switch (value, kind) {
        case (.null, _):
            return Array(repeating: ValueKind.nullMarker, count: max(1, kind.width))
        case (.bool(let b), .bool):
            return [b ? 1 : 0]
        case (.int(let i), .int):
            return [Int128(i)]
        case (.int(let i), .decimal):
            return [Fixed(Int(i)).raw]
        case (.decimal(let d), .decimal):
            return [d.raw]
        case (.percent(let p), .percent):
            guard let f = p.divided(by: Fixed(100)) else { return nil }
            return [f.raw]
        case (.string(let s), .string), (.symbol(let s), .string), (.string(let s), .symbol),
            (.symbol(let s), .symbol), (.string(let s), .currency), (.symbol(let s), .currency):
            return symbol(s).map { [$0] }
        case (.money(let a, let c), .money):
            return symbol(c).map { [a.raw, $0] }
        case (.duration(let ns), .duration):
            return [Int128(ns)]
        case (.timestamp(let ns), .timestamp):
            return [Int128(ns)]
        case (.timeOfDay(let s, _), .timeOfDay):
            return [Int128(s)]
        case (.enumCase(let t, let c), .enumeration):
            return enumCases[t]?[c].map { [Int128($0)] }
        default:
            return nil
        }
    }

    /// Every text a program's constants, tables and enums mention, sorted by bytes.
    static func collectSymbols(_ p: CheckedProgram) -> [String] {
        var out = Set<String>()
        func walk(_ v: Value) {
            switch v {
            case .string(let s), .symbol(let s): out.insert(s)
            case .money(_, let c): out.insert(c)
            case .list(let xs), .set(let xs): xs.forEach(walk)
            case .map(let es):
                for e in es {
                    walk(e.key)
                    walk(e.value)
                }
            case .timeOfDay(_, let z): out.insert(z)
            default: break
            }
        }
        for v in p.constants.values { walk(v) }
        for c in p.consts { walk(c.value) }
        for s in p.sets { s.values.forEach(walk) }
        for j in p.jurisdictions { for l in j.limits { walk(l.value) } }
        for d in p.data {
            switch d.source {
            case .table(let t):
                for r in t.rows {
                    r.forEach(walk)
                    if t.isComposite { walk(t.key(of: r)) }
                }
                for c in t.columns { if case .money(.fixed(let cur)) = c.type { out.insert(cur) } }
            case .literal(let v): walk(v)
            case .bound: break
            }
        }
        for e in p.enums { e.cases.forEach { out.insert($0) } }
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}
