/// The events of one CAT generation, made in time order: the state of
/// every live order (key date, what is left to fill), the checks of each
/// record against CAT's formats, and the JSON of each event.
import WritValue

/// The state of one CAT generation.
struct CATRun: ~Copyable {
    let id: CATIdentity
    let date: ReportDate
    var out: JSONLineWriter
    var events = 0
    var violations: [ReportViolation] = []

    /// Notes for the person running it.
    var notes: [String] { [] }

    /// What the generator remembers of a live order.
    struct Live {
        var order: OrderRecord
        var keyDate: Int64
        var leaves: Fixed
        var open = true
    }

    /// The slot of a live (not cancelled) order.
    func liveSlot(_ id: String) -> Int? {
        guard let k = slots[id], states[k].open else { return nil }
        return k
    }
    /// The slot in `states` of each order id seen in a `new` event.
    var slots: [String: Int] = [:]
    /// The orders' states; `open` is false once cancelled.
    var states: [Live] = []

    /// Where full buffers go (nil: everything stays in `out`).
    let sink: StagedFile?
    /// The first error of the sink.
    var sinkFailure: ReportError?
    /// The buffer size at which `out` is written to the sink.
    static let flushSize = 1 << 20

    init(id: CATIdentity, date: ReportDate, expectedEvents: Int, sink: StagedFile?) {
        self.sink = sink
        out = JSONLineWriter(capacity: sink == nil ? 64 + expectedEvents * 420 : CATRun.flushSize + 4096)
        self.id = id
        self.date = date
    }

    /// Something that makes events, with the keys that order it.
    enum Source {
        case order(Int)
        case route(Int)
        case fill(Int)
    }

    /// Writes what `out` holds to the sink and empties it.
    mutating func flush() throws(ReportError) {
        guard let sink, out.text.count > 0 else { return }
        try out.text.withBytes { raw throws(ReportError) in try sink.write(raw) }
        out.text.removeAll()
    }

    mutating func run(_ inputs: ReportInputs, progress: ReportProgress?) {
        let decisions = DecisionMatcher(inputs)
        // Every source with its time and rank: new < route < trade < cancel at the same time.
        var keyed: [(ts: Int64, rank: Int, id: String, seq: Int, source: Source)] = []
        keyed.reserveCapacity(inputs.orders.count * 2 + inputs.fills.count)
        for (i, o) in inputs.orders.enumerated() {
            let decision = decisions.decision(of: i)
            let verdict = decision?.verdict
            switch o.event {
            case .new:
                guard verdict != .reject else { continue }
                keyed.append((o.timestamp, 0, o.id, keyed.count, .order(i)))
                if let decision, verdict == .allow {
                    keyed.append((decision.timestamp, 1, o.id, keyed.count, .route(i)))
                }
            case .modify:
                guard verdict != .reject else { continue }
                keyed.append((o.timestamp, 0, o.id, keyed.count, .order(i)))
            case .cancel:
                guard verdict != .reject else { continue }
                keyed.append((o.timestamp, 3, o.id, keyed.count, .order(i)))
            }
        }
        for (i, f) in inputs.fills.enumerated() { keyed.append((f.timestamp, 2, f.execID, keyed.count, .fill(i))) }
        keyed.sort { ($0.ts, $0.rank, $0.id, $0.seq) < ($1.ts, $1.rank, $1.id, $1.seq) }
        for (n, k) in keyed.enumerated() {
            switch k.source {
            case .order(let i): orderEvent(inputs.orders[i])
            case .route(let i): route(inputs.orders[i], at: k.ts)
            case .fill(let i): trade(inputs.fills[i])
            }
            if sink != nil && out.text.count >= CATRun.flushSize {
                // Nothing more is written once a record fails: the file will be discarded.
                if !violations.isEmpty || sinkFailure != nil {
                    out.text.removeAll()
                } else {
                    do throws(ReportError) { try flush() } catch { sinkFailure = error }
                }
                progress?(n + 1, keyed.count)
            }
        }
        progress?(keyed.count, keyed.count)
    }

