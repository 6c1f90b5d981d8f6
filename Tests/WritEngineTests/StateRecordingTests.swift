/// Recording an accepted order without re-running key blocks: which
/// `window_sum`/`open_sum` slots of the demo rulebooks take their key and
/// amount from a memo slot, which events load the market record, and that
/// the state these shortcuts write is the state the key blocks would write
/// (the differential test checks the same over generated programs).

import Testing
import WritIR

@testable import WritEngine

@Suite struct StateRecordingTests {
    /// The notional's memo slot answers every notional-keyed slot of the
    /// demo rulebooks, with or without a leading `tuple`; a slot whose
    /// amount is another expression has no memo.
    @Test func notionalSlotsUseTheMemo() throws {
        let ir = try EnginePrograms.rules()
        let memos = KeyBlocks.amountMemos(ir)
        var notional: [Int] = []
        var other: [Int] = []
        for (s, slot) in ir.stateSlots.enumerated() where slot.kind == .windowSum || slot.kind == .openSum {
            if slot.text.contains("order.qty * (has(order.price)") { notional.append(s) } else { other.append(s) }
        }
        #expect(notional.count >= 6)
        #expect(!other.isEmpty, "rules/ has sums of other amounts (order.qty, a signed notional)")
        #expect(notional.contains { ir.code[ir.blocks[ir.stateSlots[$0].keyBlock].start].op == .tuple })
        for s in notional { #expect(memos[s] >= 0, "\(ir.stateSlots[s].text)") }
        for s in other { #expect(memos[s] == -1, "\(ir.stateSlots[s].text)") }
        // One memo for all of them: the same expression.
        #expect(Set(notional.map { memos[$0] }).count == 1)
    }

    /// A key block that differs from the memo block in one operand is not answered by it.
    @Test func aChangedBlockIsNotTheMemo() throws {
        var ir = try EnginePrograms.rules()
        let memos = KeyBlocks.amountMemos(ir)
        guard let s = memos.firstIndex(where: { $0 >= 0 }) else {
            Issue.record("no slot uses a memo")
            return
        }
        let block = ir.blocks[ir.stateSlots[s].keyBlock]
        guard let pc = (block.start..<block.end).first(where: { ir.code[$0].op == .fmul }) else {
            Issue.record("no fmul in the key block")
            return
        }
        // Multiply by another input than the quantity.
        let qty = ir.code[pc].b
        ir.code[pc].b = qty &+ 1
        #expect(KeyBlocks.amountMemos(ir)[s] == -1)
    }

    /// Neither the fill nor the cancel of the demo rulebooks reads the
    /// market record: neither loads it.
    @Test func fillsAndCancelsSkipTheMarket() throws {
        let engine = try EnginePrograms.rulesEngine()
        #expect(!engine.m.pointee.fillLoadsMarket)
        #expect(!engine.m.pointee.cancelLoadsMarket)
    }

    /// Orders, a modify that replaces the live order in place, fills and a
    /// cancel decide as they do on engines restored from a snapshot before
    /// each event (which start without any per-order leftovers), and leave
    /// the same state.
    @Test func replacingInPlaceKeepsTheState() throws {
        let lines = [
            Lines.market(),
            Lines.order("O-1", qty: "100"),
            Lines.order("O-2", qty: "200", price: "123.40"),
            Lines.order("O-1", event: "modify", qty: "150", price: "123.50"),
            #"{"event":"fill","id":"O-1","exec_id":"E-1","ts":"2026-11-27T14:31:00Z","qty":"50","price":"123.50","venue":"XETR"}"#,
            Lines.order("O-3", qty: "300", price: nil, ordType: "market"),
            #"{"event":"cancel","id":"O-2","ts":"2026-11-27T14:32:00Z"}"#,
            Lines.order("O-4", qty: "100", price: "123.45"),
            #"{"event":"fill","id":"O-1","exec_id":"E-2","ts":"2026-11-27T14:33:00Z","qty":"100","price":"123.50","venue":"XETR"}"#,
            Lines.order("O-5", qty: "100", price: "123.45"),
        ]
        var b = try EnginePrograms.rulesEngine()
        let a = try EnginePrograms.rulesEngine()
        for line in lines {
            let x = a.processLine(line)
            let c = try EnginePrograms.rulesEngine()
            try c.restore(bytes: b.snapshotBytes())
            let y = c.processLine(line)
            #expect(x == y, "\(line)")
            b = c
        }
        let next = Lines.order("O-6", qty: "100", price: "123.45")
        #expect(a.processLine(next) == b.processLine(next))
        #expect(a.snapshotBytes() == b.snapshotBytes())
    }

    /// A replaced live order changing its open sums in place (`reopen`)
    /// leaves the state that taking it out of every sum and putting it in
    /// again leaves: under the same key alone and with other orders, under
    /// another key, with a quantity filled, for a sell (whose `open_sum` of
    /// quantities is not zero).
    @Test func reopeningInPlaceIsClosingAndOpening() throws {
        let fill = #"{"event":"fill","id":"O-1","exec_id":"E-1","ts":"2026-11-27T14:31:00Z","qty":"40","price":"123.45","currency":"EUR","venue":"XETR"}"#
        let lines = [
            Lines.market(),
            Lines.order("O-1", side: "sell", qty: "100"),
            Lines.order("O-1", side: "sell", qty: "100"),
            Lines.order("O-1", event: "modify", side: "sell", qty: "120", price: "123.50"),
            Lines.order("O-2", qty: "200", price: "123.40"),
            fill,
            Lines.order("O-1", event: "modify", side: "sell", qty: "130", price: "123.50"),
            Lines.order("O-1", event: "modify", side: "sell", qty: "130", price: "123.50", trader: "T-2"),
            Lines.order("O-2", symbol: "SAP", side: "sell", qty: "210", price: "123.40"),
            Lines.order("O-1", event: "modify", symbol: "BMW", side: "sell", qty: "130", price: "123.50"),
            Lines.order("O-2", qty: "50", price: "123.40"),
        ]
        let inPlace = try EnginePrograms.rulesEngine()
        let reopened = try EnginePrograms.rulesEngine()
        #expect(inPlace.m.pointee.openReplaceInPlace)
        reopened.m.pointee.openReplaceInPlace = false
        for e in [inPlace, reopened] {
            e.bind("restricted_symbols", symbols: [])
            e.bind("kyc_blocked", symbols: [])
        }
        var sellsSeen = false
        for line in lines {
            #expect(inPlace.processLine(line) == reopened.processLine(line), "\(line)")
            #expect(inPlace.snapshotBytes() == reopened.snapshotBytes(), "\(line)")
            let sums = Self.openSums(inPlace)
            #expect(sums == Self.openSums(reopened), "\(line)")
            if sums.contains(where: { $0.count > 1 && $0.sum != 0 }) { sellsSeen = true }
        }
        // Some entry held two orders with a sum: the lines reach both cases of `reopen`.
        #expect(sellsSeen)
    }

    /// Every entry of the engine's `open_sum` tables: slot, key, sum, orders.
    private static func openSums(_ e: Engine) -> [OpenSum] {
        let m = e.m.pointee
        var out: [OpenSum] = []
        for k in 0..<m.openSlots.count {
            let s = Int(m.openSlots[k])
            let t = m.slotTables[s]
            for x in 0..<t.slotCount where t.occupied(x) {
                out.append(OpenSum(slot: s, key: t.key(at: x), sum: t.value(x).sum, count: t.value(x).count))
            }
        }
        return out.sorted { ($0.slot, $0.key) < ($1.slot, $1.key) }
    }

    /// One entry of an `open_sum` table.
    private struct OpenSum: Equatable {
        var slot: Int
        var key: UInt64
        var sum: Int128
        var count: Int64
    }
}
