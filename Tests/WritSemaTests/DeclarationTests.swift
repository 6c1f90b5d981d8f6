/// Declaration checks: data tables read from CSV, derived field defaults,
/// tiers and DR levels, tests, and the warnings about rules and unused names.
import Testing
import WritSyntax
import WritValue

@testable import WritSema

@Suite struct DataTableTests {
    func load(_ csv: String, columns: String = "mic: symbol, tick: decimal", key: String = "mic") -> (
        codes: [String], messages: [String], rows: [[Value]]
    ) {
        let src = "data t from \"t.csv\" key \(key) { \(columns) }\nconst N = size([\"x\"]) + (\"XETR\" in t ? 1 : 0)\n"
        let c = SemaHarness.check([src], files: ["t.csv": csv])
        #expect(c.parse.isEmpty, "\(c.parse.map(\.message))")
        let errors = c.result.diagnostics.filter { $0.severity == .error }
        var rows: [[Value]] = []
        if case .table(let t)? = c.result.program.dataDecl("t")?.source { rows = t.rows }
        return (errors.map(\.code.id), errors.map(\.message), rows)
    }

    @Test func readsQuotedCellsLineEndingsAndByteOrderMarks() {
        let r = load(
            "\u{FEFF}mic,tick,name\r\nXETR,0.01,\"Xetra, Frankfurt\"\r\n\"XPAR\",0.005,\"say \"\"hi\"\"\"\r\n",
            columns: "mic: symbol, tick: decimal, name: string")
        #expect(r.codes.isEmpty, "\(r.messages)")
        #expect(
            r.rows == [
                [.symbol("XETR"), .decimal(Fixed("0.01")!), .string("Xetra, Frankfurt")],
                [.symbol("XPAR"), .decimal(Fixed("0.005")!), .string("say \"hi\"")],
            ])
    }

    @Test func columnsAreFoundByNameAndExtraColumnsIgnored() {
        let r = load("extra,tick,mic\n1,0.5,XETR\n")
        #expect(r.codes.isEmpty)
        #expect(r.rows == [[.symbol("XETR"), .decimal(Fixed("0.5")!)]])
    }

    @Test func typedCells() {
        let csv = """
            mic,cur,px,fee,pct,dur,at,open,side,ok,n
            XETR,EUR,10.5,1 EUR,5%,10ms,2026-11-27T14:30:00Z,09:00,buy,true,3
            XPAR,USD,7,2,2.5,1s,2026-11-27T14:30:00+01:00,17:30:00,sell,false,-4
            """
        let r = load(
            csv,
            columns:
                "mic: symbol, cur: currency, px: money(cur), fee: money(EUR), pct: percent, dur: duration, at: timestamp, open: timeofday, side: Side, ok: bool, n: int"
        )
        #expect(r.codes == ["E0303"], "\(r.messages)")  // Side is not declared here
        let withEnum = SemaHarness.check(
            [
                "enum Side { buy, sell }\ndata t from \"t.csv\" key mic { mic: symbol, cur: currency, px: money(cur), fee: money(EUR), pct: percent, dur: duration, at: timestamp, open: timeofday, side: Side, ok: bool, n: int }"
            ], files: ["t.csv": csv])
        #expect(
            withEnum.result.diagnostics.filter { $0.severity == .error }.isEmpty,
            "\(withEnum.result.diagnostics.map(\.message))")
        guard case .table(let t)? = withEnum.result.program.dataDecl("t")?.source else {
            Issue.record("no table")
            return
        }
        #expect(
            t.rows[0] == [
                .symbol("XETR"), .symbol("EUR"), .money(Fixed("10.5")!, currency: "EUR"),
                .money(Fixed(1), currency: "EUR"),
                .percent(Fixed(5)), .duration(10_000_000), .timestamp(1_795_789_800_000_000_000),
                .timeOfDay(seconds: 32_400, zone: "UTC"), .enumCase(type: "Side", case: "buy"), .bool(true), .int(3),
            ])
        #expect(t.rows[1][2] == .money(Fixed(7), currency: "USD"))
        #expect(t.rows[1][6] == .timestamp(1_795_786_200_000_000_000))
    }

    @Test(arguments: [
        ("mic,tick\nXETR,0.01\nXETR,0.02\n", "E0514"),  // duplicate key
        ("mic,tick\nXETR,0.01,9\n", "E0514"),  // too many cells
        ("mic,tick\nXETR,\n", "E0422"),  // empty cell in a required column
        ("mic,tick\nXETR,1e3\n", "E0422"),  // not a decimal
        ("mic,tick\n\"XETR,0.01\n", "E0514"),  // unclosed quote
        ("", "E0514"),  // no header
        ("mic\nXETR\n", "E0514"),  // missing column
    ])
    func badFiles(_ c: (String, String)) {
        #expect(load(c.0).codes == [c.1], "\(c.0.debugDescription)")
    }

    @Test func optionalCellsMayBeEmpty() {
        let r = load("mic,tick\nXETR,\n", columns: "mic: symbol, tick: decimal?")
        #expect(r.codes.isEmpty)
        #expect(r.rows == [[.symbol("XETR"), .null]])
    }

    @Test func keyMustBeADeclaredRequiredColumn() {
        #expect(load("mic,tick\n", key: "code").codes == ["E0302"])
        #expect(load("mic,tick\n", columns: "mic: symbol?, tick: decimal").codes == ["E0421"])
        #expect(load("mic,tick\n", columns: "mic: symbol, tick: list<decimal>").codes == ["E0514"])
    }

    @Test func atMostFiveBadRowsAreReported() {
        let rows = (1...9).map { "V\($0),x" }.joined(separator: "\n")
        #expect(load("mic,tick\n" + rows).codes.count == 5)
    }

    @Test func moneyCellsMustMatchTheirCurrency() {
        #expect(load("mic,px\nXETR,5 USD\n", columns: "mic: symbol, px: money(EUR)").codes == ["E0422"])
        #expect(load("mic,px\nXETR,5\n", columns: "mic: symbol, px: money").codes == ["E0422"])
        #expect(load("mic,px\nXETR,5 EUR\n", columns: "mic: symbol, px: money").codes.isEmpty)
    }
}

