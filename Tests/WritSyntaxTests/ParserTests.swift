/// Tests of the parser: CEL precedence, every declaration kind through the
/// AST dump, keywords in their contextual roles, spans, and error recovery
/// with exact codes and positions.

import Testing

@testable import WritSyntax

/// Parses `text` as a file named `t.writ`.
func parseFile(_ text: String) -> (ParseResult, SourceFile) {
    let file = SourceFile(path: "t.writ", text: text)
    var ids = NodeIDAllocator()
    return (Parser.parse(file, fileIndex: 0, ids: &ids), file)
}

/// The diagnostics of `text` as `CODE line:col`, in order.
func diagnosticsOf(_ text: String) -> [String] {
    let (r, file) = parseFile(text)
    let renderer = DiagnosticRenderer(files: [file])
    return r.diagnostics.map { "\($0.code) \(renderer.position($0.span).location)" }
}

/// The dump of `text`'s declarations; records an issue if there are diagnostics.
func dumpOf(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
    let (r, _) = parseFile(text)
    #expect(r.diagnostics.map(\.message) == [], sourceLocation: sourceLocation)
    return ASTDump.dump(r.unit)
}

/// The dump of a standalone expression; records an issue if there are diagnostics.
func exprDump(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
    var ids = NodeIDAllocator()
    let (e, ds) = Parser.parseExpression(SourceFile(path: "e.writ", text: text), fileIndex: 0, ids: &ids)
    #expect(ds.map(\.message) == [], sourceLocation: sourceLocation)
    return ASTDump.dump(e)
}

@Suite struct ParserPrecedenceTests {
    @Test(arguments: [
        ("a || b && c", "(|| a (&& b c))"),
        ("a && b || c", "(|| (&& a b) c)"),
        ("!a == b", "(== (! a) b)"),
        ("-a * b", "(* (- a) b)"),
        ("a ? b : c ? d : e", "(? a b (? c d e))"),
        ("x in [1,2] && y", "(&& (in x (list 1 2)) y)"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b * c % d", "(% (* (/ a b) c) d)"),
        ("a + b * c", "(+ a (* b c))"),
        ("(a + b) * c", "(* (+ a b) c)"),
        ("rate((o.t, o.v), 1s)", "(call rate (tuple (. o t) (. o v)) 1s)"),
        ("(a, b + c, d)", "(tuple a (+ b c) d)"),
        ("a < b < c", "(< (< a b) c)"),
        ("a + b < c * d", "(< (+ a b) (* c d))"),
        ("a == b != c", "(!= (== a b) c)"),
        ("a <= b || c >= d && e > f", "(|| (<= a b) (&& (>= c d) (> e f)))"),
        ("!!a", "(! (! a))"),
        ("--a", "(- (- a))"),
        ("-a.b", "(- (. a b))"),
        ("!a.b(c)", "(! (call .b a c))"),
        ("a.b.c(x)[i]", "(index (call .c (. a b) x) i)"),
        ("a || b ? c : d", "(? (|| a b) c d)"),
        ("a ? b || c : d && e", "(? a (|| b c) (&& d e))"),
        ("f()", "(call f)"),
        ("f(a, b + 1)", "(call f a (+ b 1))"),
        ("list.all(x, x > 0)", "(call .all list x (> x 0))"),
        ("x.filter(y, y in S).size()", "(call .size (call .filter x y (in y S)))"),
        ("cluster.level", "(. cluster level)"),
        ("order.class.key", "(. (. order class) key)"),
        ("[]", "(list)"),
        ("[1, 2,]", "(list 1 2)"),
        ("{}", "(map)"),
        ("{\"a\": 1, b: [2],}", "(map (\"a\" 1) (b (list 2)))"),
        ("m[\"k\"][0]", "(index (index m \"k\") 0)"),
        ("5_000_000 EUR", "(money 5000000 EUR)"),
        ("1.5 USD * 2", "(* (money 1.5 USD) 2)"),
        ("2.5% + 5%", "(+ 2.5% 5%)"),
        ("10ms + 1.5s", "(+ 10ms 1.5s)"),
        ("09:30[America/New_York]", "(time 09:30:00 America/New_York)"),
        ("16:00:30", "(time 16:00:30)"),
        ("123.45 == 1_000", "(== 123.45 1000)"),
        ("'it\\'s' + \"\\u00e9\"", "(+ \"it's\" \"é\")"),
        ("true && !false || null == x", "(|| (&& true (! false)) (== null x))"),
        ("timestamp(\"2026-11-27T14:30:00Z\")", "(call timestamp \"2026-11-27T14:30:00Z\")"),
    ])
    func precedence(_ source: String, _ expected: String) {
        #expect(exprDump(source) == expected)
    }

    @Test func keywordsAreNamesNextToADot() {
        // `cluster` before `.` in a route filter; keyword enum cases after `.`.
        #expect(exprDump("cluster.region == emea") == "(== (. cluster region) emea)")
        #expect(
            exprDump("role == Role.dr || level.x in [Conflict.reject]")
                == "(|| (== role (. Role dr)) (in (. level x) (list (. Conflict reject))))")
        #expect(exprDump("down_count(Role.dr) > 0") == "(> (call down_count (. Role dr)) 0)")
    }
}

