/// Test support shared by the IR and engine tests: compiles the rulebooks
/// under rules/ and small fixture programs from memory, with paths relative
/// to the package root, so that dumps and spans are the same on every machine.
/// Not a product; only test targets depend on it.

import Foundation
import WritDriver
import WritIR
import WritSema
import WritSyntax

/// Programs for tests.
public enum TestPrograms {
    /// The package root (two levels above this file's directory).
    public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every `.writ` and `.csv` file under `dir` (relative to the root), as in-memory sources.
    public static func sources(under dir: String) -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(dir)
        guard let e = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var out: [(path: String, text: String)] = []
        for case let url as URL in e where url.pathExtension == "writ" || url.pathExtension == "csv" {
            let rel = String(url.path.dropFirst(root.path.count + 1))
            out.append((rel, (try? String(contentsOf: url, encoding: .utf8)) ?? ""))
        }
        return out.sorted { $0.path < $1.path }
    }

    /// A checked compilation that must have no errors.
    public static func check(_ sources: [(path: String, text: String)]) throws -> Compilation {
        let c = Compilation.check(sources: sources)
        if c.hasErrors { throw TestFailure(c.renderer.renderAll(c.diagnostics)) }
        return c
    }

    /// The IR of in-memory sources.
    public static func compile(_ sources: [(path: String, text: String)], optimize: Bool = true) throws -> IRProgram {
        let c = try check(sources)
        guard let program = c.checked?.program else { throw TestFailure("no program") }
        var options = IRCompileOptions()
        options.optimize = optimize
        return try IRCompiler.compile(program, files: c.files, options: options)
    }

    /// The IR of the rulebooks under rules/.
    public static func rules(optimize: Bool = true) throws -> IRProgram {
        try compile(sources(under: "rules"), optimize: optimize)
    }

    /// The IR of one fixture source, with the starter schema available as `schema.writ`.
    public static func fixture(_ text: String, optimize: Bool = true) throws -> IRProgram {
        try compile(fixtureSources(text), optimize: optimize)
    }

    /// A fixture as sources: the text as `test.writ` plus the rulebook's schema and reference data.
    public static func fixtureSources(_ text: String) -> [(path: String, text: String)] {
        sources(under: "rules").filter { $0.path == "rules/schema.writ" || $0.path == "rules/reference.writ"
            || $0.path.hasPrefix("rules/data/") } + [("rules/test.writ", text)]
    }
}

/// A failure with a message.
public struct TestFailure: Error, CustomStringConvertible {
    /// The message.
    public let description: String
    /// Creates a failure.
    public init(_ d: String) { description = d }
}
