/// Tests of file discovery, import following and path folding.
import Foundation
import Testing
@testable import WritDriver

@Suite struct SourceLoaderTests {
    @Test(arguments: [
        ("rules/jurisdictions/../schema.writ", "rules/schema.writ"),
        ("./a/./b.writ", "a/b.writ"),
        ("../x.writ", "../x.writ"),
        ("/a/../b.writ", "/b.writ"),
        ("a/b/../../c.writ", "c.writ"),
    ])
    func foldsPaths(input: String, folded: String) {
        #expect(SourceLoader.fold(input) == folded)
    }

    @Test func importsAreFollowedOnceAndNamedSimply() {
        let c = Compilation.check(sources: [
            (path: "r/main.writ", text: "import \"lib/a.writ\"\nimport \"lib/../lib/a.writ\"\nconst B = A + 1\n"),
            (path: "r/lib/a.writ", text: "import \"../main.writ\"\nconst A = 1\n"),
        ])
        #expect(c.files.map(\.path) == ["r/main.writ", "r/lib/a.writ"])
        #expect(!c.hasErrors, "\(c.renderer.renderAll(c.diagnostics))")
    }

    @Test func aMissingImportIsALocatedDiagnostic() throws {
        let c = Compilation.check(sources: [(path: "m.writ", text: "import \"nope.writ\"\n")])
        let d = try #require(c.diagnostics.first)
        #expect(d.code.id == "E0701")
        #expect(c.renderer.position(d.span).location.column == 8)
    }

    @Test func expandRejectsMissingPaths() {
        #expect(throws: UsageError.self) { try SourceLoader.expand(["/no/such/path"]) }
    }

    @Test func atomicWriteReplacesWholeFiles() throws {
        // Not created here: AtomicFile makes the missing directories itself.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("writ-aw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("sub/out.txt").path
        try AtomicFile.write("one\n", to: path)
        try AtomicFile.write("two\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("sub").path)
        #expect(leftovers == ["out.txt"], "no temporary file is left behind")
    }

    @Test func generatedRulesCheckClean() {
        let text = RuleGenerator.generate(rules: 300)
        let c = Compilation.check(sources: [(path: "gen.writ", text: text)])
        #expect(!c.hasErrors, "\(c.renderer.renderAll(Array(c.diagnostics.prefix(5))))")
    }
}
