/// Source text and positions: a file's bytes, its line table, and the spans
/// that every token, node and diagnostic points into.

/// One source file held in memory, with a table of line starts for turning
/// byte offsets into line and column numbers.
public struct SourceFile: Sendable {
    /// The path as the user gave it (used verbatim in diagnostics).
    public let path: String
    /// The text of the file.
    public let text: String
    /// The UTF-8 bytes of `text`; spans are offsets into this array.
    public let bytes: [UInt8]
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    /// Creates a source file from its path and text.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            starts.append(i + 1)
        }
        self.lineStarts = starts
    }

    /// The 1-based line and column (in characters of the line) of a byte offset.
    public func location(of offset: Int) -> SourceLocation {
        let offset = max(0, min(offset, bytes.count))
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {  // progress: the interval shrinks every iteration
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        let lineStart = lineStarts[lo]
        // Column counts Unicode scalars, not bytes, so carets line up.
        let column = columnOf(lineStart: lineStart, offset: offset)
        return SourceLocation(line: lo + 1, column: column)
    }

    private func columnOf(lineStart: Int, offset: Int) -> Int {
        var column = 1
        var i = lineStart
        while i < offset {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        // Started at 1 and counted every scalar start before `offset`.
        return column
    }

    /// The text of a 1-based line, without its newline.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, end - 1 < bytes.count, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The source text covered by a span.
    public func text(of span: Span) -> String {
        let s = max(0, min(span.start, bytes.count))
        let e = max(s, min(span.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}

/// A 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number.
    public let line: Int
    /// 1-based column, counted in Unicode scalars.
    public let column: Int
    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    /// A textual form for messages and dumps.
    public var description: String { "\(line):\(column)" }
}

/// A half-open range of bytes `[start, end)` in one source file.
public struct Span: Hashable, Sendable {
    /// Which file (an index into the compilation's file list).
    public var file: Int
    /// First byte.
    public var start: Int
    /// One past the last byte.
    public var end: Int
    /// Creates a span.
    public init(file: Int, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }
    /// The smallest span that covers both.
    public func union(_ other: Span) -> Span {
        Span(file: file, start: min(start, other.start), end: max(end, other.end))
    }
    /// An empty span at this span's end.
    public var endPoint: Span { Span(file: file, start: end, end: end) }
    /// A span that points nowhere in particular (file 0, offset 0).
    public static let unknown = Span(file: 0, start: 0, end: 0)
}
