/// Keeps docs/diagnostics/syntax.md true: one section per lexer and parser
/// code with the code's title; each bad example gives exactly that code,
/// rendered exactly as shown; each fix parses without a diagnostic.

import Foundation
import Testing

@testable import WritSyntax

/// One `### CODE — title` section of the syntax diagnostics page.
struct DocSection {
    var code = ""
    var title = ""
    /// The ```writ block after "Bad", if the example is real (not abbreviated).
    var bad: String?
    /// The ```text block after the bad example: the rendered diagnostic.
    var rendered: String?
    /// The ```writ block after "Fix".
    var fix: String?

    /// Splits the page into sections.
    static func parse(_ page: String) -> [DocSection] {
        var sections: [DocSection] = []
        var lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        var lastLabel = ""
        while let line = lines.popFirst() {
            if line.hasPrefix("### ") {
                let head = line.dropFirst(4)
                let parts = head.components(separatedBy: " — ")
                sections.append(DocSection(code: parts[0], title: parts.dropFirst().joined(separator: " — ")))
            } else if line.hasPrefix("Bad") || line.hasPrefix("Fix") {
                lastLabel = String(line.prefix(3))
            } else if line.hasPrefix("```"), !sections.isEmpty {
                let language = line.dropFirst(3)
                var body: [String] = []
                while let l = lines.popFirst(), l != "```" { body.append(l) }
                let text = body.joined(separator: "\n")
                let i = sections.count - 1
                switch (lastLabel, language) {
                case ("Bad", "writ"): sections[i].bad = text + "\n"
                case ("Bad", "text") where sections[i].bad != nil: sections[i].rendered = text
                case ("Fix", "writ"): sections[i].fix = text + "\n"
                default: break
                }
            }
        }
        return sections
    }
}

@Suite struct SyntaxDocsTests {
    let sections = packageFile("docs/diagnostics/syntax.md").map(DocSection.parse) ?? []

    @Test func everyCodeHasASectionWithItsTitle() {
        let codes = DiagnosticCode.lexerCodes + DiagnosticCode.parserCodes
        #expect(sections.map(\.code) == codes.map(\.id))
        for (s, c) in zip(sections, codes) {
            #expect(s.title == c.title, "\(c.id)")
        }
    }

    @Test func badExamplesGiveTheirCodeAsRendered() {
        for s in sections {
            guard let bad = s.bad else { continue }
            let file = SourceFile(path: "bad.writ", text: bad)
            var ids = NodeIDAllocator()
            let r = Parser.parse(file, fileIndex: 0, ids: &ids)
            #expect(r.diagnostics.map(\.code.id) == [s.code], "\(s.code)")
            let renderer = DiagnosticRenderer(files: [file])
            let rendered = r.diagnostics.map(renderer.render).joined(separator: "\n")
            #expect(s.rendered.map { $0 + "\n" } == rendered, "\(s.code)")
        }
        // All but the deliberately abbreviated example and the two whose
        // character cannot be shown in Markdown (E0107, E0108) are checked.
        #expect(sections.filter { $0.bad != nil }.count >= sections.count - 3)
    }

    @Test func fixesParseCleanly() {
        for s in sections {
            #expect(s.fix != nil, "\(s.code) has no fix")
            guard let fix = s.fix else { continue }
            var ids = NodeIDAllocator()
            let r = Parser.parse(SourceFile(path: "fix.writ", text: fix), fileIndex: 0, ids: &ids)
            #expect(r.diagnostics.map(\.message) == [], "\(s.code)")
        }
    }
}
