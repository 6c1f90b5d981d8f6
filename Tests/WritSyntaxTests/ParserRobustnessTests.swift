/// Robustness of the lexer and parser against damaged input: thousands of
/// deterministic mutants of realistic Writ files must parse without a
/// crash or a hang, with every diagnostic inside the file and every error
/// node accounted for by a diagnostic.

import Testing

@testable import WritSyntax

/// Realistic Writ sources that together use every construct of the grammar.
enum Corpus {
    /// Inputs, reference data and a jurisdiction with limits, budget and rules.
    static let inputsAndEU = #"""
        // Inputs of the order fast path and the EU pre-trade controls.
        import "common.writ";

        schema order {
          id: string
          side: Side
          qty: decimal
          price: money(currency)?
          currency: currency
          venue: symbol
          trader: symbol
          tags: set<symbol>
          legs: list<decimal>
          caps: map<symbol, money(EUR)>
          submitted: timestamp
          halted_flag: bool
          venue_country: string = venues[venue].country
        }

        schema market { ref_price: money(currency); currency: currency; halted: bool }

        enum Side { buy, sell, short, short_exempt }

        const MAX_QTY: int = 500_000
        const COLLAR = 5%
        const CUTOFF = 17:30[Europe/Paris]
        const PI_ISH: decimal = 3.14159
        set EU_VENUES: symbol = ["XETR", "XPAR", 'XAMS',]

        data venues from "venues.csv" key mic {
          mic: symbol
          country: string
          tick: decimal
        }
        data kyc_blocked: set<symbol> bound "kyc_blocked"
        data fx_rates: map<string, decimal> = {"EURUSD": 1.0825, "GBPUSD": 1.2710,}

        jurisdiction EU "MiFID II" {
          applies when order.venue in EU_VENUES || venues[order.venue].country == "DE"
          limits {
            max_notional = 5_000_000 EUR
            max_qty = MAX_QTY;
            window = 1s,
          }
          budget 200
          // Price collars: RTS 6 Art. 15.
          rule price_collar reject "price outside the collar" cite "RTS 6 Art. 15(1)(a)"
            when order.price != null
              && (order.price > market.ref_price * (100% + COLLAR) || order.price < market.ref_price * (100% - COLLAR))
          rule fat_finger hold "quantity above the limit" when order.qty > MAX_QTY
          rule blocked_trader reject "trader is blocked by KYC" when order.trader in kyc_blocked
          rule after_cutoff alert "order after the cutoff" when time_of_day(order.submitted) > CUTOFF
          rule big_ticket report "large order" when order.qty * 2 >= MAX_QTY ? true : false
          rule odd_legs alert "legs must be positive"
            when order.legs.all(l, l > 0.0) && !order.tags.exists(t, t == "test") && size(order.legs) % 2 == 1
          rule negative reject "negative quantity" when -order.qty > 0 || !!order.halted_flag
        }
        """#

    /// Regions, clusters, links, a route, tiers, classes and DR levels.
    static let topology = #"""
        region emea "Europe, Middle East and Africa" { continent = "europe"; regulators = ["ESMA", "FCA"] }
        region amer { continent = "north_america" }

        cluster eu_west_1 "EU West Primary" {
          region = emea
          provider = "aws"
          role = primary
          capacity = 10_000
          opens = 08:00[Europe/London]
        }
        cluster eu_central_1 { region = emea, role = Role.dr }
        cluster us_east_1 { region = amer; role = primary }

        link eu_west_1 <-> eu_central_1 12ms
        link eu_west_1 <-> us_east_1 62ms
        link eu_central_1 <-> us_east_1 1.5ms * 50

        route eu_orders "EU order flow" {
          filter cluster.region == emea && cluster.healthy
          filter cluster.residency.filter(r, r == "EU").size() > 0
          rank cluster.latency asc
          rank cluster.load desc
          max_hops = 2
          fallback [eu_central_1, us_east_1]
          timeout = 250ms
        }

        tier critical "Trading positions and orders" { budget_ms = 10ms; strategy = synchronous }
        tier batch { budget_ms = 1s, strategy = asynchronous }
        class positions { tier = critical; residency = "EU"; personal = false }
        class client_pii { tier = batch, residency = "EU", personal = true }

