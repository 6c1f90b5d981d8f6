/// The decision index: venue sets computed from `applies`, rule tables from
/// constraints on the order's enum fields.

import Foundation
import Testing
import WritIR

@Suite struct DecisionIndexTests {
    func ir() throws -> IRProgram {
        let url = IRDumpGoldenTests.dir.appendingPathComponent("index.writ")
        return try TestPrograms.fixture(try String(contentsOf: url, encoding: .utf8))
    }

    @Test func venuesFromATableColumn() throws {
        let ir = try ir()
        let j = try #require(ir.jurisdictions.firstIndex { $0.name == "EUX" })
        let venues = try #require(ir.index.venues[j]).map { ir.symbols[$0] }
        #expect(Set(venues) == ["XETR", "XPAR", "XAMS", "XMIL", "XMAD"])
        let big = try #require(ir.jurisdictions.firstIndex { $0.name == "BIG" })
        #expect(ir.index.venues[big] == nil)
    }

    @Test func rulesBySideAndOrderType() throws {
        let ir = try ir()
        let j = try #require(ir.jurisdictions.firstIndex { $0.name == "EUX" })
        let ri = ir.index.rules[j]
        let names = ri.fields.map { ir.allFields[$0].name }
        #expect(Set(names) == ["side", "ord_type"])
        let order = try #require(ir.schema("order"))
        func candidates(side: String, type: String) -> Set<String> {
            var combo = 0
            for (k, f) in ri.fields.enumerated() {
                let field = ir.allFields[f]
                let cases = ir.enums[field.enumIndex!].cases
                let v = cases.firstIndex(of: field.name == "side" ? side : type)!
                combo += v * ri.radices[..<k].reduce(1, *)
            }
            return Set(ri.candidates[combo].map { ir.rules[$0].name })
        }
        _ = order
        #expect(candidates(side: "buy", type: "limit") == ["everyone"])
        #expect(candidates(side: "short", type: "market") == ["shorts", "market_orders", "everyone"])
        #expect(candidates(side: "sell", type: "limit") == ["limits_not_buy", "everyone"])
    }

    @Test func rulebooksAreIndexedByVenue() throws {
        let ir = try TestPrograms.rules()
        let us = try #require(ir.jurisdictions.firstIndex { $0.name == "US" })
        let venues = try #require(ir.index.venues[us]).map { ir.symbols[$0] }
        #expect(venues.contains("XNYS") && !venues.contains("XETR"))
    }
}
