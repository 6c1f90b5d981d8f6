/// Formatting never changes a program. For the rulebooks under rules/ (checked
/// together, as one program) and for every fixture under
/// Tests/WritSemaTests/Fixtures/ that has no syntax errors (each on its own):
/// `writ fmt` is idempotent, and the formatted files check to the same
/// program — the same AST dump (spans aside) and the same diagnostic codes.
import Foundation
import Testing
import WritDriver
import WritSyntax

/// The package root, three levels above this file.
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// Every file under `dir` whose name ends with one of `suffixes`, sorted.
private func files(under dir: URL, suffixes: [String]) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: dir.path) else { return [] }
    var out: [String] = []
    while let rel = e.nextObject() as? String {
        if suffixes.contains(where: rel.hasSuffix) { out.append(dir.appendingPathComponent(rel).path) }
    }
    return out.sorted()
}

private func contents(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}

/// What must not change: the AST dump and the multiset of diagnostic codes.
private struct ProgramFingerprint: Equatable {
    var astDump: String
    var codes: [String]

    init(_ sources: [(path: String, text: String)]) {
        let c = Compilation.check(sources: sources)
        // The AST of all units without spans (what `Compilation.astDump` is to give).
        astDump = c.parses.map { ASTDump.dump($0.unit) }.joined(separator: "\n")
        codes = c.diagnostics.map(\.code.id).sorted()
    }
}

/// Formats each `.writ` source; nil for a file with syntax errors.
private func formatted(_ sources: [(path: String, text: String)]) throws -> [(path: String, text: String)]? {
    var out: [(path: String, text: String)] = []
    for s in sources {
        guard s.path.hasSuffix(".writ") else {
            out.append(s)
            continue
        }
        let once: String
        do {
            once = try Formatter.format(SourceFile(path: s.path, text: s.text))
        } catch {
            return nil
        }
        #expect(try Formatter.format(SourceFile(path: s.path, text: once)) == once, "\(s.path): not idempotent")
        out.append((s.path, once))
    }
    return out
}

@Suite struct FormatterPropertyTests {
    @Test func rulebooksFormatToTheSameProgram() throws {
        let dir = packageRoot.appendingPathComponent("rules")
        let paths = files(under: dir, suffixes: [".writ", ".csv"])
        let sources = try paths.map { (path: $0, text: try contents($0)) }
        #expect(sources.contains { $0.path.hasSuffix(".writ") }, "no rule files under \(dir.path)")
        let after = try #require(try formatted(sources), "a rule file has syntax errors")
        #expect(ProgramFingerprint(after) == ProgramFingerprint(sources))
    }

    @Test func fixturesFormatToTheSameProgram() throws {
        let dir = packageRoot.appendingPathComponent("Tests/WritSemaTests/Fixtures")
        let dataFiles = try files(under: dir, suffixes: [".csv"]).map { (path: $0, text: try contents($0)) }
        var formattedCount = 0
        for path in files(under: dir, suffixes: [".writ"]) {
            let sources = [(path: path, text: try contents(path))] + dataFiles
            guard let after = try formatted(sources) else { continue }  // syntax errors: not formatted
            formattedCount += 1
            #expect(ProgramFingerprint(after) == ProgramFingerprint(sources), "\(path)")
        }
        #expect(formattedCount > 0, "no fixture without syntax errors under \(dir.path)")
    }
}
