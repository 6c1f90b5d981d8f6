/// Keyed tables bound at run time (`data t bound "x" key k { … }`,
/// docs/engine-semantics.md "Bound tables"): bound whole by the host from
/// rows of cell texts (a CSV file, `Engine.bind(_:csv:file:)`), changed a
/// row at a time by `set` and `remove` control events, and carried by
/// snapshots. Every cell is parsed by its column's declared type before
/// anything changes, so a table is never half-bound. Binding and control
/// events are slow paths; lookups (`TableRT.row`) are one hash probe.

import WritIR
import WritValue

/// Why rows could not be bound: one sentence naming where and what (no
/// capital, no final period), and the fix.
public struct BindError: Error, Sendable, CustomStringConvertible {
    /// The problem, e.g. ``sod.csv:3:3: `abc` in column `qty` is not a decimal``.
    public var message: String
    /// How to fix it.
    public var help: String?
    /// Creates an error.
    public init(_ message: String, help: String? = nil) {
        self.message = message
        self.help = help
    }
    /// The message and its help.
    public var description: String { message + (help.map { "; \($0)" } ?? "") }
}

/// A cell read from text, before it is stored.
enum StagedCell {
    case raw(Int128)
    case text(String)
    case money(Int128, String)
}

/// One row read from text: its key's text and its cells.
struct StagedRow {
    var key: String
    var cells: [StagedCell]
}

extension Engine {
    /// The binding of keyed table `name` (its binding name), if any.
    func tableBinding(_ name: String) -> (index: Int, binding: IRBinding)? {
        for (i, b) in program.ir.bindings.enumerated() where b.name == name && b.table >= 0 { return (i, b) }
        return nil
    }

    /// Whether `name` is the binding name of a keyed table (bound from rows, not a list).
    public func isTableBinding(_ name: String) -> Bool { tableBinding(name) != nil }

    /// The column names, in declaration order, of the keyed table bound as `name`.
    public func boundColumns(_ name: String) -> [String]? {
        guard let (_, b) = tableBinding(name) else { return nil }
        return program.ir.tables[b.table].columns.map(\.name)
    }

    /// Binds the keyed table declared `bound "name"` from CSV text: a header
    /// line naming the columns (any order, each declared column once), then
    /// one row per line. Errors name `file`, the line and the cell's column
    /// number; on an error nothing changes.
    public func bind(_ name: String, csv: String, file: String) throws(BindError) {
        let records = BoundCSV.parse(csv)
        guard let header = records.first else {
            throw BindError("`\(file)` is empty", help: "its first line names the columns")
        }
        try bind(
            name, header: header.cells, rows: records.dropFirst().map(\.cells), file: file,
            lines: records.dropFirst().map(\.line))
    }

    /// Binds the keyed table declared `bound "name"` from rows of cell
    /// texts, one per column named in `header`; replaces an earlier binding.
    /// `file` and `lines` name the rows in errors. On an error nothing changes.
    public func bind(
        _ name: String, header: [String], rows: [[String]], file: String = "the rows", lines: [Int]? = nil
    ) throws(BindError) {
        settle()
        guard let (bi, b) = tableBinding(name) else {
            let known = program.ir.bindings.filter { $0.table >= 0 }.map { "`\($0.name)`" }
            throw BindError(
                "the bundle has no bound table named `\(name)`",
                help: known.isEmpty ? "it declares no `data … bound … key …`" : "it has \(known.joined(separator: ", "))")
        }
        let t = program.ir.tables[b.table]
        var at: [Int] = []
        for c in t.columns {
            guard let i = header.firstIndex(of: c.name) else {
                throw BindError(
                    "`\(file)` has no column `\(c.name)`",
                    help: "its header line names the columns of `\(b.declaration)`: \(t.columns.map(\.name).joined(separator: ", "))")
            }
            at.append(i)
        }
        if let extra = header.first(where: { h in !t.columns.contains { $0.name == h } }) {
            throw BindError(
                "`\(file)` has a column `\(extra)` that `\(b.declaration)` does not declare",
                help: "remove it, or declare it in the `data` declaration")
        }
        var staged: [StagedRow] = []
        var lineOf: [String: Int] = [:]
        for (r, cells) in rows.enumerated() {
            let line = lines?[r] ?? r + 1
            guard cells.count == header.count else {
                throw BindError(
                    "`\(file)`:\(line): the row has \(cells.count) cells, but the header has \(header.count)",
                    help: "write one cell per column, quoting a cell that holds a comma")
            }
            let row = try stageRow(bi, b, t, texts: at.map { cells[$0] }) { ci, problem in
                BindError("`\(file)`:\(line):\(at[ci] + 1): \(problem.0)", help: problem.1)
            }
            if let first = lineOf[row.key] {
                throw BindError(
                    "`\(file)`:\(line): the key `\(row.key.replacingU1F())` repeats the one of line \(first)",
                    help: "keys of `\(b.declaration)` are unique; keep one row per key")
            }
            lineOf[row.key] = line
            staged.append(row)
        }
        guard m.pointee.commitTable(bi, b.table, staged) else {
            throw BindError("the symbol table is full", help: "raise the engine's run-time symbol capacity")
        }
    }

