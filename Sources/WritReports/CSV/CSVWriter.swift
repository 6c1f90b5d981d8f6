/// RFC 4180 CSV: a header row, then one record per row; fields that hold a
/// comma, a double quote, a CR or an LF are quoted, with quotes doubled;
/// every record ends with CRLF. Text is UTF-8 without a byte-order mark.

/// A table written as CSV.
struct CSVWriter: ~Copyable {
    private(set) var text = TextBuffer(capacity: 1 << 16)
    let columns: Int
    private(set) var rows = 0

    /// Starts a table with its header row.
    init(header: [String]) {
        columns = header.count
        row(header)
        rows = 0
    }

    /// Appends a record; it must have as many fields as the header.
    mutating func row(_ fields: [String]) {
        precondition(fields.count == columns, "a CSV row has \(fields.count) fields, the header \(columns)")
        for (i, f) in fields.enumerated() {
            if i > 0 { text.append(UInt8(ascii: ",")) }
            CSVWriter.field(f, into: &text)
        }
        text.append(0x0D)
        text.append(0x0A)
        rows += 1
    }

    /// Whether a spreadsheet would read `s` as a formula: it starts with `=`,
    /// `+`, `-` or `@` and is not a plain number (`-12.5` stays a number).
    static func looksLikeFormula(_ s: String) -> Bool {
        guard let first = s.utf8.first,
            first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                || first == UInt8(ascii: "@")
        else { return false }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            let rest = s.utf8.dropFirst()
            var digits = 0
            var dots = 0
            for c in rest {
                if c >= 0x30 && c <= 0x39 {
                    digits += 1
                } else if c == UInt8(ascii: ".") {
                    dots += 1
                } else {
                    return true
                }
            }
            return digits == 0 || dots > 1
        }
        return true
    }

    /// Appends one field, quoted when RFC 4180 requires it; a text a
    /// spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1+cmd|…`,
    /// `@SUM(…)`) gets a leading `'`, as OWASP advises, so that it is shown
    /// as text.
    static func field(_ raw: String, into out: inout TextBuffer) {
        let s = looksLikeFormula(raw) ? "'" + raw : raw
        let needsQuotes = s.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A
        }
        guard needsQuotes else {
            out.append(s)
            return
        }
        out.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            if c == UInt8(ascii: "\"") { out.append(UInt8(ascii: "\"")) }
            out.append(c)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The CSV text of `header` and `rows`.
    static func encode(header: [String], rows: [[String]]) -> [UInt8] {
        var w = CSVWriter(header: header)
        for r in rows { w.row(r) }
        return w.text.bytes
    }
}