@Suite struct ParserDeclarationTests {
    @Test func schemaAndTypes() {
        let text = """
            schema order {
              id: string
              price: money(currency)?
              cap: money(EUR), fee: money
              tags: set<symbol>; legs: list<list<decimal>>
              caps: map<symbol, money(EUR)>?
              side: Side
              class: symbol
              currency: currency = venues[venue].currency
              limit: list<int>= [1, 2]
            }
            """
        #expect(
            dumpOf(text) == """
                (schema order
                  (field id string)
                  (field price money(currency)?)
                  (field cap money(EUR))
                  (field fee money)
                  (field tags set<symbol>)
                  (field legs list<list<decimal>>)
                  (field caps map<symbol, money(EUR)>?)
                  (field side Side)
                  (field class symbol)
                  (field currency currency (default (. (index venues venue) currency)))
                  (field limit list<int> (default (list 1 2))))

                """)
    }

    @Test func enumConstSet() {
        let text = """
            enum Side { buy, sell; short
              short_exempt, }
            enum Conflict { last_writer_wins, reject }
            const MAX_QTY: int = 500_000
            const COLLAR = 5%
            set EU_VENUES: symbol = ["XETR", "XPAR"]
            set EMPTY = []
            const L: list<int>= [1]
            """
        #expect(
            dumpOf(text) == """
                (enum Side buy sell short short_exempt)
                (enum Conflict last_writer_wins reject)
                (const MAX_QTY (type int) 500000)
                (const COLLAR 5%)
                (set EU_VENUES (type symbol) (list "XETR" "XPAR"))
                (set EMPTY (list))
                (const L (type list<int>) (list 1))

                """)
    }

    @Test func dataInAllThreeForms() {
        let text = """
            data venues from "venues.csv" key mic { mic: symbol; country: string }
            data kyc_blocked: set<symbol> bound "kyc_blocked"
            data sanctions: set<symbol> bound
            data watch: set<symbol> bound "watch" = ["AAA"]
            data fx: map<string, decimal> = {"EURUSD": 1.08}
            data tiers = [1, 2]
            """
        #expect(
            dumpOf(text) == """
                (data venues (from "venues.csv") (key mic)
                  (field mic symbol)
                  (field country string))
                (data kyc_blocked (type set<symbol>) (bound "kyc_blocked"))
                (data sanctions (type set<symbol>) (bound))
                (data watch (type set<symbol>) (bound "watch") (default (list "AAA")))
                (data fx (type map<string, decimal>) (map ("EURUSD" 1.08)))
                (data tiers (list 1 2))

                """)
    }

    @Test func jurisdictionWithEveryItem() {
        let text = """
            import "common.writ"
            import 'other.writ';
            jurisdiction EU "MiFID II" {
              applies when order.venue in EU_VENUES
              limits { max_qty = 500_000; window = 1s, }
              limits { max_notional = 5_000_000 EUR }
              budget 200
              rule collar reject "price outside the collar" cite "RTS 6 Art. 15(1)(a)"
                when order.price > 100 EUR
              rule big report "large order" when order.qty > max_qty;
              rule watch alert "watch" when true, rule wait hold "wait" cite "x" when false
            }
            """
        #expect(
            dumpOf(text) == """
                (import "common.writ")
                (import "other.writ")
                (jurisdiction EU "MiFID II"
                  (applies (in (. order venue) EU_VENUES))
                  (limits
                    (= max_qty 500000)
                    (= window 1s)
                    (= max_notional (money 5000000 EUR)))
                  (budget 200)
                  (rule collar reject "price outside the collar" (cite "RTS 6 Art. 15(1)(a)")
                    (when (> (. order price) (money 100 EUR))))
                  (rule big report "large order"
                    (when (> (. order qty) max_qty)))
                  (rule watch alert "watch"
                    (when true))
                  (rule wait hold "wait" (cite "x")
                    (when false)))

                """)
    }

    @Test func platformBlocks() {
        let text = """
            region emea "Europe" { continent = emea }
            cluster eu_west_1 { region = emea; provider = aws, role = Role.dr
              capacity = 10_000 }
            link eu_west_1 <-> us_east_1 62ms
            tier critical { budget = 10ms; strategy = synchronous; replicas = [eu_west_1] }
            class positions "Positions" { tier = critical }
            """
        #expect(
            dumpOf(text) == """
                (region emea "Europe"
                  (= continent emea))
                (cluster eu_west_1
                  (= region emea)
                  (= provider aws)
                  (= role (. Role dr))
                  (= capacity 10000))
                (link eu_west_1 us_east_1 62ms)
                (tier critical
                  (= budget 10ms)
                  (= strategy synchronous)
                  (= replicas (list eu_west_1)))
                (class positions "Positions"
                  (= tier critical))

                """)
    }

    @Test func routeWithRankDirections() {
        let text = """
            route eu "EU flow" {
              filter cluster.region == emea
              rank cluster.latency
              rank cluster.load desc
              rank cluster.cost asc
              rank cluster.distance
              applies = order.venue in EU_VENUES
              fallback [eu_central_1, us_east_1]
              origin = eu_west_1
            }
            """
        #expect(
            dumpOf(text) == """
                (route eu "EU flow"
                  (filter (== (. cluster region) emea))
                  (rank (. cluster latency) asc)
                  (rank (. cluster load) desc)
                  (rank (. cluster cost) asc)
                  (rank (. cluster distance) asc)
                  (fallback (list eu_central_1 us_east_1))
                  (= applies (in (. order venue) EU_VENUES))
                  (= origin eu_west_1))

                """)
    }

    @Test func drWithLevels() {
        let text = """
            dr platform {
              level full "Full service" { allows = [trading, compliance] }
              level essential { allows = [reduce_only]; trigger = lag(critical) > 10ms }
              level = 3
              recover_after = 5m
            }
            """
        #expect(
            dumpOf(text) == """
                (dr platform
                  (level full "Full service"
                    (= allows (list trading compliance)))
                  (level essential
                    (= allows (list reduce_only))
                    (= trigger (> (call lag critical) 10ms)))
                  (= level 3)
                  (= recover_after 5m))

                """)
    }

    @Test func reportWithKeywordProperties() {
        let text = """
            report rts22 "MiFIR" {
              regulator = esma; on = fill
              schema = "auth.016.001.01"
              key = fill.exec_id
              field "TxId" = fill.exec_id
              field = 2
              format = xml
            }
            """
        #expect(
            dumpOf(text) == """
                (report rts22 "MiFIR"
                  (= regulator esma)
                  (= on fill)
                  (= schema "auth.016.001.01")
                  (= key (. fill exec_id))
                  (= field 2)
                  (= format xml)
                  (field "TxId" (. fill exec_id)))

                """)
    }

    @Test func testWithGivenAndExpect() {
        let text = """
            test "collar" {
              given market { ref_price = 100 EUR }
              given bound restricted = ["XYZ"]
              given order { qty = 10; price = 120 EUR } repeat 3
              expect reject [EU.collar, US.max_value,]
              expect hold [EU.wait]
              expect allow
              expect reject []
            }
            """
        #expect(
            dumpOf(text) == """
                (test "collar"
                  (given market
                    (= ref_price (money 100 EUR)))
                  (given bound restricted (list "XYZ"))
                  (given order (repeat 3)
                    (= qty 10)
                    (= price (money 120 EUR)))
                  (expect reject (EU.collar US.max_value))
                  (expect hold (EU.wait))
                  (expect allow)
                  (expect reject ()))

                """)
    }
}

