/// Outputs never destroy inputs, never go half-written, and fail before
/// anything is recorded: `OutputPath` itself, and the commands that use it
/// (build, replay, keygen, report, eval), run as a user would.
import Foundation
import Testing
import WritDriver
import WritSema

@Suite struct OutputPathTests {
    @Test(arguments: [
        ("x", "", "x"), ("a/b", "a", "b"), ("/a", "/", "a"), ("/", "/", "/"), ("a/b/", "a", "b"), ("./x", ".", "x"),
        ("", "", ""),
    ])
    func splitsPathsWithoutFoundation(_ path: String, _ directory: String, _ last: String) {
        #expect(OutputPath.directory(of: path) == directory)
        #expect(OutputPath.lastComponent(of: path) == last)
    }

    @Test func sameFileByIdentityOrByPath() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.txt").path
        try "x".write(toFile: a, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("link.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: a)
        #expect(OutputPath.same(a, link))
        #expect(OutputPath.same(a, dir.appendingPathComponent("sub/../a.txt").path))
        // Neither exists yet: the same path is still the same file.
        let n = dir.appendingPathComponent("new.sqlite").path
        #expect(OutputPath.same(n, dir.appendingPathComponent("./new.sqlite").path))
        #expect(!OutputPath.same(a, n))
    }

    @Test func checkRefusesInputsDirectoriesAndUnwritablePlaces() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = dir.appendingPathComponent("events.jsonl").path
        try "{}\n".write(toFile: events, atomically: true, encoding: .utf8)
        #expect(throws: UsageError.self) {
            try OutputPath.check(events, option: "-o", inputs: [(events, "the events file")])
        }
        #expect(throws: UsageError.self) { try OutputPath.check(dir.path, option: "-o", inputs: []) }
        #expect(throws: UsageError.self) { try OutputPath.check("", option: "-o", inputs: []) }
        // A file where a directory of the path should be.
        #expect(throws: UsageError.self) {
            try OutputPath.check(events + "/out.jsonl", option: "-o", inputs: [])
        }
        // A new file in a folder still to be made is fine, and nothing is left behind.
        try OutputPath.check(dir.appendingPathComponent("new/deeper/out.jsonl").path, option: "-o", inputs: [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["events.jsonl"])
    }
}