    /// Reads the texts of one row (in column order) as cells of `t`.
    func stageRow(
        _ bi: Int, _ b: IRBinding, _ t: IRTable, texts: [String],
        error: (Int, (String, String?)) -> BindError
    ) throws(BindError) -> StagedRow {
        var cells: [StagedCell] = []
        for (ci, c) in t.columns.enumerated() {
            switch BoundCell.parse(texts[ci], c.kind, currency: b.currencies[ci], column: c.name) {
            case .success(let v): cells.append(v)
            case .failure(let p): throw error(ci, (p.message, p.help))
            }
        }
        let key = try keyText(b, t, cells) { p throws(BindError) in throw error(0, p) }
        return StagedRow(key: key, cells: cells)
    }

    /// The key text of staged cells: the key column's, or the key columns'
    /// texts joined by U+001F (as a tuple `(a, b)` is).
    func keyText(_ b: IRBinding, _ t: IRTable, _ cells: [StagedCell], fail: ((String, String?)) throws(BindError) -> Void)
        throws(BindError) -> String
    {
        let keys = keyColumns(b, t)
        var parts: [String] = []
        for k in keys {
            guard case .text(let s) = cells[k] else { continue }
            if keys.count > 1 && s.unicodeScalars.contains("\u{1F}") {
                try fail(("the key part `\(s)` contains U+001F", "remove the control character"))
            }
            parts.append(s)
        }
        let key = parts.joined(separator: "\u{1F}")
        if key.utf8.count > 256 { try fail(("the key `\(key.replacingU1F())` is longer than 256 bytes", "use shorter ids")) }
        return key
    }

    /// The key columns of a bound table.
    func keyColumns(_ b: IRBinding, _ t: IRTable) -> [Int] { b.keyColumns }
}

extension String {
    /// A composite key's text as a trader reads it: `A-1, AAPL`.
    func replacingU1F() -> String { split(separator: "\u{1F}", omittingEmptySubsequences: false).joined(separator: ", ") }
}

/// Parsing one cell text by its column's kind.
enum BoundCell {
    struct Problem: Error {
        var message: String
        var help: String?
    }

    static func parse(_ text: String, _ kind: ValueKind, currency: String, column: String) -> Result<StagedCell, Problem> {
        func bad(_ what: String, _ help: String) -> Result<StagedCell, Problem> {
            .failure(Problem(message: "`\(text)` in column `\(column)` is not \(what)", help: help))
        }
        switch kind {
        case .bool:
            if text == "true" { return .success(.raw(1)) }
            if text == "false" { return .success(.raw(0)) }
            return bad("a bool", "write `true` or `false`")
        case .int:
            guard let i = Int64(text.filter { $0 != "_" }) else { return bad("an integer", "write a whole number such as `100`") }
            return .success(.raw(Int128(i)))
        case .decimal:
            guard let f = Fixed(text) else { return bad("a decimal", "write a number such as `1500.25`") }
            return .success(.raw(f.raw))
        case .percent:
            let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
            guard let f = Fixed(digits), let p = f.divided(by: Fixed(100)) else {
                return bad("a percent", "write a number of percent such as `5%`")
            }
            return .success(.raw(p.raw))
        case .string:
            return .success(.text(text))
        case .symbol:
            guard !text.isEmpty else { return bad("a symbol", "write an id; a symbol is not empty") }
            return .success(.text(text))
        case .currency:
            guard text.utf8.count == 3, text.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
                return bad("a currency", "write an ISO 4217 code such as `USD`")
            }
            return .success(.text(text))
        case .money:
            let parts = text.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 1 || parts.count == 2, let f = Fixed(String(parts[0])) else {
                return bad("an amount of \(currency)", "write a number such as `30000000` (in \(currency))")
            }
            if parts.count == 2, String(parts[1]) != currency {
                return bad("an amount of \(currency)", "the column is in \(currency); write the amount alone")
            }
            return .success(.money(f.raw, currency))
        default:
            return bad("a value of this column", "declare the column as a type the host can bind")
        }
    }
}