@Suite struct ParserSpanTests {
    @Test func declarationsCoverTheirWholeText() {
        let text = """
            const A = 1 + 2
            jurisdiction EU {
              applies when true
              rule r reject "m" when (a + b) * c
            }
            """
        let (r, file) = parseFile(text)
        #expect(r.diagnostics.isEmpty)
        #expect(
            r.unit.decls.map { file.text(of: $0.span) } == [
                "const A = 1 + 2",
                "jurisdiction EU {\n  applies when true\n  rule r reject \"m\" when (a + b) * c\n}",
            ])
        guard case .jurisdiction(let j) = r.unit.decls[1], let rule = j.rules.first else {
            Issue.record("no rule")
            return
        }
        #expect(file.text(of: rule.span) == "rule r reject \"m\" when (a + b) * c")
        #expect(file.text(of: rule.condition.span) == "(a + b) * c")
        guard case .binary(_, let lhs, _) = rule.condition.kind else {
            Issue.record("not binary")
            return
        }
        #expect(file.text(of: lhs.span) == "a + b")
        #expect(file.text(of: rule.severitySpan) == "reject")
        #expect(file.text(of: rule.messageSpan) == "\"m\"")
    }

    @Test func expressionNodesCoverFirstToLastToken() {
        let text = "a.b(c, d)[0] + -x"
        var ids = NodeIDAllocator()
        let file = SourceFile(path: "e", text: text)
        let (e, _) = Parser.parseExpression(file, fileIndex: 0, ids: &ids)
        var walker = TreeWalker()
        walker.expr(e)
        let texts = Set(walker.spans.map { file.text(of: $0) })
        #expect(
            texts.isSuperset(of: ["a.b(c, d)[0] + -x", "a.b(c, d)[0]", "a.b(c, d)", "a", "b", "c", "d", "0", "-x", "x"])
        )
    }

    @Test func nodeIDsAreUniqueAcrossFiles() {
        var ids = NodeIDAllocator(start: 100)
        let a = Parser.parse(SourceFile(path: "a", text: "const A = 1 + 2"), fileIndex: 0, ids: &ids)
        let b = Parser.parse(SourceFile(path: "b", text: "const B = f(x)"), fileIndex: 1, ids: &ids)
        func nodeIDs(of r: ParseResult) -> [Int32] {
            r.unit.decls.flatMap { d -> [Int32] in
                guard case .constant(let c) = d else { return [] }
                var out: [Int32] = [c.value.id.raw]
                if case .binary(_, let l, let r) = c.value.kind { out += [l.id.raw, r.id.raw] }
                if case .call(_, _, let args) = c.value.kind { out += args.map(\.id.raw) }
                return out
            }
        }
        let all = nodeIDs(of: a) + nodeIDs(of: b)
        #expect(all.count == 5)
        #expect(Set(all).count == 5)
        #expect(all.allSatisfy { $0 >= 100 })
        #expect(b.unit.decls.first?.span.file == 1)
    }
}

