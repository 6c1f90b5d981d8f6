/// Text operations (`matches`, `startsWith`, `size`, `+`, `string`) and
/// `between` in a time zone, through whole decisions.

import Testing
import WritEngine

@Suite struct TextAndTimeTests {
    static let program = """
        import "schema.writ"
        jurisdiction X "text" {
          applies when true
          rule digits alert "d" when order.trader.matches("^T-[0-9]+$")
          rule letters alert "l" when order.trader.matches("([A-Z]{2}|x)\\\\d?$")
          rule alternation alert "a" when order.desk.matches("EU|US") && !order.desk.matches("^ASIA")
          rule starts alert "s" when order.account.startsWith("A-") && order.account.endsWith("7")
          rule sized alert "z" when size(string(order.client)) == 4
          rule joined alert "j" when string(order.side) + "/" + string(order.ord_type) == "sell/limit"
          rule opening alert "o" when between(order.ts, 09:30[America/New_York], 09:45[America/New_York])
          rule night alert "n" when between(order.ts, 23:00, 01:00)
        }
        """

    func fired(_ line: String) throws -> String {
        try EnginePrograms.fixtureEngine(TextAndTimeTests.program).processLine(line) ?? ""
    }

    @Test func regularExpressions() throws {
        #expect(try fired(Lines.order("O-1", trader: "T-12")).contains("X.digits"))
        #expect(!(try fired(Lines.order("O-1", trader: "T-12x")).contains("X.digits")))
        #expect(try fired(Lines.order("O-1", trader: "AB7")).contains("X.letters"))
        #expect(try fired(Lines.order("O-1", trader: "zzx")).contains("X.letters"))
        #expect(!(try fired(Lines.order("O-1", trader: "Ab7")).contains("X.letters")))
        #expect(try fired(Lines.order("O-1")).contains("X.alternation"))  // desk EQ-EU
    }

    @Test func stringFunctions() throws {
        let line = Lines.order("O-1", side: "sell").replacingOccurrences(of: #""account":"A-1""#, with: #""account":"A-17""#)
        let out = try fired(line)
        #expect(out.contains("X.starts"))
        #expect(!out.contains("X.sized"))  // "C-1" has 3 scalars
        #expect(out.contains("X.joined"))
        #expect(!(try fired(Lines.order("O-1", side: "buy")).contains("X.joined")))
    }

    @Test func betweenUsesTheZoneAndWrapsMidnight() throws {
        // 14:30Z is 09:30 in New York in November (EST, UTC−5): in [09:30, 09:45).
        #expect(try fired(Lines.order("O-1", ts: "2026-11-27T14:30:00Z")).contains("X.opening"))
        #expect(!(try fired(Lines.order("O-1", ts: "2026-11-27T14:45:00Z")).contains("X.opening")))
        // In July New York is UTC−4: 13:30Z is 09:30.
        #expect(try fired(Lines.order("O-1", ts: "2026-07-01T13:30:00Z")).contains("X.opening"))
        #expect(try fired(Lines.order("O-1", ts: "2026-11-27T23:30:00Z")).contains("X.night"))
        #expect(try fired(Lines.order("O-1", ts: "2026-11-28T00:59:59.999999999Z")).contains("X.night"))
        #expect(!(try fired(Lines.order("O-1", ts: "2026-11-28T01:00:00Z")).contains("X.night")))
    }
}
