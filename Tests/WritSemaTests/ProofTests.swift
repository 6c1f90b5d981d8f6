/// Tests of the platform proofs: shortest paths, the three-valued evaluation
/// of route filters and DR triggers, each proof on small programs at and
/// around its boundary, the real rulebooks (clean, and each proof failing
/// on a one-line mutation of them), and the replication plan.
import Foundation
import Testing
import WritDriver
import WritSyntax
import WritValue

@testable import WritSema

/// Checks sources and keeps the codes and messages of the proofs' diagnostics.
private func proofs(_ sources: String...) -> [(code: String, message: String)] {
    let c = SemaHarness.check(sources)
    #expect(c.parse.isEmpty, "\(c.parse.map(\.message))")
    let nonProof = c.result.diagnostics.filter { !$0.code.id.dropFirst().hasPrefix("08") }
    #expect(nonProof.isEmpty, "\(nonProof.map { "\($0.code.id) \($0.message)" })")
    return c.result.diagnostics.filter { $0.code.id.dropFirst().hasPrefix("08") }.map { ($0.code.id, $0.message) }
}

private func codes(_ sources: String...) -> [String] {
    let c = SemaHarness.check(sources)
    #expect(c.parse.isEmpty, "\(c.parse.map(\.message))")
    return c.result.diagnostics.map(\.code.id)
}

/// Three regions of two clusters each, and the regimes `A`, `B`, `C` decided by venue.
private let world = """
    schema order { venue: symbol, load: int }
    data regimes: map<symbol, symbol> = {"XA": "A", "XB": "B", "XC": "C"}
    jurisdiction A { applies when regimes[order.venue] == "A" }
    jurisdiction B { applies when regimes[order.venue] == "B" }
    jurisdiction C { applies when regimes[order.venue] == "C" }
    jurisdiction ALL { applies when true }
    region ra { continent = americas }
    region rb { continent = emea }
    region rc { continent = apac }
    cluster a1 { region = ra, provider = aws, role = primary, jurisdiction = A, hubs = [A] }
    cluster a2 { region = ra, provider = gcp, role = Role.dr, jurisdiction = A, hubs = [A] }
    cluster b1 { region = rb, provider = aws, role = primary, jurisdiction = B, hubs = [B] }
    cluster b2 { region = rb, provider = azure, role = regional, jurisdiction = B, hubs = [B, C] }
    cluster c1 { region = rc, provider = aws, role = primary, jurisdiction = C, hubs = [C] }
    cluster e1 { region = ra, provider = aws, role = edge }
    link a1 <-> a2 800us
    link b1 <-> b2 700us
    link a1 <-> e1 2ms
    link a1 <-> b1 62ms
    link b1 <-> c1 68ms
    link c1 <-> a1 71ms

    """

@Suite struct LatencyGraphTests {
    let graph = LatencyGraph(
        clusters: ["a", "b", "c", "d", "x"],
        links: [("a", "b", 1_000_000), ("b", "c", 2_000_000), ("a", "c", 5_000_000), ("c", "d", 500_000)])

    @Test func shortestPathsGoThroughIntermediates() {
        #expect(graph.latency("a", "c") == 3_000_000)
        #expect(graph.path("a", "c") == ["a", "b", "c"])
        #expect(graph.path("d", "a") == ["d", "c", "b", "a"])
        #expect(graph.latency("a", "d") == 3_500_000)
        #expect(graph.roundTrip("a", "d") == 7_000_000)
        #expect(graph.latency("b", "b") == 0)
    }

    @Test func disconnectedClustersHaveNoLatency() {
        #expect(graph.latency("a", "x") == nil)
        #expect(graph.path("a", "x").isEmpty)
        #expect(graph.disconnected(["a", "b", "x"]).map { [$0.0, $0.1] } == ["a", "x"])
        #expect(graph.worstRoundTrip(["a", "x"]) == nil)
        #expect(graph.latency("a", "nowhere") == nil)
    }

