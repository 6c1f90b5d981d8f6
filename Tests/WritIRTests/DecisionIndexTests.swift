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
        #expect(Set(names) == ["side", "ord_type", "algo", "locate_id"])
        #expect(ri.fields.enumerated().allSatisfy { ri.presence[$0.offset] == ir.allFields[$0.element].optional })
        func candidates(side: String, type: String, algo: Bool = false, locate: Bool = false) -> Set<String> {
            var combo = 0
            for (k, f) in ri.fields.enumerated() {
                let field = ir.allFields[f]
                let v: Int
                switch field.name {
                case "algo": v = algo ? 1 : 0
                case "locate_id": v = locate ? 1 : 0
                default: v = ir.enums[field.enumIndex!].cases.firstIndex(of: field.name == "side" ? side : type)!
                }
                combo += v * ri.radices[..<k].reduce(1, *)
            }
            return Set(ri.candidates[combo].map { ir.rules[$0].name })
        }
        #expect(candidates(side: "buy", type: "limit") == ["everyone"])
        #expect(candidates(side: "short", type: "market", algo: true) == ["shorts", "market_orders", "everyone"])
        #expect(candidates(side: "short", type: "market", algo: false, locate: true) == ["everyone"])
        #expect(candidates(side: "sell", type: "limit") == ["limits_not_buy", "everyone"])
    }

    @Test func rulebooksAreIndexedByVenue() throws {
        let ir = try TestPrograms.rules()
        let us = try #require(ir.jurisdictions.firstIndex { $0.name == "US" })
        let venues = try #require(ir.index.venues[us]).map { ir.symbols[$0] }
        #expect(venues.contains("XNYS") && !venues.contains("XETR"))
    }
}
