/// All reports of the sample day in one call, fed by the rulebooks' venue
/// table: every report is made (or says why not), and one failing report
/// does not stop the others.
import Foundation
import Testing

@testable import WritReports

@Suite struct DailyReportsTests {
    func reports() throws -> DailyReports {
        let table = try String(
            contentsOfFile: Fixtures.repository.appendingPathComponent("rules/data/venues.csv").path, encoding: .utf8)
        return DailyReports(
            firm: try Fixtures.firm, schemas: try Fixtures.schemas,
            regimeOfVenue: try DailyReports.regimes(venuesCSV: table))
    }

    @Test func theSampleDayMakesEveryReport() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let results = try reports().generate(try Fixtures.day, date: Fixtures.date, to: folder.path)
        #expect(results.map(\.name) == DailyReports.reportNames)
        var files: [String] = []
        for (name, result) in results {
            switch result {
            case .success(let r): files += r.files.map(\.name)
            case .failure(let e): Issue.record("\(name): \(e)")
            }
        }
        #expect(folder.contents == files.sorted())
        #expect(files.count == 2 + 1 + 10 + 2)
        // The files are those of the single generators (their golden files).
        for csv in ["ASIC_ORDERS_20261127.csv", "CSA_TRADES_20261127.csv", "SUMMARY_20261127.md", "cat.json"] {
            let name = csv == "cat.json" ? "140001_123456_20261127_WRIT_OrderEvents_000001.json" : csv
            let golden = try #require(FileManager.default.contents(atPath: Fixtures.path("golden/\(csv)")))
            #expect(folder.bytes(name) == Array(golden), "\(name)")
        }
    }

    @Test func oneFailingReportDoesNotStopTheOthers() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var day = try Fixtures.day
        day.fills = day.fills.map { f in
            var f = f
            if f.execID == "E-5" { f.capacity = nil }
            return f
        }
        let results = try reports().generate(day, date: Fixtures.date, to: folder.path, only: ["rts22_uk", "csv_asic"])
        #expect(results.map(\.name) == ["rts22_uk", "csv_asic"])
        guard case .failure(let e) = results[0].result else {
            Issue.record("the UK report must fail")
            return
        }
        #expect(e.violations.map(\.record) == ["E5"])
        #expect(folder.contents == ["ASIC_ORDERS_20261127.csv", "ASIC_TRADES_20261127.csv"])
    }

    @Test func theVenueTable() throws {
        let r = try DailyReports.regimes(
            venuesCSV: "mic,regime,currency,tz\nXETR,EU,EUR,Europe/Berlin\r\nXLON,UK,GBP,Europe/London\n")
        #expect(r == ["XETR": "EU", "XLON": "UK"])
        #expect(throws: ReportError.self) { try DailyReports.regimes(venuesCSV: "venue,country\nXETR,DE\n") }
        let unknown = try reports().generate(ReportInputs(), date: Fixtures.date, to: "/tmp", only: ["rts99"])
        #expect(unknown.isEmpty)
    }
}
