/// `fill`, `market` and `control`: events that change state and produce
/// no decision line.

import WritSema
import WritValue

extension Oracle {
    /// A fill of a live order: executions, `otr` denominators, positions,
    /// remaining quantity.
    ///
    /// INTERPRETATION (Q2): a fill names an order id and nothing else about
    /// the order (no account, no instrument). A fill of an order no longer
    /// live (`closeOrder`) counts on the order as it was closed, and leaves
    /// the open sums alone; a fill of an id neither live nor closed cannot
    /// be keyed, so it changes nothing.
    func fill(_ r: Record) {
        guard case .timestamp(let ts)? = r.fields["ts"], let idValue = r.fields["id"],
            case .decimal(let qty)? = r.fields["qty"]
        else { return }
        let id = keyText(idValue)
        let isLive = state.live[id] != nil
        guard var order = state.live[id] ?? state.closed[id] else { return }
        // INTERPRETATION (Q2): the same execution (`exec_id`) delivered again
        // in its UTC day counts once; the ids are a bounded table like
        // `duplicate`'s (when full, those of earlier days go first; when
        // still full, the fill counts without being remembered).
        if let exec = r.fields["exec_id"] {
            let today = TimeText.windowStart(ts, TimeText.day)
            let key = StateKey(keyText(exec))
            if let day = state.execIDs[key] {
                if day >= today { return }
                state.execIDs[key] = today
            } else if TableRoom.has(&state.execIDs, capacity: capacities.idsPerDay, current: { $0 >= today }) {
                state.execIDs[key] = today
            }
        }
        let scope = orderScope(order.record, EventContext(ts: ts, kind: "fill", previous: nil)).with("fill", .record(r))
        recordFill(scope, order: order.record, quantity: qty)
        trackPosition(order.record, quantity: qty)
        if let f = order.filled.adding(qty) { order.filled = f }
        guard isLive else {
            state.closed[id] = order
            return
        }
        refreshOpen(&order)
        keepLive(id, order, opening: nil)
    }

    /// A market event replaces, field by field, the record of (symbol, venue).
    func market(_ r: Record) {
        let key = StateKey(keyText(r.fields["symbol"] ?? .null), keyText(r.fields["venue"] ?? .null))
        if var existing = state.market[key] {
            for (name, v) in r.fields { existing.fields[name] = v }
            state.market[key] = existing
        } else if TableRoom.has(state.market, capacity: capacities.marketRecords) {
            state.market[key] = r
        } else {
            return
        }
        recordHistories(r, key: key)
    }

    /// `kill` sets, `unkill` clears the kill switch of (scope, key); `reset`
    /// turns off the latches of the rule named by `latch` for the key. A
    /// `kill` or `unkill` without `scope`, a `reset` without `latch` or naming
    /// a rule that has no latch, is refused (the decision line returned).
    ///
    /// INTERPRETATION (Q20): a switch is in force from the control event on,
    /// in input order; its `ts` is not compared with the orders' `ts`.
    func control(_ r: Record, fallbackID: String) -> String? {
        guard case .enumCase(_, let action)? = r.fields["action"], let k = r.fields["key"] else { return nil }
        if action == "reset" {
            guard let latch = r.fields["latch"] else {
                return Decision.reject(id: fallbackID, reason: OracleMessages.missing("latch").message).line
            }
            let name = keyText(latch)
            let slots = program.stateSlots.filter { $0.kind == .latch && $0.owner?.description == name }
            if slots.isEmpty { return Decision.reject(id: fallbackID, reason: OracleMessages.unknownLatch(name)).line }
            for slot in slots { state.latches[slot.index]?[StateKey(keyText(k))] = nil }
            return nil
        }
        guard case .enumCase(_, let scope)? = r.fields["scope"] else {
            return Decision.reject(id: fallbackID, reason: OracleMessages.missing("scope").message).line
        }
        let key = StateKey(scope, keyText(k))
        if action == "kill" {
            if state.kills.contains(key) || state.kills.count < capacities.killSwitches { state.kills.insert(key) }
        } else {
            state.kills.remove(key)
        }
        return nil
    }
}
