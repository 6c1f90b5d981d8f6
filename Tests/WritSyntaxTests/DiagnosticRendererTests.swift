/// The renderer's source snippets: a line longer than `snippetWidth` is cut
/// to a window around the span (a 5 MB line is not printed whole), and the
/// caret still sits under the span's text.
import Testing

@testable import WritSyntax

@Suite struct DiagnosticRendererTests {
    /// The snippet's source line and caret line of a span `[start, end)` on one long line.
    func snippet(_ text: String, _ start: Int, _ end: Int) -> (line: String, caret: String) {
        let r = DiagnosticRenderer(files: [SourceFile(path: "x.writ", text: text)])
        let lines = r.snippet(Span(file: 0, start: start, end: end)).split(separator: "\n", omittingEmptySubsequences: false)
        return (String(lines[1].dropFirst(4)), String(lines[2].dropFirst(4)))  // after "1 | " and "  | "
    }

    @Test func shortLinesAreShownWhole() {
        let (line, caret) = snippet("const A = 1 +", 10, 11)
        #expect(line == "const A = 1 +")
        #expect(caret == "          ^")
    }

    @Test func longLinesAreCutAroundTheSpan() {
        let n = DiagnosticRenderer.snippetWidth
        let long = String(repeating: "a", count: 5_000_000) + "XYZ" + String(repeating: "b", count: 5_000_000)
        for (start, text) in [(5_000_000, "XYZ"), (0, "aaa"), (10_000_000, "bbb")] {
            let (line, caret) = snippet(long, start, start + 3)
            #expect(line.count <= n + 2, "cut to the window and its two marks")
            let at = caret.firstIndex(of: "^")
            #expect(at != nil && caret.filter { $0 == "^" }.count == 3)
            if let at {
                let k = caret.distance(from: caret.startIndex, to: at)
                #expect(String(Array(line)[k..<(k + 3)]) == text, "the caret is under `\(text)`: \(line) / \(caret)")
            }
            #expect(line.hasPrefix("…") == (start > 0) && line.hasSuffix("…") == (start < 10_000_000))
        }
    }

    @Test func aSpanLongerThanTheWindowIsUnderlinedToItsEdge() {
        let n = DiagnosticRenderer.snippetWidth
        let long = String(repeating: "c", count: 3 * n)
        let (line, caret) = snippet(long, 10, 3 * n)
        #expect(line == String(repeating: "c", count: n) + "…")
        #expect(caret == String(repeating: " ", count: 10) + String(repeating: "^", count: n - 10))
    }
}
