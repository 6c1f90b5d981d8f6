/// The `set` and `remove` control events of bound tables
/// (docs/engine-semantics.md, "Bound tables"), applied without allocating:
/// the line's bytes are read in place, texts are staged in scratch memory
/// sized when the engine is made, every name the path needs (bound tables,
/// their columns, money columns' currencies) is in raw tables built from
/// the IR, and a new row takes one of the rows reserved when the table was
/// bound (a full table refuses the control: fail closed).

import WritIR
import WritValue

/// What the control path of bound tables reads: names and key columns as
/// raw tables, plus the scratch memory of one control.
struct TableControlLayout: BitwiseCopyable {
    /// The control schema's `table` field (-1: none).
    let tableField: Int
    /// Binding names of the bound tables, in declaration order → binding index.
    let tableNames: NameIndex
    /// Per binding: its table (-1: a bound list).
    let tableOfBinding: RawBuffer<Int32>
    /// Per table: its columns' names (→ column index), the currencies of its
    /// columns (empty text for a column that is not money), its key columns.
    let columnNames: RawBuffer<NameIndex>
    let currencies: RawBuffer<NameIndex>
    let keyStart: RawBuffer<Int32>
    let keyCount: RawBuffer<Int32>
    let keyColumns: RawBuffer<Int32>

    /// Bytes kept of one value of `values` (longer: the control is refused).
    static let valueCapacity = SymbolStore.maxLength
    /// Per column: the staged value's text (`valueCapacity` bytes each) and
    /// its length (-1: not given).
    let values: RawBuffer<UInt8>
    let valueLength: RawBuffer<Int32>
    /// The first name in `values` that is not a column, and a member name being read.
    let unknown: RawBuffer<UInt8>
    let name: RawBuffer<UInt8>
    /// The key: its parts joined by U+001F, and each part's start and length.
    let key: RawBuffer<UInt8>
    let partStart: RawBuffer<Int32>
    let partLength: RawBuffer<Int32>
    /// Per column: the new cell (two slots: a money's amount and currency) and its text ids.
    let cells: RawBuffer<Int128>
    let ids: RawBuffer<Int32>
    /// The problem of a refused control.
    let message: RawBuffer<UInt8>

    init(_ p: EngineProgram) {
        let ir = p.ir
        tableField = ir.schema("control")?.field("table")?.index ?? -1
        var names: [(String, Int)] = []
        var tableOf = [Int32](repeating: -1, count: ir.bindings.count)
        for (bi, b) in ir.bindings.enumerated() where b.table >= 0 {
            names.append((b.name, bi))
            tableOf[bi] = Int32(b.table)
        }
        tableNames = NameIndex(names)
        tableOfBinding = RawBuffer(tableOf)
        var columnIndexes: [NameIndex] = []
        var currencyTexts: [NameIndex] = []
        var starts: [Int32] = []
        var counts: [Int32] = []
        var keys: [Int32] = []
        var widest = 1
        var longestKey = 1
        for (ti, t) in ir.tables.enumerated() {
            let b = ir.bindings.first { $0.table == ti }
            columnIndexes.append(NameIndex(b == nil ? [] : t.columns.enumerated().map { ($0.element.name, $0.offset) }))
            currencyTexts.append(
                NameIndex(b == nil ? [] : t.columns.indices.map { (b!.currencies.indices.contains($0) ? b!.currencies[$0] : "", $0) }))
            starts.append(Int32(keys.count))
            counts.append(Int32(b?.keyColumns.count ?? 0))
            keys.append(contentsOf: (b?.keyColumns ?? []).map { Int32($0) })
            if b != nil {
                widest = Swift.max(widest, t.columns.count)
                longestKey = Swift.max(longestKey, b!.keyColumns.count)
            }
        }
        columnNames = RawBuffer(columnIndexes)
        currencies = RawBuffer(currencyTexts)
        keyStart = RawBuffer(starts)
        keyCount = RawBuffer(counts)
        keyColumns = RawBuffer(keys)
        values = RawBuffer(zeroed: widest * TableControlLayout.valueCapacity)
        valueLength = RawBuffer(zeroed: widest)
        unknown = RawBuffer(zeroed: SymbolStore.maxLength)
        name = RawBuffer(zeroed: SymbolStore.maxLength)
        key = RawBuffer(zeroed: SymbolStore.maxLength + 1)
        partStart = RawBuffer(zeroed: longestKey)
        partLength = RawBuffer(zeroed: longestKey)
        cells = RawBuffer(zeroed: 2 * widest)
        ids = RawBuffer(zeroed: 2 * widest + 1)
        message = RawBuffer(zeroed: Decision.textCapacity)
    }

