/// How events change the state tables: messages counted before the rules
/// run, accepted orders after the decision, ids of `new` orders, fills.
/// An update whose key cannot be evaluated, or that needs an entry in a full
/// table, is not made (see `TableRoom`).

import WritSema
import WritSyntax
import WritValue

extension Oracle {
    /// Step 3: every `rate` slot counts this message (a `new`, `modify` or
    /// `cancel`) for its key, whatever the decision will be.
    ///
    /// INTERPRETATION (Q19): a cancel is counted at its own `ts`, with the
    /// key evaluated on the live order's record (and that order's market record).
    func countMessage(_ s: EvalScope) {
        for slot in program.stateSlots where slot.kind == .rate {
            guard let k = try? eval(slot.key, s) else { continue }
            let key = StateKey(keyText(k))
            let start = TimeText.windowStart(s.event.ts, slot.window ?? 1)
            Oracle.count(&state.rate[slot.index, default: [:]], key, start, capacity: capacities.keysPerSlot)
        }
    }

    /// Step 7, for an order whose verdict is not `reject`: `window_sum`
    /// slots add its amount (a `modify`: its increase), `otr` slots count it.
    func recordAccepted(_ s: EvalScope) {
        let ts = s.event.ts
        for slot in program.stateSlots {
            switch slot.kind {
            case .windowSum:
                guard let amountExpr = slot.amount, let amount = try? eval(amountExpr, s), let k = try? eval(slot.key, s),
                    let add = try? contribution(amountExpr, amount, s)
                else { continue }
                let key = sumKey(k, amount)
                let start = TimeText.windowStart(ts, slot.window ?? 1)
                let old = state.windowSum[slot.index]?[key]
                if let w = old, w.start >= start {
                    if let sum = try? arithmetic(.add, w.sum, add) { state.windowSum[slot.index]?[key] = WindowSum(start: w.start, sum: sum) }
                } else if old != nil
                    || TableRoom.has(&state.windowSum[slot.index, default: [:]], capacity: capacities.keysPerSlot, current: { $0.start >= start })
                {
                    state.windowSum[slot.index, default: [:]][key] = WindowSum(start: start, sum: add)
                }
            case .otr:
                guard let k = try? eval(slot.key, s) else { continue }
                bumpOTR(slot, StateKey(keyText(k)), ts, orders: 1, fills: 0)
            default:
                continue
            }
        }
    }

    /// After the rules, whatever the verdict: each latch of a jurisdiction
    /// that applied (listed in the decision) trips for its key when its key
    /// and condition evaluate without error and the condition is true. It
    /// is on until reset (`reset`), or until the end of the event's UTC day
    /// (`end_of_day`) or of the next (`next_day`); a latch already on keeps
    /// the later end.
    func tripLatches(_ s: EvalScope, applied: [String]) {
        let ts = s.event.ts
        let day = TimeText.windowStart(ts, TimeText.day)
        for slot in program.stateSlots where slot.kind == .latch {
            guard let owner = slot.owner, applied.contains(owner.jurisdiction), let condition = slot.condition,
                let k = try? eval(slot.key, s), let on = try? evalBool(condition, s), on
            else { continue }
            let key = StateKey(keyText(k))
            let end: Int64 =
                switch slot.scope {
                case "end_of_day": day + TimeText.day
                case "next_day": day + 2 * TimeText.day
                default: Int64.max
                }
            if let old = state.latches[slot.index]?[key] {
                state.latches[slot.index]?[key] = max(old > ts ? old : 0, end)
            } else if TableRoom.has(
                &state.latches[slot.index, default: [:]], capacity: capacities.keysPerSlot, current: { $0 > ts })
            {
                state.latches[slot.index, default: [:]][key] = end
            }
        }
    }

    /// `duplicate` slots remember the id of every `new`, whatever its verdict.
    ///
    /// INTERPRETATION (Q18): each `duplicate` call (slot) remembers the
    /// value of its own key expression, after the decision; an id is a
    /// duplicate while the UTC day it was last seen in is not before the
    /// event's day (a clock that goes back stays in the current day).
    func recordNewID(_ s: EvalScope) {
        let today = TimeText.windowStart(s.event.ts, TimeText.day)
        for slot in program.stateSlots where slot.kind == .duplicate {
            guard let k = try? eval(slot.key, s) else { continue }
            let key = StateKey(keyText(k))
            if let day = state.seenIDs[slot.index]?[key] {
                state.seenIDs[slot.index]?[key] = max(day, today)
            } else if TableRoom.has(&state.seenIDs[slot.index, default: [:]], capacity: capacities.idsPerDay, current: { $0 >= today }) {
                state.seenIDs[slot.index, default: [:]][key] = today
            }
        }
    }

    /// A fill of a live order: executions, the `otr` denominators and
    /// positions, keyed on the order's stored record; then its remaining
    /// quantity.
    func recordFill(_ s: EvalScope, order: Record, quantity: Fixed) {
        let ts = s.event.ts
        var signed = quantity
        if case .enumCase(_, let side)? = order.fields["side"], side != "buy" { signed = quantity.negated() }
        for slot in program.stateSlots {
            switch slot.kind {
            case .executions:
                guard let k = try? eval(slot.key, s) else { continue }
                let key = StateKey(keyText(k))
                let start = TimeText.windowStart(ts, slot.window ?? 1)
                Oracle.count(&state.executions[slot.index, default: [:]], key, start, capacity: capacities.keysPerSlot)
            case .otr:
                guard let k = try? eval(slot.key, s) else { continue }
                bumpOTR(slot, StateKey(keyText(k)), ts, orders: 0, fills: 1)
            case .position:
                guard let second = slot.secondKey, let a = try? eval(slot.key, s), let b = try? eval(second, s) else { continue }
                let key = StateKey(keyText(a), keyText(b))
                if let p = state.position[slot.index]?[key] {
                    if let n = p.adding(signed) { state.position[slot.index]?[key] = n }
                } else if TableRoom.has(state.position[slot.index] ?? [:], capacity: capacities.keysPerSlot) {
                    state.position[slot.index, default: [:]][key] = signed
                }
            default:
                continue
            }
        }
    }

    private func bumpOTR(_ slot: StateSlot, _ key: StateKey, _ ts: Int64, orders: Int64, fills: Int64) {
        let start = TimeText.windowStart(ts, slot.window ?? 1)
        let old = state.otr[slot.index]?[key]
        if let c = old, c.start >= start {
            state.otr[slot.index]?[key] = OTRCount(start: c.start, orders: c.orders + orders, fills: c.fills + fills)
        } else if old != nil
            || TableRoom.has(&state.otr[slot.index, default: [:]], capacity: capacities.keysPerSlot, current: { $0.start >= start })
        {
            state.otr[slot.index, default: [:]][key] = OTRCount(start: start, orders: orders, fills: fills)
        }
    }

    /// Counts one more event for `key` in the window starting at `start`
    /// (a later window restarts the count; an earlier one counts in the current).
    static func count(_ t: inout [StateKey: WindowCount], _ key: StateKey, _ start: Int64, capacity: Int) {
        if let c = t[key] {
            t[key] = start > c.start ? WindowCount(start: start, count: 1) : WindowCount(start: c.start, count: c.count + 1)
        } else if TableRoom.has(&t, capacity: capacity, current: { $0.start >= start }) {
            t[key] = WindowCount(start: start, count: 1)
        }
    }
}
