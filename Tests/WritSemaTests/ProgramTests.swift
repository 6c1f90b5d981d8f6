/// The checked program a whole rulebook yields: declarations with folded
/// values, tables read from CSV, jurisdictions, the platform, reports, tests,
/// state slots and side tables.
import Testing
import WritSyntax
import WritValue

@testable import WritSema

@Suite struct ProgramTests {
    static let inputs = """
        enum Side { buy, sell, short, short_exempt }
        enum OrdType { limit, market }
        schema order {
          id: symbol
          ts: timestamp
          account: symbol
          trader: symbol
          venue: symbol
          side: Side
          ord_type: OrdType
          qty: decimal
          price: money(currency)?
          currency: currency
          algo: symbol?
        }
        schema market { venue: symbol, reference: money(currency)?, currency: currency }
        schema fill { exec_id: symbol, venue: symbol, qty: decimal, price: money(currency), currency: currency, ts: timestamp }
        data venues from "venues.csv" key mic { mic: symbol, tick: decimal, currency: currency, opens: timeofday? }
        data blocked: set<symbol> bound
        data tiers: map<symbol, int> = {"AAPL": 1, "TINY": 2}
        set EU_VENUES: symbol = ["XETR", "XPAR"]
        const MAX_QTY: decimal = 250_000
        const DOUBLE = MAX_QTY * 2
        """

    static let rules = """
        jurisdiction EU "MiFID II" {
          applies when order.venue in EU_VENUES
          budget 120
          limits { max_value = 5_000_000 EUR, collar = 5%, burst = 200 }
          rule max_value reject "value" cite "RTS 6 Art. 15(1)(b)"
            when has(order.price) && order.qty * order.price > max_value
          rule collar reject "collar" cite "RTS 6 Art. 15(1)(a)"
            when order.ord_type == limit && abs(order.price - market.reference) > market.reference * collar
          rule throttle reject "throttle" cite "RTS 6 Art. 15(1)(d)"
            when rate(order.trader, 1s) > burst
          rule throttle_again alert "throttle" when rate(order.trader, 1s) > burst / 2
          rule slow_throttle alert "throttle" when rate(order.trader, 1m) > DOUBLE
          rule blocked reject "blocked" cite "Policy" when order.account in blocked || tiers[order.account] > 1
          rule tick alert "tick" when order.venue in venues && venues[order.venue].tick > 0.01
        }
        """

    static let platform = """
        region eu_west "EU West" { continent = emea }
        region us_east { continent = americas }
        cluster eu_west_1 { region = eu_west, provider = aws, role = primary, jurisdiction = EU, hubs = [EU], capacity = 10 }
        cluster eu_west_2 { region = eu_west, provider = gcp, role = Role.dr, jurisdiction = [EU] }
        cluster us_east_1 { region = us_east, provider = azure, role = regional }
        link eu_west_1 <-> eu_west_2 800us
        link eu_west_1 <-> us_east_1 62ms
        tier critical { budget = 10ms, strategy = synchronous, replicas = [eu_west_1, eu_west_2] }
        tier standard { budget = 100ms, strategy = quorum, replicas = [eu_west_1, eu_west_2, us_east_1], quorum = 2 }
        tier batch { budget = 1s, strategy = multi_master, replicas = [us_east_1, eu_west_2], conflict = last_writer_wins }
        class orders { tier = critical, residency = [EU] }
        route order_routing "Routing" {
          applies = order.qty > 0
          origin = eu_west_1
          filter cluster.health != down
          filter cluster.region.continent == emea || EU in cluster.hubs
          rank cluster.latency
          rank cluster.load desc
          fallback [eu_west_2, us_east_1]
        }
        dr continuity {
          notify = ["ops@firm.example"]
          level full { allows = [trading, compliance] }
          level essential {
            allows = [trading, cancels]
            trigger = down(eu_west_1) || lag(critical) > 5s || down_count(primary) >= 1 || down_count(emea) > 1
            recover_after = 60s
          }
          level halt { allows = [cancels], trigger = regulatory_halt() || security_incident() }
        }
        report rts22 "MiFIR" {
          regulator = ESMA
          on = fill
          select = fill.venue in EU_VENUES
          format = xml
          schema = "internal.001"
          field "TxId" = fill.exec_id
          field "Pric" = fill.price
          field "Ntnl" = fill.qty * fill.price
        }
        report decisions { regulator = "FCA", on = decision, format = json, field "Verdict" = decision.verdict }
        test "collar" {
          given market { venue = "XETR", reference = 100.00 EUR }
          given order { id = "O-1", venue = "XETR", side = short, ord_type = limit, qty = 100, price = 110.00 EUR, currency = "EUR", ts = timestamp("2026-11-27T14:30:00Z") } repeat 2
          expect reject [EU.collar]
          expect allow
        }
        """

