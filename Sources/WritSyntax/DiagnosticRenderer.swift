/// Renders diagnostics for people (`file:line:col: error[CODE]: message`, the
/// source line and a caret underline) and for tools (JSON).

/// Formats diagnostics against the files they point into.
public struct DiagnosticRenderer: Sendable {
    /// The files of the compilation, indexed by `Span.file`.
    public let files: [SourceFile]
    /// Creates a renderer over the given files.
    public init(files: [SourceFile]) { self.files = files }

    private func file(_ span: Span) -> SourceFile? {
        span.file >= 0 && span.file < files.count ? files[span.file] : nil
    }

    /// `path:line:col` of a span's start.
    public func position(_ span: Span) -> (path: String, location: SourceLocation) {
        guard let f = file(span) else { return ("<unknown>", SourceLocation(line: 1, column: 1)) }
        return (f.path, f.location(of: span.start))
    }

    /// Human-readable text of one diagnostic, ending with a newline.
    public func render(_ d: Diagnostic) -> String {
        var out = ""
        let (path, loc) = position(d.span)
        out += "\(path):\(loc.line):\(loc.column): \(d.severity.rawValue)[\(d.code.id)]: \(d.message)\n"
        out += snippet(d.span)
        for n in d.notes {
            if let s = n.span {
                let (p, l) = position(s)
                out += "\(p):\(l.line):\(l.column): note: \(n.message)\n"
                out += snippet(s)
            } else {
                out += "  note: \(n.message)\n"
            }
        }
        if let h = d.help { out += "  help: \(h)\n" }
        if let fix = d.fixIt {
            if fix.replacement.isEmpty {
                out += "  fix: delete `\(file(fix.span)?.text(of: fix.span) ?? "")`\n"
            } else if fix.span.start == fix.span.end {
                out += "  fix: insert `\(fix.replacement)`\n"
            } else {
                out += "  fix: replace with `\(fix.replacement)`\n"
            }
        }
        return out
    }

    /// The widest source line a snippet shows whole; a longer one is cut to
    /// this many characters around the span, with `…` where it was cut.
    public static let snippetWidth = 160

    /// The source line of a span and a caret underline (the first line only
    /// when the span covers several).
    public func snippet(_ span: Span) -> String {
        guard let f = file(span) else { return "" }
        let start = f.location(of: span.start)
        let line = Self.visible(f.lineText(start.line))
        let endLoc = f.location(of: span.end)
        let count = line.unicodeScalars.count
        var width = endLoc.line == start.line ? max(1, endLoc.column - start.column) : max(1, count - start.column + 1)
        var column = max(0, start.column - 1)  // of the span's start, from 0
        var shown = line
        if count > Self.snippetWidth {
            // A window of the line that starts a little before the span.
            let from = max(0, min(column - Self.snippetWidth / 4, count - Self.snippetWidth))
            let to = min(count, from + Self.snippetWidth)
            let u = line.unicodeScalars
            let a = u.index(u.startIndex, offsetBy: from)
            var cut = String(u[a..<u.index(a, offsetBy: to - from)])
            column -= from
            if from > 0 {
                cut = "…" + cut
                column += 1
            }
            if to < count { cut += "…" }
            width = max(1, min(width, to - max(0, start.column - 1)))
            shown = cut
        }
        let gutter = String(start.line)
        let pad = String(repeating: " ", count: gutter.count)
        let indent = String(repeating: " ", count: column)
        return "\(pad) |\n\(gutter) | \(shown)\n\(pad) | \(indent)\(String(repeating: "^", count: width))\n"
    }

    /// `line` with each character the lexer refuses as invisible (a lone
    /// carriage return, U+2028, U+2029, a bidirectional control) shown as
    /// U+FFFD: printed raw, it would move the cursor or reorder the line on
    /// the terminal. One scalar for one, so the caret stays aligned.
    static func visible(_ line: String) -> String {
        var out = String.UnicodeScalarView()
        for u in line.unicodeScalars {
            switch u.value {
            case 0x0D, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: out.append("\u{FFFD}")
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// All diagnostics as text, then a summary line such as `2 errors, 1 warning`.
    public func renderAll(_ ds: [Diagnostic]) -> String {
        var out = ds.map(render).joined(separator: "\n")
        let e = ds.filter { $0.severity == .error }.count
        let w = ds.filter { $0.severity == .warning }.count
        if e + w > 0 {
            if !out.isEmpty { out += "\n" }
            out += "\(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s")\n"
        }
        return out
    }

    /// JSON for tools: an array of objects with `code`, `severity`,
    /// `message`, `file`, `line`, `column`, `end_line`, `end_column`,
    /// `notes`, `help` and `fix`. Keys are in a fixed order.
    public func renderJSON(_ ds: [Diagnostic]) -> String {
        func loc(_ s: Span) -> String {
            let (p, a) = position(s)
            let b = file(s).map { $0.location(of: s.end) } ?? a
            return "\"file\":\(JSONText.quote(p)),\"line\":\(a.line),\"column\":\(a.column),\"end_line\":\(b.line),\"end_column\":\(b.column)"
        }
        var items: [String] = []
        for d in ds {
            var o = "{\"code\":\(JSONText.quote(d.code.id)),\"severity\":\(JSONText.quote(d.severity.rawValue)),\"message\":\(JSONText.quote(d.message)),\(loc(d.span))"
            let notes = d.notes.map { n in
                n.span.map { "{\"message\":\(JSONText.quote(n.message)),\(loc($0))}" } ?? "{\"message\":\(JSONText.quote(n.message))}"
            }
            o += ",\"notes\":[\(notes.joined(separator: ","))]"
            o += ",\"help\":\(d.help.map(JSONText.quote) ?? "null")"
            if let f = d.fixIt {
                o += ",\"fix\":{\(loc(f.span)),\"replacement\":\(JSONText.quote(f.replacement))}"
            } else {
                o += ",\"fix\":null"
            }
            items.append(o + "}")
        }
        return "[" + items.joined(separator: ",\n") + "]\n"
    }
}

/// Minimal JSON text helpers (no Foundation on the hot paths that use them).
public enum JSONText {
    /// A JSON string literal for `s`: `"` and `\` escaped, control
    /// characters as `\n`, `\r`, `\t`, `\b`, `\f` or `\u00xx` (lower-case
    /// hex); everything else, non-ASCII included, as is. The engine's
    /// decision lines use the same convention.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
