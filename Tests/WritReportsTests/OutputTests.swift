/// Writing files: an unwritable folder fails with a clear error and leaves
/// nothing; files appear only on commit; an abort removes every temporary
/// file; missing folders are created.
import Foundation
import Synchronization
import Testing

@testable import WritReports

@Suite struct OutputTests {
    @Test func aFileWhereTheFolderShouldBeIsAnError() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let file = folder.path + "/taken"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        for make in generators {
            let e = try #require(#expect(throws: ReportError.self) { try make(file) })
            #expect(e.description == "cannot write `\(file)`: it is not a folder")
            #expect(e.help == "check that the folder exists and that this user may write to it")
        }
        let below = try #require(#expect(throws: ReportError.self) { try generators[0](file + "/out") })
        #expect(below.description.hasPrefix("cannot write `\(file)`"), "\(below)")
        #expect(folder.contents == ["taken"])
    }

    @Test func aFolderThatCannotBeWrittenIsAnError() throws {
        // Root may write anywhere but in /proc, where no file can be created.
        let locked: String
        if getuid() == 0 {
            locked = "/proc/sys"
        } else {
            let folder = TempFolder()
            locked = folder.path
            chmod(locked, 0o500)
        }
        for make in generators {
            let e = try #require(#expect(throws: ReportError.self) { try make(locked) })
            #expect(e.description.hasPrefix("cannot write `\(locked)`"), "\(e)")
        }
        if getuid() != 0 {
            chmod(locked, 0o700)
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: locked)) ?? []).isEmpty)
            try? FileManager.default.removeItem(atPath: locked)
        }
    }

    /// Each generator writing the sample day into a folder.
    var generators: [(String) throws -> Void] {
        [
            { folder in
                let firm = try Fixtures.firm
                _ = try RTS22Generator(firm: firm, regime: .eu(firm), schemas: try Fixtures.schemas)
                    .generate(
                        fills: try Fixtures.day.joinedFills().filter { $0.venue == "XETR" }, date: Fixtures.date,
                        to: folder)
            },
            { folder in
                _ = try CATGenerator(firm: try Fixtures.firm).generate(
                    try Fixtures.day, date: Fixtures.date, to: folder)
            },
            { folder in
                _ = try CSVGenerator(regulator: .asic).generate(try Fixtures.day, date: Fixtures.date, to: folder)
            },
            { folder in
                _ = try SummaryGenerator(firm: try Fixtures.firm).generate(
                    try Fixtures.day, date: Fixtures.date, to: folder)
            },
        ]
    }

    /// A run that cannot put one of its files in place leaves the files of
    /// the earlier run as they were (it used to delete those it had already
    /// replaced), and no temporary file.
    @Test func aFailedCommitKeepsTheEarlierFiles() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let first = try ReportOutput(folder: folder.path)
        try first.stage(name: "a.txt", records: 1, bytes: Array("old a".utf8))
        _ = try first.commit()
        // A folder where the second file goes.
        try FileManager.default.createDirectory(atPath: folder.path + "/b.txt", withIntermediateDirectories: false)
        let second = try ReportOutput(folder: folder.path)
        try second.stage(name: "a.txt", records: 1, bytes: Array("new a".utf8))
        try second.stage(name: "b.txt", records: 1, bytes: Array("new b".utf8))
        let e = try #require(#expect(throws: ReportError.self) { try second.commit() })
        #expect(e.description.contains("b.txt") && e.description.contains("not a file"), "\(e)")
        #expect(try String(contentsOfFile: folder.path + "/a.txt", encoding: .utf8) == "old a")
        #expect(folder.contents == ["a.txt", "b.txt"], "\(folder.contents)")
    }

    @Test func filesAppearOnlyOnCommit() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let out = try ReportOutput(folder: folder.path)
        try out.stage(name: "a.txt", records: 1, bytes: Array("a".utf8))
        try out.stage(name: "b.txt", records: 2, bytes: Array("bb".utf8))
        #expect(folder.contents.count == 2 && folder.contents.allSatisfy { $0.hasPrefix(".") && $0.contains(".tmp-") })
        let files = try out.commit()
        #expect(files.map(\.name) == ["a.txt", "b.txt"] && files.map(\.bytes) == [1, 2])
        #expect(folder.contents == ["a.txt", "b.txt"])
    }

    @Test func abortRemovesEverything() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let out = try ReportOutput(folder: folder.path)
        try out.stage(name: "a.txt", records: 1, bytes: Array("a".utf8))
        let open = try out.open(name: "c.txt")
        try Array("partial".utf8).withUnsafeBytes { try open.write($0) }
        out.abort()
        open.discard()
        #expect(folder.contents.isEmpty)
        // Nothing can be staged after an abort.
        try out.stage(name: "late.txt", records: 0, bytes: [])
        #expect(folder.contents.isEmpty)
    }

    @Test func csvAndSummaryDoNotDependOnInputOrder() throws {
        let day = try Fixtures.day
        var shuffled = day
        shuffled.orders.reverse()
        shuffled.decisions.reverse()
        shuffled.fills.reverse()
        shuffled.killSwitches.reverse()
        shuffled.drChanges.reverse()
        for regulator in CSVRegulator.allCases {
            let g = CSVGenerator(regulator: regulator)
            #expect(g.orderRows(day) == g.orderRows(shuffled))
            #expect(try g.tradeRows(day) == g.tradeRows(shuffled))
        }
        let firm = try Fixtures.firm
        let a = ComplianceSummary(day, date: Fixtures.date, firm: firm)
        let b = ComplianceSummary(shuffled, date: Fixtures.date, firm: firm)
        #expect(a.markdown() == b.markdown() && a.html() == b.html())
    }

    @Test func progressReachesTheTotal() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var firm = try Fixtures.firm
        firm.maxTransactionsPerFile = 3
        let seen = Mutex<[Int]>([])
        _ = try RTS22Generator(firm: firm, regime: .eu(firm), schemas: try Fixtures.schemas)
            .generate(fills: (1...10).map { sampleFill($0) }, date: Fixtures.date, to: folder.path) { done, total in
                #expect(total == 10)
                seen.withLock { $0.append(done) }
            }
        #expect(seen.withLock { $0.sorted() }.last == 10)
        #expect(seen.withLock { $0.count } == 4)
    }

    @Test func missingFoldersAreCreated() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let nested = folder.path + "/out/2026-11-27"
        let report = try CSVGenerator(regulator: .mas).generate(ReportInputs(), date: Fixtures.date, to: nested)
        #expect(!report.files.isEmpty)
        #expect(report.files.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
    }
}
