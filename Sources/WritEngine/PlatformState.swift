/// The platform at run time (docs/engine-semantics.md, "Platform"): live
/// cluster health, load, link state and shortest-path latencies,
/// replication lag per tier, open incidents and halts, the DR level with
/// its hysteresis, positions for reduce-only gating, and the route
/// precomputed for every combination of order classes. Platform events are
/// the slow path (`apply`, then `recompute`); an order reads its level's
/// capabilities and its route from dense tables (`PlatformState.route`).

import WritIR
import WritValue

/// What a platform event does.
enum PlatformEventKind: UInt8, BitwiseCopyable {
    case clusterDown = 0, clusterUp, clusterDegraded, clusterLoad, replicationLag, securityIncident, regulatoryHalt
    case clear, linkDown, linkUp

    /// The `event` names, in case order.
    static let names: [StaticString] = [
        "cluster_down", "cluster_up", "cluster_degraded", "cluster_load", "replication_lag", "security_incident",
        "regulatory_halt", "clear", "link_down", "link_up",
    ]
}

/// A decoded platform event.
struct PlatformEvent: BitwiseCopyable {
    var kind = PlatformEventKind.clusterDown
    var ts: Int64 = 0
    /// A cluster (or a link's first end), a tier (-1: every tier) or what a `clear` clears.
    var a = -1
    /// A link's second end.
    var b = -1
    /// Load (a `Fixed` raw fraction) or lag (nanoseconds).
    var value: Int128 = 0
}

/// A value of a platform expression.
enum PlatformValue: BitwiseCopyable {
    case bool(Bool)
    case number(Int128)
    case duration(Int64)
    case symbol(Int32)
    /// A list node.
    case list(Int32)
    /// A cluster's jurisdictions (`hubs` false) or hubs.
    case clusterList(Int32, hubs: Bool)
    case error
}

/// Health of a cluster.
enum Health: UInt8 {
    case up = 0, degraded, down
}

/// Holds the program's platform for the slow path, so that `PlatformState`
/// (inside `Machine`) stays trivially copyable: the evaluator's
/// `@_noLocks` code may not see reference counting on the machine.
final class PlatformProgram {
    let ir: IRPlatform
    init(_ ir: IRPlatform) { self.ir = ir }
}

/// The run-time platform of one engine.
struct PlatformState {
    /// The program's platform (retained by `init`, released by `free`).
    let program: Unmanaged<PlatformProgram>?
    /// The program's platform, nil when it declares no route and no DR policy (slow path only).
    var ir: IRPlatform? { program?.takeUnretainedValue().ir }
    let hasRoutes: Bool
    let hasDR: Bool
    let clusterCount: Int
    /// Per dimension: the order field (global index), its frame slot, the
    /// class of each static symbol, the stride in the route table.
    let dimensionField: RawBuffer<Int32>
    let dimensionSlot: RawBuffer<Int32>
    let dimensionClass: RawBuffer<UInt16>
    let dimensionStride: RawBuffer<Int32>
    let dimensionCount: Int
    let staticSymbols: Int
    /// Per combination: the chosen cluster (≥ 0), `noRoute` or `unrouted`; the route that decided.
    let routeCluster: RawBuffer<Int16>
    let routeOf: RawBuffer<Int16>
    static let noRoute: Int16 = -1
    static let unrouted: Int16 = -2
    /// Live state.
    let health: RawBuffer<UInt8>
    let load: RawBuffer<Int128>
    let lag: RawBuffer<Int64>
    let linkUp: RawBuffer<UInt8>
    let distance: RawBuffer<Int64>
    var incident = false
    var halt = false
    /// The DR level (index into the policy's levels), the level the triggers
    /// ask for, and since when the triggers have been below the level
    /// (`Int64.min`: they are not).
    var level = 0
    var target = 0
    var since = Int64.min
    /// The capabilities of the current level (all when there is no DR policy).
    var allows: UInt8 = 0xFF
    /// Level changes since the last `drainTransitions` (for `writ simulate`).
    let transitions: RawBuffer<(at: Int64, level: Int32)>
    var transitionCount = 0
    /// Positions for reduce-only gating: (account, symbol) → net filled quantity.
    var positions: OpenTable<Int128>
    let tracksPositions: Bool
    let accountField: Int
    let sellCase: Int128
    /// Symbol indices of the health cases (negative when no expression names them).
    let healthSymbol: (Int32, Int32, Int32)
    /// The expression nodes and list items, each cluster's fields
    /// (`IRCluster`: name, region, continent, provider, role, capacity;
    /// jurisdictions and hubs flattened), and the dimensions' class cells
    /// (per dimension from `cellBase`, class − 1 × columns + column), as
    /// flat buffers: evaluation touches no reference-counted storage.
    let nodes: RawBuffer<IRPlatformNode>
    let listItems: RawBuffer<Int32>
    let clusterFields: RawBuffer<Int32>
    let clusterCapacity: RawBuffer<Int64>
    let clusterListStart: RawBuffer<Int32>
    let clusterLists: RawBuffer<Int32>
    let cellBase: RawBuffer<Int32>
    let cellColumns: RawBuffer<Int32>
    let cells: RawBuffer<Int32>
    /// Rank scratch: clusters × ranks.
    let rankScratch: RawBuffer<PlatformValue>
    let dimensionScratch: RawBuffer<Int32>
    var candidate = -1
    var origin = -1