@Suite(.serialized) struct OutputSafetyCLITests {
    /// `writ build -o x` (a one-character relative path) used to trap in
    /// Foundation; a bundle may not replace a rule or data file.
    @Test func buildWritesShortPathsAndRefusesToReplaceItsInputs() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = WritBinary.packageRoot.appendingPathComponent("rules").path
        var (status, _, err) = try WritBinary.run(["build", rules, "-o", "x", "--unsigned"], cwd: dir)
        #expect(status == 0, "\(err)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
        // Copies of the rules, so that a failure of the check cannot damage the repository's.
        let copy = dir.appendingPathComponent("rules")
        try FileManager.default.copyItem(atPath: rules, toPath: copy.path)
        for target in ["rules/schema.writ", "rules/data/venues.csv"] {
            let before = try Data(contentsOf: dir.appendingPathComponent(target))
            (status, _, err) = try WritBinary.run(["build", "rules", "-o", target, "--unsigned"], cwd: dir)
            #expect(status == 2, "\(target): \(err)")
            #expect(err.contains("writing it would destroy it"), "\(err)")
            #expect(try Data(contentsOf: dir.appendingPathComponent(target)) == before)
        }
        (status, _, err) = try WritBinary.run(["build", "rules", "-o", "b", "--sign", "k", "--sign", "k"], cwd: dir)
        #expect(status == 2)
        #expect(err.contains("`--sign` is given 2 times"), "\(err)")
    }

    /// A replay whose decisions would overwrite the trail, the events or the
    /// bundle is refused; one that cannot write its decisions, or read its
    /// events, fails before it creates or appends to the trail.
    @Test func replayRefusesToOverwriteItsInputsAndFailsBeforeRecording() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = WritBinary.packageRoot.appendingPathComponent("rules").path
        var (status, _, err) = try WritBinary.run(["build", rules, "-o", "b", "--unsigned"], cwd: dir)
        try #require(status == 0, "\(err)")
        let lines = try String(
            contentsOf: WritBinary.packageRoot.appendingPathComponent("samples/events.jsonl"), encoding: .utf8
        ).split(separator: "\n").prefix(50)
        try (lines.joined(separator: "\n") + "\n").write(
            to: dir.appendingPathComponent("ev.jsonl"), atomically: true, encoding: .utf8)
        let replay = ["replay", "--bundle", "b", "--allow-unsigned", "--empty-lists", "ev.jsonl"]
        for (extra, says) in [
            (["-o", "a.sqlite", "--audit", "a.sqlite"], "is the audit trail"),
            (["-o", "ev.jsonl"], "is the events file"),
            (["-o", "./b"], "is the bundle"),
            (["-o", dir.path, "--audit", "t.sqlite"], "it is a directory"),
            (["-o", "ev.jsonl/x", "--audit", "t.sqlite"], "is a file, not a directory"),
            (["--audit", "ev.jsonl"], "is the events file"),
        ] {
            (status, _, err) = try WritBinary.run(replay + extra, cwd: dir)
            #expect(status == 2, "\(extra): \(err)")
            #expect(err.contains(says), "\(extra): \(err)")
        }
        (status, _, err) = try WritBinary.run(
            ["replay", "--bundle", "b", "--allow-unsigned", "--empty-lists", "none.jsonl", "--audit", "t.sqlite"],
            cwd: dir)
        #expect(status == 2)
        #expect(err.contains("cannot read events file `none.jsonl`"), "\(err)")
        // A file saved with a byte-order mark is refused whole, with the fix (its first line is not JSON).
        try Data([0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\n") + "\n").utf8)).write(
            to: dir.appendingPathComponent("bom.jsonl"))
        (status, _, err) = try WritBinary.run(
            ["replay", "--bundle", "b", "--allow-unsigned", "--empty-lists", "bom.jsonl", "--audit", "t.sqlite"],
            cwd: dir)
        #expect(status == 2)
        #expect(err.contains("`bom.jsonl` starts with a UTF-8 byte-order mark: save it without one"), "\(err)")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("bom.jsonl"))
        // Nothing was created or changed: no trail, no decisions.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["b", "ev.jsonl"])
        // A one-character output path works, and the run's acknowledgements are not repeated at the end.
        let out: String
        (status, out, err) = try WritBinary.run(replay + ["-o", "y", "--audit", "t.sqlite", "--ack-every", "25"], cwd: dir)
        #expect(status == 0, "\(err)")
        let acks = out.split(separator: "\n").filter { $0.hasPrefix("durable ") }
        #expect(acks.count == 2, "\(acks)")
        (status, _, err) = try WritBinary.run(replay + ["--ack-every", "-5"], cwd: dir)
        #expect(status == 2)
        #expect(err.contains("`--ack-every -5` must be at least 1"), "\(err)")
        (status, _, err) = try WritBinary.run(
            replay + ["--bind", "kyc_blocked=ev.jsonl", "--bind", "kyc_blocked=/dev/null"], cwd: dir)
        #expect(status == 2)
        #expect(err.contains("`kyc_blocked` is bound twice"), "\(err)")
        (status, _, err) = try WritBinary.run(replay + ["--strict-lists"], cwd: dir)
        #expect(status == 2)
        #expect(err.contains("cannot be used together"), "\(err)")
        (status, _, err) = try WritBinary.run(
            ["eval", "--bundle", "b", "--allow-unsigned", "--empty-lists", "--event", "  "], cwd: dir)
        #expect(status == 2)
        #expect(err.contains("is blank"), "\(err)")
        (status, _, err) = try WritBinary.run(
            ["eval", "--bundle", "/dev/null", "--allow-unsigned", "--event", "{}"], cwd: dir)
        #expect(status == 2)
        #expect(err.contains("truncated"), "\(err)")
    }

    /// keygen writes the pair or nothing: a directory where the public key
    /// goes leaves no private key behind, and an existing public key is not
    /// replaced without --force.
    @Test func keygenWritesThePairOrNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let blocked = dir.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(
            at: blocked.appendingPathComponent("writ.pub"), withIntermediateDirectories: true)
        var (status, _, err) = try WritBinary.run(["keygen", "--out", blocked.path])
        #expect(status == 2)
        #expect(err.contains("it is a directory"), "\(err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: blocked.path) == ["writ.pub"])
        let pubOnly = dir.appendingPathComponent("pub-only")
        try FileManager.default.createDirectory(at: pubOnly, withIntermediateDirectories: true)
        try "someone's key\n".write(to: pubOnly.appendingPathComponent("writ.pub"), atomically: true, encoding: .utf8)
        (status, _, err) = try WritBinary.run(["keygen", "--out", pubOnly.path])
        #expect(status == 2)
        #expect(err.contains("already exists"), "\(err)")
        #expect(try String(contentsOf: pubOnly.appendingPathComponent("writ.pub"), encoding: .utf8) == "someone's key\n")
    }

    /// A report folder that is a file fails once, up front, as a usage problem.
    @Test func reportIntoAFileFailsOnce() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("out.txt")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let (status, _, err) = try WritBinary.run([
            "report", "--all", "--db", dir.appendingPathComponent("none.sqlite").path, "--date", "2026-11-27",
            "-o", file.path,
        ])
        #expect(status == 2)
        #expect(err.contains("it is a file; give a folder"), "\(err)")
        #expect(err.split(separator: "\n").count == 1, "\(err)")
    }
}

