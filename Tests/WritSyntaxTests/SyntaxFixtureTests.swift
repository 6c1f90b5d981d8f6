/// Checks the syntax bad-input fixtures (Tests/WritSemaTests/Fixtures/bad/
/// syntax-*.writ): each file's `// expect: CODE line:col` header lines are
/// exactly what lexing and parsing report, and every lexer and parser code
/// has at least one fixture.

import Foundation
import Testing

@testable import WritSyntax

/// The syntax fixtures: file name and text.
func syntaxFixtures() -> [(name: String, text: String)] {
    guard let root = packageRoot() else { return [] }
    let dir = root.appendingPathComponent("Tests/WritSemaTests/Fixtures/bad")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { $0.hasPrefix("syntax-") && $0.hasSuffix(".writ") }.sorted().compactMap { name in
        (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)).map { (name, $0) }
    }
}

/// The `// expect:` lines at the top of a fixture, as `CODE line:col`.
func expectedDiagnostics(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false)
        .prefix { $0.hasPrefix("//") }
        .compactMap { line in
            line.hasPrefix("// expect: ")
                ? String(line.dropFirst("// expect: ".count)).trimmingCharacters(in: .whitespaces) : nil
        }
}

@Suite struct SyntaxFixtureTests {
    let fixtures = syntaxFixtures()

    @Test func thereAreFixtures() {
        #expect(fixtures.count >= 30)
    }

    @Test func eachFixtureReportsExactlyWhatItsHeaderSays() {
        for (name, text) in fixtures {
            let expected = expectedDiagnostics(text)
            #expect(!expected.isEmpty, "\(name) has no `// expect:` line")
            let file = SourceFile(path: name, text: text)
            var ids = NodeIDAllocator()
            let r = Parser.parse(file, fileIndex: 0, ids: &ids)
            let renderer = DiagnosticRenderer(files: [file])
            let actual = r.diagnostics.map { "\($0.code) \(renderer.position($0.span).location)" }
            #expect(actual.sorted() == expected.sorted(), "\(name)")
        }
    }

    @Test func everyLexerAndParserCodeHasAFixture() {
        let lines: [String] = fixtures.flatMap { expectedDiagnostics($0.text) }
        let covered = Set(lines.map { String($0.prefix { $0 != " " }) })
        let all = (DiagnosticCode.lexerCodes + DiagnosticCode.parserCodes).map(\.id)
        #expect(Set(all).subtracting(covered) == [])
    }
}