    @Test func worstRoundTripNamesThePair() throws {
        let w = try #require(graph.worstRoundTrip(["a", "b", "d"]))
        #expect([w.from, w.to] == ["a", "d"])
        #expect(w.roundTrip == 7_000_000)
        #expect(graph.worstRoundTrip(["a"]) == nil)
    }

    @Test func latenciesInWords() {
        #expect(LatencyGraph.describe(62_000_000) == "62ms")
        #expect(LatencyGraph.describe(600_000) == "0.6ms")
        #expect(LatencyGraph.describe(125_200_000) == "125.2ms")
        #expect(LatencyGraph.describe(1_000_000_000) == "1s")
        #expect(LatencyGraph.describe(1_500_000_000) == "1500ms")
        #expect(LatencyGraph.describe(750) == "750ns")
        #expect(LatencyGraph.describe(1_234_567) == "1.234ms")
    }
}

@Suite struct JurisdictionSymbolTests {
    @Test func aJurisdictionComparesWithASymbolByName() {
        let same = SemaHarness.type("J == \"J\"")
        #expect(same.codes.isEmpty)
        #expect(same.value == .bool(true))
        #expect(SemaHarness.type("\"K\" == J").value == .bool(false))
        #expect(SemaHarness.type("\"J\" in [J]").value == .bool(true))
        #expect(SemaHarness.type("order.venue == J").codes.isEmpty)
        #expect(SemaHarness.type("order.venue in [J]").codes.isEmpty)
        #expect(SemaHarness.type("J == 1").codes == ["E0405"])
    }

    @Test func anOrderSymbolIsLookedForInTheCandidatesHubs() {
        #expect(
            codes(
                world + """
                    route r {
                      filter regimes[order.venue] in cluster.hubs
                      filter regimes[order.venue] in cluster.jurisdiction || cluster.hubs.exists(h, h == "C")
                    }
                    """
            ).isEmpty)
    }
}

@Suite struct RouteProofTests {
    let route = """
        route r "Routing" {
          filter cluster.health != down
          filter cluster.role in [Role.primary, Role.regional, Role.dr]
          filter regimes[order.venue] in cluster.hubs
          rank cluster.latency asc
        }
        """

    @Test func everyRegimeSurvivesOneFailureWithTwoHubs() {
        // C has c1 and b2; A has a1 and a2; B has b1 and b2.
        #expect(proofs(world + route).isEmpty)
    }

    @Test func aRegimeWithOneHubIsStrandedByItsFailure() {
        let w = world.replacingOccurrences(of: "hubs = [B, C]", with: "hubs = [B]")
        let p = proofs(w + route)
        #expect(p.map(\.code) == ["E0801"])
        #expect(p.first?.message == "orders of `C` have no legal route when `c1` is down")
    }

    @Test func aRegimeWithNoHubHasNoRouteEvenWithAllUp() {
        let w = world.replacingOccurrences(of: "hubs = [C]", with: "hubs = []")
            .replacingOccurrences(of: "hubs = [B, C]", with: "hubs = [B]")
        #expect(proofs(w + route).map(\.message) == ["orders of `C` have no legal route, even with every cluster up"])
    }

