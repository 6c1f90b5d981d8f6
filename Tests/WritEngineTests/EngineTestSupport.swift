/// Engine test support: compiles the rulebooks under rules/ and small fixture
/// programs from memory, with paths relative to the package root, so that
/// dumps and spans are the same on every machine.

import Foundation
import WritDriver
import WritIR
import WritSema
import WritSyntax

enum EnginePrograms {
    /// The package root (two levels above this file's directory).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every `.writ` and `.csv` file under `dir` (relative to the root), as in-memory sources.
    static func sources(under dir: String) -> [(path: String, text: String)] {
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
    static func check(_ sources: [(path: String, text: String)]) throws -> Compilation {
        let c = Compilation.check(sources: sources)
        if c.hasErrors { throw EngineTestFailure(c.renderer.renderAll(c.diagnostics)) }
        return c
    }

    /// The IR of in-memory sources.
    static func compile(_ sources: [(path: String, text: String)], optimize: Bool = true) throws -> IRProgram {
        let c = try check(sources)
        guard let program = c.checked?.program else { throw EngineTestFailure("no program") }
        var options = IRCompileOptions()
        options.optimize = optimize
        return try IRCompiler.compile(program, files: c.files, options: options)
    }

    /// The IR of the rulebooks under rules/.
    static func rules(optimize: Bool = true) throws -> IRProgram {
        try compile(sources(under: "rules"), optimize: optimize)
    }

    /// The IR of one fixture source, with the starter schema available as `schema.writ`.
    static func fixture(_ text: String, optimize: Bool = true) throws -> IRProgram {
        try compile(fixtureSources(text), optimize: optimize)
    }

    /// A fixture as sources: the text as `test.writ` plus the rulebook's schema and reference data.
    static func fixtureSources(_ text: String) -> [(path: String, text: String)] {
        sources(under: "rules").filter { $0.path == "rules/schema.writ" || $0.path == "rules/reference.writ"
            || $0.path.hasPrefix("rules/data/") } + [("rules/test.writ", text)]
    }
}

/// A failure with a message.
struct EngineTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

import WritEngine

extension EnginePrograms {
    /// An engine over the rulebooks under rules/.
    static func rulesEngine(_ config: EngineConfiguration = EngineConfiguration(keysPerSlot: 4096, liveOrders: 4096, idsPerDay: 4096, marketRecords: 1024, killSwitches: 256, runtimeSymbols: 65_536)) throws -> Engine {
        Engine(program: EngineProgram(ir: try rules()), configuration: config)
    }

    /// An engine over a fixture.
    static func fixtureEngine(_ text: String) throws -> Engine {
        Engine(program: EngineProgram(ir: try fixture(text)), configuration: EngineConfiguration(keysPerSlot: 4096, liveOrders: 4096, idsPerDay: 4096, marketRecords: 1024, killSwitches: 256, runtimeSymbols: 65_536))
    }
}

/// Input lines for tests.
enum Lines {
    static func order(
        _ id: String, event: String = "new", ts: String = "2026-11-27T14:30:00Z", venue: String = "XETR",
        symbol: String = "SAP", side: String = "buy", qty: String = "100", price: String? = "123.45",
        ordType: String = "limit", currency: String = "EUR", algo: String? = nil, trader: String = "T-1",
        extra: String = ""
    ) -> String {
        var s = #"{"event":"\#(event)","id":"\#(id)","ts":"\#(ts)","account":"A-1","client":"C-1","client_country":"DE","trader":"\#(trader)","desk":"EQ-EU","symbol":"\#(symbol)","venue":"\#(venue)","side":"\#(side)","qty":"\#(qty)","ord_type":"\#(ordType)","currency":"\#(currency)""#
        if let price { s += #","price":"\#(price)""# }
        if let algo { s += #","algo":"\#(algo)""# }
        s += extra
        return s + "}"
    }

    static func market(
        _ symbol: String = "SAP", venue: String = "XETR", reference: String = "123.00", ts: String = "2026-11-27T14:00:00Z",
        extra: String = ""
    ) -> String {
        #"{"event":"market","symbol":"\#(symbol)","venue":"\#(venue)","reference":"\#(reference)","ts":"\#(ts)"\#(extra)}"#
    }
}
