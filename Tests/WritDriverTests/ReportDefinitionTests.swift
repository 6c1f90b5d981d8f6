/// The report definitions of rules/reports/ drive the generators: the sample
/// day, stored in an audit trail, gives through `ReportRun` (definitions
/// compiled from rules/, evaluated by the engine) the same bytes as the
/// generators' golden files; and changing a field's expression in a copy of
/// the rules changes the report.
import Foundation
import Testing
import WritAudit
import WritDriver
import WritEngine
import WritIR
import WritReports
import WritValue

@Suite(.serialized) struct ReportDefinitionTests {
    static let root = WritBinary.packageRoot
    static let fixtures = root.appendingPathComponent("Tests/WritReportsTests/Fixtures")

    /// An audit trail holding the sample day (Tests/WritReportsTests/Fixtures/day.ndjson) as `writ replay` stores it.
    static func trail(in dir: URL, adding extra: [String] = [], bundle: String = "test") throws -> String {
        let path = dir.appendingPathComponent("audit.sqlite").path
        let text = try String(contentsOf: fixtures.appendingPathComponent("day.ndjson"), encoding: .utf8)
            + extra.map { $0 + "\n" }.joined()
        let writer = try AuditWriter(path: path)
        for line in text.split(separator: "\n") where !line.isEmpty {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let ts = try #require(object["ts"] as? String)
            let ns = try #require(RFC3339.nanoseconds(ts))
            let kind: AuditKind
            var payload = String(line)
            if object["verdict"] != nil {
                kind = .decision
                payload = "{\"bundle\":\"\(bundle)\",\"decision\":\(line)}"
            } else {
                switch object["event"] as? String {
                case "fill", "fill_cancel": kind = .fill
                case "control": kind = .killSwitch
                case "dr_level": kind = .drLevel
                default: kind = .orderEvent
                }
            }
            try writer.append(
                AuditRecord(kind: kind, timestamp: AuditTimestamp.format(unixNanoseconds: ns), payload: Array(payload.utf8)))
        }
        try writer.close()
        return path
    }

    static func run(_ names: [String]?, rules: String, dir: URL, adding extra: [String] = []) throws -> [(
        name: String, result: Result<GeneratedReport, ReportError>
    )] {
        let out = dir.appendingPathComponent("out").path
        let request = ReportRequest(
            names: names, db: try trail(in: dir, adding: extra), date: "2026-11-27", output: out,
            firm: fixtures.appendingPathComponent("firm.json").path, rules: rules)
        return try ReportRun.run(request, program: nil)
    }

    /// A copy of rules/ in `dir` whose `rts22_eu` maps `Qty` to `qty` instead of `fill.qty`.
    static func rules(in dir: URL, qty: String) throws -> URL {
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.copyItem(at: root.appendingPathComponent("rules"), to: rules)
        let file = rules.appendingPathComponent("reports/rts22.writ")
        let text = try String(contentsOf: file, encoding: .utf8)
        let original = "  field \"Qty\" = fill.qty\n"
        #expect(text.contains(original))
        try text.replacingOccurrences(of: original, with: "  field \"Qty\" = \(qty)\n", options: [], range: text.range(of: original))
            .write(to: file, atomically: true, encoding: .utf8)
        return rules
    }