@Suite struct ParserRecoveryTests {
    @Test(arguments: [
        // One diagnostic per failed construct, at the right place.
        ("jurisdiction EU {\n  applies when a &&\n  rule r reject \"m\" when b\n}", ["E0207 2:20"]),
        ("jurisdiction EU {\n  applies when a && )\n}", ["E0207 2:21"]),
        ("const A = (1 + 2\nconst B = 3", ["E0206 1:11"]),
        ("const A = [1, 2\nconst B = 3", ["E0206 1:11"]),
        ("const A = (1, 2\nconst B = 3", ["E0206 1:11"]),
        ("const A = (1, 2 3)", ["E0205 1:16"]),
        ("const A = f(1 2)", ["E0205 1:14"]),
        ("const A = {1: 2 3: 4}", ["E0205 1:16"]),
        ("const A = {1 2}", ["E0205 1:14"]),
        ("const A = a ? b", ["E0205 1:16"]),
        ("const A = a.", ["E0203 1:13"]),
        ("const A = a[1", ["E0206 1:12"]),
        ("const A = a = b", ["E0208 1:13"]),
        ("const A = a = b = c", ["E0208 1:13"]),
        ("const A = ", ["E0207 1:10"]),
        ("const A", ["E0205 1:8"]),
        ("const A 5", ["E0205 1:9"]),
        ("const A: = 5", ["E0213 1:10"]),
        ("const A: set = []", ["E0205 1:10"]),
        ("const A: map<int> = {}", ["E0205 1:17"]),
        ("const A: list<int = []", ["E0206 1:14"]),
        ("const A: money( = 1", ["E0213 1:17"]),
        ("const A = 1 2", ["E0218 1:13"]),
        ("const A = 1\n2", ["E0201 2:1"]),
        ("schema s { a int }", ["E0205 1:13"]),
        ("schema s { a = int }", ["E0205 1:14"]),
        ("schema s { a: }", ["E0213 1:15"]),
        ("schema s { 5 }", ["E0214 1:12"]),
        ("region r { a: 1 }", ["E0205 1:13"]),
        ("region r { rule x reject \"m\" when a }", ["E0214 1:12"]),
        ("region r { a = 1 b }", ["E0218 1:18"]),
        ("region r { a = 1\n b }", ["E0214 2:2"]),
        ("region r { = 1 }", ["E0214 1:12"]),
        ("region { a = 1 }", ["E0203 1:8"]),
        ("region r a = 1 }", ["E0205 1:10"]),
        ("link a b 5ms", ["E0205 1:8"]),
        ("link a <-> 5ms", ["E0203 1:12"]),
        ("enum E { a, 5 }", ["E0214 1:13"]),
        ("enum E {}", ["E0203 1:9"]),
        ("data d", ["E0205 1:7"]),
        ("data d from x", ["E0205 1:13"]),
        ("data d from \"f.csv\" { a: int }", ["E0205 1:21"]),
        ("data d from \"f.csv\" key { a: int }", ["E0203 1:25"]),
        ("data d: int", ["E0205 1:12"]),
        ("jurisdiction EU { limits = 5 }", ["E0214 1:19"]),
        ("jurisdiction EU { budget }", ["E0205 1:26"]),
        ("jurisdiction EU { budget 1 budget 2 }", ["E0214 1:28"]),
        ("jurisdiction EU { applies a }", ["E0205 1:26"]),
        ("jurisdiction EU { applies\n}", ["E0205 1:26"]),
        ("jurisdiction EU { limits a = 1 }", ["E0205 1:26"]),
        ("jurisdiction EU { filter a }", ["E0214 1:19"]),
        ("jurisdiction EU { aplies when a }", ["E0214 1:19"]),
        ("jurisdiction EU { rule 5 }", ["E0203 1:24"]),
        ("jurisdiction EU { rule when reject \"m\" when a }", ["E0203 1:24"]),
        ("jurisdiction EU { rule set reject \"m\" when a }", ["E0204 1:24"]),
        ("jurisdiction EU { rule r reject \"m\" cite when a }", ["E0211 1:42"]),
        ("jurisdiction EU { rule r reject when a }", ["E0209 1:33"]),
        ("jurisdiction EU { rule r \"m\" when a }", ["E0212 1:26"]),
        ("jurisdiction EU { rule r when a }", ["E0212 1:26"]),
        ("jurisdiction EU { rule r warn \"m\" when a }", ["E0212 1:26"]),
        ("jurisdiction EU { rule r reject \"m\" }", ["E0210 1:37"]),
        ("jurisdiction EU { rule r reject \"m\" a > 1 }", ["E0210 1:37"]),
        ("route r { rank a descending }", ["E0219 1:18"]),
        ("route r { rank a up }", ["E0219 1:18"]),
        ("route r { fallback [a] fallback [b] }", ["E0214 1:24"]),
        ("dr d { level { a = 1 } }", ["E0203 1:14"]),
        ("dr d { stage x { } }", ["E0205 1:13"]),
        ("dr d { levl x { } }", ["E0214 1:8"]),
        ("report r { field x = 1 }", ["E0205 1:18"]),
        ("report r { field \"X\" 1 }", ["E0205 1:22"]),
        ("test x { }", ["E0203 1:6"]),
        ("test \"t\" { given { } }", ["E0203 1:18"]),
        ("test \"t\" { given order }", ["E0205 1:24"]),
        ("test \"t\" { given order { } repeat }", ["E0205 1:35"]),
        ("test \"t\" { given order { } repeat 99999999999999999999999 }", ["E0216 1:35"]),
        ("test \"t\" { expect }", ["E0203 1:19"]),
        ("test \"t\" { expect reject [r] }", ["E0220 1:27"]),
        ("test \"t\" { expect reject [EU.] }", ["E0203 1:30"]),
        ("test \"t\" { expect reject [EU.a EU.b] }", ["E0205 1:31"]),
        ("test \"t\" { expect reject [EU.a }", ["E0206 1:26"]),
        ("test \"t\" { rule }", ["E0214 1:12"]),
        ("import x", ["E0205 1:8"]),
        ("const A = 1\nimport \"x\"", ["E0217 2:1"]),
        ("}", ["E0201 1:1"]),
        ("foo", ["E0201 1:1"]),
        ("expect reject", ["E0201 1:1"]),
        ("jurisdicton EU { rule r reject \"m\" when a }", ["E0202 1:1"]),
        ("cnst A = 1", ["E0202 1:1"]),
        ("region r { a = 1 & b }", ["E0101 1:18"]),
        ("region r { a = 1e5 }", ["E0106 1:16"]),
        ("region r { a = 1e5 + }", ["E0106 1:16"]),
        ("region r { a = \"x }", ["E0206 1:10", "E0102 1:16"]),
        ("cluster c { role = dr }", ["E0207 1:20"]),
        ("cluster c { role = dr\n capacity = 5 }", ["E0207 1:20"]),
        ("route r { filter cluster == a }", ["E0207 1:18"]),
    ])
    func recovers(_ source: String, _ expected: [String]) {
        #expect(diagnosticsOf(source) == expected, "\(source)")
    }

