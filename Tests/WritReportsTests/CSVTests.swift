/// CSV: RFC 4180 quoting (comma, quote, CR, LF), CRLF line ends and a
/// header row, parsed back by an independent reader; golden files of each
/// regulator; an empty day gives the header only.
import Foundation
import Testing

@testable import WritReports

/// An RFC 4180 reader for the tests.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text.unicodeScalars)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" {
                    field.unicodeScalars.append("\"")
                    chars.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field)
            field = ""
        } else if c == "\r" && chars.first == "\n" {
            chars.removeFirst()
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else {
            field.unicodeScalars.append(c)
        }
    }
    return rows
}

@Suite struct CSVTests {
    @Test(arguments: [
        ("plain", "plain"), ("", ""), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""), ("cr\rhere", "\"cr\rhere\""), ("crlf\r\n", "\"crlf\r\n\""),
        ("  spaces  ", "  spaces  "), ("Zürich 東京", "Zürich 東京"), ("\"", "\"\"\"\""),
        // What a spreadsheet would run as a formula is shown as text; numbers stay numbers.
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
        ("-", "'-"), ("-12.5", "-12.5"), ("+7", "+7"), ("-1.2.3", "'-1.2.3"), ("a=b", "a=b"),
    ])
    func fieldQuoting(_ input: String, _ expected: String) {
        var b = TextBuffer()
        CSVWriter.field(input, into: &b)
        #expect(b.string == expected)
    }

    @Test func rowsEndInCRLFAndReadBack() {
        let rows = [["1", "a,b", "say \"hi\""], ["2", "two\nlines", ""], ["3", "cr\r\nlf", " x "]]
        let text = String(decoding: CSVWriter.encode(header: ["n", "text", "more"], rows: rows), as: UTF8.self)
        #expect(text.hasPrefix("n,text,more\r\n"))
        #expect(text.hasSuffix("\r\n"))
        #expect(parseCSV(text) == [["n", "text", "more"]] + rows)
    }

    func inputs(_ venues: Set<String>) throws -> ReportInputs { try Fixtures.day.selecting(venues: venues) }

    @Test(
        arguments: [
            (CSVRegulator.asic, ["XASX"]), (.mas, ["XSES"]), (.jfsa, ["XTKS", "XOSE"]), (.sebi, ["XNSE", "XBOM"]),
            (.csa, ["XTSE", "XTSX"]),
        ] as [(CSVRegulator, [String])])
    func goldenFiles(_ regulator: CSVRegulator, _ venueList: [String]) throws {
        let venues = Set(venueList)
        let folder = TempFolder("csv\(regulator.rawValue)")
        defer { folder.clean() }
        let g = CSVGenerator(regulator: regulator)
        let report = try g.generate(try inputs(venues), date: Fixtures.date, to: folder.path)
        let names = ["\(regulator.rawValue)_ORDERS_20261127.csv", "\(regulator.rawValue)_TRADES_20261127.csv"]
        #expect(report.files.map(\.name) == names)
        #expect(folder.contents == names)
        for name in names {
            let text = String(decoding: folder.bytes(name), as: UTF8.self)
            let rows = parseCSV(text)
            #expect(rows.first == (name.contains("ORDERS") ? g.orderHeader : g.tradeHeader))
            #expect(rows.allSatisfy { $0.count == rows[0].count })
            #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n") || text.contains("\""))
            try Fixtures.checkGolden(folder.bytes(name), name)
        }
    }

    @Test func quotedCellsSurviveInTheJapaneseReport() throws {
        let rows = parseCSV(
            String(
                decoding: CSVWriter.encode(
                    header: CSVGenerator(regulator: .jfsa).orderHeader,
                    rows: CSVGenerator(regulator: .jfsa).orderRows(try inputs(["XTKS"]))), as: UTF8.self))
        #expect(rows.count == 2)
        let header = rows[0]
        let row = rows[1]
        #expect(row[header.firstIndex(of: "client")!] == "Tanaka, Ltd.")
        #expect(row[header.firstIndex(of: "reasons")!] == "size is above 30% of \"listed shares\", per TSE guidance")
        #expect(row[header.firstIndex(of: "verdict")!] == "reject")
    }

    @Test func regulatorColumns() throws {
        let csa = CSVGenerator(regulator: .csa)
        #expect(csa.orderHeader.last == "short_marking" && csa.tradeHeader.last == "short_marking")
        #expect(csa.orderRows(try inputs(["XTSE"]))[0].last == "SS")
        let sebi = CSVGenerator(regulator: .sebi)
        #expect(sebi.orderHeader.last == "algo_order")
        #expect(sebi.orderRows(try inputs(["XNSE"]))[0].last == "Y")
        #expect(CSVGenerator(regulator: .asic).orderHeader.count == 22)
    }

    @Test func anEmptyDayHasOnlyHeaders() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let g = CSVGenerator(regulator: .mas)
        let report = try g.generate(ReportInputs(), date: Fixtures.date, to: folder.path)
        #expect(report.files.map(\.records) == [0, 0])
        #expect(
            String(decoding: folder.bytes("MAS_ORDERS_20261127.csv"), as: UTF8.self) == g.orderHeader.joined(
                separator: ",") + "\r\n")
        #expect(
            String(decoding: folder.bytes("MAS_TRADES_20261127.csv"), as: UTF8.self) == g.tradeHeader.joined(
                separator: ",") + "\r\n")
        #expect(report.notes.count == 1)
    }
}
