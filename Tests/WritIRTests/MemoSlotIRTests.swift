/// Memo slots in the IR: which expressions of the rulebook get one, what
/// the lowering emits, and the validation of `memo`/`mret` in a bundle.

import Testing
import WritCrypto
@testable import WritIR

@Suite struct MemoSlotIRTests {
    static let key = try! Ed25519PrivateKey(rawRepresentation: Array(repeating: 7, count: 32))

    /// The block of rule `J.name`.
    func ruleBlock(_ ir: IRProgram, _ j: String, _ name: String) throws -> IRBlock {
        let ji = try #require(ir.jurisdictions.firstIndex { $0.name == j })
        let jur = ir.jurisdictions[ji]
        let r = try #require(ir.rules[jur.firstRule..<(jur.firstRule + jur.ruleCount)].first { $0.name == name })
        return ir.blocks[try #require(r.block)]
    }

    func ops(_ ir: IRProgram, _ b: IRBlock) -> [Opcode] { (b.start..<b.end).map { ir.code[$0].op } }

    @Test func theRulebooksRepeatedExpressionsGetSlots() throws {
        let ir = try TestPrograms.rules()
        #expect(!ir.memoBlocks.isEmpty)
        // The instrument class, computed four times by the permission rule, is read from a slot.
        let permitted = try ruleBlock(ir, "EU", "trader_not_permitted")
        #expect(!ops(ir, permitted).contains(.hasx))
        #expect(ops(ir, permitted).contains(.memo))
        // The notional of `max_order_value` and `daily_credit` is one slot.
        let value = try ruleBlock(ir, "EU", "max_order_value")
        let credit = try ruleBlock(ir, "EU", "daily_credit")
        let slots = [value, credit].map { b in
            (b.start..<b.end).first { ir.code[$0].op == .memo }.map { ir.code[$0].aux }
        }
        #expect(slots[0] != nil && slots[0] == slots[1])
        // Memo blocks end with `mret` and read no slot; only rules read slots.
        for (bi, b) in ir.blocks.enumerated() {
            let o = ops(ir, b)
            if b.kind == .memo {
                #expect(o.last == .mret && !o.contains(.memo) && !o.contains(.ret), "block \(bi)")
            } else {
                #expect(!o.contains(.mret), "block \(bi)")
                if b.kind != .rule { #expect(!o.contains(.memo), "block \(bi)") }
            }
        }
    }

    @Test func stateReadsAndMacroVariablesAreNeverMemoized() throws {
        let ir = try TestPrograms.fixture(
            """
            import "schema.writ"
            jurisdiction T "test" {
              applies when true
              rule a alert "a" when rate(order.account, 1s) + rate(order.account, 1s) * 2 > 10
              rule b alert "b" when rate(order.account, 1s) + rate(order.account, 1s) * 2 > 20
            }
            """)
        #expect(ir.memoBlocks.isEmpty)
    }

    @Test func limitsOfTwoJurisdictionsAreNotConfused() throws {
        let ir = try TestPrograms.fixture(
            """
            import "schema.writ"
            jurisdiction A "a" {
              applies when true
              limits {
                cap = 1000 EUR
              }
              rule x alert "x" when order.qty * (has(order.price) ? order.price : market.reference) > cap
              rule y alert "y" when order.qty * (has(order.price) ? order.price : market.reference) > cap * 2
            }
            jurisdiction B "b" {
              applies when true
              limits {
                cap = 5 EUR
              }
              rule x alert "x" when order.qty * (has(order.price) ? order.price : market.reference) > cap
            }
            """)
        // One slot: the notional; the comparisons with each jurisdiction's `cap` stay inline.
        try #require(ir.memoBlocks.count == 1)
        let memo = ir.blocks[ir.memoBlocks[0]]
        #expect(!(memo.start..<memo.end).contains { ir.code[$0].op == .gt })
    }

    @Test func damagedMemoCodeIsRefused() throws {
        let ir = try TestPrograms.rules()
        func refuses(_ change: (inout IRProgram) -> Void, _ fragment: String) throws {
            var bad = ir
            change(&bad)
            let bytes = IRCodec.container(bad).encode(signingKey: MemoSlotIRTests.key)
            do {
                _ = try IRCodec.decode(BundleContainer.decode(bytes, trust: [MemoSlotIRTests.key.publicKey], allowUnsigned: false))
                Issue.record("accepted: \(fragment)")
            } catch let e as IRCodecError {
                #expect(e.description.contains(fragment), "\(e)")
            }
        }
        let memoPC = try #require(ir.code.firstIndex { $0.op == .memo })
        let memoBlock = ir.blocks[try #require(ir.memoBlocks.first)]
        let mretPC = memoBlock.end - 1
        let applies = try #require(ir.blocks.first { $0.kind == .applies || $0.kind == .stateKey })
        try refuses({ $0.code[memoPC].aux = 60_000 }, "missing memo slot")
        try refuses({ $0.code[mretPC].op = .ret }, "ends a memo block with `ret`")
        try refuses(
            { p in
                p.code[memoBlock.start] = p.code[memoPC]
                p.handlers[memoBlock.start] = Instruction.noHandler
            }, "memo slot outside a rule")
        try refuses(
            { p in
                p.code[applies.start] = p.code[memoPC]
                p.handlers[applies.start] = Instruction.noHandler
            }, "memo slot outside a rule")
        try refuses(
            { p in
                let r = p.blocks.first { $0.kind == .rule }!
                p.code[r.end - 1].op = .mret
            }, "`mret` outside a memo block")
        try refuses({ $0.blocks[$0.memoBlocks[0]].owner = 9_999 }, "memo slots are not numbered from 0")
    }

    @Test func theRoundTripKeepsMemoSlots() throws {
        let ir = try TestPrograms.rules()
        let bytes = IRCodec.container(ir).encode(signingKey: MemoSlotIRTests.key)
        let back = try IRCodec.decode(BundleContainer.decode(bytes, trust: [MemoSlotIRTests.key.publicKey], allowUnsigned: false))
        #expect(back == ir)
        #expect(back.memoBlocks == ir.memoBlocks)
    }
}
