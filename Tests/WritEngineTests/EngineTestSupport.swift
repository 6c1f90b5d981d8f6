/// Engine test support: the shared test programs (module WritTestSupport)
/// under the names these tests use, and engines built from them.

import Foundation
import WritTestSupport
import WritDriver
import WritIR
import WritSema
import WritSyntax

typealias EnginePrograms = WritTestSupport.TestPrograms
typealias EngineTestFailure = WritTestSupport.TestFailure

import WritEngine

extension EnginePrograms {
    /// An engine over the rulebooks under rules/.
    static func rulesEngine(_ config: EngineConfiguration = EngineConfiguration(keysPerSlot: 4096, liveOrders: 4096, idsPerDay: 4096, marketRecords: 1024, killSwitches: 256, runtimeSymbols: 65_536)) throws -> Engine {
        Engine(program: EngineProgram(ir: try rules()), configuration: config)
    }

    /// `count` events the generator makes for rules/ from `seed`, and the checked program.
    static func stream(_ count: Int, seed: UInt64) throws -> (lines: [String], program: CheckedProgram) {
        let c = try check(sources(under: "rules"))
        guard let program = c.checked?.program else { throw EngineTestFailure("rules/ did not check") }
        var g = EventGenerator(program: program, seed: seed)
        return (g.generate(count: count), program)
    }

    /// `e` with the generator's bindings for `program` bound.
    static func bound(_ e: Engine, _ program: CheckedProgram) -> Engine {
        for b in EventGenerator.bindings(for: program) { e.bind(b.name, symbols: b.symbols) }
        return e
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
