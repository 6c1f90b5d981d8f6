/// `new`, `modify` and `cancel`: the steps of docs/engine-semantics.md,
/// "Order events", in order.

import WritSema
import WritSyntax
import WritValue

extension Oracle {
    /// The market record of an order's (symbol, venue): every field absent
    /// when no market event has arrived for it.
    func marketSource(for order: Record) -> RecordSource {
        let key = StateKey(keyText(order.fields["symbol"] ?? .null), keyText(order.fields["venue"] ?? .null))
        if let r = state.market[key] { return .record(r) }
        if !TableRoom.has(state.market, capacity: capacities.marketRecords) { return .unavailable(OracleMessages.stateTableFull) }
        return .record(Record(schema: "market", fields: [:]))
    }

    /// The scope of rules and key expressions for an order record.
    func orderScope(_ order: Record, _ event: EventContext) -> EvalScope {
        EvalScope(records: ["order": .record(order), "market": marketSource(for: order)], event: event)
    }

    /// A `new` or `modify`: steps 1–7.
    func decideOrder(_ kind: String, _ record: Record, fallbackID: String) -> Decision {
        let id = record.fields["id"].map(keyText) ?? fallbackID
        guard case .timestamp(let ts)? = record.fields["ts"] else {
            return .reject(id: id, reason: OracleMessages.missing("ts").message)
        }
        var previous: Record?
        if kind == "modify" {
            // INTERPRETATION (Q4): a modify of an order that is not live is
            // refused before anything else: it is not counted by `rate`.
            guard let live = state.live[id] else { return .reject(id: id, reason: OracleMessages.unknownOrderID) }
            previous = live.record
        }
        // 2. The market record; 3. count the message.
        let scope = orderScope(record, EventContext(ts: ts, kind: kind, previous: previous))
        countMessage(scope)
        // 4–6. Jurisdictions, rules, verdict.
        var d = evaluateRules(id: id, scope)
        tripLatches(scope, applied: d.jurisdictions)
        platformGate(&d, record, ts: ts, cancel: false)
        // 7. After the decision.
        if d.verdict != .reject {
            if state.live[id] == nil && state.live.count >= capacities.liveOrders {
                // INTERPRETATION (Q7): an order that cannot be kept live cannot be accepted.
                d.verdict = .reject
                d.reasons.append(OracleMessages.stateTableFull.message)
            } else {
                recordAccepted(scope)
                // INTERPRETATION (Q21): an accepted `new` whose id is live
                // replaces that order (nothing of it filled yet); a modify keeps its fills.
                let filled = kind == "modify" ? (state.live[id]?.filled ?? .zero) : .zero
                keepLive(id, LiveOrder(record: record, filled: filled), opening: openShares(scope, filled: filled))
            }
        }
        if kind == "new" { recordNewID(scope) }
        return d
    }

    /// Steps 4–6: which jurisdictions apply, which rules fire, the verdict.
    func evaluateRules(id: String, _ scope: EvalScope) -> Decision {
        var d = Decision(id: id, verdict: .allow)
        var failed = false
        var rejected = false
        var held = false
        for j in program.jurisdictions {
            guard let applies = j.applies else { continue }
            do {
                guard try evalBool(applies, scope) else { continue }
            } catch {
                // INTERPRETATION (Q5): the reason takes the jurisdiction's place
                // among the reasons; no rule and no citation is listed for it,
                // and the other jurisdictions are still evaluated.
                d.reasons.append(OracleMessages.appliesFailed(j.name, error))
                if !rejected && !failed { d.rejectCode = FIXRejectReasons.other }
                failed = true
                continue
            }
            d.jurisdictions.append(j.name)
            for rule in j.rules {
                let rid = rule.id.description
                do {
                    guard try evalBool(rule.condition, scope) else { continue }
                    d.rules.append(rid)
                    d.reasons.append(rule.message)
                    d.citations.append(rule.citation ?? "")
                    if rule.severity == .reject {
                        if !rejected && !failed { d.rejectCode = rule.code ?? FIXRejectReasons.other }
                        rejected = true
                    }
                    if rule.severity == .hold { held = true }
                } catch {
                    d.rules.append(rid)
                    d.reasons.append(OracleMessages.ruleFailed(rid, error))
                    d.citations.append(rule.citation ?? "")
                    if !rejected && !failed { d.rejectCode = FIXRejectReasons.other }
                    failed = true
                }
            }
        }
        d.verdict = rejected || failed ? .reject : held ? .hold : .allow
        return d
    }

    /// INTERPRETATION (Q3): an order is live while it has quantity left:
    /// a fill (or a modify below the filled quantity) that leaves nothing
    /// removes it, like a cancel.
    ///
    /// The order it replaces (same id) leaves the open sums; an order made
    /// live with `opening` enters them (a fill passes nil: the order keeps
    /// its shares, or leaves with them).
    func keepLive(_ id: String, _ order: LiveOrder, opening: [Int: OpenShare]?) {
        var order = order
        let done: Bool
        if case .decimal(let qty)? = order.record.fields["qty"], qty <= order.filled { done = true } else { done = false }
        if opening != nil, let old = state.live[id] { closeOpen(old) }
        if done {
            if opening == nil { closeOpen(order) }
            if state.live[id] != nil { closeOrder(id, order) }
            state.live[id] = nil
        } else {
            if let opening { order.open = enterOpen(opening) }
            state.live[id] = order
        }
    }

    /// A `cancel`: always allowed if the order is live, which it no longer is.
    func cancel(_ id: String, _ ts: Int64) -> Decision {
        guard let live = state.live[id] else { return .reject(id: id, reason: OracleMessages.unknownOrderID) }
        var d = Decision(id: id, verdict: .allow)
        platformGate(&d, live.record, ts: ts, cancel: true)
        countMessage(orderScope(live.record, EventContext(ts: ts, kind: "cancel", previous: nil)))
        if d.verdict != .reject {
            closeOpen(live)
            closeOrder(id, live)
            state.live[id] = nil
        }
        return d
    }

    /// INTERPRETATION (Q2): an order that stops being live (cancelled,
    /// filled, or modified to no more than its filled quantity) is kept
    /// among the closed orders with its record as last accepted and its
    /// filled quantity, so that a fill after it (one that raced the cancel)
    /// still counts. Closing an id already closed replaces that entry where
    /// it is; when the closed orders are full, the one closed first is
    /// forgotten.
    func closeOrder(_ id: String, _ order: LiveOrder) {
        guard capacities.closedOrders > 0 else { return }
        var kept = order
        kept.open = [:]
        if state.closed[id] != nil {
            state.closed[id] = kept
            return
        }
        if state.closed.count >= capacities.closedOrders {
            state.closed[state.closedOrder[state.closedHead]] = nil
            state.closedHead += 1
            if state.closedHead > 4_096 && state.closedHead * 2 > state.closedOrder.count {
                state.closedOrder.removeFirst(state.closedHead)
                state.closedHead = 0
            }
        }
        state.closed[id] = kept
        state.closedOrder.append(id)
    }
}
