/// The report's seven platform scenarios (rules/scenarios/, explained in
/// rules/scenarios/README.md) run through `writ simulate`'s driver against
/// the rulebooks of rules/: each one's JSON report must equal its committed
/// expected outcome (`<name>.expected.json`; regenerate with
/// WRIT_UPDATE_GOLDEN=1 and read the diff). A few facts the README argues
/// for are checked on their own as well.
import Foundation
import Testing
import WritDriver
import WritEngine

@Suite(.serialized) struct ScenarioTests {
    static let root = WritBinary.packageRoot
    static let names = [
        "regional-failure", "cloud-provider-outage", "network-partition", "security-breach", "regulatory-halt",
        "hardware-failure", "human-error",
    ]

    static func engine() throws -> Engine {
        let c = try Compilation.check(paths: [root.appendingPathComponent("rules").path])
        let build = BuildRun.build(c, signingKey: nil)
        let bundle = try #require(build.bundle, "\(build.compileErrorText ?? "the rules have errors")")
        let e = try Engine(bundle: bundle, trust: [], allowUnsigned: true)
        BundleLoad.bindRemainingEmpty([], into: e)
        return e
    }

    /// A copy of scenario `name` changed by `change`, written to `file` in `dir`; returns its path.
    static func variant(of name: String, in dir: URL, as file: String, _ change: (String) -> String) throws -> String {
        let source = try String(contentsOf: root.appendingPathComponent("rules/scenarios/\(name).jsonl"), encoding: .utf8)
        let path = dir.appendingPathComponent(file)
        try change(source).write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    /// The path of a scenario under Tests/WritDriverTests/Fixtures.
    static func fixture(_ file: String) -> String {
        root.appendingPathComponent("Tests/WritDriverTests/Fixtures/\(file)").path
    }

    /// The message of the error the simulation of `path` stops with; nil if it ran.
    static func refusal(_ path: String) throws -> String? {
        let e = try engine()
        do {
            _ = try SimulateRun.run(engine: e, path: path)
            return nil
        } catch {
            return error.message
        }
    }

    /// A scenario of `lines` written to `file` in `dir`; returns its path.
    static func write(_ lines: [String], in dir: URL, as file: String) throws -> String {
        let path = dir.appendingPathComponent(file)
        try (lines.joined(separator: "\n") + "\n").write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    static func report(_ name: String) throws -> SimulationReport {
        try SimulateRun.run(engine: engine(), path: root.appendingPathComponent("rules/scenarios/\(name).jsonl").path)
    }

    @Test(arguments: names)
    func scenarioMatchesItsExpectedOutcome(_ name: String) throws {
        let actual = try ScenarioTests.report(name).json + "\n"
        let url = ScenarioTests.root.appendingPathComponent("rules/scenarios/\(name).expected.json")
        if ProcessInfo.processInfo.environment["WRIT_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "rules/scenarios/\(name): the simulation differs from \(name).expected.json")
    }

    @Test func failoverWithinTheRegionMeetsTheTargets() throws {
        for name in ["regional-failure", "hardware-failure"] {
            let r = try ScenarioTests.report(name)
            #expect(r.rto == 0 && r.rtoMet && r.rpoMet && r.gated.isEmpty, "\(name)")
        }
    }

    /// Nothing routes across a partition: the fallback takes only a DR site
    /// the order's origin reaches, so a US client's order for an EU venue is
    /// refused while EMEA is cut off, and routes again when a link returns.
    @Test func aPartitionRefusesWhatItCutsOffUntilALinkReturns() throws {
        let r = try ScenarioTests.report("network-partition")
        #expect(r.gated == ["NP-4"])
        #expect(r.orders.first { $0.id == "NP-4" }.map { $0.route == nil && $0.verdict == "reject" } == true)
        #expect(r.orders.first { $0.id == "NP-5" }?.route == "eu_central_1")
        #expect(r.orders.first { $0.id == "NP-6" }?.route == "eu_west_1")
        #expect(r.rto == 100_000_000_000 && !r.rtoMet && r.rpoMet)
    }

    @Test func safeModeAndHaltsGateOrdersAndMissTheRTOTarget() throws {
        let breach = try ScenarioTests.report("security-breach")
        #expect(breach.timeline.map(\.level) == ["full", "safe_mode", "essential", "full"])
        #expect(breach.gated == ["SB-2", "SB-4"])  // SB-3 sells part of a long position: it reduces it
        #expect(breach.rto == 180_000_000_000 && !breach.rtoMet)
        let halt = try ScenarioTests.report("regulatory-halt")
        #expect(halt.timeline.map(\.level) == ["full", "emergency_halt", "safe_mode", "essential", "full"])
        #expect(halt.orders.first { $0.id == "RH-1" && $0.at > 2_000_000_000 }?.gated == false)  // the cancel passes
    }

    @Test func scenarioErrorsNameTheLineAndTheField() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.jsonl")
        try #"{"at":"0s","event":"cluster_down","cluster":"us_east_1"}"#.appending("\n")
            .appending(#"{"at":"ten seconds","event":"cluster_up","cluster":"us_east_1"}"#)
            .write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: UsageError.self) { try SimulateRun.run(engine: ScenarioTests.engine(), path: bad.path) }
        do {
            _ = try SimulateRun.run(engine: ScenarioTests.engine(), path: bad.path)
        } catch {
            #expect(
                "\(error)".hasSuffix(
                    "bad.jsonl:2: field `at` is not a duration: `ten seconds`; give a duration such as `90s` or `1m30s`, "
                        + "or a number of seconds such as `90` or `0.5`"))
        }
        try #"{"at":"0s","event":"cluster_down","cluster":"nowhere"}"#.write(to: bad, atomically: true, encoding: .utf8)
        do {
            _ = try SimulateRun.run(engine: ScenarioTests.engine(), path: bad.path)
            Issue.record("an unknown cluster was accepted")
        } catch {
            #expect("\(error)".hasSuffix("bad.jsonl:1: unknown cluster `nowhere`"))
        }
    }

    /// Scenario lines that are wrong (most in their time): each refused,
    /// naming the line, the field and what to give instead; none traps.
    @Test(arguments: [
        (#"{"at":true,"event":"cluster_down","cluster":"us_east_1"}"#, "field `at` must be a duration such as"),
        (#"{"at":"1h1h","event":"cluster_down","cluster":"us_east_1"}"#, "field `at` is not a duration: `1h1h`"),
        (#"{"at":"500ms1s","event":"cluster_down","cluster":"us_east_1"}"#, "field `at` is not a duration: `500ms1s`"),
        (#"{"at":"2562047h","event":"cluster_down","cluster":"us_east_1"}"#, "past the longest scenario (a year)"),
        (#"{"at":"9000000000s","event":"cluster_down","cluster":"us_east_1"}"#, "past the longest scenario (a year)"),
        (#"{"at":"99999999999999999999999999999h","event":"end"}"#, "field `at` is not a duration"),
        (#"{"at":9223372037,"event":"cluster_down","cluster":"us_east_1"}"#, "past the longest scenario (a year)"),
        (#"{"at":1e300,"event":"cluster_down","cluster":"us_east_1"}"#, "field `at` is 1e300 seconds, past the longest scenario"),
        (#"{"at":1e99999999999999999999,"event":"end"}"#, "field `at` is 1e99999999999999999999 seconds, past the longest"),
        (#"{"at":-1E2,"event":"end"}"#, "field `at` is -1E2 seconds, before the scenario's start"),
        (
            #"{"at":0.000000001,"event":"end"}"#,
            "field `at` is 0.000000001 seconds: give a number of seconds with at most 8 decimals, such as `90` or `0.5`"
        ),
        (#"{"at":1e-9,"event":"end"}"#, "field `at` is 1e-9 seconds: give a number of seconds with at most 8 decimals"),
        (#"{"at":1.5e-20,"event":"end"}"#, "field `at` is 1.5e-20 seconds: give a number of seconds with at most 8 decimals"),
        (
            #"{"at":"1.5ns","event":"cluster_down","cluster":"us_east_1"}"#,
            "field `at` is `1.5ns`, not a whole number of nanoseconds (the finest time): give `1ns` or `2ns`"
        ),
        (#"{"at":"1.0000005us","event":"end"}"#, "give `1000ns` or `1001ns`"),
        (#"{"at":"1s","event":"end","\u0061t":"2s"}"#, "`at` is given twice; give each member once"),
        (
            #"{"at":"1s","event":"cluster_down","cluster":"us_east_1","cluster":"eu_west_1"}"#,
            "`cluster` is given twice; give each member once"
        ),
        (
            "\u{FEFF}" + #"{"at":"1s","event":"end"}"#,
            "the line starts with a UTF-8 byte-order mark (a file appended to another?): remove it"
        ),
        (#"{"at":-5,"event":"cluster_down","cluster":"us_east_1"}"#, "field `at` is -5 seconds, before the scenario's start; times count from 0s"),
        (
            #"{"at":"1s","ts":"2026-11-27T14:00:00Z","event":"cluster_down","cluster":"us_east_1"}"#,
            "a scenario line has no field `ts`"
        ),
        (#"{"at":"0s","event":"#, "the line is not valid JSON (cut short, or a stray character?)"),
        ("[1,2]", "the line is JSON but not an object"),
    ])
    func badLinesAreRefused(_ line: String, _ message: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.jsonl")
        try (#"{"at":"0s","event":"end"}"# + "\n" + line + "\n").write(to: bad, atomically: true, encoding: .utf8)
        do {
            _ = try SimulateRun.run(engine: ScenarioTests.engine(), path: bad.path)
            Issue.record("accepted: \(line)")
        } catch {
            #expect("\(error)".contains("bad.jsonl:2: ") && "\(error)".contains(message), "\(error)")
        }
    }

    /// A member given twice is refused, naming the file, the line and the
    /// member: JSON parsers disagree on which value counts, and Foundation's
    /// kept the last, so `"event":"cluster_down",…,"event":"end"` ran no
    /// outage and `"at":"10s","at":"5s"` ran at 5 s, without a word.
    @Test(arguments: [("dupevent.jsonl", "event"), ("dupat.jsonl", "at")])
    func aMemberGivenTwiceStopsTheSimulation(_ file: String, _ member: String) throws {
        let message = try ScenarioTests.refusal(ScenarioTests.fixture(file))
        #expect(
            message?.hasSuffix("Fixtures/\(file):3: `\(member)` is given twice; give each member once") == true,
            "\(message ?? "it ran")")
    }

    /// A number of seconds is read from its own text: a small one or one
    /// with an exponent is as good as any (Foundation printed 1e-08 and the
    /// line was refused), and the time is exact to the nanosecond.
    @Test(arguments: [
        ("0.00000001", 10), ("1e-8", 10), ("0.00001", 10_000), ("1E2", 100_000_000_000), ("1.5e+1", 15_000_000_000),
        ("5.0", 5_000_000_000), ("0.500000000000", 500_000_000), ("-0.0", 0), ("0e5", 0),
        ("31622399.99999999", 31_622_399_999_999_990), ("12345678.12345678", 12_345_678_123_456_780),
    ] as [(String, Int64)])
    func numbersOfSecondsAreReadExactly(_ number: String, _ nanos: Int64) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try ScenarioTests.write([#"{"at":\#(number),"event":"security_incident"}"#], in: dir, as: "at.jsonl")
        let r = try SimulateRun.run(engine: ScenarioTests.engine(), path: path)
        #expect(r.timeline.last.map { $0.at == nanos && $0.level == "safe_mode" } == true, "\(r.timeline)")
    }

    /// Times below 10 ns are told apart: in the message of lines out of
    /// order (both were `0s`), in the text (not cut to 9 characters) and in
    /// the JSON.
    @Test func timesBelowTenNanosecondsAreToldApart() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let incident = #"{"at":"5ns","event":"security_incident"}"#
        let path = try ScenarioTests.write([incident, #"{"at":"3ns","event":"end"}"#], in: dir, as: "order.jsonl")
        let message = try ScenarioTests.refusal(path)
        #expect(
            message?.hasSuffix(
                "order.jsonl:2: field `at` is 0.000000003s, before the line above it (0.000000005s): put the lines in time order")
                == true, "\(message ?? "it ran")")
        let r = try SimulateRun.run(
            engine: ScenarioTests.engine(), path: ScenarioTests.write([incident], in: dir, as: "small.jsonl"))
        #expect(r.text.contains("\n  0.000000005s safe_mode\n"), "\(r.text)")
        #expect(r.json.contains(#"{"at":0.000000005,"level":"safe_mode"}"#), "\(r.json)")
    }

    /// A synchronous tier that lags is not synchronous any more: its RPO is
    /// the largest lag reported for it (it was 0 whatever the lag, and the
    /// target was met with the critical tier an hour behind).
    @Test func aLaggingSynchronousTierHasTheLargestLagAsItsRPO() throws {
        let r = try SimulateRun.run(engine: ScenarioTests.engine(), path: ScenarioTests.fixture("critical_lag.jsonl"))
        #expect(r.rpo.first.map { $0.tier == "critical" && $0.synchronous && $0.nanos == 3_600_000_000_000 } == true)
        #expect(!r.rpoMet)
        #expect(
            r.text.contains(
                "RPO critical 3600s (synchronous, but lagged), high 0.05s, standard 0.1s, batch 1s (target 5s: missed)"),
            "\(r.text)")
        #expect(r.json.contains(#""rpo":{"critical":3600,"high":0.05,"#) && r.json.contains(#""rpo_met":false"#))
        // The largest of the lags reported, even after a smaller one and the clear; within 5 s it is met.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try ScenarioTests.write(
            [
                #"{"at":"1s","event":"replication_lag","tier":"critical","seconds":"2"}"#,
                #"{"at":"2s","event":"replication_lag","tier":"critical","seconds":0.5}"#,
                #"{"at":"3s","event":"clear","what":"replication_lag","tier":"critical"}"#,
            ], in: dir, as: "small_lag.jsonl")
        let small = try SimulateRun.run(engine: ScenarioTests.engine(), path: path)
        #expect(small.rpo.first?.nanos == 2_000_000_000 && small.rpoMet, "\(small.text)")
        #expect(small.text.contains("RPO critical 2s (synchronous, but lagged), high 0.05s"), "\(small.text)")
    }

    /// A file saved with a UTF-8 byte-order mark is refused with the fix:
    /// the engine takes a line starting with one for invalid JSON (so would
    /// `writ replay` the scenario's orders), and simulate sent the engine a
    /// line cut wrong (`dropFirst` dropped the mark, not the brace). Without
    /// the mark the same file runs.
    @Test func aByteOrderMarkIsRefusedWithTheFix() throws {
        let path = ScenarioTests.fixture("bom.jsonl")
        let message = try ScenarioTests.refusal(path)
        #expect(
            message?.hasSuffix("Fixtures/bom.jsonl:1: the file starts with a UTF-8 byte-order mark: save it without one") == true,
            "\(message ?? "it ran")")
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let plain = dir.appendingPathComponent("plain.jsonl")
        try bytes.dropFirst(3).write(to: plain)
        let r = try SimulateRun.run(engine: ScenarioTests.engine(), path: plain.path)
        #expect(r.timeline.map(\.level) == ["full", "essential"] && r.events == 3, "\(r.text)")
    }

    /// An order id with control characters (a bell, an escape) is refused by
    /// the engine, so the simulation stops at its line: it never reaches the
    /// terminal.
    @Test func controlCharactersInIdsStopTheSimulation() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try ScenarioTests.variant(of: "security-breach", in: dir, as: "ids.jsonl") {
            $0.replacingOccurrences(of: #""SB-2""#, with: #""SB-\u0007\u001b[2J""#)
        }
        do {
            _ = try SimulateRun.run(engine: ScenarioTests.engine(), path: path)
            Issue.record("a line with a bell in its id was simulated")
        } catch {
            #expect("\(error)".hasSuffix("ids.jsonl:5: field `id` has a control character (U+0000 to U+001F)"), "\(error)")
        }
    }

    /// A scenario saved with CRLF line ends runs as the same file with LF.
    @Test func crlfLineEndsAreLineEnds() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let crlf = try ScenarioTests.variant(of: "security-breach", in: dir, as: "security-breach.jsonl") {
            $0.replacingOccurrences(of: "\n", with: "\r\n")
        }
        #expect(try SimulateRun.run(engine: ScenarioTests.engine(), path: crlf).json
            == ScenarioTests.report("security-breach").json)
    }

    /// A lag too long to say in nanoseconds is the longest lag: the critical
    /// tier's trigger fires (it wrapped to a small number before, and the
    /// level stayed `full`). A lag of 0 given as a number is no failure.
    @Test func hugeLagsTripTheTriggerAndZeroIsNoFailure() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lag.jsonl")
        for seconds in [#""10000000000""#, #""99999999999999999999999""#] {
            try #"{"at":"1s","event":"replication_lag","tier":"critical","seconds":\#(seconds)}"#
                .write(to: path, atomically: true, encoding: .utf8)
            let r = try SimulateRun.run(engine: ScenarioTests.engine(), path: path.path)
            #expect(r.timeline.map(\.level) == ["full", "essential"], "seconds \(seconds)")
        }
        try #"{"at":"1s","event":"replication_lag","tier":"critical","seconds":0}"#
            .write(to: path, atomically: true, encoding: .utf8)
        let r = try SimulateRun.run(engine: ScenarioTests.engine(), path: path.path)
        #expect(r.failureAt == nil && r.rto == 0, "\(r.text)")
    }

    @Test func theCommandPrintsJSONAndAddsTheDetectionDelay() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = dir.appendingPathComponent("rules.bundle").path
        let (built, _, berr) = try WritBinary.run(["build", "rules", "--unsigned", "--output", bundle])
        try #require(built == 0, "\(berr)")
        let args = ["simulate", "rules/scenarios/hardware-failure.jsonl", "--bundle", bundle, "--allow-unsigned", "--empty-lists"]
        let (status, out, err) = try WritBinary.run(args + ["--format", "json", "--detection", "5s"])
        #expect(status == 0, "\(err)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(o["rto_s"] as? Int == 5)
        #expect((o["timeline"] as? [[String: Any]])?.first?["level"] as? String == "full")
        let (text, tout, _) = try WritBinary.run(args)
        #expect(text == 0 && tout.contains("RTO 0s (target 30s: met)"))
        let (bad, _, berr2) = try WritBinary.run(args + ["--detection", "soon"])
        #expect(bad == 2 && berr2.contains("`--detection soon` is not a duration"))
    }

    /// The command stops with exit status 2 and one line naming the file,
    /// the line and the fix on a member given twice and on a byte-order
    /// mark, and prints a lagging synchronous tier's RPO.
    @Test func theCommandRefusesRepeatedMembersAndByteOrderMarks() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = dir.appendingPathComponent("rules.bundle").path
        let (built, _, berr) = try WritBinary.run(["build", "rules", "--unsigned", "--output", bundle])
        try #require(built == 0, "\(berr)")
        let fixtures = "Tests/WritDriverTests/Fixtures/"
        func simulate(_ file: String) throws -> (Int32, String, String) {
            try WritBinary.run(["simulate", fixtures + file, "--bundle", bundle, "--allow-unsigned", "--empty-lists"])
        }
        for (file, message) in [
            ("dupevent.jsonl", "dupevent.jsonl:3: `event` is given twice; give each member once"),
            ("dupat.jsonl", "dupat.jsonl:3: `at` is given twice; give each member once"),
            ("bom.jsonl", "bom.jsonl:1: the file starts with a UTF-8 byte-order mark: save it without one"),
        ] {
            let (status, out, err) = try simulate(file)
            #expect(status == 2 && out.isEmpty && err == "error: \(fixtures)\(message)\n", "\(file): \(status) \(err)")
        }
        let (status, out, err) = try simulate("critical_lag.jsonl")
        #expect(status == 0 && out.contains("RPO critical 3600s (synchronous, but lagged)") && out.contains("(target 5s: missed)"), "\(err)")
    }
}