        dr platform "Business continuity" {
          level full "Full service" { allows = ["all"]; }
          level essential {
            allows = ["cancel", "reduce"]
            enter = lag(critical) > 10ms || health.level < 2
            exit = lag(critical) < 5ms
          }
          level safe_mode { allows = ["cancel"] enter = failed_regions >= 2 }
          level emergency_halt { allows = [] enter = manual("halt") }
          hysteresis = 2m
          notify = {"ops": "ops@example.com", "compliance": "compliance@example.com"}
        }
        """#

    /// A regulator's report and tests with given / expect steps.
    static let reportsAndTests = #"""
        schema fill { exec_id: string; price: money(currency); qty: decimal; time: timestamp; currency: currency }

        report esma_rts22 "MiFIR transaction report" {
          regulator = "ESMA"
          format = "xml"
          schema = "auth.016.001.01"
          key = fill.exec_id
          field "TxId" = fill.exec_id
          field "Pric" = fill.price;
          field "Qty" = fill.qty,
          field "TradDt" = timestamp(fill.time)
          field "Flag" = fill.qty > 100 ? "LRGS" : ""
        }

        test "collar rejects a far-away price" {
          given market { ref_price = 100 EUR, currency = "EUR" }
          given order { id = "o1"; side = buy; qty = 10; price = 120 EUR; currency = "EUR"; venue = "XETR" }
          expect reject [EU.price_collar]
          given order { id = "o2", side = sell, qty = 10, price = 101.5 EUR, currency = "EUR", venue = "XETR" } repeat 3
          expect allow
          expect hold [EU.fat_finger, US.max_value,]
        }
        """#

    /// A second jurisdiction and a test, with comments and odd spacing.
    static let usAndMore = #"""
        schema account { id: symbol; cash: money(USD); limit_pct: percent; region: symbol }
        const WINDOW: duration = 1h
        const LATE = 16:00:30
        set HALTED = []

        jurisdiction US { // SEC 15c3-5
          applies when account.region == "us"
          limits { credit = 1_000_000.50 USD }
          rule credit_check reject 'credit limit' cite "17 CFR 240.15c3-5(c)(1)(i)" when account.cash < 0 USD
          rule concentration hold "too concentrated" when account.limit_pct > 25% && !(account.id in HALTED)
          rule nested alert "nested" when ((account.cash[0] + -1 USD) * 2) / 3 <= account.cash && {"a": [1, 2]}["a"][1] == 2
        }

