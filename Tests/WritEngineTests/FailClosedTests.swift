/// Fail closed: every evaluation error rejects the order with a reason
/// that says what failed (docs/engine-semantics.md, step 5).

import Testing
import WritEngine

@Suite struct FailClosedTests {
    func rules() throws -> Engine {
        let e = try EnginePrograms.rulesEngine()
        e.bind("restricted_symbols", symbols: ["BAD"])
        e.bind("kyc_blocked", symbols: [])
        return e
    }

    @Test func missingReferencePrice() throws {
        let out = try rules().processLine(Lines.order("O-1")) ?? ""
        #expect(out.contains(#""verdict":"reject""#))
        #expect(out.contains("EU.price_collar could not be evaluated: market.reference is missing"))
    }

    @Test func decimalOverflow() throws {
        let e = try rules()
        _ = e.processLine(Lines.market())
        let out = e.processLine(Lines.order("O-1", qty: "900000000000000000000", price: "900000000000000000000")) ?? ""
        #expect(out.contains("EU.max_order_value could not be evaluated: decimal overflow"))
    }

    @Test func unknownVenue() throws {
        let out = try rules().processLine(Lines.order("O-1", venue: "XXXX")) ?? ""
        // The route reads the venue's regime too: no row, no route (fail closed).
        #expect(out.contains(#""rules":["GLOBAL.unknown_venue","order_routing"]"#))
        #expect(out.contains(#""verdict":"reject""#))
    }

    @Test func currencyMismatch() throws {
        let e = try rules()
        _ = e.processLine(Lines.market())
        let out = e.processLine(Lines.order("O-1", qty: "100", currency: "USD")) ?? ""
        #expect(out.contains("EU.max_order_value could not be evaluated: currency mismatch: USD vs EUR"))
        #expect(out.contains("GLOBAL.currency_mismatch"))
    }

    @Test func unboundData() throws {
        let e = try EnginePrograms.rulesEngine()
        e.bind("kyc_blocked", symbols: [])
        _ = e.processLine(Lines.market())
        let out = e.processLine(Lines.order("O-1")) ?? ""
        #expect(out.contains("GLOBAL.restricted_symbol could not be evaluated: restricted_symbols is not bound"))
    }

    @Test func restrictedSymbolFires() throws {
        let e = try rules()
        _ = e.processLine(Lines.market("BAD"))
        let out = e.processLine(Lines.order("O-1", symbol: "BAD")) ?? ""
        #expect(out.contains(#""rules":["GLOBAL.restricted_symbol"]"#))
    }

    @Test func stateTableFull() throws {
        let program = """
            import "schema.writ"
            jurisdiction T "test" {
              applies when true
              rule burst reject "burst" cite "x" when rate(order.trader, 1s) > 100
            }
            """
        let e = Engine(
            program: EngineProgram(ir: try EnginePrograms.fixture(program)),
            configuration: EngineConfiguration(keysPerSlot: 2, liveOrders: 64, idsPerDay: 64, marketRecords: 8, killSwitches: 8, runtimeSymbols: 1024))
        #expect(e.processLine(Lines.order("O-1", trader: "T-1"))?.contains(#""verdict":"allow""#) == true)
        #expect(e.processLine(Lines.order("O-2", trader: "T-2"))?.contains(#""verdict":"allow""#) == true)
        // A third trader in the same second needs a third entry: fail closed.
        let out = e.processLine(Lines.order("O-3", trader: "T-3")) ?? ""
        #expect(out.contains("T.burst could not be evaluated: state table full"))
        // In the next second the old entries are stale and make room.
        let later = e.processLine(Lines.order("O-4", ts: "2026-11-27T14:30:01Z", trader: "T-3")) ?? ""
        #expect(later.contains(#""verdict":"allow""#))
    }

    @Test func divisionByZeroAndIntOverflow() throws {
        let program = """
            import "schema.writ"
            jurisdiction T "test" {
              applies when true
              rule ratio alert "r" when order.qty / (order.qty - 100) > 1
              rule big alert "b" when int(order.qty) * 100_000_000_000_000_000 > 0
            }
            """
        let e = try EnginePrograms.fixtureEngine(program)
        let out = e.processLine(Lines.order("O-1", qty: "100")) ?? ""
        #expect(out.contains("T.ratio could not be evaluated: division by zero"))
        #expect(out.contains("T.big could not be evaluated: int overflow"))
    }
}
