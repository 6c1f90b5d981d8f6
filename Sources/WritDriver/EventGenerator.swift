/// A seeded generator of realistic input streams for a checked program
/// (`writ generate-events`, the differential test): market data for the
/// instruments, then orders on every venue of the venues table (and a few
/// unknown ones) with prices in and out of collars, quantities around every
/// limit, bursts past rate limits, modifies and cancels of live and unknown
/// ids, fills, kill switches, duplicate ids, timestamps crossing second and
/// day boundaries, and about 1% of malformed lines. Lines follow the input
/// contract (docs/input-contract.md) exactly; the same seed always gives
/// the same stream.

import WritSema
import WritValue

/// Generates input lines (one JSON object each) for a checked program.
public struct EventGenerator {
    /// The first event's time: 2026-11-26T14:25:00Z, five minutes before the
    /// US opening window (09:30 in New York).
    public static let defaultStart: Int64 = 1_795_703_100_000_000_000

    private var rng: SplitMix64
    private var clock: Int64
    private var pending: [String] = []
    private var pendingIndex = 0
    private var started = false

    private let orderSchema: CheckedSchema?
    private let venues: [Venue]
    private let unknownVenues = ["XXXX", "ZZZZ"]
    private var instruments: [Instrument] = []
    /// Indices of instruments on known venues, and on unknown ones.
    private var knownInstruments: [Int] = []
    private var unknownInstruments: [Int] = []
    /// Indices of instruments that have market data.
    private var marketInstruments: [Int] = []
    private let accounts = (1...10).map { "A-\($0)" }
    private let clients = (1...10).map { "C-\($0)" } + [EventGenerator.blockedClient]
    private let traders = (1...8).map { "T-\($0)" }
    private let desks = ["D-EQ-EU", "D-EQ-US", "D-EQ-APAC", "D-DERIV"]
    private let algos = ["ALG-VWAP-1", "ALG-TWAP-2", "ALG-POV-3", "ALG-SNIPER-4", "ALG-ICE-5"]
    /// Ids named by the program's reference tables (traders with special
    /// permissions, blocked clients, algorithms with limits, …), used now and then.
    private var listed: [String: [String]] = [:]
    private let countries = ["DE", "FR", "US", "GB", "JP", "IN", "SG", "CA", "AU", "NL"]

    /// Money limits by currency, count limits, percent limits (as fractions).
    private var moneyLimits: [String: [Fixed]] = [:]
    private var countLimits: [Int64] = []
    private var percentLimits: [Fixed] = []

    private var orders: [SentOrder] = []
    /// Orders no longer live (cancelled or filled), for fills that come after.
    private var closedOrders: [SentOrder] = []
    private var usedIDs: [String] = []
    private var kills: [(scope: String, key: String)] = []
    /// The rules with a `latch` (`EU.repeated_executions`), which `reset` controls name.
    private var latchRules: [String] = []
    /// Keyed tables bound at run time: binding name and declaration.
    private var boundTables: [(binding: String, table: CheckedTable)] = []
    private var nextOrder = 1
    private var nextExec = 1
    /// The platform's clusters (declared names and titles) and tiers, when
    /// the program has a route or a DR policy.
    private var clusterNames: [String] = []
    private var clusterTitles: [String] = []
    private var tierNames: [String] = []
    private var links: [(String, String)] = []
    /// Clusters the stream took down (mostly brought back up soon after).
    private var downClusters: [String] = []

    /// A client that the suggested bindings put on every client list.
    static let blockedClient = "C-KYC"

    /// Creates a generator for `program` (which must have checked without
    /// errors); `seed` fixes the stream.
    public init(program: CheckedProgram, seed: UInt64, start: Int64 = EventGenerator.defaultStart) {
        rng = SplitMix64(seed: seed)
        clock = start
        orderSchema = program.schema("order")
        venues = EventGenerator.venues(of: program)
        for j in program.jurisdictions {
            for l in j.limits { collect(l.value) }
        }
        for c in program.consts { collect(c.value) }
        countLimits = Array(Set(countLimits)).sorted()
        percentLimits = Array(Set(percentLimits)).sorted()
        listed = EventGenerator.tableKeys(of: program)
        if !program.routes.isEmpty || program.dr != nil {
            clusterNames = program.clusters.map(\.name)
            clusterTitles = program.clusters.compactMap(\.title)
            tierNames = program.tiers.map(\.name)
            links = program.links.map { ($0.from, $0.to) }
        }
        latchRules = Array(Set(program.stateSlots.compactMap { $0.kind == .latch ? $0.owner?.description : nil })).sorted()
        for d in program.data {
            if case .table(let t) = d.source, let b = t.binding { boundTables.append((b, t)) }
        }
        makeInstruments()
    }

    /// Data to bind before replaying a generated stream: for every `bound`
    /// set or list of symbols, some of the generator's instruments (when
    /// the binding's name speaks of symbols or instruments), its blocked
    /// client (when it speaks of clients or KYC), or both.
    public static func bindings(for program: CheckedProgram, seed: UInt64 = 0) -> [(name: String, symbols: [String])] {
        let g = EventGenerator(program: program, seed: seed)
        let restricted = g.instruments.filter(\.restricted).map(\.symbol)
        var out: [(name: String, symbols: [String])] = []
        for d in program.data {
            guard case .bound(let name) = d.source else { continue }
            let n = name.lowercased()
            if n.contains("kyc") || n.contains("client") {
                out.append((name, [blockedClient]))
            } else if n.contains("symbol") || n.contains("instrument") || n.contains("restrict") {
                out.append((name, restricted))
            } else {
                out.append((name, restricted + [blockedClient]))
            }
        }
        return out
    }