    mutating func fail(_ kind: String, _ record: String, _ message: String) {
        violations.append(ReportViolation(kind: kind, record: record, message: message))
    }

    /// The next `firmROEID`: `{YYYYMMDD}-{n}`, n counting the file's events from 1.
    mutating func header(_ type: StaticString) {
        events += 1
        out.begin()
        out.string("actionType", StaticString("NEW"))
        out.rawMember("firmROEID") { t in
            t.append(UInt8(ascii: "\""))
            t.appendInt(Int64(date.compactNumber))
            t.append(UInt8(ascii: "-"))
            t.appendInt(Int64(events))
            t.append(UInt8(ascii: "\""))
        }
        out.string("type", type)
        out.string("CATReporterIMID", id.imid)
    }

    func checkPrice(_ p: Fixed, _ what: String, _ problems: inout [String]) {
        let d = TextFormat.digits(p)
        if d.integer > 10 { problems.append("its \(what) `\(TextFormat.decimal(p))` has more than 10 integer digits") }
    }

    func checkQuantity(_ q: Fixed, _ what: String, _ problems: inout [String]) {
        let d = TextFormat.digits(q)
        if d.integer > 12 || d.fraction > 6 {
            problems.append("its \(what) `\(TextFormat.decimal(q))` does not fit CAT's 12 integer and 6 decimal digits")
        }
        if q.raw < 0 { problems.append("its \(what) `\(TextFormat.decimal(q))` is negative") }
    }

    func checkText(_ s: String, _ what: String, max: Int, _ problems: inout [String]) {
        if s.utf8.count > max { problems.append("its \(what) `\(s)` is longer than \(max) characters") }
    }

    mutating func orderEvent(_ o: OrderRecord) {
        switch o.event {
        case .new: newOrder(o)
        case .modify: modify(o)
        case .cancel: cancel(o)
        }
    }

    /// MEOM: the new terms of a live order, with what is left to fill.
    mutating func modify(_ o: OrderRecord) {
        guard let k = liveSlot(o.id) else {
            fail(
                "order", o.id,
                "it modifies an order whose `new` event is not among the inputs; include that event (it may be from an earlier day)"
            )
            return
        }
        var problems: [String] = []
        let symbol = o.symbol ?? states[k].order.symbol
        let side = o.side ?? states[k].order.side
        if symbol == nil { problems.append("it has no `symbol`") }
        if side == nil { problems.append("it has no `side`") }
        if o.quantity == nil { problems.append("it has no `qty`") }
        if o.orderType == .limit && o.price == nil { problems.append("it is a limit order without `price`") }
        if CATChoices.timeInForce(o.timeInForce) == nil {
            problems.append("its time in force `\(o.timeInForce ?? "")` has no CAT equivalent")
        }
        if let q = o.quantity { checkQuantity(q, "quantity", &problems) }
        if let p = o.price { checkPrice(p, "price", &problems) }
        for p in problems { fail("order", o.id, p) }
        guard problems.isEmpty, let symbol, let side, let qty = o.quantity else { return }
        let filled = (states[k].order.quantity ?? .zero).subtracting(states[k].leaves) ?? .zero
        let left = qty.subtracting(filled) ?? .zero
        var terms = o
        if terms.account == nil { terms.account = states[k].order.account }
        if terms.venue == nil { terms.venue = states[k].order.venue }
        states[k].order = terms
        states[k].leaves = left.raw < 0 ? .zero : left
        header("MEOM")
        out.integer("orderKeyDate", states[k].keyDate)
        out.string("orderID", o.id)
        out.string("symbol", symbol)
        out.integer("eventTimestamp", o.timestamp)
        out.bool("manualFlag", false)
        out.bool("electronicDupFlag", false)
        out.string("initiator", StaticString("C"))
        out.string("side", side.catCode)
        orderTerms(o, quantity: qty)
        out.decimal("leavesQty", states[k].leaves)
        out.string("isoInd", StaticString("NA"))
        out.bool("custDspIntrFlag", false)
        out.string("representativeInd", StaticString("N"))
        out.end()
    }