    init(_ p: EngineProgram, positions capacity: Int) {
        let ir = p.ir.platform
        program = ir.map { Unmanaged.passRetained(PlatformProgram($0)) }
        hasRoutes = !(ir?.routes.isEmpty ?? true)
        hasDR = ir?.dr != nil
        let n = ir?.clusters.count ?? 0
        clusterCount = n
        let dims = ir?.dimensions ?? []
        dimensionCount = dims.count
        staticSymbols = p.ir.symbols.count
        let order = p.ir.schema("order")
        var symbolIndex: [String: Int] = [:]
        if !dims.isEmpty { for (i, s) in p.ir.symbols.enumerated() { symbolIndex[s] = i } }
        var fieldIndex: [Int32] = []
        var fieldSlot: [Int32] = []
        var classes = [UInt16](repeating: 0, count: Swift.max(1, dims.count * p.ir.symbols.count))
        var strides: [Int32] = []
        var stride = 1
        for (d, dim) in dims.enumerated() {
            let f = order?.field(dim.field)
            fieldIndex.append(Int32(f?.index ?? -1))
            fieldSlot.append(Int32(f?.slot ?? -1))
            for (k, c) in zip(dim.keys, dim.keyClass) {
                if let s = symbolIndex[k] { classes[d * p.ir.symbols.count + s] = UInt16(c) }
            }
            strides.append(Int32(stride))
            stride *= dim.classCount + 1
        }
        dimensionField = RawBuffer(fieldIndex)
        dimensionSlot = RawBuffer(fieldSlot)
        dimensionClass = RawBuffer(classes)
        dimensionStride = RawBuffer(strides)
        let combinations = ir?.combinationCount ?? 1
        routeCluster = RawBuffer(zeroed: combinations)
        routeOf = RawBuffer(zeroed: combinations)
        health = RawBuffer(zeroed: n)
        load = RawBuffer(zeroed: n)
        lag = RawBuffer(zeroed: ir?.tiers.count ?? 0)
        linkUp = RawBuffer([UInt8](repeating: 1, count: ir?.links.count ?? 0))
        distance = RawBuffer(zeroed: n * n)
        transitions = RawBuffer(zeroed: 256)
        tracksPositions = ir?.dr != nil
        self.positions = OpenTable(capacity: tracksPositions ? capacity : 1)
        accountField = order?.field("account").map { $0.index } ?? -1
        if let side = order?.field("side"), let e = side.enumIndex, let s = p.ir.enums[e].cases.firstIndex(of: "sell") {
            sellCase = Int128(s)
        } else {
            sellCase = -1
        }
        func sym(_ s: String, _ fallback: Int32) -> Int32 { (ir?.strings.firstIndex(of: s)).map { Int32($0) } ?? fallback }
        healthSymbol = (sym("up", -1), sym("degraded", -2), sym("down", -3))
        rankScratch = RawBuffer(zeroed: Swift.max(1, n * (ir?.routes.map(\.ranks.count).max() ?? 0)))
        nodes = RawBuffer(ir?.nodes ?? [])
        listItems = RawBuffer(ir?.listItems ?? [])
        let cs = ir?.clusters ?? []
        clusterFields = RawBuffer(cs.flatMap { [$0.name, $0.region, $0.continent, $0.provider, $0.role].map { Int32($0) } })
        clusterCapacity = RawBuffer(cs.map(\.capacity))
        var starts: [Int32] = []
        var lists: [Int32] = []
        for c in cs {
            starts.append(Int32(lists.count))
            lists.append(contentsOf: c.jurisdictions.map { Int32($0) })
            starts.append(Int32(lists.count))
            lists.append(contentsOf: c.hubs.map { Int32($0) })
        }
        starts.append(Int32(lists.count))
        clusterListStart = RawBuffer(starts)
        clusterLists = RawBuffer(lists)
        var bases: [Int32] = []
        var flat: [Int32] = []
        for d in dims {
            bases.append(Int32(flat.count))
            for row in d.cells { flat.append(contentsOf: row) }
        }
        cellBase = RawBuffer(bases)
        cellColumns = RawBuffer(dims.map { Int32($0.columns.count) })
        cells = RawBuffer(flat)
        dimensionScratch = RawBuffer(zeroed: Swift.max(1, dims.count))
        if let dr = ir?.dr { allows = dr.levels[0].allows }
        recompute()
    }

