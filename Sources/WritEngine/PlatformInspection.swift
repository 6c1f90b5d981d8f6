/// What `writ simulate` reads of an engine's platform between events: the
/// DR level and its changes, the route of every class combination, the
/// replication lag per tier, and a way to let time pass without an event.
/// Allocates; not for the fast path.

import WritIR

/// One change of the DR level.
public struct PlatformTransition: Sendable, Hashable {
    /// When (nanoseconds since the epoch): the event's time, or the moment
    /// a level's `recover_after` ran out.
    public var at: Int64
    /// The level entered.
    public var level: String
}

extension Engine {
    /// The program's platform, nil when it declares no route and no DR policy.
    public var platform: IRPlatform? { program.ir.platform }

    /// The DR level in force (nil without a DR policy).
    public var drLevel: String? {
        guard let dr = program.ir.platform?.dr else { return nil }
        return dr.levels[m.pointee.platform.level].name
    }

    /// Whether the level in force allows `trading` (true without a DR policy).
    public var drAllowsTrading: Bool {
        m.pointee.platform.allows & (1 << UInt8(IRCapability.trading.rawValue)) != 0
    }

    /// The level changes since the last call, in order.
    public func drainPlatformTransitions() -> [PlatformTransition] {
        guard let dr = program.ir.platform?.dr else { return [] }
        var out: [PlatformTransition] = []
        let p = m.pointee.platform
        for k in 0..<p.transitionCount {
            let t = p.transitions[k]
            out.append(PlatformTransition(at: t.at, level: dr.levels[Int(t.level)].name))
        }
        m.pointee.platform.transitionCount = 0
        return out
    }

    /// Per class combination (see `IRPlatform.dimensions`): the declared
    /// name of the cluster its route chose, nil when none (or no route applies).
    public func routesInForce() -> [String?] {
        guard let ir = program.ir.platform, !ir.routes.isEmpty else { return [] }
        let p = m.pointee.platform
        return (0..<p.routeCluster.count).map { c in
            let r = p.routeCluster[c]
            return r >= 0 ? ir.strings[ir.clusters[Int(r)].name] : nil
        }
    }

    /// Replication lag per tier, in nanoseconds.
    public func replicationLag() -> [Int64] {
        let p = m.pointee.platform
        return (0..<(program.ir.platform?.tiers.count ?? 0)).map { p.lag[$0] }
    }

    /// Lets time pass to `ts` as an order at `ts` would (DR levels step down), without an event.
    public func advancePlatformClock(to ts: Int64) {
        settle()
        m.pointee.platform.advance(to: ts)
    }
}