        test "credit check" {
          given account { id = "a1", cash = -5 USD, limit_pct = 10%, region = "us" }
          expect reject [US.credit_check]
        }
        """#

    /// All of them.
    static let sources = [inputsAndEU, topology, reportsAndTests, usAndMore]
}

/// A tiny deterministic pseudo-random generator (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A number in `0..<n` (`n > 0`).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Builds damaged variants of a source.
struct Mutator {
    var rng: SplitMix64

    /// Characters that make interesting edits: brackets, operators, quotes,
    /// digits, letters, a newline, a non-ASCII letter.
    static let alphabet: [UInt8] = Array("{}()[]<>=!&|+-*/%.,;:?\"'\\ \n0123456789aZ_eE".utf8) + Array("é".utf8)

    mutating func mutate(_ text: String) -> String {
        var bytes = Array(text.utf8)
        switch rng.below(6) {
        case 0:  // a few byte edits
            for _ in 0...rng.below(3) { byteEdit(&bytes) }
        case 1:  // truncation
            bytes = Array(bytes.prefix(rng.below(bytes.count + 1)))
        default:
            var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init)
            guard lines.count > 1 else { break }
            let i = rng.below(lines.count)
            let j = rng.below(lines.count)
            switch rng.below(4) {
            case 0: lines.insert(lines[i], at: j)  // duplicated line
            case 1: lines.remove(at: i)  // deleted line
            case 2: lines.swapAt(i, j)  // swapped lines
            default:  // a line edit plus a byte edit
                lines.remove(at: i)
                var b = Array(lines.joined(separator: "\n").utf8)
                byteEdit(&b)
                return String(decoding: b, as: UTF8.self)
            }
            return lines.joined(separator: "\n")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func byteEdit(_ bytes: inout [UInt8]) {
        let c = Mutator.alphabet[rng.below(Mutator.alphabet.count)]
        let at = rng.below(bytes.count + 1)
        switch rng.below(3) {
        case 0 where at < bytes.count: bytes[at] = c
        case 1 where at < bytes.count: bytes.remove(at: at)
        default: bytes.insert(c, at: at)
        }
    }
}

/// What is wrong with one parse, or nil if nothing is.
func robustnessProblem(_ text: String) -> String? {
    let file = SourceFile(path: "mutant.writ", text: text)
    var ids = NodeIDAllocator()
    let r = Parser.parse(file, fileIndex: 0, ids: &ids)
    let n = file.bytes.count
    func inside(_ s: Span) -> Bool { s.file == 0 && s.start >= 0 && s.start <= s.end && s.end <= n }
    for d in r.diagnostics {
        if !inside(d.span) { return "diagnostic \(d.code) outside the file: \(d.span)" }
        for note in d.notes { if let s = note.span, !inside(s) { return "note of \(d.code) outside the file" } }
        if let f = d.fixIt, !inside(f.span) { return "fix of \(d.code) outside the file" }
    }
    var walker = TreeWalker()
    walker.walk(r.unit)
    if walker.spans.contains(where: { !inside($0) }) { return "a node's span is outside the file" }
    let invalidToken = r.tokens.contains { $0.kind == .invalid }
    if r.diagnostics.isEmpty, invalidToken || walker.errors > 0 {
        return "an error node or invalid token without a diagnostic"
    }
    return nil
}

/// Visits every node of a unit, collecting spans and counting error nodes.
struct TreeWalker {
    var spans: [Span] = []
    var errors = 0
    var maxDepth = 0

    mutating func walk(_ unit: SourceUnit) {
        for i in unit.imports { spans += [i.span, i.pathSpan] }
        for d in unit.decls { decl(d) }
    }

    mutating func type(_ t: TypeRef?) {
        guard let t else { return }
        spans.append(t.span)
        switch t.kind {
        case .named(let n): spans.append(n.span)
        case .money(let n): if let n { spans.append(n.span) }
        case .list(let e), .set(let e), .optional(let e): type(e)
        case .map(let k, let v):
            type(k)
            type(v)
        case .error: errors += 1
        }
    }

    mutating func expr(_ e: Expr, depth: Int = 1) {
        spans.append(e.span)
        maxDepth = max(maxDepth, depth)
        switch e.kind {
        case .literal, .identifier: break
        case .select(let b, let n):
            spans.append(n.span)
            expr(b, depth: depth + 1)
        case .call(let t, let f, let args):
            spans.append(f.span)
            if let t { expr(t, depth: depth + 1) }
            for a in args { expr(a, depth: depth + 1) }
        case .index(let b, let i):
            expr(b, depth: depth + 1)
            expr(i, depth: depth + 1)
        case .unary(_, let x): expr(x, depth: depth + 1)
        case .binary(_, let l, let r):
            expr(l, depth: depth + 1)
            expr(r, depth: depth + 1)
        case .conditional(let c, let a, let b):
            for x in [c, a, b] { expr(x, depth: depth + 1) }
        case .list(let xs), .tuple(let xs): for x in xs { expr(x, depth: depth + 1) }
        case .map(let es):
            for m in es {
                expr(m.key, depth: depth + 1)
                expr(m.value, depth: depth + 1)
            }
        case .error: errors += 1
        }
    }

    mutating func props(_ ps: [Property]) {
        for p in ps {
            spans += [p.span, p.name.span]
            expr(p.value)
        }
    }

    mutating func fields(_ fs: [FieldDecl]) {
        for f in fs {
            spans += [f.span, f.name.span]
            type(f.type)
            if let d = f.defaultValue { expr(d) }
        }
    }

    mutating func decl(_ d: Decl) {
        spans.append(d.span)
        switch d {
        case .schema(let s): fields(s.fields)
        case .enumeration(let e): spans += e.cases.map(\.span)
        case .constant(let c):
            type(c.type)
            expr(c.value)
        case .set(let s):
            type(s.elementType)
            expr(s.value)
        case .data(let dd):
            switch dd.source {
            case .csv(_, let ps, let ks, let cs):
                spans += [ps] + ks.map(\.span)
                fields(cs)
            case .boundTable(_, let ks, let cs, let d):
                spans += ks.map(\.span)
                fields(cs)
                if let d { expr(d) }
            case .bound(let t, _, let d):
                type(t)
                if let d { expr(d) }
            case .literal(let t, let v):
                type(t)
                expr(v)
            }
        case .jurisdiction(let j):
            for a in j.applies { expr(a) }
            props(j.limits)
            if let b = j.budget { spans.append(b.span) }
            for r in j.rules {
                spans += [r.span, r.name.span, r.severitySpan, r.messageSpan]
                if let c = r.citationSpan { spans.append(c) }
                expr(r.condition)
            }
        case .block(let b): props(b.properties)
        case .link(let l):
            spans += [l.from.span, l.to.span]
            expr(l.latency)
        case .route(let r):
            for f in r.filters { expr(f) }
            for k in r.ranks { expr(k.key) }
            if let f = r.fallback { expr(f) }
            props(r.properties)
        case .dr(let dr):
            for l in dr.levels {
                spans.append(l.span)
                props(l.properties)
            }
            props(dr.properties)
        case .report(let r):
            props(r.properties)
            for f in r.fields {
                spans += [f.span, f.targetSpan]
                expr(f.value)
            }
        case .test(let t):
            spans.append(t.nameSpan)
            for s in t.steps {
                switch s {
                case .given(let g):
                    spans += [g.span, g.kind.span]
                    props(g.properties)
                case .bind(let b):
                    spans += [b.span, b.name.span]
                    expr(b.value)
                case .expect(let e):
                    spans += [e.span, e.verdict.span]
                    for r in e.rules ?? [] { spans += [r.jurisdiction.span, r.rule.span] }
                }
            }
        }
    }
}

@Suite struct ParserRobustnessTests {
    @Test func corpusParsesCleanly() {
        for (i, source) in Corpus.sources.enumerated() {
            var ids = NodeIDAllocator()
            let r = Parser.parse(SourceFile(path: "corpus\(i).writ", text: source), fileIndex: 0, ids: &ids)
            #expect(r.diagnostics.map { "\($0.code) \($0.message)" } == [], "corpus \(i)")
            var walker = TreeWalker()
            walker.walk(r.unit)
            #expect(walker.errors == 0)
        }
    }

    @Test func tenThousandMutantsParse() {
        var mutator = Mutator(rng: SplitMix64(seed: 0x5752_4954))  // "WRIT"
        var problems: [String] = []
        var count = 0
        for round in 0..<2_500 {
            for source in Corpus.sources {
                let text = mutator.mutate(source)
                count += 1
                if let p = robustnessProblem(text), problems.count < 5 {
                    problems.append("round \(round): \(p)\n---\n\(text)\n---")
                }
            }
        }
        #expect(count >= 10_000)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func deepNestingIsCappedNotFatal() {
        let inputs = [
            "const X = " + String(repeating: "(", count: 20_000) + "1",
            "const X = " + String(repeating: "[", count: 20_000),
            "const X = " + String(repeating: "!", count: 20_000) + "a",
            "const X = " + String(repeating: "-", count: 20_000) + "a",
            "const X = a" + String(repeating: " + a", count: 20_000),
            "const X = a" + String(repeating: ".b", count: 20_000),
            "const X = a" + String(repeating: "[0]", count: 20_000),
            "const X = " + String(repeating: "f(", count: 20_000),
            "const X = " + String(repeating: "{1: ", count: 20_000),
            "const X = " + String(repeating: "a ? b : ", count: 20_000) + "c",
            "const X: " + String(repeating: "list<", count: 20_000) + "int",
        ]
        for text in inputs {
            let file = SourceFile(path: "deep.writ", text: text)
            var ids = NodeIDAllocator()
            let r = Parser.parse(file, fileIndex: 0, ids: &ids)
            #expect(r.diagnostics.contains { $0.code == .nestingTooDeep }, "\(text.prefix(20))")
            var walker = TreeWalker()
            walker.walk(r.unit)
            #expect(walker.maxDepth <= ParserState.maxNesting)
            #expect(robustnessProblem(text) == nil)
        }
    }

    @Test func nestingJustBelowTheLimitIsFine() {
        let depth = ParserState.maxNesting - 2
        let text = "const X = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        var ids = NodeIDAllocator()
        let r = Parser.parse(SourceFile(path: "ok.writ", text: text), fileIndex: 0, ids: &ids)
        #expect(r.diagnostics.isEmpty)
    }
}
