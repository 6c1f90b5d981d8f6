/// Data tables read from CSV files at build time: the header must name every
/// declared column, each cell must be a value of its column's type, and keys
/// must be unique. Problems point at the file's path in the declaration.

import WritSyntax
import WritValue

/// A minimal RFC 4180 reader: commas, double quotes with `""` escapes, LF or CRLF.
enum CSV {
    /// A quoted cell that is never closed, starting on `line`.
    struct UnclosedQuote: Error {
        let line: Int
    }

    /// One record with the 1-based line it starts on.
    struct Record {
        var line: Int
        var cells: [String]
        var quoted: [Bool]
    }

    /// The records of `text`, or the line of an unclosed quote.
    static func parse(_ text: String) -> Result<[Record], UnclosedQuote> {
        var records: [Record] = []
        var cells: [String] = []
        var quoted: [Bool] = []
        var cell = ""
        var isQuoted = false
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        func endCell() {
            cells.append(isQuoted ? cell : cell.trimmed)
            quoted.append(isQuoted)
            cell = ""
            isQuoted = false
        }
        func endRecord() {
            endCell()
            if !(cells.count == 1 && cells[0].isEmpty && !quoted[0]) {
                records.append(Record(line: recordLine, cells: cells, quoted: quoted))
            }
            cells = []
            quoted = []
        }
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" {
                        cell.unicodeScalars.append("\"")
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if c == "\n" { line += 1 }
                    cell.unicodeScalars.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"" where cell.trimmed.isEmpty:
                cell = ""
                inQuotes = true
                isQuoted = true
            case ",":
                endCell()
            case "\r":
                break
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                cell.unicodeScalars.append(c)
            }
            i += 1
        }
        if inQuotes { return .failure(UnclosedQuote(line: recordLine)) }
        if !cell.isEmpty || !cells.isEmpty { endRecord() }
        return .success(records)
    }
}

extension Analyzer {
    /// The columns and key column indices of a table declaration; nil after
    /// reporting if they cannot be used. A composite key's columns are symbols.
    func tableShape(_ d: DataDecl, keys: [Name], columns: [FieldDecl]) -> ([CheckedField], [Int])? {
        let owner = "data `\(d.name.text)`"
        let cols = resolveFields(columns, owner: owner, columns: true)
        var keyIndices: [Int] = []
        for key in keys {
            guard let keyIndex = cols.firstIndex(where: { $0.name == key.text }) else {
                report(Messages.unknownField(key, of: owner, suggestion: suggestion(for: key.text, in: cols.map(\.name))))
                return nil
            }
            if cols[keyIndex].isOptional {
                report(Messages.optionalNotAllowed(at: cols[keyIndex].span))
                return nil
            }
            if keyIndices.contains(keyIndex) {
                report(
                    Messages.dataFile(
                        "the key of \(owner) names the column `\(key.text)` twice", at: key.span,
                        help: "name each key column once"))
                return nil
            }
            if keys.count > 1, cols[keyIndex].type != .symbol, !cols[keyIndex].type.containsError {
                report(
                    Messages.dataFile(
                        "a column of a composite key is a symbol; `\(key.text)` is \(Messages.a(cols[keyIndex].type))",
                        at: key.span, help: "declare `\(key.text): symbol`, or key the table by this column alone"))
                return nil
            }
            keyIndices.append(keyIndex)
        }
        for c in cols {
            switch c.type {
            case .list, .set, .map:
                report(
                    Messages.dataFile(
                        "a column of a data file holds single values; `\(c.name)` is \(Messages.a(c.type))", at: c.span)
                )
                return nil
            default:
                break
            }
        }
        if cols.contains(where: { $0.type.containsError }) { return nil }
        return (cols, keyIndices)
    }

    /// Checks a table bound at run time: its shape, and column types the
    /// engine can read from a CSV cell (no currency taken from another column).
    func boundTable(_ d: DataDecl, binding: String, keys: [Name], columns: [FieldDecl], empty: Bool) -> CheckedTable? {
        guard let (cols, keyIndices) = tableShape(d, keys: keys, columns: columns) else { return nil }
        for c in cols {
            var ok: Bool
            switch c.type {
            case .bool, .int, .decimal, .string, .symbol, .currency, .percent: ok = true
            case .money(.fixed): ok = true
            default: ok = false
            }
            if c.isOptional { ok = false }
            if !ok {
                report(
                    Messages.dataFile(
                        "a column of bound data `\(d.name.text)` is a bool, int, decimal, percent, string, symbol, currency or money of one currency; `\(c.name)` is \(c.isOptional ? "optional" : Messages.a(c.type))",
                        at: c.span, help: "the host supplies every cell as text; declare a type it can be read as"))
                return nil
            }
        }
        var t = CheckedTable(path: "", columns: cols, keyIndex: keyIndices[0], rows: [], keyIndices: keyIndices)
        t.binding = binding
        t.boundEmptyDefault = empty
        return t
    }

