/// Golden tests for bad inputs: every file in Fixtures/bad/ states, in
/// `// expect: CODE line:col` header lines, exactly the diagnostics the front
/// end must report; its rendered text is kept beside it as `NAME.out` (set
/// WRIT_UPDATE_GOLDEN=1 to rewrite those). Together the fixtures must
/// produce every diagnostic code, and the docs must describe every code.
import Foundation
import Testing
import WritDriver
import WritSema
import WritSyntax

struct BadFixture: CustomTestStringConvertible, Sendable {
    let name: String
    let path: String
    let text: String
    var testDescription: String { name }

    /// `(code, line, column)` triples from the header.
    var expected: [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            guard line.hasPrefix("// expect: ") else { return nil }
            return String(line.dropFirst("// expect: ".count)).trimmingCharacters(in: .whitespaces)
        }.sorted()
    }
}

enum Fixtures {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let badDir = packageRoot.appendingPathComponent("Tests/WritSemaTests/Fixtures/bad")

    static func bad() -> [BadFixture] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: badDir.path)) ?? []
        return names.filter { $0.hasSuffix(".writ") }.sorted().map { n in
            let p = badDir.appendingPathComponent(n).path
            return BadFixture(name: n, path: p, text: (try? String(contentsOfFile: p, encoding: .utf8)) ?? "")
        }
    }

    /// The CSV files beside the fixtures (`bad/data/*.csv`), for `data … from`.
    static let dataFiles: [(path: String, text: String)] = {
        let dir = badDir.appendingPathComponent("data")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { n in
            ("bad/data/" + n, (try? String(contentsOfFile: dir.appendingPathComponent(n).path, encoding: .utf8)) ?? "")
        }
    }()

    /// Every code the front end can report.
    static var allCodes: [DiagnosticCode] {
        DiagnosticCode.lexerCodes + DiagnosticCode.parserCodes + DiagnosticCode.semaCodes
            + DiagnosticCode.driverCodes
    }
}

func actualDiagnostics(_ fixture: BadFixture) -> (triples: [String], rendered: String) {
    // As `writ check` does: what the IR compiler refuses is an error too (E0702).
    var c = Compilation.check(sources: [(path: "bad/" + fixture.name, text: fixture.text)] + Fixtures.dataFiles)
    c.compileForEngine()
    let triples = c.diagnostics.map { d -> String in
        let (_, loc) = c.renderer.position(d.span)
        return "\(d.code.id) \(loc.line):\(loc.column)"
    }.sorted()
    return (triples, c.renderer.renderAll(c.diagnostics))
}

@Suite struct BadInputTests {
    @Test func thereAreEnoughFixtures() {
        #expect(Fixtures.bad().count >= 60, "the issue asks for at least 60 bad inputs")
    }

    @Test(arguments: Fixtures.bad())
    func reportsExactlyTheExpectedDiagnostics(_ fixture: BadFixture) throws {
        #expect(!fixture.expected.isEmpty, "\(fixture.name) has no `// expect:` header")
        let (triples, rendered) = actualDiagnostics(fixture)
        #expect(triples == fixture.expected, "\(fixture.name):\n\(rendered)")
        let golden = fixture.path.replacingOccurrences(of: ".writ", with: ".out")
        if ProcessInfo.processInfo.environment["WRIT_UPDATE_GOLDEN"] == "1" {
            try rendered.write(toFile: golden, atomically: true, encoding: .utf8)
        } else {
            let expected = try? String(contentsOfFile: golden, encoding: .utf8)
            #expect(expected == rendered, "rendered diagnostics of \(fixture.name) differ from \(golden)")
        }
    }

    @Test func everyCodeIsProducedByAFixture() {
        var produced = Set<String>()
        for f in Fixtures.bad() {
            for t in f.expected { produced.insert(String(t.split(separator: " ")[0])) }
        }
        let missing = Fixtures.allCodes.map(\.id).filter { !produced.contains($0) }
        #expect(missing.isEmpty, "no fixture produces \(missing.joined(separator: ", "))")
    }

    @Test func codesAreUniqueAndDocumented() throws {
        let ids = Fixtures.allCodes.map(\.id)
        #expect(Set(ids).count == ids.count, "duplicate diagnostic codes")
        let docs = Fixtures.packageRoot.appendingPathComponent("docs")
        let index = try String(contentsOfFile: docs.appendingPathComponent("diagnostics.md").path, encoding: .utf8)
        var pages = ""
        for page in ["syntax.md", "sema.md", "driver.md"] {
            pages += try String(contentsOfFile: docs.appendingPathComponent("diagnostics/" + page).path, encoding: .utf8)
        }
        let unindexed = ids.filter { !index.contains("| [\($0)](") }
        #expect(unindexed.isEmpty, "docs/diagnostics.md does not list \(unindexed.joined(separator: ", "))")
        let undocumented = ids.filter { !pages.contains("### \($0) ") }
        #expect(undocumented.isEmpty, "docs/diagnostics/ has no section for \(undocumented.joined(separator: ", "))")
    }
}
