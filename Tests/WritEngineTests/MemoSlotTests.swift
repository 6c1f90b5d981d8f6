/// Memo slots (docs/ir.md, "Memo slots"): an expression several rules
/// compute is computed once per evaluation, and its value or its error is
/// what every rule reading it sees — the same decisions as the code without
/// memo slots, errors absorbed or raised exactly as inline.

import Testing
import WritEngine
import WritIR

@Suite struct MemoSlotTests {
    /// Four rules read the order's notional: alone, under `||`, under `&&`, under `!`
    /// (the last two through a second slot, the comparison with 50 EUR).
    static let program = """
        import "schema.writ"
        jurisdiction T "test" {
          applies when true
          rule big alert "a" when order.qty * (has(order.price) ? order.price : market.reference) > 1000 EUR
          rule big_or alert "b" when order.qty > 0 || order.qty * (has(order.price) ? order.price : market.reference) > 1000 EUR
          rule small_and alert "c" when order.qty * (has(order.price) ? order.price : market.reference) < 50 EUR && order.qty > 0
          rule not_small alert "d" when !(order.qty * (has(order.price) ? order.price : market.reference) < 50 EUR)
        }
        """

    static func engine(optimize: Bool) throws -> Engine {
        Engine(
            program: EngineProgram(ir: try EnginePrograms.fixture(program, optimize: optimize)),
            configuration: EngineConfiguration(
                keysPerSlot: 64, liveOrders: 64, idsPerDay: 64, marketRecords: 16, killSwitches: 16,
                runtimeSymbols: 1024))
    }

    /// The lines of the tests: values, a missing field, an overflow, a currency mismatch, and a market record.
    static let lines = [
        Lines.order("O-1", qty: "100", price: "10"),
        Lines.order("O-2", qty: "100", price: "20"),
        Lines.order("O-3", qty: "100", price: nil, ordType: "market"),
        Lines.order("O-4", qty: "10000000000000000", price: "10000000000000000"),
        Lines.order("O-5", qty: "1", price: "60", currency: "USD"),
        Lines.order("O-6", qty: "3", price: "10"),
        Lines.market(reference: "12"),
        Lines.order("O-7", qty: "100", price: nil, ordType: "market"),
        Lines.order("O-8", qty: "1", price: nil, ordType: "market"),
    ]

    @Test func theRulesShareOneSlot() throws {
        let ir = try EnginePrograms.fixture(MemoSlotTests.program)
        // The notional, and its comparison with 50 EUR (two rules read it).
        #expect(ir.memoBlocks.count == 2)
        for r in ir.rules {
            let b = try #require(r.block.map { ir.blocks[$0] })
            #expect((b.start..<b.end).contains { ir.code[$0].op == .memo }, "\(r.name) reads no memo slot")
        }
        let plain = try EnginePrograms.fixture(MemoSlotTests.program, optimize: false)
        #expect(plain.memoBlocks.isEmpty)
    }

    @Test func decisionsAreThoseOfTheInlineCode() throws {
        let memo = try MemoSlotTests.engine(optimize: true)
        let inline = try MemoSlotTests.engine(optimize: false)
        for line in MemoSlotTests.lines {
            #expect(memo.processLine(line) == inline.processLine(line), "\(line)")
        }
    }

    @Test func eachOrderComputesItsOwnValue() throws {
        let e = try MemoSlotTests.engine(optimize: true)
        let first = e.processLine(MemoSlotTests.lines[0]) ?? ""
        #expect(!first.contains("T.big\""))
        #expect(first.contains("T.not_small"))
        let second = e.processLine(MemoSlotTests.lines[1]) ?? ""
        #expect(second.contains("T.big\""))
    }

    @Test func aKeptErrorIsRaisedOrAbsorbedAsInline() throws {
        let e = try MemoSlotTests.engine(optimize: true)
        let out = e.processLine(MemoSlotTests.lines[2]) ?? ""
        #expect(out.contains("T.big could not be evaluated: market.reference is missing"))
        #expect(out.contains("T.small_and could not be evaluated: market.reference is missing"))
        #expect(out.contains("T.not_small could not be evaluated: market.reference is missing"))
        #expect(out.contains(#""T.big_or""#))
        #expect(!out.contains("T.big_or could not"))
        let overflow = e.processLine(MemoSlotTests.lines[3]) ?? ""
        #expect(overflow.contains("T.not_small could not be evaluated: decimal overflow"))
    }

    @Test func explainShowsTheValueAtEveryRead() throws {
        let e = try MemoSlotTests.engine(optimize: true)
        let x = e.explain(line: MemoSlotTests.lines[0])
        let text = "order.qty * (has(order.price) ? order.price : market.reference)"
        #expect(x.visited.count == 4)
        #expect(x.visited.filter { ["T.big", "T.small_and", "T.not_small"].contains($0.id) }.count == 3)
        for v in x.visited where v.id == "T.big" {
            #expect(v.operands.contains { $0.text == text && $0.value == "1000 EUR" }, "\(v.id): \(v.operands)")
        }
        for v in x.visited where v.id == "T.small_and" || v.id == "T.not_small" {
            #expect(v.operands.contains { $0.text == text + " < 50 EUR" && $0.value == "false" }, "\(v.id): \(v.operands)")
        }
        // The first read traces the expression's own parts.
        let big = try #require(x.visited.first { $0.id == "T.big" })
        #expect(big.operands.contains { $0.text == "has(order.price) ? order.price : market.reference" })
    }
}
