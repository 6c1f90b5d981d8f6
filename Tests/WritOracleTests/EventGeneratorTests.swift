/// The event generator: the same seed gives the same stream, lines follow
/// the input contract, and a stream has what the differential test needs
/// (every event kind, day boundaries, about 1% of malformed lines).

import Foundation
import Testing
import WritDriver
import WritOracle
import WritSema

@Suite struct EventGeneratorTests {
    static let program = OracleFixtures.program(
        """
        import "schema.writ"
        jurisdiction T "T" {
          applies when true
          limits {
            cap = 1_000_000 EUR
            collar = 5%
            burst = 50
          }
          rule big alert "big" when has(order.price) && order.qty * order.price > cap
          rule fast alert "fast" when rate(order.trader, 1s) > burst
          rule far alert "far" when has(order.price) && abs(order.price - market.reference) > market.reference * collar
        }
        """)

    @Test func theSeedFixesTheStream() {
        var a = EventGenerator(program: Self.program, seed: 42)
        var b = EventGenerator(program: Self.program, seed: 42)
        var c = EventGenerator(program: Self.program, seed: 43)
        let x = a.generate(count: 3_000)
        #expect(x == b.generate(count: 3_000))
        #expect(x != c.generate(count: 3_000))
    }

    @Test func streamsFollowTheContract() throws {
        var g = EventGenerator(program: Self.program, seed: 7)
        let lines = g.generate(count: 20_000)
        var kinds: [String: Int] = [:]
        var days: Set<Substring> = []
        var malformed = 0
        let oracle = Oracle(program: Self.program)
        for line in lines {
            let d = ParsedDecision(oracle.process(line: line))
            if let d, d.rules.isEmpty, d.verdict == "reject", d.reasons.count == 1,
                ["the line", "missing field", "unknown event", "field `"].contains(where: { d.reasons[0].hasPrefix($0) })
            {
                malformed += 1
                continue
            }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            let kind = try #require(object["event"] as? String)
            kinds[kind, default: 0] += 1
            if let ts = object["ts"] as? String { days.insert(ts.prefix(10)) }
        }
        #expect(kinds.keys.sorted() == ["cancel", "control", "fill", "market", "modify", "new"])
        #expect(kinds["new"]! > lines.count / 3)
        #expect(days.count >= 2)
        // About 1% of the lines are malformed (each with one problem).
        #expect(malformed > lines.count / 400 && malformed < lines.count / 50)
    }

    @Test func bindingsNameTheProgramsBoundData() {
        let b = EventGenerator.bindings(for: Self.program)
        #expect(b.map(\.name).sorted() == ["kyc_blocked", "restricted_symbols"])
        #expect(b.first { $0.name == "kyc_blocked" }?.symbols == ["C-KYC"])
        #expect(b.first { $0.name == "restricted_symbols" }?.symbols.isEmpty == false)
    }
}