    func free() {
        program?.release()
        dimensionField.free()
        dimensionSlot.free()
        dimensionClass.free()
        dimensionStride.free()
        routeCluster.free()
        routeOf.free()
        health.free()
        load.free()
        lag.free()
        linkUp.free()
        distance.free()
        transitions.free()
        positions.free()
        rankScratch.free()
        dimensionScratch.free()
        nodes.free()
        listItems.free()
        clusterFields.free()
        clusterCapacity.free()
        clusterListStart.free()
        clusterLists.free()
        cellBase.free()
        cellColumns.free()
        cells.free()
    }

    /// Whether the program has a platform at all.
    @inline(__always)
    var enabled: Bool { hasRoutes || hasDR }

    // MARK: The fast path

    /// The route table entry of the order in the frame.
    @inline(__always)
    func combination(_ frame: RawBuffer<Int128>, _ present: RawBuffer<UInt8>) -> Int {
        var combo = 0
        var d = 0
        while d < dimensionCount {
            let fi = Int(dimensionField[d])
            var c = 0
            if fi >= 0, present[fi] != 0 {
                let s = frame[Int(dimensionSlot[d])]
                if s >= 0, s < Int128(staticSymbols) { c = Int(dimensionClass[d * staticSymbols + Int(s)]) }
            }
            combo += c * Int(dimensionStride[d])
            d += 1
        }
        return combo
    }

    /// Steps the DR level down while its triggers have been clear for its
    /// `recover_after` (time from events, never the wall clock).
    @inline(__always)
    mutating func advance(to ts: Int64) {
        guard hasDR, level > target, since != Int64.min else { return }
        stepDown(ts)
    }

    private mutating func stepDown(_ ts: Int64) {
        guard let dr = ir?.dr else { return }
        while level > target, since != Int64.min {
            let r = dr.levels[level].recoverAfter
            let (due, o) = since.addingReportingOverflow(r)
            guard !o, ts >= due else { return }
            level -= 1
            since = due
            allows = dr.levels[level].allows
            log(due)
            if level == target { since = Int64.min }
        }
    }

    private mutating func log(_ at: Int64) {
        guard transitionCount < transitions.count else { return }
        transitions[transitionCount] = (at, Int32(level))
        transitionCount += 1
    }

    /// The level `advance(to:)` would reach, without changing anything (explain).
    func level(at ts: Int64) -> Int {
        guard let dr = ir?.dr, level > target, since != Int64.min else { return level }
        var l = level
        var s = since
        while l > target {
            let (due, o) = s.addingReportingOverflow(dr.levels[l].recoverAfter)
            guard !o, ts >= due else { break }
            l -= 1
            s = due
        }
        return l
    }

