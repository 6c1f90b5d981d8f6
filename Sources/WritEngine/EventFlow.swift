/// What each event does (docs/engine-semantics.md): orders are decided in
/// seven steps, cancels remove live orders, fills update executions and
/// positions, market events replace market records field by field, control
/// events set and clear kill switches.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CMallocInfo
import WritIR
import WritValue

extension Machine {
    /// Decodes and processes one line; `d` receives the decision.
    mutating func process(_ line: UnsafeRawBufferPointer, _ d: inout Decision) {
        settle()
        symbols.collect()
        marketUnavailable = false
        tableControlPending = false
        dispatch(decode(line, &d), &d)
    }

    /// Processes an event already decoded into the frame.
    mutating func dispatch(_ kind: EventKind, _ d: inout Decision) {
        settle()
        self.kind = kind
        keyGroupInFrame = -1
        readEpoch &+= 1
        memosCurrent = false
        switch kind {
        case .none: return
        case .new, .modify: decideOrder(kind, &d)
        case .cancel: cancel(&d)
        case .fill: fill(&d)
        case .market: if !dryRun { marketEvent() }
        case .control: if !dryRun { control(&d) }
        case .platform: if !dryRun { platform.apply(platformEvent) }
        }
    }

    // MARK: Records

    @inline(__always)
    func field(_ f: Int?) -> Int128? {
        guard let f, present[f] != 0 else { return nil }
        return frame[Int(fields[f].slot)]
    }

    /// Copies stored record `r` into the order slots. (`mutating`, like the
    /// other helpers called from mutating code, so that the call does not
    /// copy the whole machine.)
    mutating func loadOrder(_ r: Int) {
        loadOrder(live.slotBase(r), live.presenceBase(r))
    }

    /// Copies an order record (a live or a closed one) into the order slots.
    mutating func loadOrder(_ slots: UnsafeMutablePointer<Int128>, _ presence: UnsafeMutablePointer<UInt8>) {
        let base = Int(schemaSlots[orderSchema])
        let first = Int(schemaFields[orderSchema])
        Bytes.copyValues(frame.base + base, slots, live.slotCount)
        Bytes.copyValues(present.base + first, presence, live.fieldCount)
        keyGroupInFrame = -1
    }

    /// Loads the market record of the order in the order slots into the market slots.
    mutating func loadMarket() {
        guard marketSchema >= 0 else { return }
        marketUnavailable = false
        marketRecord = -1
        keyGroupInFrame = -1
        guard let sym = field(roles.orderSymbol), let venue = field(roles.orderVenue) else {
            clearSchema(marketSchema)
            return
        }
        let key = stateKey(sym, venue)
        if let r = market.find(key) {
            // Every presence byte of the schema is copied: nothing to clear first.
            marketRecord = r
            let base = Int(schemaSlots[marketSchema])
            let first = Int(schemaFields[marketSchema])
            let src = market.slotBase(r)
            Bytes.copyValues(frame.base + base, src, market.slotCount)
            Bytes.copyValues(present.base + first, market.presenceBase(r), market.fieldCount)
        } else {
            clearSchema(marketSchema)
            marketUnavailable = market.isFull
        }
    }

    /// Retains (`delta` 1) or releases (-1) the text values of a live order's record.
    @inline(__always)
    private mutating func adjustOrderTexts(
        _ slots: UnsafeMutablePointer<Int128>, _ presence: UnsafeMutablePointer<UInt8>, by delta: Int
    ) {
        for k in 0..<orderTextFields.count where presence[Int(orderTextFields[k])] != 0 {
            let id = Int(truncatingIfNeeded: slots[Int(orderTextOffsets[k])])
            if delta > 0 { symbols.retain(id) } else { symbols.release(id) }
        }
    }

    // MARK: Orders