    /// A `--bundle` that decided none of the day's orders is refused (its
    /// definitions could report other values), unless asked for.
    @Test func aBundleThatDidNotDecideTheDayIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = dir.appendingPathComponent("writ.bundle").path
        let (status, _, err) = try WritBinary.run(["build", "rules", "-o", bundle, "--unsigned"])
        try #require(status == 0, "\(err)")
        let db = try Self.trail(in: dir, bundle: String(repeating: "ab", count: 32))
        let firm = Self.fixtures.appendingPathComponent("firm.json").path
        func report(_ extra: [String]) throws -> (Int32, String) {
            let (status, _, err) = try WritBinary.run(
                ["report", "--all", "--db", db, "--date", "2026-11-27", "-o", dir.appendingPathComponent("out").path,
                 "--firm", firm, "--bundle", bundle, "--allow-unsigned"] + extra)
            return (status, err)
        }
        let (refused, message) = try report([])
        #expect(refused == 2, "\(message)")
        #expect(message.contains("the orders of 2026-11-27 were decided with bundle abababababababab, but --bundle is "), "\(message)")
        #expect(message.contains("--allow-other-bundle"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        let (allowed, note) = try report(["--allow-other-bundle"])
        #expect(allowed == 0, "\(note)")
        #expect(ReportRun.recordedBundle(Array(#"{"bundle":"test","decision":{}}"#.utf8)) == nil)
    }

    @Test func theDefinitionsOfTheRulesGiveTheGoldenFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let results = try Self.run(nil, rules: Self.root.appendingPathComponent("rules").path, dir: dir)
        #expect(results.map(\.name) == DailyReports.reportNames)
        var golden: [String: String] = [
            "529900WRITFIRM000014_DATTRA_DE_20261127_000001.xml": "rts22-eu.xml",
            "529900WRITFIRM000014_DATTRA_GB_20261127_000001.xml": "rts22-uk.xml",
            "140001_123456_20261127_WRIT_OrderEvents_000001.json": "cat.json",
        ]
        for r in ["ASIC", "MAS", "JFSA", "SEBI", "CSA"] {
            for k in ["ORDERS", "TRADES"] { golden["\(r)_\(k)_20261127.csv"] = "\(r)_\(k)_20261127.csv" }
        }
        for s in ["md", "html"] { golden["SUMMARY_20261127.\(s)"] = "SUMMARY_20261127.\(s)" }
        var written = Set<String>()
        for (name, result) in results {
            switch result {
            case .success(let g):
                for f in g.files {
                    written.insert(f.name)
                    let expected = try #require(golden[f.name], "unexpected file \(f.name)")
                    let want = try Data(contentsOf: Self.fixtures.appendingPathComponent("golden/\(expected)"))
                    let got = try Data(contentsOf: URL(fileURLWithPath: f.path))
                    #expect(got == want, "\(name): \(f.name) differs from golden/\(expected)")
                }
            case .failure(let e): Issue.record("\(name): \(e.description)")
            }
        }
        #expect(written == Set(golden.keys))
    }

    @Test func changingAFieldExpressionChangesTheReport() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = try Self.rules(in: dir, qty: "fill.qty * 2")
        let results = try Self.run(["rts22_eu"], rules: rules.path, dir: dir)
        guard case .success(let g)? = results.first?.result, let f = g.files.first else {
            Issue.record("the EU report was not written: \(results)")
            return
        }
        let xml = try String(contentsOfFile: f.path, encoding: .utf8)
        let golden = try String(contentsOf: Self.fixtures.appendingPathComponent("golden/rts22-eu.xml"), encoding: .utf8)
        // E-1 fills 400: the golden file says 400, the changed definition 800.
        #expect(golden.contains("<Qty><Unit>400</Unit></Qty>"))
        #expect(!xml.contains("<Qty><Unit>400</Unit></Qty>"))
        #expect(xml.contains("<Qty><Unit>800</Unit></Qty>"))
    }

    @Test func aFieldThatFailsStopsTheReportInsteadOfLeavingTheFieldOut() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 400 × 10^30 is beyond the exact decimals' range: an overflow at run time.
        let rules = try Self.rules(in: dir, qty: "fill.qty * 1_000_000_000_000_000_000.0 * 1_000_000_000_000.0")
        let results = try Self.run(["rts22_eu"], rules: rules.path, dir: dir)
        guard case .failure(let e)? = results.first?.result else {
            Issue.record("the EU report was written despite a failing field: \(results)")
            return
        }
        #expect(e.description.contains("field `Qty` failed"), "\(e.description)")
        #expect(e.description.contains("audit record"), "\(e.description)")
        let out = dir.appendingPathComponent("out").path
        let left = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        #expect(left.filter { $0.hasSuffix(".xml") }.isEmpty, "files left behind: \(left)")
    }

    /// Fill lines the engine refused are in the trail as received; the
    /// reports leave them out and say how many, instead of failing the day.
    @Test func refusedFillLinesAreLeftOutWithANote() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = [
            #"{"event":"fill","id":"O-1","exec_id":"E-9","ts":"2026-11-27T16:00:00Z"}"#,
            #"{"event":"fill","id":"O-1","exec_id":"E-8","ts":"2026-11-27T16:00:01Z","qty":"-100","price":"1","currency":"EUR","venue":"XETR"}"#,
            #"{"event":"fill_cancel","id":"O-1","ts":"2026-11-27T16:00:02Z"}"#,
        ]
        let rules = Self.root.appendingPathComponent("rules").path
        let (a, b) = (dir.appendingPathComponent("plain"), dir.appendingPathComponent("with"))
        for d in [a, b] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        let plain = try Self.run(["rts22_eu", "csv_asic"], rules: rules, dir: a)
        let with = try Self.run(["rts22_eu", "csv_asic"], rules: rules, dir: b, adding: broken)
        for ((_, a), (name, b)) in zip(plain, with) {
            guard case .success(let x) = a, case .success(let y) = b else {
                Issue.record("\(name) was not written: \(b)")
                continue
            }
            #expect(x.files.map(\.records) == y.files.map(\.records), "\(name)")
            #expect(y.notes.contains { $0.hasPrefix("3 fill lines of the day were refused by the engine") }, "\(name): \(y.notes)")
        }
    }

    @Test func aBustedFillIsCancelledInTheRTS22ReportOfItsDay() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bust = #"{"event":"fill_cancel","id":"O-1","exec_id":"E-1","ts":"2026-11-27T16:00:00Z"}"#
        let results = try Self.run(
            ["rts22_eu", "csv_asic"], rules: Self.root.appendingPathComponent("rules").path, dir: dir, adding: [bust])
        guard case .success(let g)? = results.first?.result, let f = g.files.first else {
            Issue.record("the EU report was not written: \(results)")
            return
        }
        #expect(f.records == 4)
        let lines = try String(contentsOfFile: f.path, encoding: .utf8).split(separator: "\n")
        // The three transactions of the day, then the cancellation at 16:00.
        #expect(lines.count == 4 + 4 + 2)
        #expect(lines[7].hasPrefix("<Tx><Cxl><TxId>E1</TxId>"))
        guard case .success? = results.last?.result else {
            Issue.record("a bust does not disturb the other reports: \(results)")
            return
        }
    }
}

