/// `Engine.decide` and `settle`: an order's decision is final before the
/// order is applied to the state, and applying it later — explicitly, or by
/// whatever is called next on the engine — decides and leaves the state
/// exactly as `process` does.

import Foundation
import Testing
@testable import WritEngine
import WritDriver
import WritSema

@Suite struct SettlementTests {
    /// `decide` of `line`, its decision line rendered before anything else is called.
    func decided(_ e: Engine, _ line: String) -> String? {
        var d = Decision()
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { e.decide(UnsafeRawBufferPointer($0), into: &d) }
        guard d.hasLine else { return nil }
        var out: [UInt8] = []
        e.render(d, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A report evaluation as text, its fields in name order.
    func text(_ r: ReportEvaluation) -> String {
        guard case .event(let row) = r else { return "\(r)" }
        let values = row.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let errors = row.errors.sorted { $0.key < $1.key }.map { "\($0.key)!\($0.value)" }
        return "\(row.event) \(row.selected) \(row.selectError ?? "") \(values) \(errors)"
    }

    /// Every line decided with `decide`, settled in turn by `settle`, by
    /// the next `decide`, by an explanation, a report evaluation or
    /// (every 50 lines) a snapshot: the same decision lines as `process`, and at every
    /// snapshot the same state, byte for byte.
    @Test func settlingLaterDecidesAndLeavesTheStateAsProcess() throws {
        let (lines, program) = try EnginePrograms.stream(4000, seed: 11)
        let whole = EnginePrograms.bound(try EnginePrograms.rulesEngine(), program)
        let split = EnginePrograms.bound(try EnginePrograms.rulesEngine(), program)
        let reports = (0..<split.program.ir.reports.count).map { $0 }
        var pendingSeen = 0
        for (i, line) in lines.enumerated() {
            let expected = whole.processLine(line)
            let got = decided(split, line)
            #expect(got == expected, "line \(i + 1): \(line)")
            if got != expected { return }
            if split.hasPendingSettlement { pendingSeen += 1 }
            // Settled by: 0 `settle`, 1 the next `decide`, 2 an explanation
            // of the next line, 3 a report evaluation of it, 4 a snapshot.
            let next = i + 1 < lines.count ? lines[i + 1] : line
            switch i % 5 {
            case 0: split.settle()
            case 2: #expect(split.explain(line: next).text == whole.explain(line: next).text, "line \(i + 2)")
            case 3:
                if !reports.isEmpty {
                    let a = split.evaluateReports(reports, line: next).map(text)
                    let b = whole.evaluateReports(reports, line: next).map(text)
                    #expect(a == b, "line \(i + 2)")
                }
            case 4 where i % 50 == 4:
                #expect(split.snapshotBytes() == whole.snapshotBytes(), "state after line \(i + 1)")
            case 4: split.settle()
            default: break
            }
            #expect(i % 5 == 1 || !split.hasPendingSettlement, "line \(i + 1) left pending")
        }
        // Most generated lines are orders: most decisions left something to apply.
        #expect(pendingSeen > lines.count / 3, "\(pendingSeen) of \(lines.count)")
        #expect(split.snapshotBytes() == whole.snapshotBytes())
    }

    /// With the live orders full, a `new` whose id is live replaces its
    /// record and is accepted, and a `new` with an id that is not live is
    /// rejected (a full state table after the rules); decided with
    /// `decide`, each settled by the next. (Settling looks a `new`'s live
    /// record up only when the table has room: with it full, the verdict
    /// needs it.)
    @Test func aFullLiveTableStillTakesAnOrderWhoseIdIsLive() throws {
        let e = Engine(
            program: EngineProgram(
                ir: try EnginePrograms.fixture(
                    """
                    import "schema.writ"
                    jurisdiction S "state" {
                      applies when true
                      rule big reject "too big" cite "test" when order.qty > 1000
                    }
                    """)),
            configuration: EngineConfiguration(
                keysPerSlot: 64, liveOrders: 2, idsPerDay: 64, marketRecords: 16, killSwitches: 16, runtimeSymbols: 1024))
        #expect(decided(e, Lines.order("A-1", qty: "10"))?.contains(#""verdict":"allow""#) == true)
        #expect(decided(e, Lines.order("A-2", qty: "10"))?.contains(#""verdict":"allow""#) == true)
        e.settle()
        #expect(e.m.pointee.live.isFull)
        // A-1 again (no rule here refuses a repeated id): it replaces its live record.
        let again = decided(e, Lines.order("A-1", ts: "2026-11-27T14:31:00Z", qty: "20"))
        #expect(again?.contains(#""verdict":"allow""#) == true, "\(again ?? "nil")")
        let third = decided(e, Lines.order("A-3", ts: "2026-11-27T14:32:00Z", qty: "10"))
        #expect(third?.contains(#""verdict":"reject""#) == true && third?.contains("state table full") == true, "\(third ?? "nil")")
        e.settle()
        #expect(e.m.pointee.live.count == 2)
    }

    /// An accepted `new` is not live until it is settled; its decision line
    /// does not wait for that.
    @Test func anAcceptedOrderIsAppliedWhenSettled() throws {
        let e = try EnginePrograms.fixtureEngine(
            """
            import "schema.writ"
            jurisdiction S "state" {
              applies when true
              rule big reject "too big" cite "test" when order.qty > 100
            }
            """)
        let line = Lines.order("A-1", qty: "10")
        let d = decided(e, line)
        #expect(d?.contains(#""verdict":"allow""#) == true, "\(d ?? "nil")")
        #expect(e.hasPendingSettlement)
        #expect(e.m.pointee.live.count == 0)
        e.settle()
        #expect(!e.hasPendingSettlement)
        #expect(e.m.pointee.live.count == 1)
        e.settle()
        #expect(e.m.pointee.live.count == 1)
        // A rejected order leaves nothing live, settled or not.
        let rejected = decided(e, Lines.order("A-2", qty: "500"))
        #expect(rejected?.contains(#""verdict":"reject""#) == true, "\(rejected ?? "nil")")
        e.settle()
        #expect(e.m.pointee.live.count == 1)
    }
}