    /// Reads and checks a CSV table; nil after reporting if it cannot be used.
    func loadTable(_ d: DataDecl, path: String, pathSpan: Span, keys: [Name], columns: [FieldDecl]) -> CheckedTable? {
        guard let (cols, keyIndices) = tableShape(d, keys: keys, columns: columns) else { return nil }
        let keyIndex = keyIndices[0]
        let text: String
        switch options.readDataFile(path, d.span.file) {
        case .success(let t): text = t
        case .failure(let err):
            report(
                Messages.dataFile(
                    "cannot read the data file `\(path)`: \(err.message)", at: pathSpan,
                    help: "data paths are relative to the file that declares them"))
            return nil
        }
        let records: [CSV.Record]
        switch CSV.parse(text) {
        case .success(let r): records = r
        case .failure(let err):
            report(Messages.dataFile("`\(path)` line \(err.line): a quoted cell is not closed", at: pathSpan))
            return nil
        }
        guard let header = records.first else {
            report(Messages.dataFile("`\(path)` is empty; it needs a header line naming the columns", at: pathSpan))
            return nil
        }
        var indexOf: [Int] = []
        for c in cols {
            guard let i = header.cells.firstIndex(of: c.name) else {
                report(
                    Messages.dataFile(
                        "`\(path)` has no column `\(c.name)`", at: pathSpan,
                        help: "its header names \(orList(header.cells))"))
                return nil
            }
            indexOf.append(i)
        }
        var rows: [[Value]] = []
        var keyLines: [Value: Int] = [:]
        var errors = 0
        for rec in records.dropFirst() {
            guard errors < 5 else { break }
            guard rec.cells.count == header.cells.count else {
                report(
                    Messages.dataFile(
                        "`\(path)` line \(rec.line) has \(rec.cells.count) cells, but the header has \(header.cells.count)",
                        at: pathSpan))
                errors += 1
                continue
            }
            var row: [Value] = []
            var ok = true
            for (ci, c) in cols.enumerated() {
                let cell = rec.cells[indexOf[ci]]
                var currency: String?
                if let cf = c.currencyField, let k = cols.firstIndex(where: { $0.name == cf }) {
                    currency = rec.cells[indexOf[k]]
                }
                if cell.isEmpty && !rec.quoted[indexOf[ci]] && c.isOptional {
                    row.append(.null)
                    continue
                }
                // A control character has no place in reference data; U+001F would also
                // join composite keys wrongly (("A␟B", "C") and ("A", "B␟C") are one key at run time).
                if let bad = cell.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    report(
                        Messages.dataFile(
                            "`\(path)` line \(rec.line), column `\(c.name)`: the cell has the control character "
                                + Lexer.codePoint(bad.value),
                            at: pathSpan, help: "remove the control character from the data file"))
                    errors += 1
                    ok = false
                    break
                }
                guard let v = cellValue(cell, c.type, currency: currency) else {
                    report(
                        Messages.invalidDataValue(
                            path, line: rec.line, column: c.name, cell: cell, type: c.type, at: pathSpan))
                    errors += 1
                    ok = false
                    break
                }
                row.append(v)
            }
            guard ok else { continue }
            let k = keyIndices.count > 1 ? Value.list(keyIndices.map { row[$0] }) : row[keyIndex]
            if let first = keyLines[k] {
                let shown =
                    keyIndices.count > 1
                    ? "(" + keyIndices.map { Analyzer.plainText(row[$0]) }.joined(separator: ", ") + ")"
                    : Analyzer.plainText(k)
                report(
                    Messages.dataFile(
                        "`\(path)` line \(rec.line) repeats the key `\(shown)` of line \(first)",
                        at: pathSpan, help: "keys of a data table are unique"))
                errors += 1
                continue
            }
            keyLines[k] = rec.line
            rows.append(row)
        }
        return CheckedTable(path: path, columns: cols, keyIndex: keyIndex, rows: rows, keyIndices: keyIndices)
    }

    /// A CSV cell as a value of type `t` (enum cases by name); nil if it is not one.
    func cellValue(_ cell: String, _ t: WType, currency: String?) -> Value? {
        if case .enumeration(let en) = t {
            return enumCases[en]?.contains(cell) == true ? .enumCase(type: en, case: cell) : nil
        }
        return Analyzer.parseCell(cell, t, currency: currency)
    }

    /// A CSV cell as a value of type `t`; nil if it is not one.
    static func parseCell(_ cell: String, _ t: WType, currency: String?) -> Value? {
        switch t {
        case .bool:
            return cell == "true" ? .bool(true) : cell == "false" ? .bool(false) : nil
        case .int:
            return Int64(cell.filter { $0 != "_" }).map { .int($0) }
        case .decimal:
            return Fixed(cell).map { .decimal($0) }
        case .string:
            return .string(cell)
        case .symbol:
            return cell.isEmpty ? nil : .symbol(cell)
        case .currency:
            return Currencies.isKnown(cell) ? .symbol(cell) : nil
        case .percent:
            let digits = cell.hasSuffix("%") ? String(cell.dropLast()) : cell
            return Fixed(digits).map { .percent($0) }
        case .money(let mc):
            let parts = cell.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let amount = parts.first.flatMap({ Fixed($0) }) else { return nil }
            var code: String?
            if parts.count == 2 { code = parts[1] } else if parts.count != 1 { return nil }
            if case .fixed(let c) = mc {
                if let code, code != c { return nil }
                return .money(amount, currency: c)
            }
            guard let cur = code ?? currency, Currencies.isKnown(cur) else { return nil }
            if let code, let currency, code != currency { return nil }
            return .money(amount, currency: cur)
        case .duration:
            var digits = ""
            var unit = ""
            for ch in cell {
                if unit.isEmpty, ch.isNumber || ch == "." { digits.append(ch) } else { unit.append(ch) }
            }
            return TimeLiterals.durationNanoseconds(amount: digits, unit: unit).map { .duration($0) }
        case .timestamp:
            if case .success(let ns) = TimeLiterals.parseTimestamp(cell) { return .timestamp(ns) }
            return nil
        case .timeOfDay(let zone):
            let normalized = cell.split(separator: ":").count == 2 ? cell + ":00" : cell
            return TimeLiterals.secondsOfDay(normalized).map { .timeOfDay(seconds: $0, zone: zone) }
        case .enumeration:
            return nil  // resolved by the caller, which knows the cases
        default:
            return nil
        }
    }
}