    mutating func newOrder(_ o: OrderRecord) {
        var problems: [String] = []
        if o.symbol == nil { problems.append("it has no `symbol`") }
        if o.side == nil { problems.append("it has no `side`") }
        if o.quantity == nil { problems.append("it has no `qty`") }
        if o.account == nil { problems.append("it has no `account` (CAT's firmDesignatedID)") }
        if o.orderType == .limit && o.price == nil { problems.append("it is a limit order without `price`") }
        if CATChoices.timeInForce(o.timeInForce) == nil {
            problems.append("its time in force `\(o.timeInForce ?? "")` has no CAT equivalent")
        }
        checkText(o.id, "id", max: 64, &problems)
        if let s = o.symbol { checkText(s, "symbol", max: 22, &problems) }
        if let a = o.account { checkText(a, "account", max: 40, &problems) }
        if let q = o.quantity { checkQuantity(q, "quantity", &problems) }
        if let p = o.price { checkPrice(p, "price", &problems) }
        for p in problems { fail("order", o.id, p) }
        guard problems.isEmpty, let symbol = o.symbol, let side = o.side, let qty = o.quantity,
            let account = o.account
        else { return }
        slots[o.id] = states.count
        states.append(Live(order: o, keyDate: o.timestamp, leaves: qty))
        header("MENO")
        out.integer("orderKeyDate", o.timestamp)
        out.string("orderID", o.id)
        out.string("symbol", symbol)
        out.integer("eventTimestamp", o.timestamp)
        out.bool("manualFlag", false)
        out.bool("electronicDupFlag", false)
        out.string("deptType", id.departmentType)
        out.bool("solicitationFlag", false)
        out.string("side", side.catCode)
        orderTerms(o, quantity: qty)
        out.bool("custDspIntrFlag", false)
        out.string("firmDesignatedID", account)
        out.string("accountHolderType", id.accountHolderTypes[account] ?? id.defaultAccountHolderType)
        out.bool("affiliateFlag", false)
        out.bool("negotiatedTradeFlag", false)
        out.string("representativeInd", StaticString("N"))
        out.end()
    }

    /// price, quantity, orderType, timeInForce, tradingSession, handlingInstructions.
    mutating func orderTerms(_ o: OrderRecord, quantity: Fixed) {
        if o.orderType != .market, let p = o.price { out.decimal("price", p) }
        out.decimal("quantity", quantity)
        out.string("orderType", o.orderType == .market ? StaticString("MKT") : StaticString("LMT"))
        let tif = CATChoices.timeInForce(o.timeInForce) ?? (StaticString("DAY"), true)
        let day = Int64(date.compactNumber)
        out.rawMember("timeInForce") { t in
            t.append(StaticString("{\""))
            t.append(tif.name)
            t.append(StaticString("\":"))
            if tif.isDate { t.appendInt(day) } else { t.append(StaticString("true")) }
            t.append(UInt8(ascii: "}"))
        }
        out.string("tradingSession", StaticString("REG"))
        if CATChoices.isFillOrKill(o.timeInForce) {
            out.rawMember("handlingInstructions") { $0.append(StaticString("{\"FOK\":true}")) }
        }
    }

    mutating func route(_ o: OrderRecord, at ts: Int64) {
        guard let k = liveSlot(o.id), let symbol = o.symbol, let side = o.side else { return }
        let keyDate = states[k].keyDate
        let leaves = states[k].leaves
        guard let venue = o.venue else {
            fail("order", o.id, "it has no `venue` to route to")
            return
        }
        guard let exchange = id.exchangeIDs[venue] ?? CATChoices.exchangeIDOfMIC[venue] else {
            fail("order", o.id, "its venue `\(venue)` has no CAT exchange id; add it to `cat.exchange_ids`")
            return
        }
        header("MEOR")
        out.integer("orderKeyDate", keyDate)
        out.string("orderID", o.id)
        out.string("symbol", symbol)
        out.integer("eventTimestamp", ts)
        out.bool("manualFlag", false)
        out.bool("electronicDupFlag", false)
        out.string("senderIMID", id.industryMemberID)
        out.string("destination", exchange)
        out.string("destinationType", StaticString("E"))
        out.string("routedOrderID", o.id)
        out.string("side", side.catCode)
        orderTerms(o, quantity: leaves)
        out.bool("affiliateFlag", false)
        out.string("isoInd", StaticString("NA"))
        out.bool("routeRejectedFlag", false)
        out.bool("dupROIDCond", false)
        out.bool("multiLegInd", false)
        out.end()
    }