    func free() {
        tableNames.free()
        tableOfBinding.free()
        for i in 0..<columnNames.count {
            columnNames[i].free()
            currencies[i].free()
        }
        columnNames.free()
        currencies.free()
        keyStart.free()
        keyCount.free()
        keyColumns.free()
        values.free()
        valueLength.free()
        unknown.free()
        name.free()
        key.free()
        partStart.free()
        partLength.free()
        cells.free()
        ids.free()
        message.free()
    }
}

extension NameIndex {
    /// The `k`-th name given to `init`.
    @inline(__always)
    func text(_ k: Int) -> (UnsafeRawPointer, Int) {
        let start = Int(offsets[k])
        return (UnsafeRawPointer(bytes.base + start), Int(offsets[k + 1]) - start)
    }

    /// The number of names.
    var nameCount: Int { offsets.count - 1 }
}

/// Writes a problem text into fixed memory, cut at its capacity.
struct ProblemText {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    var count = 0

    init(_ buffer: RawBuffer<UInt8>) {
        base = buffer.base
        capacity = buffer.count
    }

    mutating func put(_ s: StaticString) { put(UnsafeRawPointer(s.utf8Start), s.utf8CodeUnitCount) }

    mutating func put(_ p: UnsafeRawPointer, _ n: Int) {
        var i = 0
        while i < n && count < capacity {
            base[count] = p.load(fromByteOffset: i, as: UInt8.self)
            count += 1
            i += 1
        }
    }

    mutating func put(_ t: (UnsafeRawPointer, Int)) { put(t.0, t.1) }

    /// `` `text` ``.
    mutating func quoted(_ t: (UnsafeRawPointer, Int)) {
        put("`")
        put(t)
        put("`")
    }

    mutating func byte(_ b: UInt8) {
        if count < capacity {
            base[count] = b
            count += 1
        }
    }

    /// A non-negative integer in decimal.
    mutating func number(_ v: Int) {
        var digits = 1
        var x = v
        while x >= 10 {
            x /= 10
            digits *= 10
        }
        x = v
        while digits > 0 {
            byte(UInt8(0x30 + x / digits))
            x %= digits
            digits /= 10
        }
    }
}

extension Machine {
    #if DEBUG
        /// Applies the `set` or `remove` control on `line` (decoded already):
        /// a wrong one changes nothing and refuses the line with its problem.
        mutating func tableControl(_ line: UnsafeRawBufferPointer, _ d: inout Decision) {
            tableControlBody(line, &d)
        }
    #else
        /// Applies the `set` or `remove` control on `line` (decoded already):
        /// a wrong one changes nothing and refuses the line with its problem.
        /// Optimized builds check that it neither allocates nor locks (as
        /// `Machine.run`; debug builds cannot: unspecialized generics).
        @_noAllocation @_noLocks
        mutating func tableControl(_ line: UnsafeRawBufferPointer, _ d: inout Decision) {
            tableControlBody(line, &d)
        }
    #endif

    @inline(__always)
    private mutating func tableControlBody(_ line: UnsafeRawBufferPointer, _ d: inout Decision) {
        var w = ProblemText(tableControls.message)
        if !applyTableControl(line, &w) {
            d.setProblemText(UnsafeRawPointer(w.base), w.count)
            d.refuse(.boundTable)
        }
    }

    /// The key parts of the current control, joined by `sep` (`, ` in messages).
    private func writeParts(_ w: inout ProblemText, _ count: Int) {
        let l = tableControls
        for i in 0..<count {
            if i > 0 { w.put(", ") }
            w.put(UnsafeRawPointer(l.key.base + Int(l.partStart[i])), Int(l.partLength[i]))
        }
    }

