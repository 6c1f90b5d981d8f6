/// Name resolution: lookup order, contextual enum cases, did-you-mean
/// suggestions with fixes, and names that are not available in a scope.
import Testing
import WritSyntax
import WritValue

@testable import WritSema

@Suite struct NameResolutionTests {
    @Test func suggestionsAreCloseForTheNamesLength() {
        #expect(suggestion(for: "max_qyt", in: ["max_qty", "min_qty"]) == "max_qty")
        #expect(suggestion(for: "prce", in: ["price", "qty"]) == "price")
        #expect(suggestion(for: "fee", in: ["EU", "qty"]) == nil)
        #expect(suggestion(for: "startswith", in: ["startsWith", "endsWith"]) == "startsWith")
        #expect(suggestion(for: "jurisdicton_limit", in: ["jurisdiction_limit"]) == "jurisdiction_limit")
        #expect(suggestion(for: "x", in: ["y"]) == "y")
        #expect(suggestion(for: "abc", in: []) == nil)
    }

    @Test func unknownNameCarriesAFix() throws {
        let c = SemaHarness.check([
            """
            schema order { qty: decimal }
            jurisdiction J {
              applies when true
              limits { max_qty = 5 }
              rule r alert "m" when order.qty > max_qyt
            }
            """
        ])
        let d = try #require(c.result.diagnostics.first { $0.code == .unknownName })
        #expect(d.message == "unknown name `max_qyt`")
        #expect(d.help == "did you mean `max_qty`?")
        #expect(d.fixIt?.replacement == "max_qty")
        #expect(c.files[0].text(of: d.fixIt!.span) == "max_qyt")
    }

    @Test func bareCasesResolveFromTheOtherOperand() {
        for e in [
            "order.side == short", "short != order.side", "order.side in [buy, short]", "order.ord_type == market",
            "market == order.ord_type",
        ] {
            let r = SemaHarness.type(e)
            #expect(r.codes.isEmpty, "\(e): \(r.messages)")
        }
        // The same bare name in another enum's context is that enum's case.
        let r = SemaHarness.type("order.ord_type == limit")
        guard case .binary(_, _, let bare) = r.expr.kind else {
            Issue.record("the expression does not have the shape this test reads")
            return
        }
        #expect(r.program.resolutions[bare.id] == .enumCase(type: "OrdType", case: "limit"))
    }

    @Test func bareCaseTypoSuggestsTheEnumsCases() {
        let r = SemaHarness.type("order.side == shrt")
        #expect(r.codes == ["E0301"])
        #expect(r.messages == ["unknown name `shrt`"])
    }

    @Test func bareCaseWithoutContextSuggestsQualifying() throws {
        let c = SemaHarness.check([
            "enum Side { buy, sell }\nschema order { flag: bool }\njurisdiction J { applies when true\n rule r alert \"m\" when order.flag == buy }"
        ])
        let d = try #require(c.result.diagnostics.first)
        #expect(d.code == .unknownName)
        #expect(d.fixIt?.replacement == "Side.buy")
    }

    @Test func limitsShadowEnumCasesAndMacroVariablesShadowEverything() {
        let c = SemaHarness.check([
            """
            enum OrdType { limit, market }
            schema order { ord_type: OrdType, qty: decimal }
            const X = 5
            jurisdiction J {
              applies when true
              limits { limit = 5 }
              rule r alert "m" when order.ord_type == limit
              rule s alert "m" when [1, 2].exists(X, X == order.qty) && X > 0
            }
            """
        ])
        #expect(c.result.diagnostics.map(\.code.id) == ["E0405"])
    }

    @Test func contextualCasesInPropertiesTestsAndBuiltins() {
        let c = SemaHarness.check([
            """
            enum Side { buy, sell, short }
            schema order { side: Side, trader: symbol, desk: symbol }
            region r { continent = emea }
            cluster c { region = r, provider = aws, role = primary }
            jurisdiction J {
              applies when true
              rule k reject "killed" cite "RTS 6 Art. 12" when killed(desk, order.desk) || killed(trader, order.trader)
            }
            dr d {
              level full { allows = [trading, compliance] }
              level down { allows = [cancels], trigger = down_count(emea) > 1 || down_count(primary) > 0 || down(c) }
            }
            test "t" { given order { side = short, trader = "T", desk = "D" } expect reject [J.k] }
            """
        ])
        #expect(c.parse.isEmpty, "\(c.parse.map(\.message))")
        #expect(c.result.diagnostics.isEmpty, "\(c.result.diagnostics.map(\.message))")
    }

    @Test func inputsAreAvailableOnlyWhereTheyExist() {
        let base = "schema order { qty: decimal }\nschema fill { qty: decimal }\n"
        let cases: [(String, [String])] = [
            ("const X = order.qty", ["E0305"]),
            (
                "jurisdiction J { applies when true\n limits { l = order.qty }\n rule r alert \"m\" when l > 1 }",
                ["E0305"]
            ),
            ("report R { regulator = X, on = fill, format = csv, field \"Q\" = order.qty }", ["E0305"]),
            ("report R { regulator = X, on = fill, format = csv, field \"Q\" = fill.qty }", []),
            (
                "dr D { level a { allows = [trading] }\n level b { allows = [cancels], trigger = order.qty > 1 } }",
                ["E0305"]
            ),
            ("test \"t\" { given order { qty = fill.qty }\n expect allow }", ["E0305"]),
        ]
        for (src, codes) in cases {
            let c = SemaHarness.check([base + src])
            #expect(c.parse.isEmpty, "\(src): \(c.parse.map(\.message))")
            let errors = c.result.diagnostics.filter { $0.severity == .error }
            #expect(errors.map(\.code.id) == codes, "\(src): \(c.result.diagnostics.map(\.message))")
        }
    }

    @Test func theRouteCandidateIsAClusterRecord() {
        let r = SemaHarness.type(
            "cluster.latency < 5ms && cluster.region.continent == emea && cluster.health != down",
            scope: Scope(place: "a route", inputs: .all, candidate: true))
        #expect(r.codes.isEmpty, "\(r.messages)")
        let bad = SemaHarness.type("cluster.latncy", scope: Scope(place: "a route", inputs: .all, candidate: true))
        #expect(bad.codes == ["E0302"])
        #expect(SemaHarness.type("cluster.latency").codes == ["E0301"])
    }
}