    /// The net filled quantity of (account, symbol).
    func position(_ key: UInt64) -> Int128 {
        guard let s = positions.find(key) else { return 0 }
        return positions.value(s)
    }

    // MARK: The slow path

    /// Applies a platform event, then re-evaluates the triggers and the routes.
    mutating func apply(_ e: PlatformEvent) {
        advance(to: e.ts)
        switch e.kind {
        case .clusterDown: health[e.a] = Health.down.rawValue
        case .clusterUp: health[e.a] = Health.up.rawValue
        case .clusterDegraded: health[e.a] = Health.degraded.rawValue
        case .clusterLoad: load[e.a] = e.value
        // A lag beyond what an Int64 of nanoseconds holds (292 years) is the
        // longest lag, never a wrapped one: the triggers must see it.
        case .replicationLag: lag[e.a] = Int64(clamping: e.value)
        case .securityIncident: incident = true
        case .regulatoryHalt: halt = true
        case .clear:
            switch e.a {
            case 0: incident = false
            case 1: halt = false
            default:
                if e.b >= 0 {
                    lag[e.b] = 0
                } else {
                    for t in 0..<lag.count { lag[t] = 0 }
                }
            }
        case .linkDown, .linkUp:
            linkUp[e.a] = e.kind == .linkUp ? 1 : 0
        }
        recompute()
        settle(e.ts)
    }

    /// After the triggers changed at `ts`: enter a higher level at once,
    /// or start (or keep) counting the time the triggers have been below it.
    private mutating func settle(_ ts: Int64) {
        guard let dr = ir?.dr else { return }
        if target > level {
            level = target
            allows = dr.levels[level].allows
            since = Int64.min
            log(ts)
        } else if target == level {
            since = Int64.min
        } else if since == Int64.min {
            since = ts
        }
        stepDown(ts)
    }

    /// Shortest paths, the triggers' target level and every combination's route.
    mutating func recompute() {
        guard let ir else { return }
        distances(ir)
        if let dr = ir.dr {
            var t = 0
            for i in stride(from: dr.levels.count - 1, through: 1, by: -1) {
                // A trigger that cannot be evaluated holds: fail closed.
                if case .bool(false) = eval(dr.levels[i].trigger) { continue }
                t = i
                break
            }
            target = t
        }
        guard hasRoutes else { return }
        for combo in 0..<routeCluster.count {
            var rest = combo
            for d in 0..<dimensionCount {
                let k = ir.dimensions[d].classCount + 1
                dimensionScratch[d] = Int32(rest % k)
                rest /= k
            }
            let (r, c) = chooseRoute(ir)
            routeOf[combo] = Int16(r)
            routeCluster[combo] = c
        }
    }

    /// Floyd–Warshall over the links that are up, through clusters that are not down.
    private func distances(_ ir: IRPlatform) {
        let n = clusterCount
        for i in 0..<(n * n) { distance[i] = Int64.max }
        for i in 0..<n { distance[i * n + i] = 0 }
        for (k, l) in ir.links.enumerated() where linkUp[k] != 0 {
            distance[l.a * n + l.b] = Swift.min(distance[l.a * n + l.b], l.latency)
            distance[l.b * n + l.a] = Swift.min(distance[l.b * n + l.a], l.latency)
        }
        for k in 0..<n where health[k] != Health.down.rawValue {
            for i in 0..<n where distance[i * n + k] != Int64.max {
                for j in 0..<n where distance[k * n + j] != Int64.max {
                    // Links are at most a minute (the bundle's validation), so no
                    // path overflows; the sum saturates all the same.
                    let (via, o) = distance[i * n + k].addingReportingOverflow(distance[k * n + j])
                    if !o, via < distance[i * n + j] { distance[i * n + j] = via }
                }
            }
        }
    }

