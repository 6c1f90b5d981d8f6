/// The platform's part of an order's decision (docs/engine-semantics.md,
/// "Platform"): the DR level in force at the order's time, the route of
/// its class combination, and the gate — an order the level does not
/// allow, or one the route found no cluster for, is rejected. One read of
/// the level's capabilities and one read of the route table per order.

import WritIR
import WritValue

extension Machine {
    /// Sets the decision's route and DR level, and rejects what the level or the route does not allow.
    @inline(__always)
    mutating func gate(cancel: Bool, _ d: inout Decision) {
        d.hasPlatform = true
        var allows = platform.allows
        if platform.hasDR {
            if dryRun {
                let l = platform.level(at: ts)
                d.drLevel = Int8(l)
                allows = platform.ir?.dr?.levels[l].allows ?? allows
            } else {
                platform.advance(to: ts)
                d.drLevel = Int8(platform.level)
                allows = platform.allows
            }
        }
        if platform.hasRoutes {
            let combo = platform.combination(frame, present)
            d.route = platform.routeCluster[combo]
            d.routeIndex = platform.routeOf[combo]
        }
        let trading: UInt8 = 1 << UInt8(IRCapability.trading.rawValue)
        var gated = false
        if cancel {
            gated = allows & (trading | 1 << UInt8(IRCapability.cancels.rawValue)) == 0
        } else {
            if allows & trading == 0 {
                gated = allows & (1 << UInt8(IRCapability.reduceOnly.rawValue)) == 0 || !reducesPosition()
            }
            if d.route == PlatformState.noRoute {
                d.gate = gated ? .both : .noRoute
                d.verdict = .reject
                return
            }
        }
        if gated {
            d.gate = cancel ? .cancel : .level
            d.verdict = .reject
        }
    }

    /// Whether the order in the frame reduces its (account, symbol)
    /// position without reversing it: a buy of at most a short position, a
    /// sell of at most a long one.
    private func reducesPosition() -> Bool {
        guard let account = field(platform.accountField >= 0 ? platform.accountField : nil),
            let symbol = field(roles.orderSymbol), let side = field(roles.orderSide), let qty = field(roles.orderQty)
        else { return false }
        let p = platform.position(stateKey(account, symbol))
        if side == roles.buyCase { return p < 0 && qty <= 0 &- p }
        if side == platform.sellCase { return p > 0 && qty <= p }
        return false
    }

    /// A fill of the order in the frame: its (account, symbol) position
    /// moves by the quantity (buy +, every other side −).
    mutating func trackPosition(quantity: Int128, sign: Int128) {
        guard let account = field(platform.accountField >= 0 ? platform.accountField : nil),
            let symbol = field(roles.orderSymbol)
        else { return }
        let key = stateKey(account, symbol)
        let signed = sign < 0 ? 0 &- quantity : quantity
        if let at = platform.positions.find(key) {
            if let n = Fixed(raw: platform.positions.value(at)).adding(Fixed(raw: signed)) {
                platform.positions.valuePointer(at).pointee = n.raw
            }
        } else if !platform.positions.isFull, let (at, _) = platform.positions.insert(key) {
            platform.positions.valuePointer(at).pointee = signed
            symbols.retain(Int(account))
            symbols.retain(Int(symbol))
        }
    }
}
