/// End-to-end tests of the `writ` executable: exit codes (0 clean, 1
/// findings, 2 usage or I/O problems) and the one-line messages that say
/// what to do. They run the binary built next to this test bundle.
import Foundation
import Testing

/// Locates the `writ` executable built with the tests.
enum WritBinary {
    static var url: URL? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        for dir in candidates {
            let u = dir.appendingPathComponent("writ")
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        return nil
    }

    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs writ with `args` in `cwd`; returns (status, stdout, stderr).
    static func run(_ args: [String], cwd: URL? = nil) throws -> (Int32, String, String) {
        let url = try #require(url, "the writ executable is not built next to the tests")
        let p = Process()
        p.executableURL = url
        p.arguments = args
        p.currentDirectoryURL = cwd ?? packageRoot
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

func temporaryDirectory() throws -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("writ-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
}

@Suite(.serialized) struct CLITests {
    @Test func checkOfTheRulesIsClean() throws {
        let (status, _, err) = try WritBinary.run(["check", "rules"])
        #expect(status == 0, "\(err)")
    }

    @Test func checkReportsErrorsWithExitOne() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "const A = 1 +\n".write(to: dir.appendingPathComponent("bad.writ"), atomically: true, encoding: .utf8)
        let (status, _, err) = try WritBinary.run(["check", dir.appendingPathComponent("bad.writ").path])
        #expect(status == 1)
        #expect(err.contains("error[E0"), "\(err)")
        #expect(err.contains("bad.writ:"), "\(err)")
    }

    @Test func missingPathIsAUsageProblem() throws {
        let (status, _, err) = try WritBinary.run(["check", "no/such/dir"])
        #expect(status == 2)
        #expect(err.contains("no such file or directory `no/such/dir`"), "\(err)")
    }

    @Test func directoryWithoutRulesIsAUsageProblem() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, _, err) = try WritBinary.run(["check", dir.path])
        #expect(status == 2)
        #expect(err.contains("contains no `.writ` files"), "\(err)")
    }

    @Test func nonUTF8FileIsAUsageProblem() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("latin1.writ")
        try Data([0x63, 0x6F, 0x6E, 0x73, 0x74, 0x20, 0xE9, 0xFF, 0x0A]).write(to: f)
        let (status, _, err) = try WritBinary.run(["check", f.path])
        #expect(status == 2)
        #expect(err.contains("is not valid UTF-8"), "\(err)")
    }

    @Test func badOptionIsAUsageProblem() throws {
        let (status, _, _) = try WritBinary.run(["check", "--no-such-option"])
        #expect(status == 2)
    }

    @Test func jsonDiagnosticsAreParseable() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "const A = 1 +\n".write(to: dir.appendingPathComponent("bad.writ"), atomically: true, encoding: .utf8)
        let (status, out, _) = try WritBinary.run(["check", "--format", "json", dir.appendingPathComponent("bad.writ").path])
        #expect(status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]]
        let errors = try #require(json).filter { ($0["severity"] as? String) == "error" }
        let first = try #require(errors.first)
        #expect((first["code"] as? String)?.hasPrefix("E02") == true, "\(out)")
        #expect((first["line"] as? Int).map { $0 >= 1 } == true)
    }

    @Test func fmtCheckNamesUnformattedFilesAndFmtFixesThem() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("x.writ")
        try "const   A =1 // keep me\n".write(to: f, atomically: true, encoding: .utf8)
        var (status, _, err) = try WritBinary.run(["fmt", "--check", dir.path])
        #expect(status == 1)
        #expect(err.contains("x.writ: not formatted"), "\(err)")
        (status, _, err) = try WritBinary.run(["fmt", dir.path])
        #expect(status == 0, "\(err)")
        let text = try String(contentsOf: f, encoding: .utf8)
        #expect(text.contains("// keep me"))
        (status, _, err) = try WritBinary.run(["fmt", "--check", dir.path])
        #expect(status == 0, "\(err)")
    }

    @Test func fmtCheckOfTheRulesIsClean() throws {
        let (status, _, err) = try WritBinary.run(["fmt", "--check", "rules"])
        #expect(status == 0, "\(err)")
    }

    @Test func keygenWritesAPrivateKeyWithMode0600() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = root.appendingPathComponent("keys")
        var (status, _, err) = try WritBinary.run(["keygen", "--out", dir.path])
        #expect(status == 0, "\(err)")
        let attrs = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("writ.key").path)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("writ.pub").path))
        (status, _, err) = try WritBinary.run(["keygen", "--out", dir.path])
        #expect(status == 2, "a second keygen must not overwrite the key")
        #expect(err.contains("already exists"))
    }

    @Test func checkCostPrintsEveryJurisdiction() throws {
        let (status, out, err) = try WritBinary.run(["check", "--cost", "rules"])
        #expect(status == 0, "\(err)")
        for j in ["GLOBAL", "US", "EU", "UK", "JP", "SG", "IN", "CA", "AU"] {
            #expect(out.contains("\n\(j) "), "no cost line for \(j):\n\(out)")
        }
    }

    @Test func unboundListsAreEmptyWithAWarningOrRejectWhenStrict() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = dir.appendingPathComponent("w.bundle").path
        var (status, out, err) = try WritBinary.run(["build", "rules", "-o", bundle, "--unsigned"])
        try #require(status == 0, "\(err)")
        let market = #"{"event":"market","symbol":"SAP","venue":"XETR","ts":"2026-11-27T08:00:00Z","reference":"230.00","instrument_class":"equity"}"#
        let order = #"{"event":"new","id":"O-1","ts":"2026-11-27T08:00:01Z","account":"A-1","client":"C-1","client_country":"DE","trader":"T-1","desk":"D-1","symbol":"SAP","venue":"XETR","side":"buy","qty":"10","price":"230.00","ord_type":"limit","currency":"EUR"}"#
        (status, out, err) = try WritBinary.run(["eval", "--bundle", bundle, "--allow-unsigned", "--event", market, "--event", order])
        #expect(status == 0)
        #expect(out.contains(#""verdict":"allow""#), "\(out)\(err)")
        #expect(err.contains("not bound: treated as empty"), "\(err)")
        // `kyc_blocked` declares its value (`bound = []`): no warning for it.
        #expect(err.contains("`restricted_symbols`") && !err.contains("`kyc_blocked`"), "\(err)")
        (status, out, err) = try WritBinary.run(
            ["eval", "--bundle", bundle, "--allow-unsigned", "--strict-lists", "--event", market, "--event", order])
        #expect(status == 0, "eval exits 0 whatever the verdict")
        #expect(out.contains(#""verdict":"reject""#) && out.contains("not bound"), "\(out)")
    }
}