@Suite struct FieldDefaultTests {
    /// Checks `schema` with the default expression `defaults[field]` attached to each named field.
    func check(_ schema: String, defaults: [String: String]) -> (CheckResult, [Diagnostic]) {
        var ids = NodeIDAllocator()
        let f = SourceFile(path: "s.writ", text: schema)
        var unit = Parser.parse(f, fileIndex: 0, ids: &ids).unit
        var files = [f]
        for (i, d) in unit.decls.enumerated() {
            guard case .schema(var s) = d else { continue }
            for (k, field) in s.fields.enumerated() {
                guard let text = defaults[field.name.text] else { continue }
                let ef = SourceFile(path: "d\(files.count).writ", text: text)
                let (e, pd) = Parser.parseExpression(ef, fileIndex: files.count, ids: &ids)
                #expect(pd.isEmpty)
                files.append(ef)
                s.fields[k].defaultValue = e
            }
            unit.decls[i] = .schema(s)
        }
        let r = Checker.check(units: [unit], files: files, options: SemaHarness.options())
        return (r, r.diagnostics.filter { $0.severity == .error })
    }

    @Test func defaultsReadSiblingsAndReferenceData() throws {
        let (r, errors) = check(
            "data venues from \"venues.csv\" key mic { mic: symbol, tick: decimal, currency: currency }\nschema market { venue: symbol, currency: currency }",
            defaults: ["currency": "venues[venue].currency"])
        #expect(errors.isEmpty, "\(errors.map(\.message))")
        let field = try #require(r.program.schema("market")?.field("currency"))
        let d = try #require(field.defaultValue)
        #expect(r.program.types[d.id] == .currency)
        guard case .select(let row, _) = d.kind, case .index(_, let venue) = row.kind else {
            Issue.record("the expression does not have the shape this test reads")
            return
        }
        #expect(r.program.resolutions[venue.id] == .field(schema: "market", field: "venue"))
    }

    @Test func defaultsAreTypedAndNotCyclic() {
        #expect(
            check("schema order { qty: decimal, note: string }", defaults: ["qty": "note"]).1.map(\.code.id) == [
                "E0401"
            ])
        #expect(
            check("schema order { a: int, b: int }", defaults: ["a": "b + 1", "b": "a * 2"]).1.map(\.code.id) == [
                "E0307"
            ])
        #expect(
            check("schema order { a: int, b: int, c: int }", defaults: ["a": "b + 1", "b": "a * 2", "c": "c"]).1.map(
                \.code.id) == ["E0307", "E0307"])
        #expect(check("schema order { a: int, b: int }", defaults: ["a": "b + 1"]).1.isEmpty)
        #expect(check("schema order { a: int }", defaults: ["a": "order.a"]).1.map(\.code.id) == ["E0305"])
    }
}

@Suite struct StructureTests {
    func errors(_ src: String) -> [String] {
        let c = SemaHarness.check([src])
        #expect(c.parse.isEmpty, "\(c.parse.map(\.message))")
        return c.result.diagnostics.map(\.code.id)
    }