    mutating func trade(_ f: FillRecord) {
        var problems: [String] = []
        let slot = liveSlot(f.orderID)
        let symbol = f.symbol ?? slot.flatMap { states[$0].order.symbol }
        let side = f.side ?? slot.flatMap { states[$0].order.side }
        if symbol == nil { problems.append("its order `\(f.orderID)` is unknown, so it has no symbol") }
        if side == nil { problems.append("it has no side (its order `\(f.orderID)` is unknown)") }
        if f.capacity == nil { problems.append("it has no `capacity`; give `DEAL`, `MTCH` or `AOTC`") }
        checkText(f.execID, "exec_id", max: 64, &problems)
        if let v = f.venueTransactionID { checkText(v, "venue_tx_id", max: 40, &problems) }
        checkQuantity(f.quantity, "quantity", &problems)
        checkPrice(f.price, "price", &problems)
        for p in problems { fail("fill", f.execID, p) }
        guard problems.isEmpty, let symbol, let side, let capacity = f.capacity else { return }
        if let k = slot {
            let left = states[k].leaves.subtracting(f.quantity) ?? .zero
            states[k].leaves = left.raw < 0 ? .zero : left
        }
        header("MEOT")
        out.integer("tradeKeyDate", f.timestamp)
        out.string("tradeID", f.execID)
        out.string("symbol", symbol)
        out.integer("eventTimestamp", f.timestamp)
        out.bool("manualFlag", false)
        out.bool("cancelFlag", false)
        out.decimal("quantity", f.quantity)
        out.decimal("price", f.price)
        out.string("capacity", capacity.catCode)
        if let v = f.venueTransactionID { out.string("tapeTradeID", v) }
        let buying = side == .buy
        out.string("sideDetailsInd", buying ? StaticString("BUY") : StaticString("SELL"))
        let account = slot.flatMap { states[$0].order.account }
        let keyDate = slot.map { states[$0].keyDate } ?? f.timestamp
        let holder = account.flatMap { id.accountHolderTypes[$0] } ?? id.defaultAccountHolderType
        let orderID = f.orderID
        out.rawMember(buying ? "buyDetails" : "sellDetails") { t in
            t.append(StaticString("[{\"orderKeyDate\":"))
            t.appendInt(keyDate)
            t.append(StaticString(",\"orderID\":"))
            JSONLineWriter.quote(orderID, into: &t)
            t.append(StaticString(",\"side\":\""))
            t.append(side.catCode)
            t.append(UInt8(ascii: "\""))
            if let account {
                t.append(StaticString(",\"firmDesignatedID\":"))
                JSONLineWriter.quote(account, into: &t)
                t.append(StaticString(",\"accountHolderType\":\""))
                t.append(holder)
                t.append(UInt8(ascii: "\""))
            }
            t.append(StaticString("}]"))
        }
        out.bool("multiLegInd", false)
        out.end()
    }

    mutating func cancel(_ o: OrderRecord) {
        guard let k = liveSlot(o.id), let symbol = states[k].order.symbol else {
            fail(
                "order", o.id,
                "it cancels an order whose `new` event is not among the inputs; include that event (it may be from an earlier day)"
            )
            return
        }
        states[k].open = false
        let keyDate = states[k].keyDate
        let leaves = states[k].leaves
        header("MEOC")
        out.integer("orderKeyDate", keyDate)
        out.string("orderID", o.id)
        out.string("symbol", symbol)
        out.integer("eventTimestamp", o.timestamp)
        out.bool("manualFlag", false)
        out.decimal("cancelQty", leaves)
        out.decimal("leavesQty", .zero)
        out.string("initiator", StaticString("C"))
        out.end()
    }
}
