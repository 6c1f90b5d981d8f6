/// Golden tests: the typed dump of a sample rulebook (as cel-go's checker
/// tests print `expr~type`), and every `sema-*` bad input with exactly the
/// diagnostics its `// expect:` header states. Set WRIT_UPDATE_GOLDEN=1 to
/// rewrite the typed dump.
import Foundation
import Testing
import WritSyntax

@testable import WritSema

enum SemaFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// Parses and checks one fixture file alone; data files are read beside it.
    static func check(_ path: String) -> (files: [SourceFile], diagnostics: [Diagnostic], result: CheckResult) {
        let f = SourceFile(path: path, text: read(path) ?? "")
        var ids = NodeIDAllocator()
        let p = Parser.parse(f, fileIndex: 0, ids: &ids)
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        let options = CheckOptions(
            readDataFile: { rel, _ in
                let full = dir.appendingPathComponent(rel).path
                return read(full).map { .success($0) } ?? .failure(DataFileError("no such file `\(rel)`"))
            }, computeCost: true)
        let r = Checker.check(units: [p.unit], files: [f], options: options)
        return ([f], p.diagnostics + r.diagnostics, r)
    }

    static var badInputs: [String] {
        let dir = root.appendingPathComponent("bad")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasPrefix("sema-") && $0.hasSuffix(".writ") }.sorted().map {
            dir.appendingPathComponent($0).path
        }
    }
}

@Suite struct GoldenTests {
    @Test func typedDumpOfTheSample() throws {
        let path = SemaFixtures.root.appendingPathComponent("typed/sample.writ").path
        let (files, diagnostics, result) = SemaFixtures.check(path)
        #expect(diagnostics.isEmpty, "\(DiagnosticRenderer(files: files).renderAll(diagnostics))")
        var ids = NodeIDAllocator()
        let unit = Parser.parse(files[0], fileIndex: 0, ids: &ids).unit
        let dump = TypedDump.dump(unit, result.program)
        #expect(!dump.contains(" ~ ?"), "every expression node of a valid program has a type")
        let golden = path.replacingOccurrences(of: ".writ", with: ".typed")
        if ProcessInfo.processInfo.environment["WRIT_UPDATE_GOLDEN"] == "1" {
            try dump.write(toFile: golden, atomically: true, encoding: .utf8)
        }
        let expected = try #require(SemaFixtures.read(golden), "missing \(golden)")
        #expect(dump == expected)
    }

    @Test func thereIsABadInputForEveryCode() {
        var produced = Set<String>()
        for p in SemaFixtures.badInputs {
            for line in (SemaFixtures.read(p) ?? "").split(separator: "\n") where line.hasPrefix("// expect: ") {
                produced.insert(String(line.dropFirst("// expect: ".count).prefix(5)))
            }
        }
        let missing = DiagnosticCode.semaCodes.map(\.id).filter { !produced.contains($0) }
        #expect(missing.isEmpty, "no sema fixture produces \(missing)")
        #expect(SemaFixtures.badInputs.count >= 45)
    }

    @Test(arguments: SemaFixtures.badInputs.map { URL(fileURLWithPath: $0).lastPathComponent })
    func badInputReportsExactlyItsHeader(_ name: String) {
        let path = SemaFixtures.root.appendingPathComponent("bad/\(name)").path
        let text = SemaFixtures.read(path) ?? ""
        let want = text.split(separator: "\n").filter { $0.hasPrefix("// expect: ") }
            .map { String($0.dropFirst("// expect: ".count)) }.sorted()
        let (files, diagnostics, _) = SemaFixtures.check(path)
        let got = diagnostics.map { d -> String in
            let l = files[0].location(of: d.span.start)
            return "\(d.code.id) \(l.line):\(l.column)"
        }.sorted()
        #expect(!want.isEmpty)
        #expect(got == want, "\(DiagnosticRenderer(files: files).renderAll(diagnostics))")
    }

    @Test func semaCodesAreUniqueAndWellFormed() {
        let ids = DiagnosticCode.semaCodes.map(\.id)
        #expect(Set(ids).count == ids.count)
        for c in DiagnosticCode.semaCodes {
            let range = c.id.hasPrefix("W") ? "W01" : c.id.prefix(3)
            #expect(["E03", "E04", "E05", "E06", "E08", "W01"].contains(String(range)), "\(c.id)")
            #expect(c.defaultSeverity == (c.id.hasPrefix("W") ? .warning : .error))
            #expect(!c.title.isEmpty && c.title.first!.isLowercase || c.title.first == "`", "\(c.id) \(c.title)")
        }
    }
}