/// On the whole sample flow (replayed into an audit trail by the binary),
/// the reports made from the definitions of rules/reports/ are the bytes the
/// generators make from the input contract's JSON with the venue table's
/// regimes — busted fills (`Cxl`) and modifications (MEOM) included.
@Suite(.serialized) struct ReportDefinitionSampleTests {
    @Test func theDefinitionsAgreeWithTheHandWrittenMappingOnTheSampleFlow() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = WritBinary.packageRoot
        let bundle = dir.appendingPathComponent("w.bundle").path
        let db = dir.appendingPathComponent("audit.sqlite").path
        var (status, _, err) = try WritBinary.run(["build", "rules", "-o", bundle, "--unsigned"])
        try #require(status == 0, "\(err)")
        (status, _, err) = try WritBinary.run([
            "replay", "--bundle", bundle, "--allow-unsigned", "--empty-lists", "--audit", db, "--ack-every", "100000",
            "--bind", "sod_positions=samples/lists/sod_positions.csv",
            "--bind", "account_limits=samples/lists/account_limits.csv",
            "samples/events.jsonl", "-o", dir.appendingPathComponent("decisions.jsonl").path,
        ])
        try #require(status == 0, "\(err)")
        let firm = root.appendingPathComponent("samples/firm.json").path
        let defined = dir.appendingPathComponent("defined").path
        let results = try ReportRun.run(
            ReportRequest(
                names: nil, db: db, date: "2026-11-27", output: defined, firm: firm,
                rules: root.appendingPathComponent("rules").path), program: nil)
        // The same day through the JSON path and the venue table.
        var inputs = ReportInputs()
        try AuditReader.forEach(path: db) { (r: StoredAuditRecord) throws(AuditError) in
            do throws(ReportError) {
                try inputs.add(auditKind: r.kind, timestamp: r.timestamp, payload: r.payload, seq: r.seq)
            } catch {
                throw AuditError.notAnAuditStore(path: db, reason: error.description)
            }
        }
        let venues = try String(contentsOf: root.appendingPathComponent("rules/data/venues.csv"), encoding: .utf8)
        let date = try #require(ReportDate("2026-11-27"))
        let handWritten = dir.appendingPathComponent("hand").path
        let reports = DailyReports(
            firm: try FirmConfig.load(path: firm), schemas: try ReportSchemas.locate(),
            regimeOfVenue: try DailyReports.regimes(venuesCSV: venues))
        let expected = reports.generate(inputs.on(date), date: date, to: handWritten)
        #expect(results.map(\.name) == expected.map(\.name))
        var compared = 0
        for ((name, got), (_, want)) in zip(results, expected) {
            guard case .success(let g) = got, case .success(let w) = want else {
                Issue.record("\(name): \(got) / \(want)")
                continue
            }
            #expect(g.files.map(\.name) == w.files.map(\.name), "\(name)")
            for (a, b) in zip(g.files, w.files) {
                #expect(
                    FileManager.default.contents(atPath: a.path) == FileManager.default.contents(atPath: b.path),
                    "\(name): \(a.name)")
                compared += 1
            }
        }
        #expect(compared == 15)
        let eu = try String(contentsOfFile: "\(defined)/529900T8BM49AURSDO55_DATTRA_DE_20261127_000001.xml", encoding: .utf8)
        #expect(eu.contains("<Cxl><TxId>E000236</TxId>"))
    }
}

