/// The flat, pointer-based forms of the IR that the hot path reads: no
/// Swift arrays (so no reference counting), only `RawBuffer`s and integers.

import WritIR

/// A data table: key → row, and its columns.
struct TableRT: BitwiseCopyable {
    var keyKind: ValueKind
    /// For text keys: row + 1 per static symbol id (0: none).
    var rowOfSymbol: RawBuffer<Int32>
    /// For other keys: keys sorted ascending and their rows.
    var sortedKeys: RawBuffer<Int128>
    var sortedRows: RawBuffer<Int32>
    /// Index of its first column in `EngineProgram.columns`.
    var firstColumn: Int
    var columnCount: Int
    /// 0 data table, 1 map constant, 2 list constant.
    var anonymous: Int
    /// For a table bound at run time: its binding's index (-1: the rows are the program's).
    var binding: Int32 = -1
    /// For a bound table: whether the host has bound it.
    var isBound = false
    /// For a bound table: key symbol id → row, the key id of each row, the
    /// rows in use and the rows its column buffers hold (`BoundTables.swift`).
    var boundRows: OpenTable<Int32>? = nil
    var rowKeys: RawBuffer<Int128>? = nil
    var rowCount = 0
    var rowCapacity = 0

    /// The row of `key`, -1 if none, -2 if the table is bound data that is not bound.
    @inline(__always)
    func row(_ key: Int128) -> Int {
        if binding >= 0 {
            guard isBound, let t = boundRows else { return -2 }
            guard let s = t.find(UInt64(truncatingIfNeeded: key)) else { return -1 }
            return Int(t.value(s))
        }
        if keyKind.isText {
            guard key >= 0, key < Int128(rowOfSymbol.count) else { return -1 }
            return Int(rowOfSymbol[Int(key)]) - 1
        }
        var lo = 0
        var hi = sortedKeys.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            let k = sortedKeys[mid]
            if k == key { return Int(sortedRows[mid]) }
            if k < key { lo = mid + 1 } else { hi = mid }
        }
        return -1
    }
}

/// A column: cells row by row, `width` slots each.
struct ColumnRT: BitwiseCopyable {
    var cells: RawBuffer<Int128>
    var width: Int
}

/// A constant set.
struct SetRT: BitwiseCopyable {
    /// Bits over [0, bits.count × 64) for text ids and enum cases (count 0: use `sorted`).
    var bits: RawBuffer<UInt64>
    var sorted: RawBuffer<Int128>

    @inline(__always)
    func contains(_ x: Int128) -> Bool {
        if bits.count > 0 {
            guard x >= 0, x < Int128(bits.count * 64) else { return false }
            let i = Int(x)
            return bits[i >> 6] & (1 << UInt64(i & 63)) != 0
        }
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            let k = sorted[mid]
            if k == x { return true }
            if k < x { lo = mid + 1 } else { hi = mid }
        }
        return false
    }

    /// How many members m satisfy m < x, m <= x, m > x, m >= x (comparison
    /// 0…3); members are sorted ascending and distinct (`rank`).
    @inline(__always)
    func rank(_ x: Int128, _ comparison: Int) -> Int {
        // The first member above x (`<=`) or at least x (`<`).
        let inclusive = comparison == 1 || comparison == 2
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if inclusive ? sorted[mid] <= x : sorted[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return comparison <= 1 ? lo : sorted.count - lo
    }
}

/// A jurisdiction as the decision loop sees it.
struct JurisdictionRT: BitwiseCopyable {
    /// The block of `applies`, or -1 when the index decided it.
    var appliesBlock: Int32
    /// Its discriminating fields: range in `EngineProgram.indexFieldSlot`/`indexStride`.
    var firstIndexField: Int32
    var indexFieldCount: Int32
    /// Offset of its combination table in `EngineProgram.ruleListOffset`.
    var firstCombination: Int32
}

/// A rule.
struct RuleRT: BitwiseCopyable {
    /// Its block; -1: never fires; -2: always fires.
    var block: Int32
    var severity: IRSeverity
    /// Its block is `killed r, s[x]; ret r` (x an input slot): it cannot
    /// fire while no kill switch is set, and is then not run at all.
    var killOnly = false
    /// Marks such a rule's entry in `EngineProgram.ruleListEntries`.
    static let killOnlyBit: Int32 = 1 << 30
}

/// A state slot.
struct SlotRT: BitwiseCopyable {
    var kind: IRStateKind
    var window: Int64
    var scope: Int
    var keyBlock: Int32
    var amountKind: ValueKind
}

/// A `between` range.
struct BetweenRT: BitwiseCopyable {
    var zone: Int
    var from: Int64
    var to: Int64
}

/// A time zone's UTC offsets.
struct ZoneRT: BitwiseCopyable {
    var transitions: RawBuffer<Int64>
    var offsets: RawBuffer<Int32>

    /// The offset in seconds at `ts` (ns since the epoch).
    @inline(__always)
    func offset(at ts: Int64) -> Int64 {
        var lo = 0
        var hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if transitions[mid] <= ts { lo = mid + 1 } else { hi = mid }
        }
        return Int64(offsets[lo])
    }
}

/// A field of a schema, as the decoder and the engine see it.
struct FieldRT: BitwiseCopyable {
    var slot: Int32
    var kind: ValueKind
    var optional: Bool
    /// Index into `EngineProgram.enumNames`, or -1.
    var enumIndex: Int32
    /// Global index of the currency sibling of a `money(f)` field, or -1.
    var currencyField: Int32
    /// Symbol id of a `money(EUR)` field's currency, or -1.
    var fixedCurrency: Int32
    /// The derived default's block, or -1.
    var defaultBlock: Int32
    var schema: Int32
}

/// An allocation-free map from names (byte strings) to small integers.
struct NameIndex: BitwiseCopyable {
    let bytes: RawBuffer<UInt8>
    let offsets: RawBuffer<Int32>
    let values: RawBuffer<Int32>
    let table: RawBuffer<Int32>
    let mask: Int

    init(_ names: [(String, Int)]) {
        var all: [UInt8] = []
        var offs: [Int32] = [0]
        for (n, _) in names {
            all.append(contentsOf: n.utf8)
            offs.append(Int32(all.count))
        }
        bytes = RawBuffer(all)
        offsets = RawBuffer(offs)
        values = RawBuffer(names.map { Int32($0.1) })
        var size = 8
        while size < names.count * 2 { size *= 2 }
        mask = size - 1
        let t = RawBuffer<Int32>(zeroed: size)
        for (k, (n, _)) in names.enumerated() {
            let u = Array(n.utf8)
            let h = u.withUnsafeBytes { TextHash.hash($0.baseAddress ?? UnsafeRawPointer(t.base), u.count) }
            var s = Int(truncatingIfNeeded: h) & (size - 1)
            while t[s] != 0 { s = (s + 1) & (size - 1) }
            t[s] = Int32(k + 1)
        }
        table = t
    }

    func free() {
        bytes.free()
        offsets.free()
        values.free()
        table.free()
    }

    /// The value of the name `p[0..<n]`, or -1.
    @inline(__always)
    func lookup(_ p: UnsafeRawPointer, _ n: Int) -> Int {
        var s = Int(truncatingIfNeeded: TextHash.hash(p, n)) & mask
        while true {
            let e = Int(table[s])
            if e == 0 { return -1 }
            let k = e - 1
            let start = Int(offsets[k])
            if Int(offsets[k + 1]) - start == n && Bytes.equal(p, bytes.base + start, n) { return Int(values[k]) }
            s = (s + 1) & mask
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