    @Test func independentErrorsInSeparateConstructsAreAllReported() {
        let text = """
            const A = 1 +
            const B = (2
            jurisdiction EU {
              rule r reject "m" when a = b
              rule s block "m" when c
              limits { x 5 }
            }
            """
        #expect(diagnosticsOf(text) == ["E0207 1:14", "E0206 2:11", "E0208 4:28", "E0212 5:10", "E0205 6:13"])
    }

    @Test func unclosedBlocksAtTheEndOfTheFileGiveOneDiagnostic() {
        #expect(diagnosticsOf("dr d {\n  level a {\n    x = 1\n") == ["E0206 2:11"])
        #expect(diagnosticsOf("jurisdiction EU {\n  limits {\n") == ["E0206 2:10"])
        #expect(diagnosticsOf("jurisdiction EU {\n  rule r reject \"m\" when (a &&") == ["E0207 2:31"])
        #expect(diagnosticsOf("test \"t\" {\n  given order { qty = 1\n  expect allow\n}") == ["E0206 2:15"])
    }

    @Test func unclosedBlockNotesWhereItEnds() {
        let (r, file) = parseFile("jurisdiction EU {\n  applies when a\nregion r { continent = emea }\n")
        #expect(r.diagnostics.count == 1)
        let d = r.diagnostics[0]
        #expect(d.code == .unclosedDelimiter)
        #expect(d.message == "expected `}` to close the `jurisdiction` block that starts here")
        #expect(file.text(of: d.span) == "{")
        #expect(d.notes.map(\.message) == ["`region` starts the next declaration here"])
        #expect(d.notes.first?.span.map { file.text(of: $0) } == "region")
        // The region after it is still read.
        #expect(r.unit.decls.count == 2)
    }