    private mutating func decideOrder(_ kind: EventKind, _ d: inout Decision) {
        d.hasLine = true
        if let id = field(roles.orderID) {
            let (p, n) = symbols.text(Int(id))
            d.setID(p, n)
        }
        guard let t = field(roles.orderTS) else {
            d.refuse(.missing, field: Int32(roles.orderTS ?? -2))
            return
        }
        ts = Int64(truncatingIfNeeded: t)
        let idKey = field(roles.orderID).map { stateKey($0) }
        if let k = idKey {
            // The id's entries in the live orders and the duplicate tables are
            // read after the rules: start loading them now (random places in big tables).
            live.prefetch(k)
            for x in 0..<duplicateSlots.count { dayTables[Int(duplicateSlots[x])].prefetch(k) }
        }
        loadMarket()
        let list = candidateList()
        prefetchOrderState(list, late: false)
        // The live record of this id, looked up once: nothing before `keepLive`
        // changes the live orders. A modify's is looked up now, once its index
        // entry has had the time above to load (a refused line uses nothing
        // loaded since).
        var record = -1
        if kind == .modify {
            guard let k = idKey, let r = live.find(k) else {
                d.refuse(.unknownOrder)
                return
            }
            record = r
            computePreviousAmounts(r, list, late: false)
        }
        // Step 3: counted when the order is settled; until then a `rate` read adds this message.
        ratesPending = !dryRun
        // A `new` order's live record (its id may be live) is looked up when it
        // is settled, unless the verdict depends on it (the live orders are full).
        let findRecord = kind == .new && !live.isFull
        if !dryRun, let k = idKey {
            // Its index entry has had time to load; the record itself is read
            // after the rules: start loading it now.
            if kind == .new && !findRecord { record = live.find(k) ?? -1 }
            if record >= 0 {
                live.prefetchRecord(record)
                if openSlots.count > 0 { writ_prefetch(UnsafeRawPointer(openEntries.base + record * openSlots.count)) }
            }
        }
        // The rules' `window_sum` and `open_sum` reads and memo slots serve recording (`keyAndAmount`).
        recordingReads = true
        modifyRecord = kind == .modify ? record : -1
        evaluateRules(list, &d)
        modifyRecord = -1
        recordingReads = false
        ratesPending = false
        memosCurrent = true
        if platform.enabled { gate(cancel: false, &d) }
        if dryRun { return }
        var accepted = false
        if d.verdict != .reject {
            if idKey != nil, record < 0, live.isFull {
                d.verdict = .reject
                d.stateFullAfterRules = true
            } else {
                accepted = true
            }
        }
        // The verdict is final: what follows changes only what later events see.
        settlement = Settlement(
            pending: true, accepted: accepted, hasID: idKey != nil, key: idKey ?? 0,
            record: Int32(record), findRecord: findRecord, list: Int32(list), kind: kind, applied: d.jurisdictions)
    }

    /// Applies the order decided last, if it is not applied yet: step 3 and
    /// step 7 (docs/engine-semantics.md) — its message is counted (its
    /// rules' `rate` reads added it: `ratesPending`), its latches trip, an
    /// accepted order's amounts are recorded and it is kept live (or
    /// replaces the live order of its id), and a `new` order's id is
    /// remembered for the day; a cancel's message is counted and its order,
    /// if the cancel is allowed, closed. `decideOrder` (and `cancel`) leave this pending so that
    /// the verdict can be acted on first (`Engine.decide`); every way into
    /// the machine settles before it reads or changes anything, and nothing
    /// in between touches the frame, so the order is applied exactly as if
    /// it had been at the end of its decision.
    @inline(__always)
    mutating func settle() {
        if settlement.pending { applySettlement() }
    }

    @inline(never)
    private mutating func applySettlement() {
        let p = settlement
        settlement.pending = false
        if p.kind == .cancel {
            // Its order is still in the order slots (nothing touched them since it was decided).
            countMessage()
            if p.accepted, let at = live.slot(of: p.key) { removeLive(p.key, at: at) }
            return
        }
        // The rows only settling reads (the rules' were requested as the order started).
        prefetchOrderState(Int(p.list), late: true)
        countMessage()
        if latchSlots.count > 0 { tripLatches(p.applied) }
        if p.accepted {
            // The previous amounts of a modify's `window_sum` slots its rules did not read.
            if p.kind == .modify { computePreviousAmounts(Int(p.record), Int(p.list), late: true) }
            recordAccepted()
            if p.hasID {
                let record = p.findRecord ? live.find(p.key) ?? -1 : Int(p.record)
                keepLive(p.key, record, keepFilled: p.kind == .modify)
            }
        }
        if p.kind == .new { recordNewID() }
    }