    /// The route and cluster of the combination in `dimensionScratch`.
    private mutating func chooseRoute(_ ir: IRPlatform) -> (Int, Int16) {
        candidate = -1
        origin = -1
        for (ri, r) in ir.routes.enumerated() {
            for d in r.dimensions where dimensionScratch[d] == 0 { return (ri, PlatformState.noRoute) }
            if r.applies >= 0 {
                switch eval(r.applies) {
                case .bool(true): break
                case .bool(false): continue
                default: return (ri, PlatformState.noRoute)
                }
            }
            origin = -1
            if r.origin >= 0, case .symbol(let s) = eval(r.origin) {
                origin = ir.clusters.firstIndex { $0.name == Int(s) } ?? -1
            }
            let ranks = r.ranks.count
            var best = -1
            for c in 0..<clusterCount {
                candidate = c
                var ok = true
                for f in r.filters {
                    guard case .bool(true) = eval(f) else {
                        ok = false
                        break
                    }
                }
                if !ok { continue }
                for k in 0..<ranks {
                    let v = eval(r.ranks[k])
                    if case .error = v {
                        ok = false
                        break
                    }
                    rankScratch[c * ranks + k] = v
                }
                if !ok { continue }
                if best < 0 || better(c, than: best, r, ir) { best = c }
            }
            if best < 0 {
                // A fallback must be up and, when the order has an origin,
                // reachable from it over the links that are up.
                for f in r.fallback where health[f] != Health.down.rawValue {
                    if origin >= 0, distance[origin * clusterCount + f] == Int64.max { continue }
                    candidate = f
                    if r.hubFilter >= 0, case .bool(true) = eval(r.hubFilter) {
                    } else if r.hubFilter >= 0 {
                        continue
                    }
                    best = f
                    break
                }
            }
            candidate = -1
            return (ri, best < 0 ? PlatformState.noRoute : Int16(best))
        }
        return (-1, PlatformState.unrouted)
    }

    /// Whether candidate `a` ranks before `b` (lexicographic over the rank keys).
    private func better(_ a: Int, than b: Int, _ r: IRRoute, _ ir: IRPlatform) -> Bool {
        let ranks = r.ranks.count
        for k in 0..<ranks {
            let c = compare(rankScratch[a * ranks + k], rankScratch[b * ranks + k]) ?? 0
            if c != 0 { return r.descending[k] ? c > 0 : c < 0 }
        }
        return false
    }

    // MARK: Expressions

