/// Shared helpers of the report tests: fixture paths, the repository's
/// schema folder, the sample day, temporary folders, golden-file checks
/// (WRIT_UPDATE_GOLDEN=1 rewrites them).
import Foundation
import Testing
import WritValue

@testable import WritReports

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    static func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    static var schemas: ReportSchemas {
        get throws { try ReportSchemas(folder: repository.appendingPathComponent("reports/schemas").path) }
    }

    static var firm: FirmConfig {
        get throws { try FirmConfig.load(path: path("firm.json")) }
    }

    static let date = ReportDate(year: 2026, month: 11, day: 27)!

    static var day: ReportInputs {
        get throws { try ReportInputs.decode(lines: try text("day.ndjson")) }
    }

    static let euVenues: Set<String> = ["XETR", "XPAR", "XAMS", "XMIL", "XMAD"]
    static let usVenues: Set<String> = ["XNYS", "XNAS", "ARCX", "BATS"]

    /// Compares `bytes` with the golden file `golden/name`, or writes it when WRIT_UPDATE_GOLDEN=1.
    static func checkGolden(_ bytes: [UInt8], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let path = root.appendingPathComponent("golden/\(name)").path
        if ProcessInfo.processInfo.environment["WRIT_UPDATE_GOLDEN"] == "1" {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        let expected = try #require(FileManager.default.contents(atPath: path), "missing golden file \(name)")
        #expect(Array(expected) == bytes, "\(name) differs from its golden file", sourceLocation: sourceLocation)
    }
}

/// A fresh empty folder under the system's temporary folder, removed by `clean`.
struct TempFolder {
    let path: String

    init(_ tag: String = #function) {
        let safe = tag.filter { $0.isLetter || $0.isNumber }
        path = NSTemporaryDirectory() + "writ-reports-\(safe)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The names in the folder, hidden ones included, sorted.
    var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    func bytes(_ name: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path + "/" + name) ?? Data()) }

    func clean() { try? FileManager.default.removeItem(atPath: path) }
}

extension ReportDate {
    /// `2026-11-27T…Z` → nanoseconds, for tests.
    static func ns(_ text: String) -> Int64 { RFC3339.nanoseconds(text)! }
}

/// A fill on XETR with every RTS 22 field valid; tests change one field.
func sampleFill(_ n: Int, execID: String? = nil) -> FillRecord {
    FillRecord(
        orderID: "O-\(n)", execID: execID ?? "E-\(n)",
        timestamp: ReportDate.ns("2026-11-27T09:00:00Z") + Int64(n) * 1_000_000,
        quantity: Fixed(100 + n), price: Fixed("10.5")!, currency: "EUR", venue: "XETR", venueTransactionID: "V\(n)",
        isin: "DE0007164600", buyer: "529900WRITFIRM000014", seller: "969500BROKERBBBBBB38", capacity: .dealing,
        decisionMaker: "ALGO1", executor: "SOR1", countryOfBranch: "DE", side: .buy, symbol: "SAP")
}
