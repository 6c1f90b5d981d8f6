/// Keyed tables bound at run time and composite table keys: binding from
/// CSV (errors name file:line:column and bind nothing), lookups by tuple,
/// `set` and `remove` control events, and snapshots that keep the day's
/// changes.

import Foundation
import Testing
import WritEngine

@Suite struct BoundTableTests {
    /// Rules over a bound table keyed by (account, symbol) and one keyed by account.
    static let program = """
        import "schema.writ"

        data held bound "held" key (account, symbol) {
          account: symbol
          symbol: symbol
          qty: decimal
        }

        data caps bound "caps" key account {
          account: symbol
          max_qty: decimal
          active: bool
        } = []

        jurisdiction T {
          applies when order.venue == "XETR"
          rule not_held reject "not held"
            when order.side == sell && order.qty > ((order.account, order.symbol) in held ? held[(order.account, order.symbol)].qty : 0)
          rule capped reject "capped"
            when order.account in caps && caps[order.account].active && order.qty > caps[order.account].max_qty
        }
        """

    func engine() throws -> Engine { try EnginePrograms.fixtureEngine(Self.program) }

    func rules(_ line: String?) -> String {
        guard let line, let r = line.range(of: #""rules":\[[^\]]*\]"#, options: .regularExpression) else { return "-" }
        return String(line[r])
    }

    @Test func anUnboundTableFailsClosedAndADeclaredEmptyOneDoesNot() throws {
        let e = try engine()
        let d = e.processLine(Lines.order("O-1", side: "sell", qty: "10"))
        #expect(d?.contains("held is not bound") == true, "\(d ?? "")")
        let b = e.processLine(Lines.order("O-2", side: "buy", qty: "10"))
        #expect(rules(b) == #""rules":[]"#, "\(b ?? "")")
    }

    @Test func aCompositeKeyFindsItsRow() throws {
        let e = try engine()
        try e.bind("held", csv: "symbol,account,qty\nSAP,A-1,100\nSIE,A-1,5\n", file: "held.csv")
        #expect(rules(e.processLine(Lines.order("O-1", side: "sell", qty: "100"))) == #""rules":[]"#)
        #expect(rules(e.processLine(Lines.order("O-2", side: "sell", qty: "101"))) == #""rules":["T.not_held"]"#)
        #expect(rules(e.processLine(Lines.order("O-3", symbol: "SIE", side: "sell", qty: "6"))) == #""rules":["T.not_held"]"#)
    }

    @Test func bindErrorsNameTheFileLineAndColumnAndBindNothing() throws {
        let e = try engine()
        try e.bind("held", csv: "account,symbol,qty\nA-1,SAP,100\n", file: "held.csv")
        func failure(_ csv: String) -> BindError? {
            do {
                try e.bind("held", csv: csv, file: "h.csv")
                return nil
            } catch { return error }
        }
        let bad = failure("account,symbol,qty\nA-1,SAP,1\nA-1,SIE,abc\n")
        #expect(bad?.message == "`h.csv`:3:3: `abc` in column `qty` is not a decimal")
        #expect(bad?.help == "write a number such as `1500.25`")
        #expect(
            failure("account,symbol,qty\nA-1,SAP,1\nA-1,SAP,2\n")?.message
                == "`h.csv`:3: the key `A-1, SAP` repeats the one of line 2")
        #expect(failure("account,qty\nA-1,1\n")?.message == "`h.csv` has no column `symbol`")
        // The first binding is still in force.
        #expect(rules(e.processLine(Lines.order("O-1", side: "sell", qty: "100"))) == #""rules":[]"#)
    }