    @Test func aFallbackHubKeepsTheRegime() {
        let w = world.replacingOccurrences(of: "hubs = [B, C]", with: "hubs = [B]")
            .replacingOccurrences(
                of: "cluster e1 { region = ra, provider = aws, role = edge }",
                with: "cluster e1 { region = ra, provider = aws, role = edge, hubs = [C] }")
        // e1 is an edge, so the filters drop it; as a fallback it is legal.
        #expect(proofs(w + route).map(\.code) == ["E0801"])
        #expect(proofs(w + route.replacingOccurrences(of: "rank cluster.latency asc", with: "fallback [e1]")).isEmpty)
        // A fallback that is not a hub of the regime is no route for it.
        #expect(
            proofs(
                world.replacingOccurrences(of: "hubs = [B, C]", with: "hubs = [B]")
                    + route.replacingOccurrences(of: "rank cluster.latency asc", with: "fallback [a2]")
            ).map(\.code) == ["E0801"])
    }

    @Test func aFilterOnRoleCanStrandARegime() {
        let primaryOnly = route.replacingOccurrences(
            of: "cluster.role in [Role.primary, Role.regional, Role.dr]", with: "cluster.role == Role.primary")
        // A keeps only a1 (a2 is DR), B only b1, C only c1.
        let p = proofs(world + primaryOnly)
        #expect(
            p.map(\.message) == [
                "orders of `A` have no legal route when `a1` is down",
                "orders of `B` have no legal route when `b1` is down",
                "orders of `C` have no legal route when `c1` is down",
            ])
    }

    @Test func aDownClusterNeverCountsEvenWithoutAHealthFilter() {
        let noHealth = route.replacingOccurrences(of: "filter cluster.health != down\n", with: "")
        let w = world.replacingOccurrences(of: "hubs = [B, C]", with: "hubs = [B]")
        #expect(proofs(w + noHealth).map(\.code) == ["E0801"])
    }

    @Test func liveValuesAndOtherOrderFieldsCountAsPassed() {
        let live = route.replacingOccurrences(
            of: "rank cluster.latency asc",
            with: "filter cluster.load < 80%\nfilter order.load < 3 || cluster.latency < 1ms")
        #expect(proofs(world + live).isEmpty)
    }

    @Test func constantFiltersThatExcludeEveryClusterStrandEveryRegime() {
        let none = route.replacingOccurrences(of: "rank cluster.latency asc", with: "filter cluster.provider == gcp")
        // Only a2 runs on gcp: A survives with all up but not a2's failure; B and C have no route at all.
        #expect(
            proofs(world + none).map(\.message) == [
                "orders of `A` have no legal route when `a2` is down",
                "orders of `B` have no legal route, even with every cluster up",
                "orders of `C` have no legal route, even with every cluster up",
            ])
    }

    @Test func aRouteThatDoesNotApplyToARegimeIsNotProvedForIt() {
        let americas = route.replacingOccurrences(
            of: "rank cluster.latency asc", with: "filter cluster.region.continent == americas")
        #expect(
            proofs(world + americas).map(\.message) == [
                "orders of `B` have no legal route, even with every cluster up",
                "orders of `C` have no legal route, even with every cluster up",
            ])
        // `applies` reads the order's regime as the hub filter does: B and C are not this route's.
        let onlyA = americas.replacingOccurrences(
            of: "route r \"Routing\" {", with: "route r \"Routing\" {\n  applies = regimes[order.venue] == A")
        #expect(proofs(world + onlyA).isEmpty)
    }

    @Test func regimesAreTheJurisdictionsThatDoNotApplyToEveryOrder() throws {
        let c = SemaHarness.check([world])
        let a = Analyzer(units: c.units, files: c.files, options: SemaHarness.options())
        a.run()
        #expect(a.provableRegimes == ["A", "B", "C"])
    }

    @Test func withoutRoutesNothingIsProved() {
        let w = world.replacingOccurrences(of: "hubs = [C]", with: "hubs = []")
        #expect(proofs(w).isEmpty)
    }
}

@Suite struct ReplicationProofTests {
    func tier(_ body: String) -> String { world + "tier t { \(body) }\n" }

