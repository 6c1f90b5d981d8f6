/// Bound tables in the oracle, written plainly from docs/engine-semantics.md
/// ("Bound tables"): rows by key text, bound whole from cell texts, changed
/// by `set` and `remove` control events with the same messages as the engine.

import WritSema
import WritValue

/// Why rows could not be bound.
public struct OracleBindError: Error, Sendable {
    /// The problem.
    public var message: String
}

extension Oracle {
    /// Throws `x is not bound` when `name` is a bound table the host has not bound.
    func requireBound(_ name: String) throws(EvalError) {
        guard let t = tablesByName[name], let binding = t.binding else { return }
        if boundTableRows[name] == nil { throw OracleMessages.unbound(binding) }
    }

    /// Binds the bound table(s) named `name` from rows of cell texts, one per
    /// column named in `header`; replaces an earlier binding.
    public func bind(_ name: String, header: [String], rows: [[String]]) throws(OracleBindError) {
        for d in program.data {
            guard case .table(let t) = d.source, t.binding == name else { continue }
            var out: [String: [Value]] = [:]
            for cells in rows {
                var row: [Value] = []
                for c in t.columns {
                    guard let i = header.firstIndex(of: c.name), i < cells.count else {
                        throw OracleBindError(message: "no column `\(c.name)`")
                    }
                    switch Oracle.cell(cells[i], c) {
                    case .success(let v): row.append(v)
                    case .failure(let e): throw OracleBindError(message: e.message)
                    }
                }
                let key = Oracle.keyString(t, row)
                guard out[key] == nil else { throw OracleBindError(message: "the key `\(key)` repeats") }
                out[key] = row
            }
            bindRows(d.name, out)
        }
    }

    /// Binds the rows of bound table `decl`, with room for the spare rows.
    func bindRows(_ decl: String, _ rows: [String: [Value]]) {
        boundTableRows[decl] = rows
        boundTableCapacity[decl] = rows.count + capacities.boundTableSpareRows
    }

    /// The text of a row's key: its key cell's, or the key cells' joined by U+001F.
    static func keyString(_ t: CheckedTable, _ row: [Value]) -> String {
        if case .symbol(let s) = t.key(of: row) { return s }
        if case .string(let s) = t.key(of: row) { return s }
        return ""
    }

    struct CellProblem: Error {
        var message: String
    }

    /// A cell text as a value of column `c` (the engine's reading of bound cells).
    static func cell(_ text: String, _ c: CheckedField) -> Result<Value, CellProblem> {
        func bad(_ what: String) -> Result<Value, CellProblem> {
            .failure(CellProblem(message: "`\(text)` in column `\(c.name)` is not \(what)"))
        }
        switch c.type {
        case .bool:
            if text == "true" { return .success(.bool(true)) }
            if text == "false" { return .success(.bool(false)) }
            return bad("a bool")
        case .int:
            guard let i = Int64(text.filter { $0 != "_" }) else { return bad("an integer") }
            return .success(.int(i))
        case .decimal:
            guard let f = Fixed(text) else { return bad("a decimal") }
            return .success(.decimal(f))
        case .percent:
            let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
            guard let f = Fixed(digits), f.divided(by: Fixed(100)) != nil else { return bad("a percent") }
            return .success(.percent(f))
        case .string:
            return .success(.string(text))
        case .symbol:
            return text.isEmpty ? bad("a symbol") : .success(.symbol(text))
        case .currency:
            let ok = text.utf8.count == 3 && text.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
            return ok ? .success(.symbol(text)) : bad("a currency")
        case .money(.fixed(let cur)):
            let parts = text.split(separator: " ")
            guard parts.count == 1 || parts.count == 2, let f = Fixed(String(parts[0])) else {
                return bad("an amount of \(cur)")
            }
            if parts.count == 2, String(parts[1]) != cur { return bad("an amount of \(cur)") }
            return .success(.money(f, currency: cur))
        default:
            return bad("a value of this column")
        }
    }

    /// The text of a stored cell, as the engine re-reads it for a `set` that changes other columns.
    static func cellText(_ v: Value) -> String {
        switch v {
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .decimal(let f): return f.description
        case .percent(let f): return f.description + "%"
        case .money(let a, _): return a.description
        case .string(let s), .symbol(let s): return s
        default: return ""
        }
    }

