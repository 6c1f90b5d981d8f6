/// `open_sum`: what the live orders add to each key, net of fills. Each
/// live order remembers, per `open_sum` call, its amount when accepted, its
/// current contribution (the amount × its unfilled share) and the key it is
/// counted under; the table holds, per key, the sum of the contributions and
/// how many orders make it (an entry goes when none is left).

import WritSema
import WritSyntax
import WritValue

/// One live order's part of one `open_sum` slot.
struct OpenShare: Equatable {
    var amount: Fixed
    var contribution: Fixed
    var key: StateKey
}

/// The sum of one key of an `open_sum` slot.
struct OpenTotal {
    var sum: Fixed
    var orders: Int
}

extension Oracle {
    /// `amount × (remaining ÷ qty)`, each step rounded half to even; the
    /// whole amount when nothing is filled, 0 when nothing remains or the
    /// quantity is not positive (docs/engine-semantics.md, "State").
    func openContribution(_ amount: Fixed, qty: Fixed, filled: Fixed) -> Fixed {
        guard qty.raw > 0, let remaining = qty.subtracting(filled), remaining.raw > 0 else { return .zero }
        if remaining.raw >= qty.raw { return amount }
        guard let share = remaining.divided(by: qty), let c = amount.multiplied(by: share) else { return .zero }
        return c
    }

    /// The amount as a fixed-point number (money: its amount; its currency is in the key).
    func openAmount(_ v: RuntimeValue) -> Fixed? {
        switch v {
        case .decimal(let d): d
        case .money(let a, _): a
        default: nil
        }
    }

    /// The value of `open_sum(amount, key)` for the order being decided: the
    /// key's sum, plus this order's contribution, less (for a `modify`) the
    /// contribution the live order has under the same key.
    func openSum(_ slot: StateSlot, _ args: [Expr], _ s: EvalScope) throws(EvalError) -> RuntimeValue {
        let amountValue = try eval(args[0], s)
        let keyValue = try eval(args[1], s)
        guard let amount = openAmount(amountValue) else { throw OracleMessages.unsupported("an open sum of this kind") }
        let key = sumKey(keyValue, amountValue)
        var filled = Fixed.zero
        var replaced = Fixed.zero
        if s.event.kind == "modify", case .record(let r)? = s.records["order"], let idValue = r.fields["id"],
            let live = state.live[keyText(idValue)]
        {
            filled = live.filled
            if let share = live.open[slot.index], share.key == key { replaced = share.contribution }
        }
        let qty = orderQty(s)
        let add = openContribution(amount, qty: qty, filled: filled)
        var sum = add
        if let total = state.openSum[slot.index]?[key] {
            guard let r = total.sum.adding(add), let q = r.subtracting(replaced) else { throw OracleMessages.decimalOverflow }
            sum = q
        } else if (state.openSum[slot.index]?.count ?? 0) >= capacities.keysPerSlot {
            throw OracleMessages.stateTableFull
        }
        if case .money(_, let c) = amountValue { return .money(sum, currency: c) }
        return .decimal(sum)
    }

    /// The order's `qty` (0 if it has none).
    private func orderQty(_ s: EvalScope) -> Fixed {
        if case .record(let r)? = s.records["order"], case .decimal(let q)? = r.fields["qty"] { return q }
        return .zero
    }

    /// The shares of the order of `s` (just accepted, `filled` filled), for
    /// every `open_sum` slot whose key and amount evaluate.
    func openShares(_ s: EvalScope, filled: Fixed) -> [Int: OpenShare] {
        var out: [Int: OpenShare] = [:]
        let qty = orderQty(s)
        for slot in program.stateSlots where slot.kind == .openSum {
            guard let k = try? eval(slot.key, s), let amountExpr = slot.amount, let v = try? eval(amountExpr, s),
                let amount = openAmount(v)
            else { continue }
            let c = openContribution(amount, qty: qty, filled: filled)
            out[slot.index] = OpenShare(amount: amount, contribution: c, key: sumKey(k, v))
        }
        return out
    }

    /// Adds `delta` to `key`'s sum in slot `i`, with `orders` more orders;
    /// false if a new key has no room.
    @discardableResult
    func moveOpen(_ i: Int, _ key: StateKey, _ delta: Fixed, orders: Int) -> Bool {
        if var total = state.openSum[i]?[key] {
            total.orders += orders
            if total.orders <= 0 {
                state.openSum[i]?[key] = nil
            } else {
                if let r = total.sum.adding(delta) { total.sum = r }
                state.openSum[i]?[key] = total
            }
            return true
        }
        guard orders > 0, (state.openSum[i]?.count ?? 0) < capacities.keysPerSlot else { return false }
        state.openSum[i, default: [:]][key] = OpenTotal(sum: delta, orders: orders)
        return true
    }

    /// A live order leaves the open sums.
    func closeOpen(_ order: LiveOrder) {
        for (i, share) in order.open.sorted(by: { $0.key < $1.key }) {
            moveOpen(i, share.key, share.contribution.negated(), orders: -1)
        }
    }

    /// An order just made live enters the open sums with `shares`; the shares kept.
    func enterOpen(_ shares: [Int: OpenShare]) -> [Int: OpenShare] {
        var kept: [Int: OpenShare] = [:]
        for (i, share) in shares.sorted(by: { $0.key < $1.key }) where moveOpen(i, share.key, share.contribution, orders: 1) {
            kept[i] = share
        }
        return kept
    }

    /// After a fill: each share shrinks to the order's unfilled share.
    func refreshOpen(_ order: inout LiveOrder) {
        guard case .decimal(let qty)? = order.record.fields["qty"] else { return }
        for (i, share) in order.open.sorted(by: { $0.key < $1.key }) {
            let c = openContribution(share.amount, qty: qty, filled: order.filled)
            moveOpen(i, share.key, c.subtracting(share.contribution) ?? .zero, orders: 0)
            order.open[i]?.contribution = c
        }
    }
}
