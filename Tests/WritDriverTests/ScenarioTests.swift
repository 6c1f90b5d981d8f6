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
        let bad = dir.appendingPathComponent("bad.jsonl")
        try #"{"at":"0s","event":"cluster_down","cluster":"us_east_1"}"#.appending("\n")
            .appending(#"{"at":"ten seconds","event":"cluster_up","cluster":"us_east_1"}"#)
            .write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: UsageError.self) { try SimulateRun.run(engine: ScenarioTests.engine(), path: bad.path) }
        do {
            _ = try SimulateRun.run(engine: ScenarioTests.engine(), path: bad.path)
        } catch {
            #expect("\(error)".hasSuffix("bad.jsonl:2: field `at` is not a duration such as `90s` or `1m30s`: `ten seconds`"))
        }
        try #"{"at":"0s","event":"cluster_down","cluster":"nowhere"}"#.write(to: bad, atomically: true, encoding: .utf8)
        do {
            _ = try SimulateRun.run(engine: ScenarioTests.engine(), path: bad.path)
            Issue.record("an unknown cluster was accepted")
        } catch {
            #expect("\(error)".hasSuffix("bad.jsonl:1: unknown cluster `nowhere`"))
        }
    }

    @Test func theCommandPrintsJSONAndAddsTheDetectionDelay() throws {
        let dir = try temporaryDirectory()
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
}