    @Test func setAndRemoveControlsChangeRowsAndABadOneIsRefused() throws {
        let e = try engine()
        try e.bind("caps", csv: "account,max_qty,active\nA-1,50,true\n", file: "caps.csv")
        #expect(rules(e.processLine(Lines.order("O-1", qty: "60"))) == #""rules":["T.capped"]"#)
        let set = #"{"event":"control","action":"set","table":"caps","key":"A-1","values":{"max_qty":"80"},"ts":"2026-11-27T14:31:00Z"}"#
        #expect(e.processLine(set) == nil)
        #expect(rules(e.processLine(Lines.order("O-2", qty: "60"))) == #""rules":[]"#)
        #expect(rules(e.processLine(Lines.order("O-3", qty: "81"))) == #""rules":["T.capped"]"#)
        let bad = #"{"event":"control","action":"set","table":"caps","key":"A-1","values":{"max_qty":"lots"},"ts":"2026-11-27T14:32:00Z"}"#
        let refused = e.processLine(bad)
        #expect(refused?.contains(#""verdict":"reject""#) == true)
        #expect(refused?.contains("`lots` in column `max_qty` is not a decimal (`caps` row `A-1`)") == true, "\(refused ?? "")")
        let newRow = #"{"event":"control","action":"set","table":"caps","key":"A-2","values":{"max_qty":"1"},"ts":"2026-11-27T14:33:00Z"}"#
        #expect(e.processLine(newRow)?.contains("a new row of `caps` needs every column; `values` has no `active`") == true)
        let remove = #"{"event":"control","action":"remove","table":"caps","key":"A-1","ts":"2026-11-27T14:34:00Z"}"#
        #expect(e.processLine(remove) == nil)
        #expect(rules(e.processLine(Lines.order("O-4", qty: "81"))) == #""rules":[]"#)
        #expect(e.processLine(remove)?.contains("`caps` has no row `A-1` to remove") == true)
        let unknown = #"{"event":"control","action":"remove","table":"nope","key":"A-1","ts":"2026-11-27T14:35:00Z"}"#
        let refusedUnknown = e.processLine(unknown) ?? ""
        #expect(refusedUnknown.contains("unknown bound table `nope`; the bound tables are "), "\(refusedUnknown)")
        #expect(refusedUnknown.contains("`held`, `caps`"), "\(refusedUnknown)")
    }

    @Test func manyRowsAddedBySetGrowTheTable() throws {
        let e = try engine()
        for i in 0..<300 {
            let line = #"{"event":"control","action":"set","table":"caps","key":"A-\#(i)","values":{"max_qty":"\#(i)","active":"true"},"ts":"2026-11-27T14:31:00Z"}"#
            #expect(e.processLine(line) == nil)
        }
        for i in stride(from: 0, to: 300, by: 2) {
            let line = #"{"event":"control","action":"remove","table":"caps","key":"A-\#(i)","ts":"2026-11-27T14:32:00Z"}"#
            #expect(e.processLine(line) == nil)
        }
        // A-1 kept its cap of 1; A-2 was removed.
        #expect(rules(e.processLine(Lines.order("O-1", qty: "2"))) == #""rules":["T.capped"]"#)
    }

    @Test func aSnapshotKeepsTheDaysChanges() throws {
        let e = try engine()
        try e.bind("held", csv: "account,symbol,qty\nA-1,SAP,100\n", file: "held.csv")
        try e.bind("caps", csv: "account,max_qty,active\nA-1,50,true\n", file: "caps.csv")
        let set = #"{"event":"control","action":"set","table":"caps","key":"A-1","values":{"max_qty":"80"},"ts":"2026-11-27T14:31:00Z"}"#
        #expect(e.processLine(set) == nil)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writ-bound-\(getpid()).snap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try e.snapshot(to: path)
        // A restarted host binds the start-of-day files again; the snapshot's rows win.
        let fresh = try engine()
        try fresh.bind("caps", csv: "account,max_qty,active\nA-1,50,true\n", file: "caps.csv")
        try fresh.restore(from: path)
        #expect(rules(fresh.processLine(Lines.order("O-1", qty: "60"))) == #""rules":[]"#)
        #expect(rules(fresh.processLine(Lines.order("O-2", side: "sell", qty: "80"))) == #""rules":[]"#)
        #expect(rules(fresh.processLine(Lines.order("O-3", qty: "81"))) == #""rules":["T.capped"]"#)
    }
}