    private func compare(_ x: PlatformValue, _ y: PlatformValue) -> Int? {
        switch (x, y) {
        case (.number(let a), .number(let b)): return a < b ? -1 : a > b ? 1 : 0
        case (.duration(let a), .duration(let b)): return a < b ? -1 : a > b ? 1 : 0
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.symbol(let a), .symbol(let b)):
            if a == b { return 0 }
            guard let ir else { return nil }
            let s = text(a, ir)
            let t = text(b, ir)
            return s == t ? 0 : (Array(s.utf8).lexicographicallyPrecedes(Array(t.utf8)) ? -1 : 1)
        default: return nil
        }
    }

    private func text(_ s: Int32, _ ir: IRPlatform) -> String {
        s >= 0 && Int(s) < ir.strings.count ? ir.strings[Int(s)] : ["up", "degraded", "down"][Int(-s - 1) % 3]
    }

    private func equal(_ x: PlatformValue, _ y: PlatformValue) -> Bool {
        switch (x, y) {
        case (.number(let a), .number(let b)): a == b
        case (.duration(let a), .duration(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.symbol(let a), .symbol(let b)): a == b
        default: false
        }
    }

    /// Evaluates node `n` for the current candidate, origin and combination.
    func eval(_ n: Int32) -> PlatformValue {
        guard n >= 0, Int(n) < nodes.count else { return .error }
        let node = nodes[Int(n)]
        switch node.op {
        case .bool: return .bool(node.value != 0)
        case .number: return .number(node.value)
        case .duration: return .duration(Int64(truncatingIfNeeded: node.value))
        case .symbol: return .symbol(node.a)
        case .list: return .list(n)
        case .dimension:
            let d = Int(node.a)
            let c = Int(dimensionScratch[d])
            guard c > 0 else { return .error }
            return eval(cells[Int(cellBase[d]) + (c - 1) * Int(cellColumns[d]) + Int(node.b)])
        case .clusterField:
            guard candidate >= 0, let f = IRClusterField(rawValue: node.a) else { return .error }
            let base = candidate * 5
            switch f {
            case .name: return .symbol(clusterFields[base])
            case .regionName: return .symbol(clusterFields[base + 1])
            case .continent: return .symbol(clusterFields[base + 2])
            case .provider: return .symbol(clusterFields[base + 3])
            case .role: return .symbol(clusterFields[base + 4])
            case .jurisdiction: return .clusterList(Int32(candidate), hubs: false)
            case .hubs: return .clusterList(Int32(candidate), hubs: true)
            case .capacity:
                let c = clusterCapacity[candidate]
                return c < 0 ? .error : .number(Int128(c) * Fixed.one)
            case .health:
                switch health[candidate] {
                case 0: return .symbol(healthSymbol.0)
                case 1: return .symbol(healthSymbol.1)
                default: return .symbol(healthSymbol.2)
                }
            case .load: return .number(load[candidate])
            case .latency:
                guard origin >= 0 else { return .error }
                let d = distance[origin * clusterCount + candidate]
                return d == Int64.max ? .error : .duration(d)
            }
        case .not:
            guard case .bool(let b) = eval(node.a) else { return .error }
            return .bool(!b)
        case .negate:
            switch eval(node.a) {
            case .number(let x): return .number(0 &- x)
            case .duration(let x): return .duration(0 &- x)
            default: return .error
            }
        case .and, .or:
            // CEL's commutative errors: false && error is false, true || error is true.
            let absorbing = node.op == .or
            let x = eval(node.a)
            if case .bool(let b) = x, b == absorbing { return .bool(absorbing) }
            let y = eval(node.b)
            if case .bool(let b) = y, b == absorbing { return .bool(absorbing) }
            guard case .bool = x, case .bool = y else { return .error }
            return .bool(!absorbing)
        case .eq, .ne:
            let x = eval(node.a)
            let y = eval(node.b)
            if case .error = x { return .error }
            if case .error = y { return .error }
            return .bool(equal(x, y) == (node.op == .eq))
        case .lt, .le, .gt, .ge:
            guard let c = compare(eval(node.a), eval(node.b)) else { return .error }
            switch node.op {
            case .lt: return .bool(c < 0)
            case .le: return .bool(c <= 0)
            case .gt: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .isIn:
            let x = eval(node.a)
            if case .error = x { return .error }
            switch eval(node.b) {
            case .list(let l):
                let ln = nodes[Int(l)]
                for k in Int(ln.a)..<(Int(ln.a) + Int(ln.b)) {
                    let y = eval(listItems[k])
                    if case .error = y { return .error }
                    if equal(x, y) { return .bool(true) }
                }
                return .bool(false)
            case .clusterList(let c, let hubs):
                guard case .symbol(let s) = x else { return .bool(false) }
                let k = Int(c) * 2 + (hubs ? 1 : 0)
                for i in Int(clusterListStart[k])..<Int(clusterListStart[k + 1]) where clusterLists[i] == s {
                    return .bool(true)
                }
                return .bool(false)
            default: return .error
            }
        case .add, .subtract:
            switch (eval(node.a), eval(node.b)) {
            case (.number(let x), .number(let y)):
                let r = node.op == .add ? Fixed(raw: x).adding(Fixed(raw: y)) : Fixed(raw: x).subtracting(Fixed(raw: y))
                return r.map { .number($0.raw) } ?? .error
            case (.duration(let x), .duration(let y)):
                let (r, o) = node.op == .add ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y)
                return o ? .error : .duration(r)
            default: return .error
            }
        case .conditional:
            guard case .bool(let b) = eval(node.a) else { return .error }
            return eval(b ? node.b : node.c)
        case .down: return .bool(health[Int(node.a)] == Health.down.rawValue)
        case .downCount:
            var k: Int64 = 0
            let field = node.b == 0 ? 4 : 2
            for i in 0..<clusterCount where health[i] == Health.down.rawValue && clusterFields[i * 5 + field] == node.a {
                k += 1
            }
            return .number(Int128(k) * Fixed.one)
        case .lag: return .duration(lag[Int(node.a)])
        case .securityIncident: return .bool(incident)
        case .regulatoryHalt: return .bool(halt)
        }
    }
}
