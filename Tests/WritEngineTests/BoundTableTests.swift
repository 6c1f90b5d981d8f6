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

    func engine(spareRows: Int) throws -> Engine {
        Engine(
            program: EngineProgram(ir: try EnginePrograms.fixture(Self.program)),
            configuration: EngineConfiguration(
                keysPerSlot: 64, liveOrders: 64, idsPerDay: 64, marketRecords: 16, killSwitches: 16,
                runtimeSymbols: 4_096, boundTableSpareRows: spareRows))
    }

    static func setCap(_ account: String, _ cap: Int) -> String {
        #"{"event":"control","action":"set","table":"caps","key":"\#(account)","values":{"max_qty":"\#(cap)","active":"true"},"ts":"2026-11-27T14:31:00Z"}"#
    }

    /// An order of `account` (`Lines.order` is for A-1).
    static func order(_ id: String, qty: String, account: String) -> String {
        Lines.order(id, qty: qty).replacingOccurrences(of: #""account":"A-1""#, with: #""account":"\#(account)""#)
    }

    static func removeCap(_ account: String) -> String {
        #"{"event":"control","action":"remove","table":"caps","key":"\#(account)","ts":"2026-11-27T14:32:00Z"}"#
    }

    @Test func aTableHoldsItsRowsPlusTheSpareRowsAndAFullOneRefusesANewRow() throws {
        let e = try engine(spareRows: 3)
        try e.bind("caps", csv: "account,max_qty,active\nA-1,50,true\nA-2,50,true\n", file: "caps.csv")
        for i in 3...5 { #expect(e.processLine(Self.setCap("A-\(i)", i)) == nil) }
        let refused = e.processLine(Self.setCap("A-6", 6)) ?? ""
        #expect(refused.contains(#""verdict":"reject""#), "\(refused)")
        #expect(refused.contains("`caps` is full (5 rows); remove a row before adding one"), "\(refused)")
        // A full table still changes its rows; a removed row makes room.
        #expect(e.processLine(Self.setCap("A-5", 1)) == nil)
        #expect(rules(e.processLine(Self.order("O-1", qty: "2", account: "A-5"))) == #""rules":["T.capped"]"#)
        #expect(e.processLine(Self.removeCap("A-2")) == nil)
        #expect(e.processLine(Self.setCap("A-6", 6)) == nil)
        #expect(rules(e.processLine(Self.order("O-2", qty: "7", account: "A-6"))) == #""rules":["T.capped"]"#)
        #expect(rules(e.processLine(Self.order("O-3", qty: "6", account: "A-6"))) == #""rules":[]"#)
        // Binding again makes room for the rows bound plus the spare ones.
        try e.bind("caps", csv: "account,max_qty,active\nA-1,50,true\n", file: "caps.csv")
        for i in 2...4 { #expect(e.processLine(Self.setCap("A-\(i)", i)) == nil) }
        #expect(e.processLine(Self.setCap("A-5", 5))?.contains("`caps` is full (4 rows)") == true)
    }

    @Test func aSnapshotKeepsATablesCapacity() throws {
        let e = try engine(spareRows: 1)
        try e.bind("caps", csv: "account,max_qty,active\nA-1,50,true\n", file: "caps.csv")
        #expect(e.processLine(Self.setCap("A-2", 2)) == nil)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writ-bound-cap-\(getpid()).snap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try e.snapshot(to: path)
        // Restored into an engine with more spare rows, the table is as full as it was.
        let fresh = try engine(spareRows: 100)
        try fresh.bind("caps", csv: "account,max_qty,active\nA-1,50,true\n", file: "caps.csv")
        try fresh.restore(from: path)
        #expect(fresh.processLine(Self.setCap("A-3", 3))?.contains("`caps` is full (2 rows)") == true)
        #expect(rules(fresh.processLine(Self.order("O-1", qty: "3", account: "A-2"))) == #""rules":["T.capped"]"#)
    }

    @Test func manyRowsAddedAndRemovedKeepTheirCells() throws {
        let e = try engine(spareRows: 300)
        for i in 0..<300 { #expect(e.processLine(Self.setCap("A-\(i)", i)) == nil) }
        for i in stride(from: 0, to: 300, by: 2) { #expect(e.processLine(Self.removeCap("A-\(i)")) == nil) }
        // A-1 kept its cap of 1; A-2 was removed; the last row moved into A-0's place kept its cap.
        #expect(rules(e.processLine(Self.order("O-1", qty: "2", account: "A-1"))) == #""rules":["T.capped"]"#)
        #expect(rules(e.processLine(Self.order("O-2", qty: "3", account: "A-2"))) == #""rules":[]"#)
        #expect(rules(e.processLine(Self.order("O-3", qty: "299", account: "A-299"))) == #""rules":[]"#)
        #expect(rules(e.processLine(Self.order("O-4", qty: "300", account: "A-299"))) == #""rules":["T.capped"]"#)
    }

    @Test func valuesAreReadFromTheLineWithEscapesNumbersAndACompositeKey() throws {
        let e = try engine(spareRows: 8)
        try e.bind("held", csv: "account,symbol,qty\nA-1,SAP,100\n", file: "held.csv")
        // A number as written, a key with spaces around the comma, escaped names and texts.
        let set = #"{"event":"control","action":"set","table":"held","key":"A-1 , SIE","values":{"q\u0074y":20.5,"symbol":"S\u0049E"},"ts":"2026-11-27T14:31:00Z"}"#
        // The key is an id: it may not start or end with a space.
        #expect(
            e.processLine(set.replacingOccurrences(of: #""A-1 , SIE""#, with: #"" A-1 , SIE""#))?
                .contains("field `key` starts or ends with a space (U+0020); give the id without it") == true)
        #expect(e.processLine(set) == nil)
        #expect(rules(e.processLine(Lines.order("O-1", symbol: "SIE", side: "sell", qty: "20.5"))) == #""rules":[]"#)
        #expect(rules(e.processLine(Lines.order("O-2", symbol: "SIE", side: "sell", qty: "21"))) == #""rules":["T.not_held"]"#)
        func refusal(_ key: String, _ values: String) -> String {
            let line = #"{"event":"control","action":"set","table":"held","key":"\#(key)","values":\#(values),"ts":"2026-11-27T14:32:00Z"}"#
            return e.processLine(line) ?? "(applied)"
        }
        #expect(refusal("A-1,SAP", #"{"symbol":"SIE"}"#).contains("`values` gives the key column `symbol` as `SIE`, but the key says `SAP`"))
        #expect(refusal("A-1,SAP,X", #"{"qty":"1"}"#).contains("the key `A-1,SAP,X` of `held` is not 2 ids separated by commas (account, symbol)"))
        #expect(refusal("A-1,", #"{"qty":"1"}"#).contains("is not 2 ids separated by commas"))
        #expect(refusal("A-1,SAP", #"{"qty":[1]}"#).contains("a `set` control needs `values`, an object of column names and values"))
        #expect(refusal("A-1,SAP", #"{"qty":"1","lots":"2","more":"3"}"#).contains("`held` has no column `lots`"))
        #expect(refusal("A-1,SAP", #"{"qty":"+1_0.5x"}"#).contains("`+1_0.5x` in column `qty` is not a decimal (`held` row `A-1, SAP`)"))
        let long = String(repeating: "9", count: 257)
        #expect(refusal("A-1,SAP", #"{"qty":"\#(long)"}"#).contains("the value of `qty` in `values` is longer than 256 bytes"))
        // A column given twice is refused (a gateway keeping the other value would see another limit),
        // before any other problem of the line.
        #expect(refusal("A-1,SAP", #"{"qty":"1","qty":"999999"}"#).contains("`values` gives `qty` twice; give each column once"))
        #expect(refusal("A-1,SAP", #"{"lots":"2","qty":"1","q\u0074y":"2"}"#).contains("`values` gives `qty` twice"))
        #expect(refusal("A-1,SAP", #"{"lots":"2","lots":"3","qty":"1"}"#).contains("`held` has no column `lots`"))
        // `+` and `_` read as `Fixed` reads them.
        #expect(refusal("A-1,SAP", #"{"qty":"+1_000"}"#) == "(applied)")
        #expect(rules(e.processLine(Lines.order("O-3", side: "sell", qty: "1000"))) == #""rules":[]"#)
        #expect(rules(e.processLine(Lines.order("O-4", side: "sell", qty: "1001"))) == #""rules":["T.not_held"]"#)
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
