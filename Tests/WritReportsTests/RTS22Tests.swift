/// RTS 22: golden files for the EU and the UK, every file valid against the
/// ESMA schemas (checked again from disk), broken reports rejected with the
/// violation and the transaction named and nothing written, an empty day,
/// splitting into several files, and byte-identical output.
import Foundation
import Testing
import WritValue

@testable import WritReports

@Suite struct RTS22Tests {
    func generate(_ fills: [FillRecord], regime: RTS22Regime? = nil, firm: FirmConfig? = nil, into folder: TempFolder)
        throws -> GeneratedReport
    {
        let f = try firm ?? Fixtures.firm
        let g = RTS22Generator(firm: f, regime: regime ?? .eu(f), schemas: try Fixtures.schemas)
        return try g.generate(fills: fills, date: Fixtures.date, to: folder.path)
    }

    /// Validates a written file again, from disk, against the ESMA schemas.
    func revalidate(_ path: String) throws -> [XMLIssue] {
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let v = try XMLSchemaValidator(path: try Fixtures.schemas.rts22Envelope)
        return Array(bytes).withUnsafeBytes { v.validate($0) }
    }

    @Test func euGoldenFileIsValid() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let day = try Fixtures.day
        let fills = day.selecting(venues: Fixtures.euVenues).joinedFills()
        #expect(fills.count == 3)
        let report = try generate(fills, into: folder)
        #expect(report.files.map(\.name) == ["529900WRITFIRM000014_DATTRA_DE_20261127_000001.xml"])
        #expect(report.files[0].records == 3)
        #expect(folder.contents == report.files.map(\.name), "no temporary file is left")
        #expect(try revalidate(report.files[0].path).isEmpty)
        try Fixtures.checkGolden(folder.bytes(report.files[0].name), "rts22-eu.xml")
    }

    @Test func aBustedFillIsACancellationOfItsTransaction() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var day = try Fixtures.day
        let e1 = try #require(day.fills.first { $0.execID == "E-1" })
        day.fillCancels = [FillCancelRecord(orderID: "O-1", execID: "E-1", timestamp: e1.timestamp + 60_000_000_000)]
        let selected = day.selecting(venues: Fixtures.euVenues)
        let fills = selected.joinedFills() + selected.cancelledFills()
        #expect(fills.count == 4)
        let report = try generate(fills, into: folder)
        #expect(report.files[0].records == 4)
        let text = String(decoding: folder.bytes(report.files[0].name), as: UTF8.self)
        #expect(
            text.contains(
                "<Tx><Cxl><TxId>E1</TxId><ExctgPty>529900WRITFIRM000014</ExctgPty>"
                    + "<SubmitgPty>529900WRITFIRM000014</SubmitgPty></Cxl></Tx>"))
        #expect(text.components(separatedBy: "<TxId>E1</TxId>").count == 3, "the New and the Cxl")
        #expect(try revalidate(report.files[0].path).isEmpty)
    }

    @Test func ukGoldenFileNamesTheFCA() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let fills = try Fixtures.day.selecting(venues: ["XLON"]).joinedFills()
        let report = try generate(fills, regime: .uk, into: folder)
        #expect(report.files.map(\.name) == ["529900WRITFIRM000014_DATTRA_GB_20261127_000001.xml"])
        let text = String(decoding: folder.bytes(report.files[0].name), as: UTF8.self)
        #expect(text.contains("<To><OrgId><Id><OrgId><Othr><Id>GB</Id>"))
        #expect(text.contains("<ShrtSellgInd>SSEX</ShrtSellgInd>"))
        #expect(try revalidate(report.files[0].path).isEmpty)
        try Fixtures.checkGolden(folder.bytes(report.files[0].name), "rts22-uk.xml")
    }

    @Test func eachTransactionIsOneLineAfterTheHeader() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let report = try generate((1...7).map { sampleFill($0) }, into: folder)
        let lines = String(decoding: folder.bytes(report.files[0].name), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 4 + 7 + 2)
        for (i, line) in lines[4..<11].enumerated() {
            #expect(line.hasPrefix("<Tx><New><TxId>E\(i + 1)</TxId>") && line.hasSuffix("</New></Tx>"))
        }
    }

    @Test func aBadLEIIsRejectedWithItsTransactionAndNothingIsWritten() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var fills = (1...5).map { sampleFill($0) }
        fills[2].seller = "969500BROKERBBBBBBXX"  // letters where the check digits go
        let error = #expect(throws: ReportError.self) { try generate(fills, into: folder) }
        let violations = try #require(error).violations
        #expect(violations.count == 1)
        let v = try #require(violations.first)
        #expect(v.record == "E3" && v.source == "E-3" && v.line == 7)
        #expect(
            v.message
                == "element `LEI`: [facet `pattern`] the value `969500BROKERBBBBBBXX` is not accepted by the pattern `[A-Z0-9]{18,18}[0-9]{2,2}`"
        )
        #expect(error!.description.contains("transaction `E3` (input id `E-3`, line 7)"), "\(error!)")
        #expect(folder.contents.isEmpty, "nothing is left behind: \(folder.contents)")
    }

    @Test func aBadISINIsRejectedBySchemaAndCheckDigit() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var fills = (1...4).map { sampleFill($0) }
        fills[0].isin = "DE000716460"  // 11 characters: the schema's pattern
        fills[3].isin = "DE0007164601"  // the right shape, a wrong check digit
        let error = try #require(#expect(throws: ReportError.self) { try generate(fills, into: folder) })
        let byRecord = Dictionary(grouping: error.violations, by: \.record)
        #expect(byRecord.keys.sorted() == ["E1", "E4"])
        #expect(byRecord["E1"]!.contains { $0.message.contains("ISIN") || $0.message.contains("pattern") })
        #expect(byRecord["E4"]!.contains { $0.message == "the ISIN `DE0007164601` fails its check digit" })
        #expect(folder.contents.isEmpty)
    }

    @Test func leiCheckDigitsAndUnknownClientsAreViolations() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var fills = (1...3).map { sampleFill($0) }
        fills[0].seller = "969500BROKERBBBBBB39"
        fills[1].buyer = "C-404"
        fills[2].capacity = nil
        let error = try #require(#expect(throws: ReportError.self) { try generate(fills, into: folder) })
        let messages = error.violations.map(\.description)
        #expect(
            messages.contains(
                "transaction `E1` (input id `E-1`): the LEI `969500BROKERBBBBBB39` of the seller fails its check digits"
            ))
        #expect(
            messages.contains { $0.hasPrefix("transaction `E2` (input id `E-2`): the buyer `C-404` is neither an LEI") }
        )
        #expect(messages.contains { $0.hasPrefix("transaction `E3` (input id `E-3`): the fill has no `capacity`") })
        #expect(folder.contents.isEmpty)
    }

    @Test func duplicateTransactionIDsAreViolations() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let fills = [sampleFill(1, execID: "E-1"), sampleFill(2, execID: "E1")]
        let error = try #require(#expect(throws: ReportError.self) { try generate(fills, into: folder) })
        #expect(
            error.violations.map(\.message) == [
                "its TxId is also the TxId of fill `E-1`; transaction ids must be unique"
            ])
    }

    @Test func violationsAreListedInReportOrder() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var firm = try Fixtures.firm
        firm.maxTransactionsPerFile = 2
        var fills = (1...6).map { sampleFill($0) }
        fills[5].isin = "DE0007164601"  // a check digit: found by the mapper
        fills[4].venue = "xetr"  // a pattern: found by the schema, in another file
        fills[2].seller = "969500BROKERBBBBBBXX"
        fills[2].capacity = nil  // no transaction for E3, so its LEI is not seen by the schema
        let error = try #require(#expect(throws: ReportError.self) { try generate(fills, firm: firm, into: folder) })
        #expect(error.violations.map(\.record) == ["E3", "E5", "E6"], "\(error)")
        #expect(error.violations.map(\.line) == [nil, 5, nil])
        #expect(folder.contents.isEmpty)
    }

    @Test func textIsEscapedAndStaysValid() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var firm = try Fixtures.firm
        firm.clients["C-9"] = .person(
            PersonIdentity(
                firstName: "Zoë & <Ann>", surname: "O'Brien-Müller \"Jr\"", birthDate: "1990-02-28",
                id: "IE19900228ZOE#AOBRIE", scheme: "CONCAT"))
        var fill = sampleFill(1)
        fill.seller = "C-9"
        let report = try generate([fill], firm: firm, into: folder)
        let text = String(decoding: folder.bytes(report.files[0].name), as: UTF8.self)
        #expect(text.contains("<FrstNm>Zoë &amp; &lt;Ann&gt;</FrstNm><Nm>O'Brien-Müller &quot;Jr&quot;</Nm>"))
        #expect(try revalidate(report.files[0].path).isEmpty)
        // A line break is a violation, and does not shift the lines of the transactions after it.
        var second = sampleFill(2)
        second.venue = "xetr"
        fill.executor = "T1\nX"
        let e = try #require(
            #expect(throws: ReportError.self) { try generate([fill, second], firm: firm, into: folder) })
        #expect(e.violations.map(\.record) == ["E1", "E1", "E2"])
        #expect(e.violations[0].message == "field `executor` contains a control character or a line break")
        #expect(e.violations[2].line == 6 && e.violations[2].message.contains("`xetr`"))
    }

    @Test func anEmptyDayWritesNothingAndSaysWhy() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let report = try generate([], into: folder)
        #expect(report.files.isEmpty)
        #expect(folder.contents.isEmpty)
        #expect(report.notes.count == 1 && report.notes[0].contains("minOccurs 1"), "\(report.notes)")
    }

    @Test func largeDaysAreSplitIntoValidFiles() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var firm = try Fixtures.firm
        firm.maxTransactionsPerFile = 2
        let report = try generate((1...5).map { sampleFill($0) }, firm: firm, into: folder)
        #expect(report.files.map(\.name) == (1...3).map { "529900WRITFIRM000014_DATTRA_DE_20261127_00000\($0).xml" })
        #expect(report.files.map(\.records) == [2, 2, 1])
        for f in report.files { #expect(try revalidate(f.path).isEmpty) }
        let third = String(decoding: folder.bytes(report.files[2].name), as: UTF8.self)
        #expect(third.contains("<BizMsgIdr>529900WRITFIRM000014-20261127-0003</BizMsgIdr>"))
        #expect(third.contains("<TxId>E5</TxId>"))
    }

    @Test func aRerunRemovesFilesItNoLongerWrites() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var firm = try Fixtures.firm
        firm.maxTransactionsPerFile = 2
        #expect(FileManager.default.createFile(atPath: folder.path + "/notes.txt", contents: nil))
        _ = try generate((1...5).map { sampleFill($0) }, firm: firm, into: folder)
        #expect(folder.contents.count == 4)
        let again = try generate((1...3).map { sampleFill($0) }, firm: firm, into: folder)
        #expect(again.files.count == 2)
        #expect(
            again.notes.last
                == "removed 1 file of an earlier run of this report: `529900WRITFIRM000014_DATTRA_DE_20261127_000003.xml`"
        )
        let empty = try generate([], firm: firm, into: folder)
        #expect(empty.notes.last?.hasPrefix("removed 2 files of an earlier run") == true)
        #expect(folder.contents == ["notes.txt"])
    }

    @Test func oneBadFileOfManyWritesNoFileAtAll() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var firm = try Fixtures.firm
        firm.maxTransactionsPerFile = 3
        var fills = (1...12).map { sampleFill($0) }
        fills[10].venue = "xetr"  // lower case: not a MIC
        let error = try #require(#expect(throws: ReportError.self) { try generate(fills, firm: firm, into: folder) })
        #expect(error.violations.map(\.record) == ["E11"])
        #expect(error.violations[0].line == 6, "the second transaction of the fourth file")
        #expect(folder.contents.isEmpty, "\(folder.contents)")
    }

    @Test func theSameFillsGiveTheSameBytesInAnyOrder() throws {
        let a = TempFolder()
        let b = TempFolder()
        defer {
            a.clean()
            b.clean()
        }
        let fills = try Fixtures.day.joinedFills().filter { Fixtures.euVenues.contains($0.venue) }
        let ra = try generate(fills, into: a)
        let rb = try generate(fills.reversed(), into: b)
        #expect(ra.files.map(\.name) == rb.files.map(\.name))
        #expect(a.bytes(ra.files[0].name) == b.bytes(rb.files[0].name))
        let text = String(decoding: a.bytes(ra.files[0].name), as: UTF8.self)
        #expect(text.contains("<CreDt>2026-11-28T00:00:00Z</CreDt>"), "the creation date comes from the report date")
    }

    @Test func transactionsCanBeGivenDirectly() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let firm = try Fixtures.firm
        let t = RTS22Transaction(
            transactionID: "T1", sourceID: "T1", executingEntity: firm.lei, investmentFirm: true,
            submittingEntity: firm.lei, buyer: .internalAccount, buyerBranch: "DE", seller: .mic("XETR"),
            tradingTime: ReportDate.ns("2026-11-27T10:00:00Z"), capacity: .matchedPrincipal, quantity: Fixed("0.5")!,
            price: Fixed("-1.25")!, currency: "EUR", venue: "XETR", isin: "DE0007164600",
            investmentDecision: .person(id: "DE19800101HANS#MULLE", scheme: "CONCAT", countryOfBranch: "DE"),
            executor: .client, shortSelling: .undisclosed)
        let g = RTS22Generator(firm: firm, regime: .eu(firm), schemas: try Fixtures.schemas)
        let report = try g.generate(transactions: [t], date: Fixtures.date, to: folder.path)
        let text = String(decoding: folder.bytes(report.files[0].name), as: UTF8.self)
        #expect(text.contains("<Amt Ccy=\"EUR\">1.25</Amt><Sgn>false</Sgn>"))
        #expect(
            text.contains("<Intl>INTC</Intl>") && text.contains("<MIC>XETR</MIC>") && text.contains("<Clnt>NORE</Clnt>")
        )
        #expect(try revalidate(report.files[0].path).isEmpty)
    }

    @Test func aMissingSchemaFolderIsAClearError() throws {
        #expect(throws: ReportError.self) { try ReportSchemas(folder: "/nonexistent/schemas") }
        let e = try #require(#expect(throws: ReportError.self) { try ReportSchemas(folder: "/nonexistent/schemas") })
        #expect(e.description.hasPrefix("cannot load the schema `/nonexistent/schemas/rts22-envelope.xsd`"))
        #expect(e.help?.contains("WRIT_REPORT_SCHEMAS") == true)
    }

    @Test func schemasAreFoundThroughTheEnvironmentOrTheCurrentFolder() throws {
        // The variable and the folder are passed in: setting the process's
        // environment would reach the tests running beside this one.
        let folder = try Fixtures.schemas.folder
        let root = Fixtures.repository.path
        #expect(try ReportSchemas.locate(variable: folder, from: "/").folder == folder)
        #expect(throws: ReportError.self) { try ReportSchemas.locate(variable: "/nonexistent", from: root) }
        // Without the variable: the folder's own reports/schemas, or its parents'.
        #expect(try ReportSchemas.locate(variable: nil, from: root).folder == root + "/reports/schemas")
        #expect(try ReportSchemas.locate(variable: nil, from: root + "/rules/platform").folder == root + "/reports/schemas")
        #expect(throws: ReportError.self) { try ReportSchemas.locate(variable: nil, from: "/proc/sys") }
    }

    @Test func theValidatorRejectsTamperedDocuments() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let report = try generate([sampleFill(1)], into: folder)
        var text = String(decoding: folder.bytes(report.files[0].name), as: UTF8.self)
        text = text.replacingOccurrences(of: "<TradgCpcty>DEAL</TradgCpcty>", with: "<TradgCpcty>PRIN</TradgCpcty>")
        let v = try XMLSchemaValidator(path: try Fixtures.schemas.rts22Envelope)
        let issues = Array(text.utf8).withUnsafeBytes { v.validate($0) }
        #expect(issues.count == 1 && issues[0].line == 5, "\(issues)")
        #expect(
            issues[0].message.hasPrefix("element `TradgCpcty`: [facet `enumeration`] the value `PRIN`"), "\(issues)")
        // The application header and the envelope are validated too (their own schemas).
        let original = String(decoding: folder.bytes(report.files[0].name), as: UTF8.self)
        for (from, to, element) in [
            ("<CreDt>2026-11-28T00:00:00Z</CreDt>", "<CreDt>2026-11-28T00:00:00</CreDt>", "CreDt"),
            ("<MsgDefIdr>auth.016.001.01</MsgDefIdr>", "", "CreDt"),
            ("<Pyld>", "<Pyld><Extra/>", "Extra"),
            ("urn:iso:std:iso:20022:tech:xsd:head.001.001.01", "urn:example:head", "AppHdr"),
        ] {
            let changed = original.replacingOccurrences(of: from, with: to)
            #expect(changed != original)
            let found = Array(changed.utf8).withUnsafeBytes { v.validate($0) }
            #expect(found.contains { $0.message.contains("`\(element)`") }, "\(from): \(found)")
        }
        #expect(Array(original.utf8).withUnsafeBytes { v.validate($0) }.isEmpty)
    }
}