    let topology = """
        region r { continent = emea }
        cluster a { region = r, provider = aws, role = primary }
        cluster b { region = r, provider = gcp, role = regional }
        cluster c { region = r, provider = azure, role = Role.dr }

        """

    @Test func tiers() {
        #expect(
            errors(topology + "tier t { budget = 10ms, strategy = quorum, replicas = [a, b, c], quorum = 2 }").isEmpty)
        #expect(errors(topology + "tier t { budget = 10ms, strategy = quorum, replicas = [a, b, c] }") == ["E0504"])
        #expect(
            errors(topology + "tier t { budget = 10ms, strategy = quorum, replicas = [a, b], quorum = 0 }") == ["E0516"]
        )
        #expect(errors(topology + "tier t { budget = 10ms, strategy = multi_master, replicas = [a, b] }") == ["E0504"])
        #expect(
            errors(
                topology
                    + "tier t { budget = 10ms, strategy = synchronous, replicas = [a], conflict = Conflict.reject }")
                == ["E0508"])
        #expect(errors(topology + "tier t { budget = 0ms, strategy = synchronous, replicas = [a] }") == ["E0516"])
        #expect(errors(topology + "tier t { budget = 10ms, strategy = synchronous, replicas = [] }") == ["E0516"])
        #expect(errors(topology + "tier t { budget = 10ms, strategy = synchronous, replicas = [a, r] }") == ["E0401"])
        #expect(errors(topology + "tier t { budget = 10ms, strategy = sync, replicas = [a] }") == ["E0301"])
        #expect(errors(topology + "tier t { budget = 10ms, strategy = synchronous, replicas = [a, a] }") == ["W0105"])
    }

    @Test func clustersAndClasses() {
        #expect(errors(topology + "cluster d { region = a, provider = aws, role = edge }") == ["E0401"])
        #expect(errors(topology + "cluster d { region = r, provider = ibm, role = edge }") == ["E0301"])
        #expect(errors(topology + "cluster d { region = r, provider = aws, role = edge, capacity = 0 }") == ["E0516"])
        #expect(errors(topology + "cluster d { region = r, provider = aws }") == ["E0504"])
        #expect(
            errors(
                topology
                    + "tier t { budget = 1s, strategy = asynchronous, replicas = [a] }\nclass k { tier = t, residency = [a] }"
            ) == ["E0401"])
        // No tier, and a residency that allows nowhere.
        #expect(errors(topology + "class k { residency = [] }") == ["E0504", "E0516"])
    }

    @Test func linksAndRoutes() {
        #expect(errors(topology + "link a <-> b 1ms\nlink a <-> c 2ms").isEmpty)
        #expect(errors(topology + "link a <-> z 1ms") == ["E0301"])
        #expect(errors(topology + "link a <-> b 5") == ["E0401"])
        #expect(
            errors(topology + "route x { filter cluster.load < 80%, rank cluster.capacity desc, fallback [a, b] }")
                .isEmpty)
        #expect(errors(topology + "route x { filter cluster.load, fallback [a] }") == ["E0407"])
        #expect(errors(topology + "route x { filter rate(\"k\", 1s) > 1 }") == ["E0306"])
        #expect(errors(topology + "route x { fallback [a, r] }") == ["E0401"])
        #expect(errors(topology + "route x { weight = 1 }") == ["E0503"])
    }

    @Test func drLevels() {
        #expect(
            errors(
                "dr d { level a { allows = [trading] }\n level a { allows = [cancels], trigger = regulatory_halt() } }")
                == ["E0502"])
        #expect(errors("dr d { level a { allows = [trading] }\n level b { allows = [cancels] } }") == ["E0504"])
        #expect(errors("dr d { level a { allows = [flying] } }") == ["E0301"])
        #expect(
            errors("dr d { level a { allows = [trading] }\n level b { allows = [cancels], trigger = 1 } }") == ["E0407"]
        )
        #expect(errors("dr d { level a { allows = [trading], recover_after = 5 } }") == ["E0401"])
        #expect(errors("dr d { sla = 5s\n level a { allows = [trading] } }") == ["E0503"])
    }

    @Test func rulesAndJurisdictions() {
        let s = "schema order { qty: decimal }\n"
        #expect(
            errors(s + "jurisdiction J { applies when order.qty > 0\n rule r reject \"m\" when order.qty > 5 }") == [
                "W0102"
            ])
        #expect(
            errors(s + "jurisdiction J { applies when order.qty > 0\n rule r hold \"m\" when order.qty > 5 }") == [
                "W0102"
            ])
        #expect(
            errors(s + "jurisdiction J { applies when order.qty > 0\n rule r alert \"m\" when order.qty > 5 }").isEmpty)
        #expect(
            errors(s + "jurisdiction J { applies when false\n rule r alert \"m\" when order.qty > 5 }") == ["W0103"])
        #expect(errors(s + "jurisdiction J { applies when 1\n rule r alert \"m\" when order.qty > 5 }") == ["E0407"])
        #expect(
            errors(
                s
                    + "jurisdiction J { applies when true\n limits { a = 1, a = 2 }\n rule r alert \"m\" when order.qty > a }"
            ) == ["E0502"])
        #expect(
            errors(
                s
                    + "jurisdiction J { applies when true\n limits { a = b + 1, b = a }\n rule r alert \"m\" when order.qty > a }"
            ) == ["E0307"])
        #expect(
            errors(
                s + "jurisdiction J { applies when true\n limits { a = 1 }\n rule r alert \"m\" when order.qty > 1 }")
                == ["W0101"])
    }

    /// The fields the engine reads by name must have the type it reads them as (E0523).
    @Test func roleFieldTypes() {
        let rule = "\njurisdiction J { applies when true\n rule r alert \"m\" when true }\n"
        func errors(_ source: String) -> [String] { self.errors(source).filter { $0.hasPrefix("E") } }
        #expect(errors("schema order { qty: decimal }" + rule).isEmpty)
        #expect(errors("schema order { qty: int }" + rule) == ["E0523"])
        #expect(errors("schema fill { qty: int }\nschema order { id: symbol }" + rule) == ["E0523"])
        #expect(errors("schema order { qty: decimal? }" + rule).isEmpty)
        #expect(errors("enum Side { buy, sell }\nschema order { side: Side }" + rule).isEmpty)
        #expect(errors("enum Side { bid, ask }\nschema order { side: Side }" + rule) == ["E0523"])
        #expect(errors("schema order { side: symbol }" + rule) == ["E0523"])
        #expect(errors("schema market { qty: int }\nschema order { id: symbol }" + rule).isEmpty)
        #expect(errors("schema order { qty: decmal }" + rule) == ["E0303"])
    }

    @Test func testsAndExpectations() {
        let s =
            "schema order { qty: decimal, side: Side }\nenum Side { buy, sell }\njurisdiction J { applies when true\n rule r alert \"m\" when order.qty > 5 }\n"
        #expect(errors(s + "test \"t\" { given order { qty = 6, side = sell } expect allow [J.r] }").isEmpty)
        #expect(errors(s + "test \"t\" { given order { qty = 6, qty = 7 } expect allow }") == ["E0502"])
        #expect(errors(s + "test \"t\" { given order { quantity = 6 } expect allow }") == ["E0302"])
        #expect(errors(s + "test \"t\" { given order { side = short } expect allow }") == ["E0301"])
        #expect(errors(s + "test \"t\" { given J { qty = 1 } expect allow }") == ["E0312"])
        #expect(errors(s + "test \"t\" { given order { qty = 6 } expect allow [J.r, order.qty] }") == ["E0312"])
        #expect(errors(s + "test \"t\" { given order { qty = 6 } expect hold [J.q] }") == ["E0309"])
    }

    @Test func warningsAboutUnusedNames() {
        let c = SemaHarness.check([
            """
            enum Unused { a, b }
            enum Used { x, y }
            schema order { u: Used }
            const A = 1
            const B = A + 1
            set S: int = [B]
            data D: set<symbol> bound
            """
        ])
        let unused = c.result.diagnostics.filter { $0.code == .unusedDeclaration }.map(\.message)
        #expect(unused == ["enum `Unused` is never used", "set `S` is never used", "data table `D` is never used"])
    }
}

@Suite struct FieldDefaultSourceTests {
    @Test func defaultsAreParsedAndChecked() throws {
        let c = SemaHarness.check([
            """
            data venues from "venues.csv" key mic { mic: symbol, tick: decimal, currency: currency }
            schema market { venue: symbol, currency: currency = venues[venue].currency, tick: decimal = venues[venue].tick * 2 }
            """
        ])
        #expect(c.parse.isEmpty, "\(c.parse.map(\.message))")
        #expect(c.result.diagnostics.isEmpty, "\(c.result.diagnostics.map(\.message))")
        let tick = try #require(c.result.program.schema("market")?.field("tick")?.defaultValue)
        #expect(c.result.program.type(of: tick) == .decimal)
    }
}