    @Test func fixesAndHelp() {
        let (r1, _) = parseFile("jurisdicton EU { applies when a }")
        #expect(r1.diagnostics.first?.fixIt?.replacement == "jurisdiction")
        #expect(r1.diagnostics.first?.help == "did you mean `jurisdiction`?")
        // The misspelt declaration is still read, so later passes see it.
        #expect(r1.unit.decls.count == 1)

        let (r2, f2) = parseFile("const A = a = b")
        #expect(r2.diagnostics.first?.fixIt.map { f2.text(of: $0.span) } == "=")
        #expect(r2.diagnostics.first?.fixIt?.replacement == "==")
        #expect(ASTDump.dump(r2.unit) == "(const A (== a b))\n")

        let (r3, _) = parseFile("jurisdiction EU { rule r rejct \"m\" when a }")
        #expect(r3.diagnostics.first?.fixIt?.replacement == "reject")
        #expect(r3.diagnostics.first?.message == "unknown severity `rejct` for rule `r`")

        let (r4, _) = parseFile("route r { rank a descending }")
        #expect(r4.diagnostics.first?.fixIt?.replacement == "desc")

        let (r5, _) = parseFile("jurisdiction EU { aplies when a }")
        #expect(r5.diagnostics.first?.fixIt?.replacement == "applies")

        let (r6, _) = parseFile("jurisdiction EU {\n  rule r reject \"m\" cite \"c\"\n    a > 1\n}")
        #expect(r6.diagnostics.map(\.code) == [.ruleWithoutCondition])
        #expect(r6.diagnostics.first?.fixIt?.replacement == "when ")
        #expect(ASTDump.dump(r6.unit).contains("(when (> a 1))"))
    }