@Suite struct AtomicFileTests {
    /// A symbolic link is followed (the file it names is replaced, the link
    /// stays), an existing file keeps its permission bits, and a device is
    /// written in place (renaming over `/dev/null` would replace it).
    @Test func followsLinksKeepsModesAndWritesDevicesInPlace() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let real = dir.appendingPathComponent("real.writ").path
        try "old\n".write(toFile: real, atomically: true, encoding: .utf8)
        chmod(real, 0o600)
        let link = dir.appendingPathComponent("link.writ").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.writ")
        try AtomicFile.write("new\n", to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.writ")
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "new\n")
        let mode = try FileManager.default.attributesOfItem(atPath: real)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        try AtomicFile.write("discarded\n", to: "/dev/null")
        var st = stat()
        #expect(stat("/dev/null", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR)
        #expect(throws: UsageError.self) { try AtomicFile.write("x", to: dir.path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["link.writ", "real.writ"])
    }
}

@Suite struct FrontEndCLITests {
    /// One file named two ways (absolute and relative, or through a link) is read once.
    @Test func oneFileNamedTwiceIsReadOnce() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.writ").path
        try "const A = 1\n".write(toFile: a, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("b.writ").path, withDestinationPath: a)
        let c = try Compilation.check(paths: [a, dir.appendingPathComponent("./a.writ").path, dir.appendingPathComponent("b.writ").path])
        #expect(c.files.count == 1)
        #expect(!c.hasErrors, "\(c.renderer.renderAll(c.diagnostics))")
    }

    /// What the engine refuses is a finding of `writ test` too (exit 1, E0702 located), not a usage problem.
    @Test func testReportsAnEngineRefusalAsAFinding() throws {
        let fixture = WritBinary.packageRoot.appendingPathComponent("Tests/WritSemaTests/Fixtures/bad/driver-engine-refusal.writ")
        let (status, _, err) = try WritBinary.run(["test", fixture.path])
        #expect(status == 1, "\(err)")
        #expect(err.contains("error[E0702]") && err.contains("driver-engine-refusal.writ:"), "\(err)")
    }

    /// `expect [..]` names the rules that fired in any order, each once; a
    /// directory named like a rule file is walked, not read.
    @Test func expectListsRulesInAnyOrderEachOnce() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let order = "given order { id = \"O-1\", ts = timestamp(\"2026-11-27T10:00:00Z\"), qty = 5 }"
        try """
        schema order {
          id: symbol
          ts: timestamp
          qty: decimal
        }

        jurisdiction Z "Z" {
          applies when true
          rule a alert "a" cite "x" when order.qty > 0
          rule b alert "b" cite "x" when order.qty > 1
        }

        test "both fire, listed in another order" {
          \(order)
          expect allow [Z.b, Z.a]
        }

        test "a rule named twice" {
          \(order)
          expect allow [Z.a, Z.a]
        }

        """.write(to: dir.appendingPathComponent("z.writ"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub.writ"), withIntermediateDirectories: true)
        let (status, out, err) = try WritBinary.run(["test", dir.path])
        #expect(status == 1, "\(err)")
        #expect(out.contains("`Z.a` listed twice in `expect`"), "\(out)")
        #expect(out.hasSuffix("1 passed, 1 failed\n"), "\(out)")
    }

    /// A repeated `new` order is a new order each time (its id gets `#2`,
    /// `#3`, …: an id received again the same day is a duplicate); a
    /// repeated `modify` keeps its id, and a second `given` with the same id
    /// is still a duplicate.
    @Test func repeatedNewOrdersGetTheirOwnIds() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func order(_ event: String, _ id: String = "O-1") -> String {
            "given order { event = \(event), id = \"\(id)\", ts = timestamp(\"2026-11-27T10:00:00Z\"), qty = 5 }"
        }
        try """
        enum OrderEvent { new, modify, cancel }

        schema order {
          event: OrderEvent
          id: symbol
          ts: timestamp
          qty: decimal
        }

        jurisdiction Z "Z" {
          applies when true
          rule dup reject "dup" cite "x" when order.event == new && duplicate(order.id)
        }

        test "a repeated new order is not a duplicate of itself" {
          \(order("new")) repeat 3
          expect allow []
        }

        test "a repeated modify changes the live order" {
          \(order("new"))
          \(order("modify")) repeat 2
          expect allow []
        }

        test "the same id given again is a duplicate" {
          \(order("new")) repeat 2
          \(order("new", "O-1#2"))
          expect reject [Z.dup]
        }

        """.write(to: dir.appendingPathComponent("z.writ"), atomically: true, encoding: .utf8)
        let (status, out, err) = try WritBinary.run(["test", dir.path])
        #expect(status == 0, "\(out)\(err)")
        #expect(out.hasSuffix("3 passed, 0 failed\n"), "\(out)")
    }

    /// A control character in a data file's cell is refused (U+001F would
    /// make two different composite keys one at run time).
    @Test func dataCellsHaveNoControlCharacters() {
        let rules = "data t from \"t.csv\" key (a, b) {\n  a: symbol\n  b: symbol\n}\n"
        for cell in ["A\u{1F}B", "A\u{0}B", "A\tB"] {
            let c = Compilation.check(sources: [("t.writ", rules), ("t.csv", "a,b\n\(cell),C\nA,B\n")])
            let text = c.renderer.renderAll(c.diagnostics)
            #expect(c.hasErrors, "\(cell.unicodeScalars.map(\.value))")
            #expect(text.contains("the cell has the control character U+00"), "\(text)")
        }
        let clean = Compilation.check(sources: [("t.writ", rules), ("t.csv", "a,b\nA,B\n")])
        #expect(!clean.hasErrors, "\(clean.renderer.renderAll(clean.diagnostics))")
    }

    @Test func coverageIsNeverRoundedToAllOrNothing() {
        var r = TestReport()
        r.rules = (0..<3000).map { RuleID(jurisdiction: "J", rule: "r\($0)") }
        r.fired = Set(r.rules.dropLast().map(\.description))
        #expect(r.coverageText == "99.9")
        r.fired = [r.rules[0].description]
        #expect(r.coverageText == "0.1")
        r.fired = Set(r.rules.prefix(1500).map(\.description))
        #expect(r.coverageText == "50")
        r.fired = Set(r.rules.map(\.description))
        #expect(r.coverageText == "100")
        r.fired = []
        #expect(r.coverageText == "0")
    }

    /// `writ fmt` reads every file before it writes any: a file it cannot read stops it with nothing rewritten.
    @Test func fmtRewritesNothingWhenAFileCannotBeRead() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p1 = dir.appendingPathComponent("p1.writ")
        try "const   A = 1\n".write(to: p1, atomically: true, encoding: .utf8)
        try Data([0x63, 0xFF, 0x0A]).write(to: dir.appendingPathComponent("z-bad.writ"))
        let (status, _, err) = try WritBinary.run(["fmt", dir.path])
        #expect(status == 2)
        #expect(err.contains("is not valid UTF-8"), "\(err)")
        #expect(try String(contentsOf: p1, encoding: .utf8) == "const   A = 1\n")
    }

    @Test func costAsJSONKeepsTheDiagnostics() throws {
        let (status, out, err) = try WritBinary.run(["check", "--cost", "--format", "json", "rules"])
        #expect(status == 0, "\(err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect((object["diagnostics"] as? [Any]) != nil)
        let costs = try #require(object["costs"] as? [[String: Any]])
        #expect(costs.contains { $0["jurisdiction"] as? String == "EU" && ($0["cost"] as? Int ?? 0) > 0 })
    }
}
