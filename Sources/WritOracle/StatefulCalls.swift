/// The stateful controls as rules read them (`rate`, `window_sum`,
/// `executions`, `position`, `otr`, `killed`, `duplicate`), and the keys of
/// their tables. How events update the tables is in StateUpdates.swift.

import WritSema
import WritSyntax
import WritValue

extension Oracle {
    /// The text of a key value (symbols by value).
    func keyText(_ v: RuntimeValue) -> String {
        switch v {
        case .symbol(let s), .string(let s): s
        default: v.plainText
        }
    }

    /// INTERPRETATION (Q1, `window_sum` and currencies): a sum of money is
    /// kept per key *and currency*: the amounts of one account in EUR and in
    /// USD are two sums, never added together (which would be a currency
    /// mismatch, rejecting every order of an account that traded in two
    /// currencies the same day). A `window_sum` call reads the sum in the
    /// currency of its own amount.
    func sumKey(_ key: RuntimeValue, _ amount: RuntimeValue) -> StateKey {
        if case .money(_, let c) = amount { return StateKey(keyText(key), c) }
        return StateKey(keyText(key))
    }

    /// What an order adds to a `window_sum`: its amount; for a `modify`,
    /// the increase over the live order's previous amount, if positive
    /// (docs/engine-semantics.md, step 7).
    ///
    /// INTERPRETATION (Q8): a `window_sum` read by a `modify` is what the sum
    /// would become if the modify were accepted: the sum plus this increase.
    /// A previous amount that cannot be evaluated, or is in another currency,
    /// was not added to this sum, so the whole amount counts.
    func contribution(_ amountExpr: Expr, _ amount: RuntimeValue, _ s: EvalScope) throws(EvalError) -> RuntimeValue {
        guard s.event.kind == "modify", let previous = s.event.previous else { return amount }
        let before = s.with("order", .record(previous))
        guard let old = try? eval(amountExpr, before) else { return amount }
        switch (amount, old) {
        case (.money(_, let c), .money(_, let d)) where c != d: return amount
        case (.money, .money), (.int, .int), (.decimal, .decimal), (.int, .decimal), (.decimal, .int): break
        default: return amount
        }
        let increase = try arithmetic(.sub, amount, old)
        switch increase {
        case .int(let i) where i < 0: return .int(0)
        case .decimal(let d) where d.raw < 0: return .decimal(.zero)
        case .money(let a, let c) where a.raw < 0: return .money(.zero, currency: c)
        default: return increase
        }
    }

    /// The value of a stateful call for the event being evaluated.
    func stateful(_ slot: StateSlot, _ args: [Expr], _ s: EvalScope) throws(EvalError) -> RuntimeValue {
        let ts = s.event.ts
        let i = slot.index
        let cap = capacities.keysPerSlot
        switch slot.kind {
        case .rate:
            let key = StateKey(keyText(try eval(args[0], s)))
            let start = TimeText.windowStart(ts, slot.window ?? 1)
            if let c = state.rate[i]?[key] { return .int(c.start >= start ? c.count : 0) }
            guard TableRoom.has(&state.rate[i, default: [:]], capacity: cap, current: { $0.start >= start }) else {
                throw OracleMessages.stateTableFull
            }
            return .int(0)
        case .windowSum:
            let amount = try eval(args[0], s)
            let keyValue = try eval(args[1], s)
            let add = try contribution(args[0], amount, s)
            let key = sumKey(keyValue, amount)
            let start = TimeText.windowStart(ts, slot.window ?? 1)
            if let w = state.windowSum[i]?[key] {
                return w.start >= start ? try arithmetic(.add, w.sum, add) : add
            }
            guard TableRoom.has(&state.windowSum[i, default: [:]], capacity: cap, current: { $0.start >= start }) else {
                throw OracleMessages.stateTableFull
            }
            return add
        case .executions:
            let key = StateKey(keyText(try eval(args[0], s)))
            let start = TimeText.windowStart(ts, slot.window ?? 1)
            if let c = state.executions[i]?[key] { return .int(c.start >= start ? c.count : 0) }
            guard TableRoom.has(&state.executions[i, default: [:]], capacity: cap, current: { $0.start >= start }) else {
                throw OracleMessages.stateTableFull
            }
            return .int(0)
        case .otr:
            let key = StateKey(keyText(try eval(args[0], s)))
            let start = TimeText.windowStart(ts, slot.window ?? 1)
            var orders: Int64 = 0
            var fills: Int64 = 0
            if let c = state.otr[i]?[key] {
                if c.start >= start {
                    orders = c.orders
                    fills = c.fills
                }
            } else {
                guard TableRoom.has(&state.otr[i, default: [:]], capacity: cap, current: { $0.start >= start }) else {
                    throw OracleMessages.stateTableFull
                }
            }
            guard let r = Fixed(Int(orders)).divided(by: Fixed(Int(max(1, fills)))) else {
                throw OracleMessages.decimalOverflow
            }
            return .decimal(r)
        case .position:
            let account = try eval(args[0], s)
            let instrument = try eval(args[1], s)
            let key = StateKey(keyText(account), keyText(instrument))
            if let p = state.position[i]?[key] { return .decimal(p) }
            guard TableRoom.has(state.position[i] ?? [:], capacity: cap) else { throw OracleMessages.stateTableFull }
            return .decimal(.zero)
        case .killed:
            let key = StateKey(slot.scope ?? "", keyText(try eval(args[1], s)))
            if state.kills.contains(key) { return .bool(true) }
            guard state.kills.count < capacities.killSwitches else { throw OracleMessages.stateTableFull }
            return .bool(false)
        case .openSum:
            return try openSum(slot, args, s)
        case .windowMax, .windowMin:
            return try windowExtreme(slot, args, s)
        case .latch:
            // On for the key (tripped by an earlier order, not reset, not
            // ended), else the condition now.
            let key = StateKey(keyText(try eval(args[1], s)))
            if let end = state.latches[i]?[key] {
                if end > ts { return .bool(true) }
            } else {
                guard TableRoom.has(&state.latches[i, default: [:]], capacity: cap, current: { $0 > ts }) else {
                    throw OracleMessages.stateTableFull
                }
            }
            return .bool(try evalBool(args[0], s))
        case .duplicate:
            let key = StateKey(keyText(try eval(args[0], s)))
            let today = TimeText.windowStart(ts, TimeText.day)
            if let day = state.seenIDs[i]?[key] { return .bool(day >= today) }
            guard TableRoom.has(&state.seenIDs[i, default: [:]], capacity: capacities.idsPerDay, current: { $0 >= today }) else {
                throw OracleMessages.stateTableFull
            }
            return .bool(false)
        }
    }
}