    static let csv = "mic,tick,currency,opens\nXETR,0.01,EUR,09:00\nXPAR,0.005,EUR,\n"

    static func checked() -> (result: CheckResult, parse: [Diagnostic]) {
        let c = SemaHarness.check([inputs, rules, platform], files: ["venues.csv": csv])
        return (c.result, c.parse)
    }

    @Test func checksWithoutDiagnostics() {
        let c = Self.checked()
        #expect(c.parse.isEmpty, "\(c.parse.map(\.message))")
        #expect(c.result.diagnostics.isEmpty, "\(c.result.diagnostics.map { "\($0.code) \($0.message)" })")
    }

    @Test func valueDeclarations() throws {
        let p = Self.checked().result.program
        #expect(p.consts.map(\.name) == ["MAX_QTY", "DOUBLE"])
        #expect(p.consts.map(\.value) == [.decimal(Fixed(250_000)), .decimal(Fixed(500_000))])
        #expect(p.consts.map(\.type) == [.decimal, .decimal])
        #expect(p.sets.first?.values == [.symbol("XETR"), .symbol("XPAR")])
        #expect(p.sets.first?.elementType == .symbol)
        let venues = try #require(p.dataDecl("venues"))
        #expect(venues.type == .table("venues"))
        guard case .table(let t) = venues.source else {
            Issue.record("venues is not a table")
            return
        }
        #expect(t.keyColumn.name == "mic")
        #expect(t.rows.count == 2)
        #expect(
            t.rows[0] == [
                .symbol("XETR"), .decimal(Fixed("0.01")!), .symbol("EUR"), .timeOfDay(seconds: 32_400, zone: "UTC"),
            ])
        #expect(t.rows[1][3] == .null)
        #expect(p.dataDecl("blocked")?.source == .bound(binding: "blocked"))
        #expect(p.dataDecl("blocked")?.type == .set(.symbol))
        #expect(
            p.dataDecl("tiers")?.source
                == .literal(
                    .map([
                        Value.Entry(key: .symbol("AAPL"), value: .int(1)),
                        Value.Entry(key: .symbol("TINY"), value: .int(2)),
                    ])))
        #expect(p.enums.map(\.name).prefix(2) == ["Side", "OrdType"])
        #expect(p.enums.contains { $0.name == "Role" && $0.isBuiltin })
        #expect(p.caseIndex("Side", "short") == 2)
        #expect(p.caseIndex("Role", "dr") == 2)
        #expect(p.enumeration("Nope") == nil)
        let order = try #require(p.schema("order"))
        #expect(order.field("price")?.isOptional == true)
        #expect(order.field("price")?.currencyField == "currency")
        #expect(order.field("price")?.type == .money(.dynamic))
        #expect(order.field("side")?.type == .enumeration("Side"))
    }

    @Test func jurisdictionsAndRules() throws {
        let p = Self.checked().result.program
        let eu = try #require(p.jurisdiction("EU"))
        #expect(eu.title == "MiFID II")
        #expect(eu.budget == 120)
        #expect(eu.applies != nil)
        #expect(eu.limits.map(\.name) == ["max_value", "collar", "burst"])
        #expect(eu.limits.map(\.value) == [.money(Fixed(5_000_000), currency: "EUR"), .percent(Fixed(5)), .int(200)])
        #expect(
            eu.rules.map(\.name) == [
                "max_value", "collar", "throttle", "throttle_again", "slow_throttle", "blocked", "tick",
            ])
        let collar = try #require(p.rule(RuleID(jurisdiction: "EU", rule: "collar")))
        #expect(collar.severity == .reject)
        #expect(collar.citation == "RTS 6 Art. 15(1)(a)")
        #expect(collar.id.description == "EU.collar")
        #expect(p.types[collar.condition.id] == .bool)
    }

    @Test func stateSlotsAreSharedByEqualCalls() {
        let p = Self.checked().result.program
        #expect(p.stateSlots.count == 2)
        #expect(p.stateSlots[0].kind == .rate)
        #expect(p.stateSlots[0].window == 1_000_000_000)
        #expect(ExprPrinter.text(p.stateSlots[0].key) == "order.trader")
        #expect(p.stateSlots[0].sites.count == 2)
        #expect(p.stateSlots[1].window == 60_000_000_000)
        #expect(p.slotOfCall.count == 3)
    }

    @Test func platform() throws {
        let p = Self.checked().result.program
        #expect(p.regions.map(\.name) == ["eu_west", "us_east"])
        #expect(p.regions.first?.continent == "emea")
        #expect(p.regions.first?.title == "EU West")
        let c = try #require(p.cluster("eu_west_1"))
        #expect(c.region == "eu_west")
        #expect(c.provider == "aws")
        #expect(c.role == "primary")
        #expect(c.jurisdictions == ["EU"])
        #expect(c.hubs == ["EU"])
        #expect(c.capacity == 10)
        #expect(p.cluster("eu_west_2")?.role == "dr")
        #expect(p.cluster("eu_west_2")?.jurisdictions == ["EU"])
        #expect(p.links.map(\.latency) == [800_000, 62_000_000])
        #expect(p.tiers.map(\.strategy) == ["synchronous", "quorum", "multi_master"])
        #expect(p.tiers[1].quorum == 2)
        #expect(p.tiers[2].conflict == "last_writer_wins")
        #expect(p.tiers[0].replicas == ["eu_west_1", "eu_west_2"])
        #expect(p.tiers[0].budget == 10_000_000)
        #expect(p.dataClasses.first?.residency == ["EU"])
        let r = try #require(p.routes.first)
        #expect(r.filters.count == 2)
        #expect(r.ranks.map(\.direction) == [.asc, .desc])
        #expect(r.ranks.map(\.type) == [.duration, .percent])
        #expect(r.fallback == ["eu_west_2", "us_east_1"])
        #expect(r.applies != nil && r.origin != nil)
        let dr = try #require(p.dr)
        #expect(dr.levels.map(\.name) == ["full", "essential", "halt"])
        #expect(dr.levels[0].trigger == nil)
        #expect(dr.levels[1].allows == ["trading", "cancels"])
        #expect(dr.levels[1].recoverAfter == 60_000_000_000)
        #expect(dr.notify == ["ops@firm.example"])
    }

    @Test func reportsAndTests() throws {
        let p = Self.checked().result.program
        let r = try #require(p.reports.first)
        #expect(r.regulator == "ESMA")
        #expect(r.event == "fill")
        #expect(r.eventRecord == "fill")
        #expect(r.format == "xml")
        #expect(r.schema == "internal.001")
        #expect(r.fields.map(\.name) == ["TxId", "Pric", "Ntnl"])
        #expect(r.fields.map(\.type) == [.symbol, .money(.dynamic), .money(.dynamic)])
        #expect(p.reports[1].eventRecord == "decision")
        #expect(p.reports[1].fields.first?.type == .enumeration("Verdict"))
        let t = try #require(p.tests.first)
        #expect(t.steps.count == 4)
        guard case .given(let g) = t.steps[1], case .expect(let x) = t.steps[2] else {
            Issue.record("unexpected steps")
            return
        }
        #expect(g.kind == "order")
        #expect(g.repeatCount == 2)
        let values = Dictionary(uniqueKeysWithValues: g.values.map { ($0.field, $0.value) })
        #expect(values["venue"] == .symbol("XETR"))
        #expect(values["side"] == .enumCase(type: "Side", case: "short"))
        #expect(values["qty"] == .decimal(Fixed(100)))
        #expect(values["price"] == .money(Fixed(110), currency: "EUR"))
        #expect(values["ts"] == .timestamp(1_795_789_800_000_000_000))
        #expect(x.verdict == .reject)
        #expect(x.rules == [RuleID(jurisdiction: "EU", rule: "collar")])
        if case .expect(let y) = t.steps[3] { #expect(y.rules == nil) }
    }

    @Test func resolutionsNameWhatEachNodeIs() throws {
        let p = Self.checked().result.program
        let eu = try #require(p.jurisdiction("EU"))
        // has(order.price) && order.qty * order.price > max_value
        guard case .binary(.and, let has, let cmp) = eu.rules[0].condition.kind,
            case .binary(.gt, let product, let limit) = cmp.kind,
            case .binary(.mul, let qty, _) = product.kind,
            case .select(let root, _) = qty.kind
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(p.resolutions[has.id] == .builtin("has"))
        #expect(p.resolutions[limit.id] == .limit(jurisdiction: "EU", name: "max_value"))
        #expect(p.constants[limit.id] == .money(Fixed(5_000_000), currency: "EUR"))
        #expect(p.resolutions[qty.id] == .field(schema: "order", field: "qty"))
        #expect(p.resolutions[root.id] == .input(schema: "order"))
        #expect(p.types[product.id] == .money(.dynamic))
        // order.ord_type == limit: `limit` is the OrdType case.
        guard case .binary(.and, let eq, _) = eu.rules[1].condition.kind, case .binary(.eq, _, let bare) = eq.kind
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(p.resolutions[bare.id] == .enumCase(type: "OrdType", case: "limit"))
        #expect(p.constants[bare.id] == .enumCase(type: "OrdType", case: "limit"))
    }

    @Test func namesAreSharedAcrossFiles() {
        let c = SemaHarness.check(["const A = 1", "set A: int = [1]"])
        let d = c.result.diagnostics.first { $0.code == .duplicateDeclaration }
        #expect(d?.span.file == 1)
        #expect(d?.notes.first?.span?.file == 0)
    }
}