    /// For a modify: each `window_sum` amount evaluated on the live order
    /// `r`, of the slots the rules of candidate list `list` may read
    /// (`late` false), or of the others (`late` true: only settling reads
    /// them). The order's own slots are put back.
    private mutating func computePreviousAmounts(_ r: Int, _ list: Int, late: Bool) {
        let slots = StatePrefetch.part(previousRanges, list, late: late)
        guard !slots.isEmpty else { return }
        let base = Int(schemaSlots[orderSchema])
        let first = Int(schemaFields[orderSchema])
        Bytes.copyValues(scratchSlots.base, frame.base + base, live.slotCount)
        Bytes.copyValues(scratchPresence.base, present.base + first, live.fieldCount)
        loadOrder(r)
        for k in slots {
            let s = Int(previousSlots[k])
            if let ret = keys(s) {
                let c = Int(ret.c)
                previous[s] = PreviousAmount(
                    ok: true, amount: frame[c], currency: stateSlots[s].amountKind == .money ? frame[c + 1] : 0)
            } else {
                previous[s] = PreviousAmount()
            }
        }
        Bytes.copyValues(frame.base + base, scratchSlots.base, live.slotCount)
        Bytes.copyValues(present.base + first, scratchPresence.base, live.fieldCount)
        keyGroupInFrame = -1
    }

    /// Steps 4–6: candidate jurisdictions by venue, their `applies`, their
    /// candidate rules by the order's enum fields, the verdict.
    mutating func evaluateRules(_ list: Int, _ d: inout Decision) {
        newMemoEpoch()
        var rejected = false
        var held = false
        let n = Int(candidateLists[list])
        var k = 1
        while k <= n {
            let j = Int(candidateLists[list + k])
            k += 1
            let jr = jurisdictions[j]
            if jr.appliesBlock >= 0 {
                let pc = run(Int(jr.appliesBlock))
                if pc < 0 {
                    d.add(FiredRule(index: Int16(j), isApplies: true, error: error))
                    rejected = true
                    continue
                }
                if frame[Int(code[pc].a)] == 0 { continue }
            }
            d.markApplied(j)
            var combo = 0
            let firstField = Int(jr.firstIndexField)
            for x in 0..<Int(jr.indexFieldCount) {
                let slot = Int(indexFieldSlot[firstField + x])
                let v = slot >= 0 ? Int(truncatingIfNeeded: frame[slot]) : Int(present[-slot - 1])
                combo += v * Int(indexStride[firstField + x])
            }
            let off = Int(ruleListOffset[Int(jr.firstCombination) + combo])
            rulesRejected = false
            rulesHeld = false
            withUnsafeMutablePointer(to: &d) { runRules(off, $0) }
            if rulesRejected { rejected = true }
            if rulesHeld { held = true }
        }
        d.verdict = rejected ? .reject : held ? .hold : .allow
    }

    /// The order in the order slots becomes (or stays) live; an order with
    /// nothing left to fill is removed. `record` is the id's live record
    /// (-1 none), overwritten in place: the texts both orders hold keep
    /// their reference.
    private mutating func keepLive(_ key: UInt64, _ record: Int, keepFilled: Bool) {
        var filled: Int128 = 0
        let base = Int(schemaSlots[orderSchema])
        let first = Int(schemaFields[orderSchema])
        var r = record
        if r >= 0 {
            filled = keepFilled ? live.filled[r] : 0
            if let q = field(roles.orderQty), q <= filled {
                if openSlots.count > 0 { closeOpen(r) }
                closeOrder(key, frame.base + base, present.base + first, filled: filled)
                adjustOrderTexts(live.slotBase(r), live.presenceBase(r), by: -1)
                _ = live.remove(key)
                symbols.release(Int(key & 0xFFFF_FFFF))
                return
            }
            replaceOrderTexts(live.slotBase(r), live.presenceBase(r), frame.base + base, present.base + first)
            Bytes.copyValues(live.slotBase(r), frame.base + base, live.slotCount)
            Bytes.copyValues(live.presenceBase(r), present.base + first, live.fieldCount)
            live.filled[r] = filled
            if openSlots.count > 0 {
                if openReplaceInPlace {
                    reopen(r, filled: filled)
                } else {
                    closeOpen(r)
                    openOrder(r, filled: filled)
                }
            }
            return
        } else {
            if let q = field(roles.orderQty), q <= 0 { return }
            guard let n = live.add(key) else { return }
            r = n
            let dst = live.slotBase(r)
            Bytes.copyValues(dst, frame.base + base, live.slotCount)
            let pres = live.presenceBase(r)
            Bytes.copyValues(pres, present.base + first, live.fieldCount)
            adjustOrderTexts(dst, pres, by: 1)
            symbols.retain(Int(key & 0xFFFF_FFFF))
        }
        live.filled[r] = filled
        if openSlots.count > 0 { openOrder(r, filled: filled) }
    }