    @Test func aSynchronousBudgetMustCoverTheRoundTrip() {
        // a1 <-> a2 is 0.8ms one way: 1.6ms round trip.
        #expect(proofs(tier("budget = 1600us, strategy = synchronous, replicas = [a1, a2]")).isEmpty)
        let p = proofs(tier("budget = 1599us, strategy = synchronous, replicas = [a1, a2]"))
        #expect(
            p.map(\.message) == [
                "tier `t` is synchronous within 1.599ms, but the round trip between `a1` and `a2` takes 1.6ms"
            ])
    }

    @Test func theSynchronousProofUsesShortestPathsAndNamesTheWorstPair() {
        // a2 -> b2 goes a2 -> a1 -> b1 -> b2: 0.8 + 62 + 0.7 = 63.5ms one way.
        let p = proofs(tier("budget = 10ms, strategy = synchronous, replicas = [a1, a2, b2]"))
        #expect(
            p.map(\.message) == [
                "tier `t` is synchronous within 10ms, but the round trip between `a2` and `b2` takes 127ms"
            ])
    }

    @Test func aQuorumNeedsOneWriterThatMeetsTheBudget() {
        // Written at a1 (or a2), a quorum of 2 waits 1.6ms; of 3 it waits for b1 (124ms).
        #expect(proofs(tier("budget = 10ms, strategy = quorum, replicas = [a1, a2, b1], quorum = 2")).isEmpty)
        #expect(
            proofs(tier("budget = 10ms, strategy = quorum, replicas = [a1, a2, b1], quorum = 3")).map(\.message) == [
                "a quorum of 3 in tier `t` takes at least 124ms, over its 10ms budget, wherever it is written"
            ])
        #expect(proofs(tier("budget = 124ms, strategy = quorum, replicas = [a1, a2, b1], quorum = 3")).isEmpty)
        #expect(codes(tier("budget = 1s, strategy = quorum, replicas = [a1, a2], quorum = 3")) == ["E0516"])
    }

    @Test func asynchronousTiersWarnWhenTheLagCanNeverMeetTheBudget() {
        #expect(
            proofs(tier("budget = 50ms, strategy = leader_follower, replicas = [a1, a2, c1]")).map(\.message) == [
                "tier `t` replicates from its leader `a1` to `c1` in 71ms at best, over its 50ms budget"
            ])
        // Led from c1, the followers are 71.8ms and 71ms away.
        #expect(proofs(tier("budget = 71800us, strategy = leader_follower, replicas = [c1, a1, a2]")).isEmpty)
        #expect(
            proofs(tier("budget = 70ms, strategy = asynchronous, replicas = [a1, b1, c1]")).map(\.code) == ["W0801"])
        #expect(
            proofs(tier("budget = 1s, strategy = multi_master, replicas = [a1, b1, c1], conflict = last_writer_wins"))
                .isEmpty)
    }

    @Test func replicasMustBeConnected() {
        let w = world + "cluster z { region = rc, provider = gcp, role = analytics }\n"
        let p = proofs(w + "tier t { budget = 1s, strategy = asynchronous, replicas = [a1, z] }\n")
        #expect(p.map(\.message) == ["no chain of links joins `a1` and `z`, replicas of tier `t`"])
    }

    @Test func aTopologyWithoutLinksIsNotProved() {
        let src = """
            region r { continent = emea }
            cluster x { region = r, provider = aws, role = primary }
            cluster y { region = r, provider = gcp, role = regional }
            tier t { budget = 1ms, strategy = synchronous, replicas = [x, y] }
            """
        #expect(proofs(src).isEmpty)
    }

    @Test func residencyNamesEveryReplicaOutside() {
        let src =
            world.replacingOccurrences(
                of: "jurisdiction = B, hubs = [B, C]", with: "jurisdiction = [B, C], hubs = [B, C]")
                + """
                tier t { budget = 1s, strategy = asynchronous, replicas = [b1, b2, e1] }
                class personal { tier = t, residency = [B] }
                class shared { tier = t, residency = [B, C, A] }
                class open { tier = t }
                """
        #expect(
            proofs(src).map(\.message) == [
                "data of class `personal` must stay in `B`, but tier `t` keeps a replica on `b2`, in `C`",
                "data of class `personal` must stay in `B`, but tier `t` keeps a replica on `e1`, which serves no jurisdiction",
                "data of class `shared` must stay in `B`, `C` or `A`, but tier `t` keeps a replica on `e1`, which serves no jurisdiction",
            ])
    }
}

@Suite struct DRProofTests {
    func dr(_ levels: String) -> String {
        world + "tier critical { budget = 10ms, strategy = synchronous, replicas = [a1, a2] }\n"
            + "dr continuity { recover_after = 60s\n\(levels)\n}\n"
    }

