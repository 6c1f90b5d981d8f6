/// First end-to-end checks of the engine on the rulebooks.

import Testing
import WritEngine

@Suite struct EngineSmokeTests {
    @Test func allowsAnOrdinaryOrder() throws {
        let e = try EnginePrograms.rulesEngine()
        e.bind("restricted_symbols", symbols: [])
        e.bind("kyc_blocked", symbols: [])
        #expect(e.processLine(Lines.market()) == nil)
        let out = e.processLine(Lines.order("O-1"))
        #expect(out == #"{"id":"O-1","verdict":"allow","jurisdictions":["EU","GLOBAL"],"rules":[],"reasons":[],"citations":[],"route":"eu_central_1","dr_level":"full"}"#)
    }

    @Test func missingReferenceRejects() throws {
        let e = try EnginePrograms.rulesEngine()
        e.bind("restricted_symbols", symbols: [])
        e.bind("kyc_blocked", symbols: [])
        let out = e.processLine(Lines.order("O-2"))
        print(out ?? "nil")
        #expect(out?.contains("EU.price_collar could not be evaluated: market.reference is missing") == true)
    }
}