    /// A live record's texts are replaced by the order slots' (`new`):
    /// each text that changes is released and the new one retained (an
    /// unchanged text's release and retain would cancel out).
    @inline(__always)
    private mutating func replaceOrderTexts(
        _ slots: UnsafeMutablePointer<Int128>, _ presence: UnsafeMutablePointer<UInt8>,
        _ newSlots: UnsafeMutablePointer<Int128>, _ newPresence: UnsafeMutablePointer<UInt8>
    ) {
        for k in 0..<orderTextFields.count {
            let f = Int(orderTextFields[k])
            let at = Int(orderTextOffsets[k])
            let was = presence[f] != 0 ? Int(truncatingIfNeeded: slots[at]) : -1
            let now = newPresence[f] != 0 ? Int(truncatingIfNeeded: newSlots[at]) : -1
            if was == now { continue }
            if now >= 0 { symbols.retain(now) }
            if was >= 0 { symbols.release(was) }
        }
    }

    /// The live order `key`, in index slot `at` of the live orders
    /// (`RecordStore.slot(of:)`, nothing added or removed since), goes.
    private mutating func removeLive(_ key: UInt64, at: Int) {
        let r = live.record(at: at)
        if openSlots.count > 0 { closeOpen(r) }
        closeOrder(key, live.slotBase(r), live.presenceBase(r), filled: live.filled[r])
        adjustOrderTexts(live.slotBase(r), live.presenceBase(r), by: -1)
        live.remove(at: at)
        symbols.release(Int(key & 0xFFFF_FFFF))
    }

    // MARK: Cancels, fills, market, control

    @inline(never)
    private mutating func cancel(_ d: inout Decision) {
        d.hasLine = true
        guard let id = field(roles.orderID) else {
            d.refuse(.missing, field: Int32(roles.orderID ?? -2))
            return
        }
        let (p, n) = symbols.text(Int(id))
        d.setID(p, n)
        guard let t = field(roles.orderTS) else {
            d.refuse(.missing, field: Int32(roles.orderTS ?? -2))
            return
        }
        let key = stateKey(id)
        guard let at = live.slot(of: key) else {
            d.refuse(.unknownOrder)
            return
        }
        ts = Int64(truncatingIfNeeded: t)
        loadOrder(live.record(at: at))
        if cancelLoadsMarket { loadMarket() }
        if platform.enabled { gate(cancel: true, &d) }
        if dryRun { return }
        // The verdict is final: the message is counted and the order closed when it is settled.
        settlement = Settlement(pending: true, accepted: d.verdict != .reject, hasID: true, key: key, kind: .cancel)
    }

    /// An execution is of a positive quantity: a fill of 0 or less is a
    /// broken line (a negative one would lower a position), refused before it
    /// changes anything — when processed and when a report reads it alike.
    func refusesFillQuantity(_ qty: Int128? = nil, _ d: inout Decision) -> Bool {
        guard let q = qty ?? field(roles.fillQty), q <= 0 else { return false }
        d.refuse(.notPositive, field: Int32(roles.fillQty ?? -2))
        return true
    }

