/// `window_max` and `window_min`, written plainly from
/// docs/engine-semantics.md ("State"): every value a market event sets for
/// the field is kept with its bucket number (`floor(ts / (W ÷ 10))`, never
/// before the previous one); a read at bucket k (or the latest, if later)
/// is the extreme of the values set in buckets k − 9 … k, the value in
/// force before bucket k − 9, and the field's current value.

import WritSema
import WritSyntax
import WritValue

/// The values one market record's field took, in order.
struct FieldHistory {
    /// (bucket number, value), bucket numbers never decreasing.
    var entries: [(bucket: Int64, value: RuntimeValue)] = []
}

extension Oracle {
    /// The market field a `window_max`/`window_min` slot keeps the history of.
    func historyField(_ slot: StateSlot) -> String? {
        guard case .field(schema: "market", field: let name)? = program.resolutions[slot.key.id] else { return nil }
        return name
    }

    /// The width of one of the slot's 10 buckets.
    func bucketWidth(_ slot: StateSlot) -> Int64 { max(1, (slot.window ?? 10) / 10) }

    /// A market event `r`, stored under `key`: each history of a field the
    /// event carries records its value (a money field whose currency changes
    /// starts afresh).
    func recordHistories(_ r: Record, key: StateKey) {
        guard case .timestamp(let ts)? = r.fields["ts"] else { return }
        for slot in program.stateSlots where slot.kind == .windowMax || slot.kind == .windowMin {
            guard let name = historyField(slot), let value = r.fields[name], value != .null else { continue }
            let k = TimeText.floorDiv(ts, bucketWidth(slot))
            var h = state.histories[slot.index]?[key] ?? FieldHistory()
            if let last = h.entries.last {
                if case .money(_, let c) = value, case .money(_, let d) = last.value, c != d {
                    h.entries = [(k, value)]
                } else {
                    let at = max(k, last.bucket)
                    h.entries.append((at, value))
                    // Reads come at `at` or later: an entry followed by one set
                    // before bucket `at − 9` is never in force in their range.
                    while h.entries.count >= 2, h.entries[1].bucket < at - 9 { h.entries.removeFirst() }
                }
            } else {
                h.entries = [(k, value)]
            }
            state.histories[slot.index, default: [:]][key] = h
        }
    }

    /// `window_max(market.f, W)` / `window_min(market.f, W)` for the event
    /// being evaluated.
    func windowExtreme(_ slot: StateSlot, _ args: [Expr], _ s: EvalScope) throws(EvalError) -> RuntimeValue {
        let current = try eval(args[0], s)
        guard case .record(let m)? = s.records["market"] else { return current }
        let key = StateKey(keyText(m.fields["symbol"] ?? .null), keyText(m.fields["venue"] ?? .null))
        guard let entries = state.histories[slot.index]?[key]?.entries, let last = entries.last else { return current }
        let k = max(TimeText.floorDiv(s.event.ts, bucketWidth(slot)), last.bucket)
        let first = k - 9
        var values = [current]
        for (i, e) in entries.enumerated() {
            let setInRange = e.bucket >= first
            let inForceAtFirst = e.bucket < first && (i + 1 == entries.count || entries[i + 1].bucket >= first)
            if setInRange || inForceAtFirst { values.append(e.value) }
        }
        var best = current
        for v in values {
            let c = try compare(v, best)
            if slot.kind == .windowMax ? c > 0 : c < 0 { best = v }
        }
        // The answer is in the current value's currency (the history's).
        if case .money(let a, _) = best, case .money(_, let cur) = current { return .money(a, currency: cur) }
        return best
    }
}