/// `Engine.evaluateReport` on single lines: typed values by target name,
/// `select`, absent optional fields, lines of another record, refused lines.
@Suite struct ReportEvaluationTests {
    static func engine() throws -> Engine {
        let c = try Compilation.check(paths: [WritBinary.packageRoot.appendingPathComponent("rules").path])
        let checked = try #require(c.checked)
        return Engine(program: EngineProgram(ir: try IRCompiler.compile(checked.program, files: c.files)))
    }

    @Test func aFillGivesTypedValues() throws {
        let e = try Self.engine()
        let r = try #require(e.reportIndex("rts22_eu"))
        let line =
            #"{"event":"fill","id":"O-1","exec_id":"E-1","ts":"2026-11-27T08:30:01.250Z","qty":"400","price":"123.40","currency":"EUR","venue":"XETR","capacity":"DEAL"}"#
        guard case .event(let row) = e.evaluateReport(r, line: line) else {
            Issue.record("not an event")
            return
        }
        #expect(row.event == "fill")
        #expect(row.selected)
        #expect(row.values["TxId"] == .text("E-1"))
        #expect(row.values["Qty"] == .decimal(Fixed(400)))
        #expect(row.values["Pric"] == .money(try #require(Fixed.parse(bytes: Array("123.40".utf8))), currency: "EUR"))
        #expect(row.values["TradDt"] == .timestamp(1_795_768_201_250_000_000))
        #expect(row.values["TradgCpcty"] == .text("DEAL"))
        #expect(row.values["FinInstrm"] == nil, "an absent optional field has no value")
        #expect(row.errors["FinInstrm"] != nil)
    }

    @Test func selectAndRecordsOfOtherKinds() throws {
        let e = try Self.engine()
        let uk = try #require(e.reportIndex("rts22_uk"))
        let fill =
            #"{"event":"fill","id":"O-1","exec_id":"E-1","ts":"2026-11-27T08:30:01Z","qty":"1","price":"1","currency":"EUR","venue":"XETR"}"#
        guard case .event(let row) = e.evaluateReport(uk, line: fill) else {
            Issue.record("not an event")
            return
        }
        #expect(!row.selected, "an EU venue is not in the UK report")
        let orders = try #require(e.reportIndex("cat_orders"))
        guard case .otherRecord = e.evaluateReport(orders, line: fill) else {
            Issue.record("a fill is not an order event")
            return
        }
        let cancel = #"{"event":"cancel","id":"O-9","ts":"2026-11-27T09:00:00Z"}"#
        guard case .event(let c) = e.evaluateReport(orders, line: cancel) else {
            Issue.record("a cancel is an order event")
            return
        }
        #expect(c.values["type"] == .enumCase("cancel"))
        #expect(c.values["orderID"] == .text("O-9"))
        #expect(!c.selected && c.selectError != nil, "a cancel has no venue to select on")
        guard case .refused(let reason) = e.evaluateReport(orders, line: #"{"event":"new","id":"O-2"}"#) else {
            Issue.record("a new order without its fields is refused")
            return
        }
        #expect(reason.contains("missing field"))
    }
}