    /// The text of staged value `c`.
    @inline(__always)
    private func valueText(_ c: Int) -> (UnsafeRawPointer, Int) {
        let l = tableControls
        return (UnsafeRawPointer(l.values.base + c * TableControlLayout.valueCapacity), Int(l.valueLength[c]))
    }

    /// Applies a table control; false, with the problem in `w`, when it cannot.
    mutating func applyTableControl(_ line: UnsafeRawBufferPointer, _ w: inout ProblemText) -> Bool {
        let l = tableControls
        guard let action = field(roles.controlAction), let k = field(roles.controlKey) else {
            w.put("a table control needs `action` and `key`")
            return false
        }
        let isSet = action == tableSetCase
        guard l.tableField >= 0, let tid = field(l.tableField) else {
            w.put(isSet ? "a `set` control needs the field `table` naming a bound table" : "a `remove` control needs the field `table` naming a bound table")
            return false
        }
        let tableName = symbols.text(Int(tid))
        let bi = l.tableNames.lookup(tableName.0, tableName.1)
        guard bi >= 0 else {
            w.put("unknown bound table ")
            w.quoted(tableName)
            w.put("; the bound tables are ")
            if l.tableNames.nameCount == 0 { w.put("none") }
            for i in 0..<l.tableNames.nameCount {
                if i > 0 { w.put(", ") }
                w.quoted(l.tableNames.text(i))
            }
            return false
        }
        let ti = Int(l.tableOfBinding[bi])
        guard tables[ti].isBound else {
            w.quoted(tableName)
            w.put(" is not bound; bind it before changing a row")
            return false
        }
        // The key: one text, or the key columns' texts separated by commas
        // (spaces and tabs around each part ignored), joined by U+001F.
        let keyCount = Int(l.keyCount[ti])
        let keyAt = Int(l.keyStart[ti])
        let keyText = symbols.text(Int(k))
        var parts = 0
        var n = 0
        var ok = true
        if keyCount > 1 {
            var i = 0
            while ok {
                var start = i
                var end = i
                while end < keyText.1 && keyText.0.load(fromByteOffset: end, as: UInt8.self) != 0x2C { end += 1 }
                let next = end + 1
                while start < end && Machine.isSpace(keyText.0.load(fromByteOffset: start, as: UInt8.self)) { start += 1 }
                while end > start && Machine.isSpace(keyText.0.load(fromByteOffset: end - 1, as: UInt8.self)) { end -= 1 }
                if parts == keyCount || end == start { ok = false }
                if ok {
                    if parts > 0 {
                        l.key[n] = 0x1F
                        n += 1
                    }
                    l.partStart[parts] = Int32(n)
                    l.partLength[parts] = Int32(end - start)
                    for j in start..<end {
                        l.key[n] = keyText.0.load(fromByteOffset: j, as: UInt8.self)
                        n += 1
                    }
                    parts += 1
                }
                if next > keyText.1 { break }
                i = next
            }
        } else {
            parts = 1
            l.partStart[0] = 0
            l.partLength[0] = Int32(keyText.1)
            for j in 0..<keyText.1 { l.key[j] = keyText.0.load(fromByteOffset: j, as: UInt8.self) }
            n = keyText.1
            ok = keyText.1 > 0
        }
        guard ok, parts == keyCount else {
            w.put("the key ")
            w.quoted(keyText)
            w.put(" of ")
            w.quoted(tableName)
            w.put(" is not ")
            w.number(keyCount)
            w.put(" ids separated by commas (")
            for i in 0..<keyCount {
                if i > 0 { w.put(", ") }
                w.put(l.columnNames[ti].text(Int(l.keyColumns[keyAt + i])))
            }
            w.put(")")
            return false
        }
        let keyLength = n
        let existing: Int
        if let id = symbols.find(UnsafeRawPointer(l.key.base), keyLength) {
            existing = Swift.max(-1, tables[ti].row(Int128(id)))
        } else {
            existing = -1
        }
        if !isSet {
            guard existing >= 0 else {
                w.quoted(tableName)
                w.put(" has no row `")
                writeParts(&w, parts)
                w.put("` to remove")
                return false
            }
            removeRow(ti, existing)
            return true
        }
        return setRow(line, ti, existing: existing, keyLength: keyLength, parts: parts, tableName: tableName, &w)
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// Moves `i` past JSON white space.
    @inline(__always)
    static func skipSpace(_ lp: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) {
        while i < end && (lp[i] == 0x20 || lp[i] == 0x09 || lp[i] == 0x0A || lp[i] == 0x0D) { i += 1 }
    }

    /// The end of the string whose opening quote is at `i`; `escaped` if it has a backslash.
    static func stringEnd(_ lp: UnsafePointer<UInt8>, _ i: Int, _ end: Int, _ escaped: inout Bool) -> Int {
        var j = i + 1
        while j < end && lp[j] != 0x22 {
            if lp[j] == 0x5C {
                escaped = true
                j += 1
            }
            j += 1
        }
        return j
    }

    /// Applies a `set` of the row keyed by `tableControls.key` (`existing`: its row, or -1).
    private mutating func setRow(
        _ line: UnsafeRawBufferPointer, _ ti: Int, existing: Int, keyLength: Int, parts: Int,
        tableName: (UnsafeRawPointer, Int), _ w: inout ProblemText
    ) -> Bool {
        let l = tableControls
        let t = tables[ti]
        let columns = t.columnCount
        let names = l.columnNames[ti]
        for c in 0..<columns { l.valueLength[c] = -1 }
        // `values`: the cells to set, by column name, each given once.
        var unknownLength = -1
        var tooLong = -1
        var twice = -1
        guard
            readValues(line, names, unknownLength: &unknownLength, tooLong: &tooLong, twice: &twice)
        else {
            w.put("a `set` control needs `values`, an object of column names and values")
            return false
        }
        // A column given twice: a gateway that keeps the other value would see another limit.
        if twice >= 0 {
            w.put("`values` gives ")
            w.quoted(names.text(twice))
            w.put(" twice; give each column once")
            return false
        }
        if tooLong >= 0 {
            w.put("the value of ")
            w.quoted(names.text(tooLong))
            w.put(" in `values` is longer than 256 bytes")
            return false
        }
        let keyAt = Int(l.keyStart[ti])
        let keyCount = Int(l.keyCount[ti])
        for c in 0..<columns {
            var ki = -1
            for i in 0..<keyCount where Int(l.keyColumns[keyAt + i]) == c { ki = i }
            if ki >= 0 {
                let part = (UnsafeRawPointer(l.key.base + Int(l.partStart[ki])), Int(l.partLength[ki]))
                if l.valueLength[c] >= 0 {
                    let v = valueText(c)
                    if v.1 != part.1 || !Bytes.equal(v.0, part.0, v.1) {
                        w.put("`values` gives the key column ")
                        w.quoted(names.text(c))
                        w.put(" as ")
                        w.quoted(v)
                        w.put(", but the key says ")
                        w.quoted(part)
                        return false
                    }
                }
                Bytes.copy(UnsafeMutableRawPointer(l.values.base + c * TableControlLayout.valueCapacity), part.0, part.1)
                l.valueLength[c] = Int32(part.1)
            } else if l.valueLength[c] < 0 && existing < 0 {
                w.put("a new row of ")
                w.quoted(tableName)
                w.put(" needs every column; `values` has no ")
                w.quoted(names.text(c))
                return false
            }
        }
        if unknownLength >= 0 {
            w.quoted(tableName)
            w.put(" has no column ")
            w.quoted((UnsafeRawPointer(l.unknown.base), unknownLength))
            return false
        }
        // Every cell read by its column's type; a cell not given keeps its value.
        for c in 0..<columns {
            let col = columns_(t, c)
            if l.valueLength[c] < 0 {
                l.cells[2 * c] = col.cells[existing * col.width]
                if col.width > 1 { l.cells[2 * c + 1] = col.cells[existing * col.width + 1] }
                continue
            }
            let v = valueText(c)
            guard readCell(v, columnKinds[t.firstColumn + c], currency: l.currencies[ti].text(c), into: c) else {
                w.quoted(v)
                w.put(" in column ")
                w.quoted(names.text(c))
                w.put(" is not ")
                switch columnKinds[t.firstColumn + c] {
                case .bool: w.put("a bool")
                case .int: w.put("an integer")
                case .decimal: w.put("a decimal")
                case .percent: w.put("a percent")
                case .symbol: w.put("a symbol")
                case .currency: w.put("a currency")
                case .money:
                    w.put("an amount of ")
                    w.put(l.currencies[ti].text(c))
                default: w.put("a value of this column")
                }
                writeRowSuffix(&w, tableName, parts)
                return false
            }
        }
        if parts > 1 {
            for i in 0..<parts {
                let s = Int(l.partStart[i])
                for j in 0..<Int(l.partLength[i]) where l.key[s + j] == 0x1F {
                    w.put("the key part `")
                    w.put(UnsafeRawPointer(l.key.base + s), Int(l.partLength[i]))
                    w.put("` contains U+001F")
                    writeRowSuffix(&w, tableName, parts)
                    return false
                }
            }
            if keyLength > SymbolStore.maxLength {
                w.put("the key `")
                writeParts(&w, parts)
                w.put("` is longer than 256 bytes")
                writeRowSuffix(&w, tableName, parts)
                return false
            }
        }
        // A new row takes one of the rows reserved at bind time.
        if existing < 0 && (t.rowCount >= t.rowCapacity || t.boundRows?.isFull != false) {
            w.quoted(tableName)
            w.put(" is full (")
            w.number(t.rowCapacity)
            w.put(" rows); remove a row before adding one")
            return false
        }
        // Intern the key and the texts first, so that a full symbol table changes nothing.
        guard retainTexts(ti, keyLength: keyLength) else {
            w.put("state table full")
            return false
        }
        let keyID = Int(l.ids[2 * columns])
        let r: Int
        if existing >= 0 {
            r = existing
            releaseRow(ti, r, key: Int(t.rowKeys![r]))
            t.rowKeys![r] = Int128(keyID)
        } else {
            r = t.rowCount
            t.rowKeys![r] = Int128(keyID)
            if var rows = t.boundRows, let (s, _) = rows.insert(UInt64(keyID)) {
                rows.valuePointer(s).pointee = Int32(r)
                tables[ti].boundRows = rows
            }
            tables[ti].rowCount = r + 1
        }
        for c in 0..<columns {
            let col = columns_(t, c)
            col.cells[r * col.width] = l.cells[2 * c]
            if col.width > 1 { col.cells[r * col.width + 1] = l.cells[2 * c + 1] }
        }
        return true
    }

    @inline(__always)
    private func columns_(_ t: TableRT, _ c: Int) -> ColumnRT { columns[t.firstColumn + c] }

    /// ` (`x` row `a, b`)`.
    private func writeRowSuffix(_ w: inout ProblemText, _ tableName: (UnsafeRawPointer, Int), _ parts: Int) {
        w.put(" (")
        w.quoted(tableName)
        w.put(" row `")
        writeParts(&w, parts)
        w.put("`)")
    }

    /// Retains one reference, held by the row, on the key and on every
    /// text of the staged cells (a kept cell's text too: the old row's
    /// references are released when it is replaced); the cells' text slots
    /// then hold the ids, and `ids[2 × columns]` the key's. False, with
    /// nothing retained, when the symbol table is full.
    private mutating func retainTexts(_ ti: Int, keyLength: Int) -> Bool {
        let l = tableControls
        let t = tables[ti]
        var held = 0
        var full = false
        for c in 0..<t.columnCount where !full {
            let kind = columnKinds[t.firstColumn + c]
            let at = kind == .money ? 2 * c + 1 : 2 * c
            guard kind.isText || kind == .money else { continue }
            if l.valueLength[c] < 0 {
                // Kept: the old row's id.
                symbols.retain(Int(l.cells[at]))
                l.ids[held] = Int32(truncatingIfNeeded: l.cells[at])
                held += 1
                continue
            }
            let text: (UnsafeRawPointer, Int) = kind == .money ? l.currencies[ti].text(c) : valueText(c)
            guard let id = symbols.intern(text.0, text.1, retained: true) else {
                full = true
                break
            }
            l.cells[at] = Int128(id)
            l.ids[held] = Int32(id)
            held += 1
        }
        if !full, let id = symbols.intern(UnsafeRawPointer(l.key.base), keyLength, retained: true) {
            l.ids[2 * t.columnCount] = Int32(id)
            return true
        }
        for i in 0..<held { symbols.release(Int(l.ids[i])) }
        return false
    }

    /// Reads cell text `v` as a value of `kind` into `tableControls.cells[2c…]`; false if it does not read.
    private func readCell(_ v: (UnsafeRawPointer, Int), _ kind: ValueKind, currency: (UnsafeRawPointer, Int), into c: Int)
        -> Bool
    {
        let cells = tableControls.cells
        let (p, n) = v
        let at = p.assumingMemoryBound(to: UInt8.self)
        switch kind {
        case .bool:
            if Machine.equals(p, n, "true") {
                cells[2 * c] = 1
            } else if Machine.equals(p, n, "false") {
                cells[2 * c] = 0
            } else {
                return false
            }
        case .int:
            // `Int64(text)` once underscores are dropped: a sign, then digits.
            var i = 0
            while i < n && at[i] == 0x5F { i += 1 }
            var negative = false
            if i < n && (at[i] == 0x2D || at[i] == 0x2B) {
                negative = at[i] == 0x2D
                i += 1
            }
            var value: Int64 = 0
            var digits = 0
            while i < n {
                let b = at[i]
                i += 1
                if b == 0x5F { continue }
                guard b >= 0x30 && b <= 0x39 else { return false }
                let d = Int64(b - 0x30)
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
                guard !o1 && !o2 else { return false }
                value = s
                digits += 1
            }
            guard digits > 0 else { return false }
            cells[2 * c] = Int128(value)
        case .decimal:
            guard let raw = Machine.decimal(p, n) else { return false }
            cells[2 * c] = raw
        case .percent:
            let m = n > 0 && at[n - 1] == 0x25 ? n - 1 : n
            guard let raw = Machine.decimal(p, m), let f = FixedMath.divide(raw, 100 * fixedOne) else { return false }
            cells[2 * c] = f
        case .string:
            break
        case .symbol:
            guard n > 0 else { return false }
        case .currency:
            guard n == 3 else { return false }
            for i in 0..<3 where at[i] < 0x41 || at[i] > 0x5A { return false }
        case .money:
            // An amount, or an amount, spaces and the column's currency.
            var i = 0
            while i < n && at[i] == 0x20 { i += 1 }
            let start = i
            while i < n && at[i] != 0x20 { i += 1 }
            let end = i
            while i < n && at[i] == 0x20 { i += 1 }
            let cur = i
            while i < n && at[i] != 0x20 { i += 1 }
            let curEnd = i
            while i < n && at[i] == 0x20 { i += 1 }
            guard end > start, i == n, let raw = Machine.decimal(p + start, end - start) else { return false }
            if curEnd > cur {
                guard curEnd - cur == currency.1, Bytes.equal(p + cur, currency.0, currency.1) else { return false }
            }
            cells[2 * c] = raw
        default:
            return false
        }
        return true
    }

    /// `Fixed(text)` of `n` bytes at `p`: an optional sign, digits with `_`
    /// between them, an optional fraction of at most eight digits.
    @inline(__always)
    static func decimal(_ p: UnsafeRawPointer, _ n: Int) -> Int128? {
        Fixed.parseRaw(p.assumingMemoryBound(to: UInt8.self), count: n, plus: true)
    }

    /// Reads the line's `values` object into `tableControls`: per column its
    /// first value's text, the first name that is no column, the first
    /// column given a second time (`twice`); false when there is no `values`
    /// object or it holds an object or an array.
    private func readValues(
        _ line: UnsafeRawBufferPointer, _ names: NameIndex, unknownLength: inout Int, tooLong: inout Int,
        twice: inout Int
    ) -> Bool {
        guard let lb = line.baseAddress else { return false }
        let lp = lb.assumingMemoryBound(to: UInt8.self)
        var object: JSONMember?
        for k in 0..<scanner.memberCount {
            let member = scanner.members[k]
            let (p, n) = key(lp, member, keyScratch.base)
            if Machine.equals(p, n, "values") && member.kind == .object {
                object = member
                break
            }
        }
        guard let object else { return false }
        let l = tableControls
        // The object is valid JSON (the scanner checked the line).
        var i = Int(object.valueStart)
        let end = Int(object.valueEnd)
        Machine.skipSpace(lp, &i, end)
        guard i < end, lp[i] == 0x7B else { return false }
        i += 1
        Machine.skipSpace(lp, &i, end)
        if i < end && lp[i] == 0x7D { return true }
        while i < end {
            Machine.skipSpace(lp, &i, end)
            guard i < end, lp[i] == 0x22 else { return false }
            var escaped = false
            let nameEnd = Machine.stringEnd(lp, i, end, &escaped)
            var nameLength = nameEnd - i - 1
            var nameBytes = UnsafeRawPointer(lp + i + 1)
            if escaped {
                nameLength = JSONScanner.unescape(lp, i + 1, nameEnd, into: l.name.base, cap: l.name.count)
                nameBytes = UnsafeRawPointer(l.name.base)
                if nameLength < 0 { nameLength = l.name.count }
            }
            i = nameEnd + 1
            Machine.skipSpace(lp, &i, end)
            guard i < end, lp[i] == 0x3A else { return false }
            i += 1
            Machine.skipSpace(lp, &i, end)
            guard i < end else { return false }
            let c = names.lookup(nameBytes, nameLength)
            if c < 0 && unknownLength < 0 {
                let m = Swift.min(nameLength, l.unknown.count)
                Bytes.copy(UnsafeMutableRawPointer(l.unknown.base), nameBytes, m)
                unknownLength = m
            }
            let slot = l.values.base + Swift.max(0, c) * TableControlLayout.valueCapacity
            let keep = c >= 0 && l.valueLength[c] < 0
            if c >= 0 && !keep && twice < 0 { twice = c }
            if lp[i] == 0x22 {
                var valueEscaped = false
                let valueEnd = Machine.stringEnd(lp, i, end, &valueEscaped)
                if keep {
                    var m = valueEnd - i - 1
                    if valueEscaped {
                        m = JSONScanner.unescape(lp, i + 1, valueEnd, into: slot, cap: TableControlLayout.valueCapacity)
                    } else if m <= TableControlLayout.valueCapacity {
                        Bytes.copy(UnsafeMutableRawPointer(slot), UnsafeRawPointer(lp + i + 1), m)
                    } else {
                        m = -1
                    }
                    if m < 0 {
                        if tooLong < 0 { tooLong = c }
                        m = 0
                    }
                    l.valueLength[c] = Int32(m)
                }
                i = valueEnd + 1
            } else {
                // A number, `true`, `false` or `null` as written; not an object or an array.
                guard lp[i] != 0x7B && lp[i] != 0x5B else { return false }
                let start = i
                while i < end && lp[i] != 0x2C && lp[i] != 0x7D && lp[i] != 0x20 && lp[i] != 0x0A && lp[i] != 0x09
                    && lp[i] != 0x0D
                {
                    i += 1
                }
                if keep {
                    var m = i - start
                    if m > TableControlLayout.valueCapacity {
                        if tooLong < 0 { tooLong = c }
                        m = 0
                    }
                    Bytes.copy(UnsafeMutableRawPointer(slot), UnsafeRawPointer(lp + start), m)
                    l.valueLength[c] = Int32(m)
                }
            }
            Machine.skipSpace(lp, &i, end)
            guard i < end else { return false }
            if lp[i] == 0x2C {
                i += 1
                continue
            }
            return lp[i] == 0x7D
        }
        return false
    }
}