    let full = "level full { allows = [trading, compliance, analytics] }\n"

    @Test func tradingIncludesReduceOnlyAndCancels() {
        #expect(
            proofs(
                dr(
                    full
                        + "level safe { allows = [reduce_only, cancels, compliance], trigger = security_incident() }\n"
                        + "level halt { allows = [cancels], trigger = regulatory_halt() }")
            )
            .isEmpty)
        #expect(
            proofs(
                dr(
                    full + "level safe { allows = [reduce_only, compliance], trigger = security_incident() }\n"
                        + "level halt { allows = [cancels], trigger = regulatory_halt() }")
            ).map(\.message) == ["level `halt` allows `cancels`, which `safe`, the level above it, does not"])
    }

    @Test func eachCapabilityAddedIsNamed() {
        let p = proofs(
            dr(full + "level essential { allows = [compliance, reporting, replication], trigger = down(a1) }"))
        #expect(
            p.map(\.message) == [
                "level `essential` allows `reporting`, which `full`, the level above it, does not",
                "level `essential` allows `replication`, which `full`, the level above it, does not",
            ])
    }

    @Test func aLevelThatRestrictsNothingIsAWarning() {
        let p = proofs(
            dr(full + "level same { allows = [analytics, trading, reduce_only, compliance], trigger = down(a1) }"))
        #expect(p.map(\.code) == ["W0802"])
    }

    @Test func triggerBoundsDecideReachability() {
        func level(_ trigger: String) -> [String] {
            proofs(dr(full + "level l { allows = [cancels], trigger = \(trigger) }")).map(\.code)
        }
        // Three clusters in americas (a1, a2, e1), one primary in apac.
        #expect(level("down_count(americas) >= 3").isEmpty)
        #expect(level("down_count(americas) >= 4") == ["E0806"])
        #expect(level("down_count(americas) > 3") == ["E0806"])
        #expect(level("down_count(apac) + down_count(emea) >= 3").isEmpty)
        #expect(level("down_count(apac) + down_count(emea) >= 4") == ["E0806"])
        #expect(level("down_count(primary) == 4") == ["E0806"])
        #expect(level("lag(critical) < 0s") == ["E0806"])
        #expect(level("lag(critical) > 5s && down_count(edge) >= 2") == ["E0806"])
        #expect(level("lag(critical) >= 0s") == ["E0807"])
        #expect(level("down_count(emea) <= 2") == ["E0807"])
        #expect(level("down_count(emea) < 2 || security_incident()").isEmpty)
        #expect(level("!(lag(critical) >= 0s) || regulatory_halt()").isEmpty)
        #expect(level("false") == ["E0806"])
        #expect(level("true") == ["E0807"])
        #expect(level("down(a1) || true") == ["E0807"])
        #expect(level("down(a1) && !down(a1)").isEmpty)  // not proved: each call is unknown on its own
    }
}