    @inline(never)
    private mutating func fill(_ d: inout Decision) {
        guard let t = field(roles.fillTS), let id = field(roles.fillID), let qty = field(roles.fillQty) else { return }
        guard !refusesFillQuantity(qty, &d), !dryRun else { return }
        let key = stateKey(id)
        let at = live.slot(of: key)
        // A fill of an order no longer live (it raced a cancel, or went
        // past the quantity) counts on the order as it was closed.
        let c = at == nil ? closed.find(key) : nil
        guard at != nil || c != nil else { return }
        ts = Int64(truncatingIfNeeded: t)
        guard !isRepeatedExecution() else { return }
        if let c {
            loadOrder(closed.slotBase(c), closed.presenceBase(c))
            countFill(qty)
            if let f = Fixed(raw: closed.filled[c]).adding(Fixed(raw: qty)) { closed.filled[c] = f.raw }
            return
        }
        guard let at else { return }
        let r = live.record(at: at)
        loadOrder(r)
        countFill(qty)
        if let f = Fixed(raw: live.filled[r]).adding(Fixed(raw: qty)) { live.filled[r] = f.raw }
        if openSlots.count > 0 { refreshOpen(r) }
        if let q = field(roles.orderQty), q <= live.filled[r] { removeLive(key, at: at) }
    }

    /// Whether the fill's `exec_id` was applied already today (then it
    /// counts once: the same execution delivered again, an at-least-once
    /// drop copy); else it is remembered.
    private mutating func isRepeatedExecution() -> Bool {
        if let exec = field(roles.fillExecID) {
            let today = windowStart(ts, nanosPerDay)
            let ek = stateKey(exec)
            if let e = execIDs.find(ek) {
                if execIDs.value(e) >= today { return true }
                execIDs.valuePointer(e).pointee = today
            } else if execRoom(today: today), let (e, _) = execIDs.insert(ek) {
                execIDs.valuePointer(e).pointee = today
                symbols.retain(Int(exec))
            }
        }
        return false
    }

    /// A fill of the order in the order slots counts: executions, `otr`
    /// fills, positions.
    private mutating func countFill(_ qty: Int128) {
        if fillLoadsMarket { loadMarket() }
        var sign: Int128 = 1
        if let side = field(roles.orderSide), side != roles.buyCase { sign = -1 }
        recordFill(quantity: qty, sign: sign)
        if platform.tracksPositions { trackPosition(quantity: qty, sign: sign) }
    }

    /// The order `key` is no longer live: its record as last accepted
    /// (`slots`, `presence`: the live record, or the order slots of the
    /// modify that ended it) and its filled quantity are kept among the
    /// closed orders, so that a fill that comes after still counts. An
    /// entry of the same id is replaced where it is; else, when the closed
    /// orders are full, the one closed first is forgotten.
    private mutating func closeOrder(
        _ key: UInt64, _ slots: UnsafeMutablePointer<Int128>, _ presence: UnsafeMutablePointer<UInt8>, filled: Int128
    ) {
        guard configuration.closedOrders > 0 else { return }
        let c: Int
        if let found = closed.find(key) {
            c = found
            adjustOrderTexts(closed.slotBase(c), closed.presenceBase(c), by: -1)
        } else {
            if closed.isFull {
                let oldest = closedRing[closedHead]
                closedHead = (closedHead + 1) % closedRing.count
                if let o = closed.remove(oldest) {
                    adjustOrderTexts(closed.slotBase(o), closed.presenceBase(o), by: -1)
                    symbols.release(Int(oldest & 0xFFFF_FFFF))
                }
            }
            guard let n = closed.add(key) else { return }
            c = n
            closedRing[(closedHead + closed.count - 1) % closedRing.count] = key
            symbols.retain(Int(key & 0xFFFF_FFFF))
        }
        Bytes.copyValues(closed.slotBase(c), slots, closed.slotCount)
        Bytes.copyValues(closed.presenceBase(c), presence, closed.fieldCount)
        adjustOrderTexts(closed.slotBase(c), closed.presenceBase(c), by: 1)
        closed.filled[c] = filled
    }