    @Test func messagesFollowTheStyle() {
        let (r, _) = parseFile("jurisdiction EU {\n  applies when a &&\n  rule r reject \"m\" when b\n}")
        #expect(r.diagnostics.first?.message == "expected an expression after `&&`, found `rule`")
        for d in r.diagnostics {
            #expect(d.message.first?.isLowercase == true || d.message.first == "`")
            #expect(!d.message.hasSuffix("."))
        }
    }

    @Test func errorNodesStandInForWhatWasMissing() {
        let (r, _) = parseFile("const A = 1 +\nconst B: = 2")
        #expect(ASTDump.dump(r.unit) == "(const A (+ 1 <error>))\n(const B (type <error>) 2)\n")
    }

    @Test func parseExpressionReportsTrailingTokens() {
        var ids = NodeIDAllocator()
        let (_, ds) = Parser.parseExpression(SourceFile(path: "e", text: "a b"), fileIndex: 0, ids: &ids)
        #expect(ds.map(\.code) == [.unexpectedAfterExpression])
        let (e, ds2) = Parser.parseExpression(SourceFile(path: "e", text: ""), fileIndex: 0, ids: &ids)
        #expect(ds2.map(\.code) == [.expectedExpression])
        #expect(e.kind == .error)
    }

    @Test func everyParserCodeIsDistinctAndInRange() {
        let ids = DiagnosticCode.parserCodes.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hasPrefix("E02") })
        #expect((12...21).contains(ids.count))
        #expect(DiagnosticCode.parserCodes.allSatisfy { !$0.title.isEmpty && $0.defaultSeverity == .error })
    }
}