@Suite struct RulebookProofTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every rule and data file under rules/, by path, with `edit` applied to one of them.
    static func rules(editing file: String? = nil, _ edit: (String) -> String = { $0 }) throws -> [(
        path: String, text: String
    )] {
        let dir = root.appendingPathComponent("rules")
        let e = try #require(FileManager.default.enumerator(atPath: dir.path))
        var out: [(String, String)] = []
        while let rel = e.nextObject() as? String {
            guard rel.hasSuffix(".writ") || rel.hasSuffix(".csv") else { continue }
            let text = try String(contentsOf: dir.appendingPathComponent(rel), encoding: .utf8)
            out.append(("rules/" + rel, rel == file ? edit(text) : text))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    static func proofDiagnostics(_ sources: [(path: String, text: String)]) -> [String] {
        let c = Compilation.check(sources: sources)
        return c.diagnostics.filter { $0.code.id.dropFirst().hasPrefix("08") || $0.severity == .error }
            .map { "\($0.code.id) \($0.message)" }
    }

    @Test func theRulebooksProveClean() throws {
        let c = Compilation.check(sources: try Self.rules())
        #expect(!c.hasErrors, "\(c.renderer.renderAll(c.diagnostics))")
        let p = try #require(c.checked?.program)
        #expect(p.clusters.count == 15)
        #expect(Set(p.regions.map(\.continent)) == ["americas", "emea", "apac", "global"])
        #expect(Set(p.clusters.map(\.provider)) == ["aws", "gcp", "azure"])
        #expect(p.tiers.map(\.name) == ["critical", "high", "standard", "batch"])
        #expect(p.dataClasses.count == 9)
        #expect(p.dr?.levels.map(\.name) == ["full", "essential", "safe_mode", "emergency_halt"])
        // Every pair of clusters is connected.
        let g = LatencyGraph(p)
        #expect(g.disconnected(p.clusters.map(\.name)) == nil)
        #expect(g.latency("us_east_1", "eu_west_1") == 62_000_000)
        #expect(g.latency("eu_west_1", "asia_south_1") == 68_000_000)
        #expect(g.latency("us_west_1", "asia_ne_1") == 71_000_000)
    }

    @Test func withoutItsSecondHubARegimeIsStrandedByOneFailure() throws {
        let d = Self.proofDiagnostics(
            try Self.rules(editing: "platform/topology.writ") {
                $0.replacingOccurrences(of: "  hubs = [US, CA]", with: "  hubs = [US]")
            })
        #expect(d == ["E0801 orders of `CA` have no legal route when `ca_east_1` is down"])
    }

    @Test func aSynchronousCriticalTierAcrossTheAtlanticIsRejected() throws {
        let d = Self.proofDiagnostics(
            try Self.rules(editing: "platform/replication.writ") {
                $0.replacingOccurrences(
                    of: "replicas = [us_east_1, us_central_1]\n", with: "replicas = [us_east_1, eu_west_1]\n")
            })
        #expect(
            d.contains(
                "E0802 tier `critical` is synchronous within 10ms, but the round trip between `us_east_1` and `eu_west_1` takes 124ms"
            ))
        #expect(
            d.contains(
                "E0804 data of class `orders` must stay in `US`, but tier `critical` keeps a replica on `eu_west_1`, in `EU`"
            ))
    }

    @Test func essentialCannotAllowAnalytics() throws {
        let d = Self.proofDiagnostics(
            try Self.rules(editing: "platform/dr.writ") {
                $0.replacingOccurrences(
                    of: "allows = [reduce_only, cancels, compliance]",
                    with: "allows = [reduce_only, cancels, compliance, analytics]")
            })
        #expect(d == ["E0805 level `safe_mode` allows `analytics`, which `essential`, the level above it, does not"])
    }

    @Test func thePlanPlacesEveryDataClass() throws {
        let c = Compilation.check(sources: try Self.rules())
        let plan = ReplicationPlan(try #require(c.checked?.program))
        #expect(plan.placements.map(\.dataClass).count == 9)
        let orders = try #require(plan.placements.first { $0.dataClass == "orders" })
        #expect(orders.tier == "critical")
        #expect(orders.strategy == "synchronous")
        #expect(orders.replicas.map(\.cluster) == ["us_east_1", "us_central_1"])
        #expect(orders.replicas.first?.title == "nautilus-enterprise-us-east-1")
        let worst = try #require(orders.worstRoundTrip)
        #expect([worst.from, worst.to] == ["us_east_1", "us_central_1"])
        #expect(worst.nanoseconds == 1_200_000)
        let text = PlanRun.text(plan)
        #expect(text.contains("orders"))
        #expect(text.contains("1.2ms (us_east_1 ↔ us_central_1)"))
        let json = PlanRun.json(plan)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let classes = try #require(object?["classes"] as? [[String: Any]])
        #expect(classes.count == 9)
        #expect(classes.first?["budget_ns"] as? Int == 10_000_000)
    }
}