/// A minimal RFC 4180 reader for bound tables: commas, double quotes with
/// `""` escapes, LF or CRLF; blank lines and lines starting with `#` are skipped.
enum BoundCSV {
    struct Record {
        var line: Int
        var cells: [String]
    }

    static func parse(_ text: String) -> [Record] {
        var out: [Record] = []
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var inQuotes = false
        var line = 1
        var start = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        func endCell() {
            cells.append(quoted ? cell : cell.trimmingSpaces())
            cell = ""
            quoted = false
        }
        func endRecord() {
            endCell()
            let blank = cells.count == 1 && cells[0].isEmpty
            if !blank && !(cells.first?.hasPrefix("#") ?? false) { out.append(Record(line: start, cells: cells)) }
            cells = []
        }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            i += 1
            if inQuotes {
                if c == "\"" {
                    if i < chars.count, chars[i] == "\"" {
                        cell.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    cell.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where cell.trimmingSpaces().isEmpty:
                cell = ""
                inQuotes = true
                quoted = true
            case ",": endCell()
            case "\r": break
            case "\n":
                endRecord()
                line += 1
                start = line
            default: cell.unicodeScalars.append(c)
            }
        }
        if !cell.isEmpty || !cells.isEmpty { endRecord() }
        return out
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension Machine {
    /// Replaces the rows of bound table `ti` (binding `bi`) with `rows`, in
    /// storage for `capacity` rows (by default the rows plus the
    /// configuration's `boundTableSpareRows`: the rows `set` controls may
    /// add); false (nothing changed) when the symbol table is full or the
    /// rows do not fit.
    mutating func commitTable(_ bi: Int, _ ti: Int, _ rows: [StagedRow], capacity: Int? = nil) -> Bool {
        let capacity = capacity ?? rows.count + configuration.boundTableSpareRows
        guard rows.count <= capacity else { return false }
        // Intern every text first, so that a full symbol table changes nothing.
        var ids: [[Int]] = []
        var keyIDs: [Int] = []
        for r in rows {
            guard let k = internRetained(r.key) else { break }
            guard let rowIDs = internCellTexts(r.cells) else {
                symbols.release(k)
                break
            }
            keyIDs.append(k)
            ids.append(rowIDs)
        }
        if keyIDs.count < rows.count {
            for k in keyIDs { symbols.release(k) }
            for r in ids { for id in r where id >= 0 { symbols.release(id) } }
            return false
        }
        releaseTable(ti)
        allocateTable(ti, capacity: capacity)
        for (r, row) in rows.enumerated() {
            storeRow(ti, r, key: keyIDs[r], cells: row.cells, ids: ids[r])
        }
        tables[ti].rowCount = rows.count
        tables[ti].isBound = true
        return true
    }

    /// Interns the texts of `cells` with one reference each held by bound
    /// data (-1 for a cell without text); nil, with nothing retained, when
    /// the symbol table is full.
    mutating func internCellTexts(_ cells: [StagedCell]) -> [Int]? {
        var ids: [Int] = []
        for c in cells {
            switch c {
            case .raw: ids.append(-1)
            case .text(let s), .money(_, let s):
                guard let id = internRetained(s) else {
                    for i in ids where i >= 0 { symbols.release(i) }
                    return nil
                }
                ids.append(id)
            }
        }
        return ids
    }

    /// Interns `s` with one reference held by bound data.
    mutating func internRetained(_ s: String) -> Int? {
        var bytes = Array(s.utf8)
        let n = bytes.count
        return bytes.withUnsafeMutableBytes { raw -> Int? in
            guard let p = raw.baseAddress else { return symbols.intern(UnsafeRawPointer(keyScratch.base), 0, retained: true) }
            return symbols.intern(UnsafeRawPointer(p), n, retained: true)
        }
    }

    /// Allocates empty row storage of `capacity` rows for bound table `ti`.
    mutating func allocateTable(_ ti: Int, capacity: Int) {
        var t = tables[ti]
        t.boundRows = OpenTable<Int32>(capacity: capacity)
        t.rowKeys = RawBuffer(zeroed: capacity)
        t.rowCapacity = capacity
        t.rowCount = 0
        tables[ti] = t
        for c in 0..<t.columnCount {
            let col = columns[t.firstColumn + c]
            columns[t.firstColumn + c] = ColumnRT(cells: RawBuffer(zeroed: capacity * col.width), width: col.width)
        }
    }

    /// Releases a bound table's storage and, unless the symbol table is
    /// being cleared anyway, its symbols; it is then unbound.
    mutating func releaseTable(_ ti: Int, releasingSymbols: Bool = true) {
        var t = tables[ti]
        if let keys = t.rowKeys {
            if releasingSymbols { for r in 0..<t.rowCount { releaseRow(ti, r, key: Int(keys[r])) } }
            keys.free()
        }
        t.boundRows?.free()
        if t.rowCapacity > 0 {
            for c in 0..<t.columnCount { columns[t.firstColumn + c].cells.free() }
        }
        // The column buffers are freed; no cell is read while the table is unbound.
        t.boundRows = nil
        t.rowKeys = nil
        t.rowCapacity = 0
        t.rowCount = 0
        t.isBound = false
        tables[ti] = t
    }

    /// Releases the symbols of row `r` (its key and text cells).
    mutating func releaseRow(_ ti: Int, _ r: Int, key: Int) {
        symbols.release(key)
        let t = tables[ti]
        for c in 0..<t.columnCount {
            let col = columns[t.firstColumn + c]
            let kind = columnKinds[t.firstColumn + c]
            if kind.isText { symbols.release(Int(col.cells[r * col.width])) }
            if kind == .money { symbols.release(Int(col.cells[r * col.width + 1])) }
        }
    }

    /// Writes row `r` (whose symbols `ids` are already retained).
    mutating func storeRow(_ ti: Int, _ r: Int, key: Int, cells: [StagedCell], ids: [Int]) {
        let t = tables[ti]
        t.rowKeys?[r] = Int128(key)
        if var rows = t.boundRows, let (s, _) = rows.insert(UInt64(key)) {
            rows.valuePointer(s).pointee = Int32(r)
            tables[ti].boundRows = rows
        }
        storeCells(ti, r, cells: cells, ids: ids)
    }
}

// MARK: - Rows changed by controls (`TableControl.swift` reads the events)

extension Machine {
    /// Writes the cells of row `r`.
    func storeCells(_ ti: Int, _ r: Int, cells: [StagedCell], ids: [Int]) {
        let t = tables[ti]
        for (c, cell) in cells.enumerated() {
            let col = columns[t.firstColumn + c]
            switch cell {
            case .raw(let v): col.cells[r * col.width] = v
            case .text: col.cells[r * col.width] = Int128(ids[c])
            case .money(let a, _):
                col.cells[r * col.width] = a
                col.cells[r * col.width + 1] = Int128(ids[c])
            }
        }
    }

    /// Removes row `r`: the last row moves into its place.
    mutating func removeRow(_ ti: Int, _ r: Int) {
        var t = tables[ti]
        guard let keys = t.rowKeys, var rows = t.boundRows else { return }
        let key = Int(keys[r])
        releaseRow(ti, r, key: key)
        if let s = rows.find(UInt64(key)) { rows.remove(slot: s) }
        let last = t.rowCount - 1
        if r != last {
            let lk = keys[last]
            keys[r] = lk
            if let s = rows.find(UInt64(lk)) { rows.valuePointer(s).pointee = Int32(r) }
            for c in 0..<t.columnCount {
                let col = columns[t.firstColumn + c]
                for w in 0..<col.width { col.cells[r * col.width + w] = col.cells[last * col.width + w] }
            }
        }
        t.boundRows = rows
        t.rowCount = last
        tables[ti] = t
    }
}

// MARK: - Snapshots

extension Machine {
    /// The rows of bound table `ti` as staged rows; nil when it is not bound.
    func stagedRows(_ ti: Int) -> [StagedRow]? {
        let t = tables[ti]
        guard t.isBound, let keys = t.rowKeys else { return nil }
        var out: [StagedRow] = []
        for r in 0..<t.rowCount {
            var cells: [StagedCell] = []
            for c in 0..<t.columnCount {
                let col = columns[t.firstColumn + c]
                let v = col.cells[r * col.width]
                switch columnKinds[t.firstColumn + c] {
                case .string, .symbol, .currency: cells.append(.text(symbols.string(Int(v))))
                case .money: cells.append(.money(v, symbols.string(Int(col.cells[r * col.width + 1]))))
                default: cells.append(.raw(v))
                }
            }
            out.append(StagedRow(key: symbols.string(Int(keys[r])), cells: cells))
        }
        return out
    }

    /// The references bound tables hold on each symbol id.
    func tableSymbolRefs(into refs: inout [Int: UInt32]) {
        for ti in 0..<tables.count where tables[ti].binding >= 0 && tables[ti].isBound {
            let t = tables[ti]
            guard let keys = t.rowKeys else { continue }
            for r in 0..<t.rowCount {
                refs[Int(keys[r]), default: 0] += 1
                for c in 0..<t.columnCount {
                    let col = columns[t.firstColumn + c]
                    let kind = columnKinds[t.firstColumn + c]
                    if kind.isText { refs[Int(col.cells[r * col.width]), default: 0] += 1 }
                    if kind == .money { refs[Int(col.cells[r * col.width + 1]), default: 0] += 1 }
                }
            }
        }
    }

    /// Writes the bound tables (the day's `set` and `remove` controls
    /// included): per table, whether bound, then its rows as texts and raw cells.
    func writeTables(_ w: inout SnapshotWriter) {
        let bound = (0..<tables.count).filter { tables[$0].binding >= 0 }
        w.u32(bound.count)
        for ti in bound {
            w.u32(ti)
            guard let rows = stagedRows(ti) else {
                w.u8(0)
                continue
            }
            w.u8(1)
            w.u32(tables[ti].rowCapacity)
            w.u32(rows.count)
            for row in rows {
                w.text(row.key)
                for cell in row.cells {
                    switch cell {
                    case .raw(let v): w.i128(v)
                    case .text(let s): w.text(s)
                    case .money(let a, let s):
                        w.i128(a)
                        w.text(s)
                    }
                }
            }
        }
    }

    /// Reads what `writeTables` wrote; tables the snapshot has bound get its rows.
    mutating func restoreTables(_ r: inout SnapshotReader) throws(SnapshotError) {
        guard let n = r.u32() else { throw .invalid("it ends early") }
        guard n == (0..<tables.count).filter({ tables[$0].binding >= 0 }).count else {
            throw .mismatch("its bound tables differ")
        }
        for _ in 0..<n {
            guard let ti = r.u32(), ti < tables.count, tables[ti].binding >= 0, let isBound = r.u8() else {
                throw .invalid("a bound table cannot be restored")
            }
            guard isBound == 1 else { continue }
            guard let capacity = r.u32(), let count = r.u32() else { throw .invalid("it ends early") }
            var rows: [StagedRow] = []
            let t = tables[ti]
            for _ in 0..<count {
                guard let key = r.text() else { throw .invalid("it ends early") }
                var cells: [StagedCell] = []
                for c in 0..<t.columnCount {
                    switch columnKinds[t.firstColumn + c] {
                    case .string, .symbol, .currency:
                        guard let s = r.text() else { throw .invalid("it ends early") }
                        cells.append(.text(s))
                    case .money:
                        guard let a = r.i128(), let s = r.text() else { throw .invalid("it ends early") }
                        cells.append(.money(a, s))
                    default:
                        guard let v = r.i128() else { throw .invalid("it ends early") }
                        cells.append(.raw(v))
                    }
                }
                rows.append(StagedRow(key: key, cells: cells))
            }
            guard commitTable(Int(t.binding), ti, rows, capacity: capacity) else {
                throw .invalid("a bound table cannot be restored")
            }
        }
    }

    /// Forgets bound tables' rows without releasing symbols (the symbol
    /// table is being cleared): every bound table is then unbound.
    mutating func dropTables() {
        for ti in 0..<tables.count where tables[ti].binding >= 0 { releaseTable(ti, releasingSymbols: false) }
    }
}

extension SnapshotWriter {
    mutating func text(_ s: String) {
        let b = Array(s.utf8)
        u32(b.count)
        bytes(b)
    }
}

extension SnapshotReader {
    mutating func text() -> String? {
        guard let n = u32(), let b = bytes(n) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }
}