    /// A `set` or `remove` control of a bound table; the problem when it
    /// cannot be applied (the line is then refused), nil when applied.
    func tableControl(_ r: Record, _ members: [JSONValue.Member], set isSet: Bool) -> String? {
        guard let k = r.fields["key"] else { return "a table control needs `action` and `key`" }
        let verb = isSet ? "set" : "remove"
        guard let tv = r.fields["table"] else {
            return "a `\(verb)` control needs the field `table` naming a bound table"
        }
        let tableName = keyText(tv)
        let declared = program.data.compactMap { d -> (String, CheckedTable)? in
            if case .table(let t) = d.source, t.binding != nil { return (d.name, t) }
            return nil
        }
        guard let (decl, t) = declared.first(where: { $0.1.binding == tableName }) else {
            let known = declared.map { "`\($0.1.binding ?? "")`" }.joined(separator: ", ")
            return "unknown bound table `\(tableName)`; the bound tables are \(known.isEmpty ? "none" : known)"
        }
        guard var rows = boundTableRows[decl] else {
            return "`\(tableName)` is not bound; bind it before changing a row"
        }
        let keyText = self.keyText(k)
        let parts =
            t.keyIndices.count > 1
            ? keyText.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters(in: [" ", "\t"])
            }
            : [keyText]
        guard parts.count == t.keyIndices.count, !parts.contains(where: \.isEmpty) else {
            let cols = t.keyIndices.map { t.columns[$0].name }.joined(separator: ", ")
            return "the key `\(keyText)` of `\(tableName)` is not \(t.keyIndices.count) ids separated by commas (\(cols))"
        }
        let key = parts.joined(separator: "\u{1F}")
        let existing = rows[key]
        if !isSet {
            guard existing != nil else { return "`\(tableName)` has no row `\(parts.joined(separator: ", "))` to remove" }
            rows[key] = nil
            boundTableRows[decl] = rows
            return nil
        }
        guard let vm = members.first(where: { $0.key == "values" }), case .object(let obj) = vm.value else {
            return "a `set` control needs `values`, an object of column names and values"
        }
        var values: [(String, String)] = []
        for m in obj {
            switch m.value {
            case .string(let s), .number(let s): values.append((m.key, s))
            case .bool(let b): values.append((m.key, b ? "true" : "false"))
            case .null: values.append((m.key, "null"))
            default: return "a `set` control needs `values`, an object of column names and values"
            }
        }
        var seen: Set<String> = []
        for (name, _) in values where t.columns.contains(where: { $0.name == name }) {
            guard seen.insert(name).inserted else { return "`values` gives `\(name)` twice; give each column once" }
        }
        var texts: [String] = []
        for (ci, c) in t.columns.enumerated() {
            if let ki = t.keyIndices.firstIndex(of: ci) {
                if let v = values.first(where: { $0.0 == c.name }), v.1 != parts[ki] {
                    return "`values` gives the key column `\(c.name)` as `\(v.1)`, but the key says `\(parts[ki])`"
                }
                texts.append(parts[ki])
            } else if let v = values.first(where: { $0.0 == c.name }) {
                texts.append(v.1)
            } else if let existing {
                texts.append(Oracle.cellText(existing[ci]))
            } else {
                return "a new row of `\(tableName)` needs every column; `values` has no `\(c.name)`"
            }
        }
        if let unknown = values.first(where: { v in !t.columns.contains { $0.name == v.0 } }) {
            return "`\(tableName)` has no column `\(unknown.0)`"
        }
        var row: [Value] = []
        for (ci, c) in t.columns.enumerated() {
            switch Oracle.cell(texts[ci], c) {
            case .success(let v): row.append(v)
            case .failure(let e): return "\(e.message) (`\(tableName)` row `\(parts.joined(separator: ", "))`)"
            }
        }
        let capacity = boundTableCapacity[decl] ?? 0
        if existing == nil && rows.count >= capacity {
            return "`\(tableName)` is full (\(capacity) rows); remove a row before adding one"
        }
        rows[key] = row
        boundTableRows[decl] = rows
        return nil
    }
}