    /// Rows to bind before replaying a generated stream, for every keyed
    /// table bound at run time: some of the key values the stream uses
    /// (accounts, instruments, …), with random cells of their columns' types.
    public static func tableBindings(for program: CheckedProgram, seed: UInt64 = 0)
        -> [(name: String, header: [String], rows: [[String]])]
    {
        var g = EventGenerator(program: program, seed: seed)
        return g.boundTables.map { b in
            var rows: [[String]] = []
            for key in g.tableKeys(b.table) where g.chance(650) {
                rows.append(g.tableRow(b.table, key: key, every: true).map { $0 ?? "" })
            }
            return (b.binding, b.table.columns.map(\.name), rows)
        }
    }

    /// The key values of a bound table the stream may use: every combination
    /// of the values of its key columns.
    private func tableKeys(_ t: CheckedTable) -> [[String]] {
        var keys: [[String]] = [[]]
        for k in t.keyIndices {
            let values = identities(forColumn: t.columns[k].name)
            keys = keys.flatMap { prefix in values.map { prefix + [$0] } }
        }
        return keys
    }

    /// The ids the stream uses for a column of this name.
    private func identities(forColumn name: String) -> [String] {
        switch name {
        case "symbol", "instrument": return instruments.map(\.symbol)
        case "client": return clients
        case "trader": return traders
        case "desk": return desks
        case "algo": return algos
        default: return accounts
        }
    }

    /// The cells of a row of `t` for `key` (key columns in order); with
    /// `every` false, some non-key cells are nil (not given).
    private mutating func tableRow(_ t: CheckedTable, key: [String], every: Bool) -> [String?] {
        t.columns.enumerated().map { ci, c -> String? in
            if let k = t.keyIndices.firstIndex(of: ci) { return key[k] }
            if !every && chance(500) { return nil }
            switch c.type {
            case .bool: return chance(500) ? "true" : "false"
            case .int: return String(rng.below(1000))
            case .decimal: return String(rng.below(3000))
            case .percent: return "\(rng.below(30))%"
            case .money: return String(10_000 + rng.below(20_000_000))
            case .currency: return "USD"
            default: return pick(accounts)
            }
        }
    }

    /// A `set` or `remove` control of a bound table; now and then a wrong
    /// one (an unknown table or column, a column given twice, a bad value, a
    /// key not in the table).
    private mutating func tableControl(_ ts: String) {
        let b = pick(boundTables)
        let key = pick(tableKeys(b.table))
        var table = b.binding
        if chance(30) { table = "no_such_table" }
        var keyText = key.joined(separator: ",")
        if chance(20) { keyText = key[0] }
        if chance(600) {
            var cells: [(key: String, value: String)] = []
            for (ci, v) in tableRow(b.table, key: key, every: chance(300)).enumerated() {
                guard let v, !b.table.keyIndices.contains(ci) else { continue }
                cells.append((b.table.columns[ci].name, json(chance(40) ? "abc" : v)))
            }
            if chance(30) { cells.append(("no_such_column", json("1"))) }
            if chance(20), let first = cells.first { cells.append((first.key, json("7"))) }  // a column given twice
            let values = "{" + cells.map { "\(json($0.key)):\($0.value)" }.joined(separator: ",") + "}"
            pending.append(
                render([
                    ("event", json("control")), ("action", json("set")), ("table", json(table)),
                    ("key", json(keyText)), ("values", values), ("ts", ts),
                ]))
        } else {
            pending.append(
                render([
                    ("event", json("control")), ("action", json("remove")), ("table", json(table)),
                    ("key", json(keyText)), ("ts", ts),
                ]))
        }
    }