    private mutating func marketEvent() {
        guard marketSchema >= 0, let sym = field(roles.marketSymbol), let venue = field(roles.marketVenue) else {
            return
        }
        let key = stateKey(sym, venue)
        let base = Int(schemaSlots[marketSchema])
        let first = Int(schemaFields[marketSchema])
        var r = market.find(key) ?? -1
        if r < 0 {
            guard let n = market.add(key) else { return }
            r = n
            let pres = market.presenceBase(r)
            for k in 0..<market.fieldCount { pres[k] = 0 }
            symbols.retain(Int(sym))
            symbols.retain(Int(venue))
        }
        if histories.count > 0 { recordHistories(r) }
        let dst = market.slotBase(r)
        let pres = market.presenceBase(r)
        // Release the texts being replaced, copy the event's fields, retain the new texts.
        let fieldCount = market.fieldCount
        for k in 0..<fieldCount where present[first + k] != 0 && pres[k] != 0 {
            releaseField(first + k, dst, base)
        }
        for k in 0..<fieldCount where present[first + k] != 0 {
            let f = fields[first + k]
            let at = Int(f.slot) - base
            dst[at] = frame[Int(f.slot)]
            if f.kind == .money { dst[at + 1] = frame[Int(f.slot) + 1] }
            pres[k] = 1
            retainField(first + k, dst, base)
        }
    }

    private mutating func retainField(_ fi: Int, _ slots: UnsafeMutablePointer<Int128>, _ base: Int) {
        let f = fields[fi]
        let at = Int(f.slot) - base
        switch f.kind {
        case .string, .symbol, .currency: symbols.retain(Int(slots[at]))
        case .money: symbols.retain(Int(slots[at + 1]))
        default: break
        }
    }

    private mutating func releaseField(_ fi: Int, _ slots: UnsafeMutablePointer<Int128>, _ base: Int) {
        let f = fields[fi]
        let at = Int(f.slot) - base
        switch f.kind {
        case .string, .symbol, .currency: symbols.release(Int(slots[at]))
        case .money: symbols.release(Int(slots[at + 1]))
        default: break
        }
    }

    private mutating func control(_ d: inout Decision) {
        guard let action = field(roles.controlAction), let k = field(roles.controlKey) else { return }
        if action == tableSetCase || action == tableRemoveCase {
            // A bound table's row changes: `Engine.tableControl` reads the line.
            tableControlPending = true
            return
        }
        if action == roles.resetCase {
            // A person re-enables: the latches of the named rule are off for the key.
            guard let name = field(roles.controlLatch) else {
                d.refuse(.missing, field: Int32(roles.controlLatch ?? -2))
                return
            }
            let (p, n) = symbols.text(Int(name))
            let rule = latchNames.lookup(p, n)
            guard rule >= 0 else {
                d.setProblemText(p, n)
                d.refuse(.unknownLatch, field: Int32(roles.controlLatch ?? -2))
                return
            }
            resetLatches(rule: rule, key: k)
            return
        }
        guard let scope = field(roles.controlScope) else {
            d.refuse(.missing, field: Int32(roles.controlScope ?? -2))
            return
        }
        let key = stateKey(k, scope)
        if action == roles.killCase {
            if kills.find(key) == nil, !kills.isFull, kills.insert(key) != nil { symbols.retain(Int(k)) }
        } else if let s = kills.find(key) {
            kills.remove(slot: s)
            symbols.release(Int(k))
        }
    }
}

/// An order decided but not yet applied (`Machine.settle`): what its
/// decision left for the state.
struct Settlement: BitwiseCopyable {
    /// Whether an order (or a cancel) waits to be applied.
    var pending = false
    /// Not rejected: its amounts are recorded and it is kept live.
    var accepted = false
    /// Whether it has an id; `key` is the id's state key.
    var hasID = false
    var key: UInt64 = 0
    /// The id's live record (a `modify`'s, or a `new` whose id is live), -1 none.
    var record: Int32 = -1
    /// A `new` whose live record is looked up when it is settled (`record` is not set).
    var findRecord = false
    /// Its candidate list (by venue).
    var list: Int32 = 0
    /// `new`, `modify` or `cancel` (a cancel's message is counted and, if
    /// allowed, its order closed).
    var kind = EventKind.none
    /// The jurisdictions that applied (the decision's mask), for the latches.
    var applied = InlineArray<4, UInt64>(repeating: 0)
}