    /// The next `count` lines.
    public mutating func generate(count: Int) -> [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(next()) }
        return out
    }

    /// The next line.
    public mutating func next() -> String {
        if !started {
            started = true
            for i in instruments.indices where instruments[i].hasMarket { pending.append(marketLine(i, full: true)) }
        }
        while pendingIndex == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            step()
        }
        pendingIndex += 1
        return pending[pendingIndex - 1]
    }

    // MARK: - The universe

    private struct Venue {
        var mic: String
        var currency: String?
    }

    private struct Instrument {
        var symbol: String
        var venue: String
        var currency: String
        var reference: Fixed
        var hasMarket: Bool
        var listedShares: Fixed?
        var restricted: Bool
    }

    private struct SentOrder {
        var id: String
        var fields: [(key: String, value: String)]
        var venue: String
        var currency: String
        var qty: Fixed
        var price: Fixed?
        var filled: Fixed
    }

    /// The rows of the program's venue table: the first CSV table keyed by
    /// a symbol (preferably one named `venues`), with its currency column.
    private static func venues(of program: CheckedProgram) -> [Venue] {
        var tables: [(String, CheckedTable)] = []
        for d in program.data {
            if case .table(let t) = d.source, t.keyColumn.type == .symbol { tables.append((d.name, t)) }
        }
        guard let (_, t) = tables.first(where: { $0.0 == "venues" }) ?? tables.first else {
            return [Venue(mic: "XNAS", currency: "USD"), Venue(mic: "XETR", currency: "EUR")]
        }
        let ci = t.columns.firstIndex { $0.type == .currency }
        return t.rows.compactMap { row in
            guard case .symbol(let mic) = row[t.keyIndex] else { return nil }
            var c: String?
            if let ci, case .symbol(let code) = row[ci] { c = code }
            return Venue(mic: mic, currency: c)
        }
    }

    /// The keys of the program's reference tables (not the venues table),
    /// by the name of their key column: `trader`, `client`, `algo`, `symbol`, …
    private static func tableKeys(of program: CheckedProgram) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for d in program.data where d.name != "venues" {
            guard case .table(let t) = d.source, t.keyColumn.type == .symbol else { continue }
            for row in t.rows {
                if case .symbol(let k) = row[t.keyIndex] { out[t.keyColumn.name, default: []].append(k) }
            }
        }
        return out
    }

    /// An id: usually one of `pool`, sometimes one a reference table names
    /// under `column`, one nobody knows, or a known one with an invisible
    /// character or a trailing space.
    private mutating func identity(_ pool: [String], _ column: String, listedPerMille: UInt64 = 40) -> String {
        if let extra = listed[column], !extra.isEmpty, chance(listedPerMille) { return pick(extra) }
        if chance(8) { return "U-\(column.prefix(2).uppercased())-\(rng.below(5))" }  // an id nobody knows
        if chance(3) {  // a known id with a character that prints as nothing (refused)
            return pick(pool) + pick(["\u{200B}", "\u{7F}", "\u{AD}", "\u{FEFF}", "\u{85}", "\u{2066}", " ", "\u{A0}"])
        }
        return pick(pool)
    }

    private mutating func collect(_ v: Value) {
        switch v {
        case .money(let a, let c): moneyLimits[c, default: []].append(a)
        case .int(let i) where i > 0: countLimits.append(i)
        case .decimal(let d) where d.raw > 0: if let i = d.truncatedInt { countLimits.append(i) }
        case .percent(let p): if let f = p.divided(by: Fixed(100)) { percentLimits.append(f) }
        default: break
        }
    }

    private static let tickers: [String: [String]] = [
        "XNYS": ["IBM", "KO", "JPM"], "XNAS": ["AAPL", "MSFT", "NVDA"], "ARCX": ["SPY", "GLD", "XLF"],
        "BATS": ["QQQ", "IWM", "EEM"], "XETR": ["SAP", "SIE", "ALV"], "XPAR": ["MC", "OR", "AIR"],
        "XAMS": ["ASML", "INGA", "PHIA"], "XMIL": ["ENI", "ISP", "UCG"], "XMAD": ["SAN", "ITX", "IBE"],
        "XLON": ["HSBA", "BP", "AZN"], "XTKS": ["7203", "6758", "9984"], "XOSE": ["NK225F", "TPXF", "JGBF"],
        "XSES": ["D05", "O39", "U11"], "XNSE": ["RELIANCE", "TCS", "INFY"], "XBOM": ["HDFCBANK", "ITC", "SBIN"],
        "XTSE": ["RY", "TD", "SHOP"], "XTSX": ["NGD", "VGCX", "AII"], "XASX": ["BHP", "CBA", "CSL"],
    ]

    /// A reference price range by currency (whole units).
    private static func priceRange(_ currency: String) -> ClosedRange<Int> {
        switch currency {
        case "JPY": 500...8_000
        case "INR": 100...3_000
        case "GBP": 1...60
        case "USD": 20...400
        case "EUR": 10...300
        default: 5...120
        }
    }

    private mutating func makeInstruments() {
        var n = 0
        for (vi, v) in venues.enumerated() {
            let names = EventGenerator.tickers[v.mic] ?? (1...3).map { "\(v.mic)-\($0)" }
            for (k, s) in names.enumerated() {
                n += 1
                let currency = v.currency ?? "USD"
                let r = EventGenerator.priceRange(currency)
                let cents = Int(rng.below(UInt64(r.upperBound - r.lowerBound) * 100)) + r.lowerBound * 100
                let listed: Fixed? = k == 0 ? Fixed(1_000_000 * (1 + Int(rng.below(4)))) : nil
                instruments.append(
                    Instrument(
                        symbol: s, venue: v.mic, currency: currency, reference: Fixed(raw: Int128(cents) * 1_000_000),
                        hasMarket: k != 2 || vi % 3 != 0, listedShares: listed, restricted: n % 29 == 5))
            }
        }
        knownInstruments = Array(instruments.indices)
        marketInstruments = instruments.indices.filter { instruments[$0].hasMarket }
        // Instruments that reference tables name, each on one venue (the same for every seed).
        let known = Set(instruments.map(\.symbol))
        for s in Set((listed["symbol"] ?? []) + (listed["instrument"] ?? [])).sorted() where !known.contains(s) && !venues.isEmpty {
            let v = venues[s.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF } % venues.count]
            let currency = v.currency ?? "USD"
            let r = EventGenerator.priceRange(currency)
            let cents = Int(rng.below(UInt64(r.upperBound - r.lowerBound) * 100)) + r.lowerBound * 100
            instruments.append(
                Instrument(
                    symbol: s, venue: v.mic, currency: currency, reference: Fixed(raw: Int128(cents) * 1_000_000),
                    hasMarket: true, listedShares: nil, restricted: false))
        }
        for u in unknownVenues {
            unknownInstruments.append(instruments.count)
            instruments.append(
                Instrument(
                    symbol: "\(u)-X", venue: u, currency: "USD", reference: Fixed(50), hasMarket: false, listedShares: nil,
                    restricted: false))
        }
    }

    // MARK: - One step

    private mutating func step() {
        advanceClock()
        let roll = rng.below(1000)
        switch roll {
        case 0..<444: newOrder()
        case 444..<464: duplicateOrder()
        case 464..<465: burst()
        case 465..<466: fillBurst()
        case 466..<515: bigNotional()
        case 515..<595: modify()
        case 595..<675: cancel()
        case 675..<805: fill()
        case 805..<935: marketUpdate()
        case 935..<955: control()
        case 955..<965: malformed()
        case 965..<968: timeJump()
        case 968..<978 where !clusterNames.isEmpty: platformEvent()
        default: newOrder()
        }
    }

    private mutating func advanceClock() {
        let r = rng.below(1000)
        var dt: Int64
        switch r {
        case 0..<700: dt = Int64(rng.below(3_000_000))  // up to 3 ms
        case 700..<950: dt = 3_000_000 + Int64(rng.below(497_000_000))
        case 950..<995: dt = 500_000_000 + Int64(rng.below(4_500_000_000))
        default: dt = -Int64(rng.below(1_500_000_000))  // a clock that goes back a little
        }
        clock += dt
    }

    /// Jumps just before the next UTC midnight, or just before 14:30 UTC
    /// (the US opening window) of the next day.
    private mutating func timeJump() {
        let day: Int64 = 86_400_000_000_000
        let today = (clock / day) * day
        if rng.below(2) == 0 {
            clock = today + day - 400_000_000 - Int64(rng.below(100_000_000))
        } else {
            clock = today + day + 52_200_000_000_000 - Int64(rng.below(1_000_000_000))
        }
    }

    // MARK: - Orders

    private mutating func pick<T>(_ xs: [T]) -> T { xs[Int(rng.below(UInt64(xs.count)))] }

    private mutating func chance(_ perMille: UInt64) -> Bool { rng.below(1000) < perMille }

    private mutating func instrumentIndex() -> Int {
        if !unknownInstruments.isEmpty, chance(40) { return pick(unknownInstruments) }
        return knownInstruments.isEmpty ? 0 : pick(knownInstruments)
    }

    /// A limit price around the reference: mostly inside the collars, some
    /// right at their edges, some far out.
    private mutating func limitPrice(_ ref: Fixed) -> Fixed {
        let bp: Int
        let r = rng.below(100)
        if r < 80 || percentLimits.isEmpty {
            bp = Int(rng.below(801)) - 400  // ±4%
        } else if r < 92 {
            let p = pick(percentLimits)
            let edge = Int((p.raw * 10_000) / Fixed.one)
            bp = (chance(500) ? 1 : -1) * (edge + Int(rng.below(3)) - 1)
        } else {
            bp = (chance(500) ? 1 : -1) * (600 + Int(rng.below(1400)))
        }
        let factor = Fixed(raw: Fixed.one + Int128(bp) * Fixed.one / 10_000)
        let p = ref.multiplied(by: factor) ?? ref
        return Fixed(raw: (p.raw / 1_000_000) * 1_000_000)  // two decimals
    }

    /// A quantity: mostly small, some at every count limit, some at a money
    /// limit for this price, some at a share of the listed shares.
    private mutating func quantity(price: Fixed?, currency: String, listed: Fixed?) -> Fixed {
        let r = rng.below(100)
        if r < 70 {
            let q = 1 + Int(rng.below(2_000))
            if chance(30) { return Fixed(raw: Int128(q) * Fixed.one + Fixed.one / 2) }
            return Fixed(chance(500) ? q : (q / 10 + 1) * 10)
        }
        if r < 82, !countLimits.isEmpty {
            let l = pick(countLimits)
            return Fixed(Int(l) + Int(rng.below(3)) - 1)
        }
        if r < 92, let p = price, p.raw > 0, let ls = moneyLimits[currency], !ls.isEmpty {
            let l = pick(ls)
            if let q = l.divided(by: p) { return Fixed(Int(q.truncatedInt ?? 1) + Int(rng.below(3)) - 1) }
        }
        if let listed, !percentLimits.isEmpty {
            let p = pick(percentLimits)
            if let q = listed.multiplied(by: p) { return Fixed(Int(q.truncatedInt ?? 1) + Int(rng.below(3)) - 1) }
        }
        return Fixed(1 + Int(rng.below(500)))
    }

    private func currencyOf(_ mic: String) -> String? { venues.first { $0.mic == mic }?.currency }

    /// The fields of a `new` order, in the input contract's order.
    private mutating func orderFields(
        id: String, instrument i: Int, account: String? = nil, trader: String? = nil, algo: String?? = nil,
        qty fixedQty: Fixed? = nil
    ) -> SentOrder {
        let ins = instruments[i]
        var currency = currencyOf(ins.venue) ?? pick(["USD", "EUR", "XYZ"])
        if chance(30) { currency = pick(["USD", "EUR", "JPY", "GBP"]) }
        let market = chance(150)
        let price: Fixed? = market || chance(10) ? nil : limitPrice(ins.reference)
        let qty = fixedQty ?? quantity(price: price ?? ins.reference, currency: currency, listed: ins.listedShares)
        let side = pick(["buy", "buy", "buy", "sell", "sell", "sell", "short", "short_exempt"])
        let algoValue: String? = algo ?? (chance(600) ? identity(algos, "algo") : nil)
        var f: [(key: String, value: String)] = []
        func add(_ k: String, _ v: String) { f.append((k, json(v))) }
        add("event", "new")
        add("id", id)
        add("ts", EventGenerator.timestamp(clock, digits: 3 * (1 + Int(rng.below(3)))))
        add("account", account ?? identity(accounts, "account"))
        add("client", chance(15) ? EventGenerator.blockedClient : identity(Array(clients.dropLast()), "client"))
        add("client_country", pick(countries))
        add("trader", trader ?? identity(traders, "trader"))
        add("desk", identity(desks, "desk"))
        if let algoValue { add("algo", algoValue) }
        add("symbol", ins.symbol)
        if chance(300) { add("isin", "XS\(1_000_000_000 + i)") }
        add("venue", ins.venue)
        add("side", side)
        f.append(("qty", decimalJSON(qty)))
        if let price { f.append(("price", decimalJSON(price))) }
        add("ord_type", market ? "market" : "limit")
        add("currency", currency)
        if side.hasPrefix("short"), chance(500) { add("locate_id", "L-\(rng.below(100))") }
        if chance(300) { add("tif", pick(["day", "ioc", "gtc"])) }
        addOtherFields(&f)
        return SentOrder(id: id, fields: f, venue: ins.venue, currency: currency, qty: qty, price: price, filled: .zero)
    }

    /// Values for fields of the program's order schema that the input
    /// contract does not name (so that any schema gets complete orders).
    private mutating func addOtherFields(_ f: inout [(key: String, value: String)]) {
        guard let schema = orderSchema else { return }
        for field in schema.fields where !f.contains(where: { $0.key == field.name }) {
            if EventGenerator.contractFields.contains(field.name) || field.defaultValue != nil { continue }
            if field.isOptional, chance(500) { continue }
            switch field.type {
            case .bool: f.append((field.name, chance(500) ? "true" : "false"))
            case .int: f.append((field.name, String(rng.below(100))))
            case .decimal, .money: f.append((field.name, json(String(rng.below(1000)))))
            case .timestamp: f.append((field.name, json(EventGenerator.timestamp(clock, digits: 0))))
            case .string, .symbol, .currency: f.append((field.name, json("\(field.name.uppercased())-\(rng.below(5))")))
            default: continue
            }
        }
    }

    private static let contractFields: Set<String> = [
        "event", "id", "ts", "account", "client", "client_country", "trader", "desk", "algo", "symbol", "isin", "venue",
        "side", "qty", "price", "ord_type", "currency", "locate_id", "tif",
    ]

    private mutating func newID() -> String {
        defer { nextOrder += 1 }
        return "O-\(nextOrder)"
    }

    private mutating func send(_ o: SentOrder, reused: Bool = false) {
        pending.append(render(o.fields))
        usedIDs.append(o.id)
        if reused { orders.removeAll { $0.id == o.id } }
        orders.append(o)
        if orders.count > 3_500 { orders.removeFirst(500) }
    }

    private mutating func newOrder() {
        send(orderFields(id: newID(), instrument: instrumentIndex()))
    }

    /// A `new` that reuses an id seen before (today or an earlier day).
    private mutating func duplicateOrder() {
        guard !usedIDs.isEmpty else { return newOrder() }
        let id = usedIDs[usedIDs.count - 1 - Int(rng.below(UInt64(min(usedIDs.count, 400))))]
        send(orderFields(id: id, instrument: instrumentIndex()), reused: true)
    }

    /// One algorithm or trader sending more messages in under a second than
    /// a rate limit allows (or just as many).
    private mutating func burst() {
        let small = countLimits.filter { $0 <= 1_000 }
        let limit = small.isEmpty ? 20 : pick(small)
        let n = Int(limit) + Int(rng.below(6)) - 2
        let byAlgo = chance(500)
        let algo = identity(algos, "algo", listedPerMille: 300)
        let trader = identity(traders, "trader", listedPerMille: 300)
        var i = instrumentIndex()
        // Half the bursts start on a second boundary, so that they fit in one window.
        if chance(500) { clock = (clock / 1_000_000_000 + 1) * 1_000_000_000 + Int64(rng.below(1_000_000)) }
        // Spread over most of a second, or packed into a tenth of one.
        let spacing = UInt64(max(1, (chance(500) ? 900_000_000 : 90_000_000) / max(1, n)))
        for k in 0..<max(1, n) {
            clock += Int64(rng.below(spacing))
            if k % 7 == 0 { i = instrumentIndex() }
            let o = orderFields(
                id: newID(), instrument: i, trader: byAlgo ? nil : trader, algo: byAlgo ? .some(algo) : nil,
                qty: Fixed(1 + Int(rng.below(100))))
            send(o)
        }
    }

    /// Many small fills of one algorithm's orders within a minute: more
    /// executions than a count limit allows (or just as many).
    private mutating func fillBurst() {
        let small = countLimits.filter { $0 <= 1_000 }
        let n = Int(small.isEmpty ? 20 : pick(small)) + Int(rng.below(6)) - 2
        let algo = identity(algos, "algo", listedPerMille: 300)
        var ids: [(id: String, venue: String, currency: String, price: Fixed)] = []
        for _ in 0..<3 {
            clock += Int64(rng.below(2_000_000))
            let o = orderFields(id: newID(), instrument: instrumentIndex(), algo: .some(algo), qty: Fixed(max(1, n)))
            send(o)
            ids.append((o.id, o.venue, o.currency, o.price ?? Fixed(10)))
        }
        let spacing = UInt64(max(1, 50_000_000_000 / max(1, n)))
        for k in 0..<max(1, n) {
            clock += Int64(rng.below(spacing))
            let o = ids[k % ids.count]
            pending.append(
                render([
                    ("event", json("fill")), ("id", json(o.id)), ("exec_id", json("E-\(nextExec)")),
                    ("ts", json(EventGenerator.timestamp(clock, digits: 9))), ("qty", json("1")),
                    ("price", decimalJSON(o.price)), ("currency", json(o.currency)), ("venue", json(o.venue)),
                ]))
            nextExec += 1
        }
    }

    /// Large orders of one account, near its jurisdiction's value limit:
    /// they add up past daily credit limits.
    private mutating func bigNotional() {
        let i = instrumentIndex()
        let ins = instruments[i]
        guard let ls = moneyLimits[ins.currency], let top = ls.min(), ins.reference.raw > 0,
            let q = top.multiplied(by: Fixed(raw: Fixed.one * 9 / 10))?.divided(by: ins.reference), let qi = q.truncatedInt
        else { return newOrder() }
        send(orderFields(id: newID(), instrument: i, account: pick(Array(accounts.prefix(3))), qty: Fixed(Int(max(1, qi)))))
    }

    private mutating func modify() {
        guard !orders.isEmpty, !chance(100) else {
            pending.append(render(orderFields(id: "O-X\(rng.below(1_000_000))", instrument: instrumentIndex()).fields, event: "modify"))
            return
        }
        let k = Int(rng.below(UInt64(orders.count)))
        var o = orders[k]
        let factor = Fixed(raw: Fixed.one * Int128(80 + rng.below(50)) / 100)
        o.qty = Fixed(Int((o.qty.multiplied(by: factor) ?? o.qty).truncatedInt ?? 1) + 1)
        if let p = o.price, chance(500) {
            let bp = Int128(rng.below(201)) - 100
            o.price = Fixed(raw: ((p.multiplied(by: Fixed(raw: Fixed.one + bp * Fixed.one / 10_000)) ?? p).raw / 1_000_000) * 1_000_000)
        }
        for j in o.fields.indices {
            switch o.fields[j].key {
            case "ts": o.fields[j].value = json(EventGenerator.timestamp(clock, digits: 9))
            case "qty": o.fields[j].value = decimalJSON(o.qty)
            case "price": if let p = o.price { o.fields[j].value = decimalJSON(p) }
            default: break
            }
        }
        orders[k] = o
        pending.append(render(o.fields, event: "modify"))
    }

    private mutating func cancel() {
        let id: String
        if orders.isEmpty || chance(150) {
            id = "O-X\(rng.below(1_000_000))"
        } else {
            let o = orders.remove(at: Int(rng.below(UInt64(orders.count))))
            id = o.id
            close(o)
        }
        pending.append(render([("event", json("cancel")), ("id", json(id)), ("ts", json(EventGenerator.timestamp(clock, digits: 6)))]))
    }

    /// The fields of a fill of `q` of order `o`, sent under `id`, with the next execution id.
    private mutating func fillFields(_ o: SentOrder, id: String, qty q: Fixed) -> [(key: String, value: String)] {
        let price = o.price ?? instruments.first { $0.venue == o.venue }?.reference ?? Fixed(10)
        return [
            ("event", json("fill")), ("id", json(id)), ("exec_id", json("E-\(nextExec)")),
            ("ts", json(EventGenerator.timestamp(clock, digits: 9))), ("qty", decimalJSON(q)), ("price", decimalJSON(price)),
            ("currency", json(o.currency)), ("venue", json(o.venue)),
        ]
    }

    /// An order no longer live (cancelled, or filled) is remembered for late fills.
    private mutating func close(_ o: SentOrder) {
        closedOrders.append(o)
        if closedOrders.count > 3_500 { closedOrders.removeFirst(500) }
    }

    private mutating func fill() {
        guard !orders.isEmpty else { return newOrder() }
        // A fill that raced a cancel (or comes past the order's quantity)
        // arrives after the order is no longer live: it still counts.
        if !closedOrders.isEmpty, chance(120) {
            // Mostly one closed lately (as a race is), so that small tables forget some.
            let recent = min(closedOrders.count, 12)
            let o = chance(700) ? closedOrders[closedOrders.count - 1 - Int(rng.below(UInt64(recent)))] : pick(closedOrders)
            let q = Fixed(1 + Int(rng.below(100)))
            pending.append(render(fillFields(o, id: o.id, qty: q)))
            nextExec += 1
            return
        }
        let k = Int(rng.below(UInt64(orders.count)))
        var o = orders[k]
        let remaining = o.qty.subtracting(o.filled) ?? o.qty
        var q = remaining
        if chance(600), let whole = remaining.truncatedInt, whole > 1 { q = Fixed(1 + Int(rng.below(UInt64(whole - 1)))) }
        let unknown = chance(50)
        var f = fillFields(o, id: unknown ? "O-X\(rng.below(1_000_000))" : o.id, qty: q)
        if chance(200) { f.append(("venue_tx_id", json("VTX-\(nextExec)"))) }
        nextExec += 1
        let line = render(f)
        pending.append(line)
        // An at-least-once drop copy delivers some fills again: they count once.
        if chance(60) { pending.append(line) }
        if unknown { return }
        o.filled = o.filled.adding(q) ?? o.qty
        if o.filled >= o.qty {
            orders.remove(at: k)
            close(o)
        } else {
            orders[k] = o
        }
    }

    // MARK: - Market data and controls

    private mutating func marketLine(_ i: Int, full: Bool) -> String {
        let ins = instruments[i]
        var f: [(key: String, value: String)] = [
            ("event", json("market")), ("symbol", json(ins.symbol)), ("venue", json(ins.venue)),
            ("ts", json(EventGenerator.timestamp(clock, digits: 3))),
        ]
        if full || chance(900) { f.append(("reference", decimalJSON(ins.reference))) }
        // Some instruments never get a previous close or a best bid.
        let partial = i % 7 == 3
        if (full && !partial) || chance(300) {
            f.append(("prior_close", decimalJSON(ins.reference.adding(Fixed(1)) ?? ins.reference)))
        }
        if (full && !partial) || chance(300) {
            f.append(("nbb", decimalJSON(ins.reference.subtracting(Fixed(raw: Fixed.one / 100)) ?? ins.reference)))
        }
        if full { f.append(("instrument_class", json(ins.symbol.count > 4 ? "etf" : "equity"))) }
        if full, ins.currency == "USD" { f.append(("luld_tier", String(1 + ins.symbol.count % 2))) }
        // Now and then a feed's tier the LULD Plan does not have, until an update gives the real one again.
        if !full, ins.currency == "USD", chance(30) {
            f.append(("luld_tier", chance(100) ? "3" : String(1 + ins.symbol.count % 2)))
        }
        if let l = ins.listedShares, full || chance(200) { f.append(("listed_shares", decimalJSON(l))) }
        return render(f)
    }

    private mutating func marketUpdate() {
        guard !marketInstruments.isEmpty else { return newOrder() }
        let i = pick(marketInstruments)
        var bp = Int128(rng.below(101)) - 50
        // Now and then a jump of 5–10%: prices that pass the collar on the
        // reference now but not against the range of the last minutes
        // (`window_max`, `window_min`).
        if chance(50) { bp = (chance(500) ? 1 : -1) * (500 + Int128(rng.below(501))) }
        let r = instruments[i].reference
        let moved = r.multiplied(by: Fixed(raw: Fixed.one + bp * Fixed.one / 10_000)) ?? r
        instruments[i].reference = Fixed(raw: max(Fixed.one, (moved.raw / 1_000_000) * 1_000_000))
        pending.append(marketLine(i, full: false))
    }

    private mutating func control() {
        let ts = json(EventGenerator.timestamp(clock, digits: 9))
        if !boundTables.isEmpty, chance(300) {
            tableControl(ts)
            return
        }
        if !latchRules.isEmpty, chance(250) {
            // A person re-enables: a latch's key is an algorithm, a trader or an instrument.
            let key = pick(algos + traders + instruments.map(\.symbol))
            pending.append(
                render([
                    ("event", json("control")), ("action", json("reset")), ("key", json(key)),
                    ("latch", json(pick(latchRules))), ("ts", ts),
                ]))
            return
        }
        if !kills.isEmpty, chance(750) {
            let k = kills.remove(at: Int(rng.below(UInt64(kills.count))))
            pending.append(
                render([("event", json("control")), ("action", json("unkill")), ("scope", json(k.scope)), ("key", json(k.key)), ("ts", ts)]))
            return
        }
        let scope = pick(["venue", "trader", "trader", "desk", "client", "client", "algo", "algo"])
        let key: String
        switch scope {
        case "venue": key = pick(venues.map(\.mic))
        case "trader": key = pick(traders)
        case "desk": key = pick(desks)
        case "client": key = pick(clients)
        default: key = pick(algos)
        }
        kills.append((scope, key))
        pending.append(render([("event", json("control")), ("action", json("kill")), ("scope", json(scope)), ("key", json(key)), ("ts", ts)]))
    }

    // MARK: - Platform events

    /// A platform event: clusters failing and recovering (more recoveries
    /// than failures), load, replication lag, incidents and halts (rare,
    /// and cleared more often than raised), links, and now and then one
    /// with a problem.
    private mutating func platformEvent() {
        let ts = (key: "ts", value: json(EventGenerator.timestamp(clock, digits: 9)))
        func cluster() -> String {
            clusterTitles.isEmpty || rng.below(4) != 0 ? pick(clusterNames) : pick(clusterTitles)
        }
        let r = rng.below(100)
        var f: [(key: String, value: String)]
        switch r {
        case 0..<12:
            let c = pick(clusterNames)
            if !downClusters.contains(c) { downClusters.append(c) }
            f = [("event", json("cluster_down")), ("cluster", json(c)), ts]
        case 12..<54:
            var c = cluster()
            if !downClusters.isEmpty, rng.below(5) != 0 { c = downClusters.remove(at: Int(rng.below(UInt64(downClusters.count)))) }
            downClusters.removeAll { $0 == c }
            f = [("event", json("cluster_up")), ("cluster", json(c)), ts]
        case 54..<62: f = [("event", json("cluster_degraded")), ("cluster", json(cluster())), ts]
        case 62..<72:
            let load = "0.\(rng.below(100))"
            f = [("event", json("cluster_load")), ("cluster", json(cluster())), ("load", rng.below(3) == 0 ? load : json(load)), ts]
        case 72..<78 where !tierNames.isEmpty:
            f = [("event", json("replication_lag")), ("tier", json(pick(tierNames))), ("seconds", json("\(rng.below(9)).\(rng.below(10))")), ts]
        case 78..<79: f = [("event", json("security_incident")), ts]
        case 79..<80 where rng.below(2) == 0: f = [("event", json("regulatory_halt")), ts]
        case 79..<81: f = [("event", json("clear")), ("what", json("regulatory_halt")), ts]
        case 81..<92:
            let what = pick(["security_incident", "regulatory_halt", "replication_lag", "replication_lag"])
            f = [("event", json("clear")), ("what", json(what)), ts]
            if what == "replication_lag", !tierNames.isEmpty, rng.below(2) == 0 { f.append(("tier", json(pick(tierNames)))) }
        case 92..<96 where !links.isEmpty:
            let l = pick(links)
            f = [("event", json(rng.below(2) == 0 ? "link_down" : "link_up")), ("from", json(l.0)), ("to", json(l.1)), ts]
        default:
            switch rng.below(6) {
            case 0: f = [("event", json("cluster_down")), ("cluster", json("nautilus-unknown-1")), ts]
            case 1: f = [("event", json("cluster_up")), ("cluster", json(cluster()))]
            case 2: f = [("event", json("cluster_load")), ("cluster", json(cluster())), ("load", json("high")), ts]
            case 3: f = [("event", json("replication_lag")), ("tier", json("gold")), ("seconds", json("1")), ts]
            case 4: f = [("event", json("clear")), ("what", json("everything")), ts]
            default: f = [("event", json("cluster_degraded")), ("cluster", "7"), ts]
            }
        }
        pending.append(render(f))
    }

    // MARK: - Malformed lines

    /// A line with exactly one problem.
    private mutating func malformed() {
        var o = orderFields(id: newID(), instrument: instrumentIndex())
        func replace(_ key: String, _ value: String) {
            if let j = o.fields.firstIndex(where: { $0.key == key }) { o.fields[j].value = value }
        }
        switch rng.below(14) {
        case 0:  // cut short, maybe after the id
            let text = render(o.fields)
            let cut = 1 + Int(rng.below(UInt64(text.utf8.count - 2)))
            pending.append(String(decoding: Array(text.utf8).prefix(cut), as: UTF8.self))
        case 1: pending.append(pick(["hello", "{", "}", "{\"event\":", "nul", "{\"event\" \"new\"}"]))
        case 2: pending.append(pick(["[1,2,3]", "\"new\"", "42", "null", "true"]))
        case 3:
            replace("event", json(pick(["replace", "amend", "NEW", ""])))
            pending.append(render(o.fields))
        case 4:
            let required = ["account", "symbol", "venue", "side", "qty", "ts", "currency", "ord_type", "trader"]
            let drop = pick(required)
            o.fields.removeAll { $0.key == drop }
            pending.append(render(o.fields))
        case 5:
            replace(pick(["account", "venue", "symbol"]), pick(["5", "true", "[]", "{}"]))
            pending.append(render(o.fields))
        case 6:
            replace("qty", pick(["true", "\"12.3.4\"", "\"1e5\"", "\"12.123456789\"", "\"abc\"", "1e5", "\"\"", "\"+5\"", "\"1,000\""]))
            pending.append(render(o.fields))
        case 7:
            replace(
                "ts",
                json(pick(["2026-13-01T00:00:00Z", "yesterday", "2026-11-27 14:30:00Z", "2026-02-30T10:00:00Z", "2026-11-27T14:30:00"])))
            pending.append(render(o.fields))
        case 8:
            replace("side", json(pick(["sideways", "BUY", "long"])))
            pending.append(render(o.fields))
        case 9:
            o.fields.removeAll { $0.key == "event" }
            pending.append(render(o.fields))
        case 10:
            let i = marketInstruments.isEmpty ? 0 : pick(marketInstruments)
            let ins = instruments[i]
            pending.append(
                render([
                    ("event", json("market")), ("symbol", json(ins.symbol)), ("venue", json(ins.venue)),
                    ("ts", json(EventGenerator.timestamp(clock, digits: 0))), ("reference", json(pick(["abc", "1.2.3", "-"]))),
                ]))
        case 11:
            let ts = json(EventGenerator.timestamp(clock, digits: 0))
            switch rng.below(4) {
            case 0:
                pending.append(
                    render([
                        ("event", json("control")), ("action", json(pick(["explode", "Kill"]))),
                        ("scope", json("trader")), ("key", json("T-1")), ("ts", ts),
                    ]))
            case 1:  // a kill without its scope
                pending.append(
                    render([("event", json("control")), ("action", json("kill")), ("key", json("T-1")), ("ts", ts)]))
            case 2:  // a reset without the rule it re-enables
                pending.append(
                    render([("event", json("control")), ("action", json("reset")), ("key", json("T-1")), ("ts", ts)]))
            default:  // a reset of a rule that has no latch
                pending.append(
                    render([
                        ("event", json("control")), ("action", json("reset")), ("key", json("T-1")),
                        ("latch", json("GLOBAL.no_such_rule")), ("ts", ts),
                    ]))
            }
        case 12:
            pending.append(
                render([
                    ("event", json("fill")), ("id", json(o.id)), ("exec_id", json("E-BAD")),
                    ("ts", json(EventGenerator.timestamp(clock, digits: 0))), ("qty", json("four hundred")),
                    ("price", "10"), ("currency", json("USD")), ("venue", json("XNAS")),
                ]))
        default:
            replace("price", pick(["\"1.1.1\"", "false", "\"0x10\""]))
            pending.append(render(o.fields))
        }
    }

    // MARK: - Text

    private func render(_ fields: [(key: String, value: String)], event: String? = nil) -> String {
        var parts: [String] = []
        for (k, v) in fields {
            if k == "event", let event {
                parts.append("\(json(k)):\(json(event))")
            } else {
                parts.append("\(json(k)):\(v)")
            }
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// A decimal as a JSON string, or sometimes as a JSON integer when it is one.
    private mutating func decimalJSON(_ d: Fixed) -> String {
        if d.isInteger, chance(100) { return d.description }
        return json(d.description)
    }

    /// A JSON string literal.
    private func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// RFC 3339 in UTC with `digits` (0, 3, 6 or 9) fractional digits,
    /// truncating; none for a whole second.
    static func timestamp(_ ns: Int64, digits: Int) -> String {
        let day: Int64 = 86_400_000_000_000
        var days = ns / day
        var rest = ns % day
        if rest < 0 {
            rest += day
            days -= 1
        }
        let (y, m, d) = Value.civil(fromDays: days)
        let secs = rest / 1_000_000_000
        func pad(_ n: Int64, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var s = "\(pad(Int64(y), 4))-\(pad(Int64(m), 2))-\(pad(Int64(d), 2))T"
        s += "\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
        if digits > 0, rest % 1_000_000_000 != 0 {
            var frac = rest % 1_000_000_000
            for _ in digits..<9 { frac /= 10 }
            s += "." + pad(frac, digits)
        }
        return s + "Z"
    }
}

/// SplitMix64: a small, fast generator whose sequence is fixed by its seed
/// on every platform and Swift version.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A number in `0..<n` (n > 0), without modulo bias worth caring about here.
    mutating func below(_ n: UInt64) -> UInt64 {
        precondition(n > 0)
        return next() % n
    }
}
