/// The platform's part of a snapshot: cluster health and load, link
/// state, replication lag, incidents and halts, the DR level with its
/// hysteresis clock, and the positions kept for reduce-only gating. Routes,
/// latencies and the triggers' level are recomputed on restore.

extension PlatformState {
    /// Back to the state of a new engine.
    mutating func reset() {
        for i in 0..<health.count { health[i] = 0 }
        for i in 0..<load.count { load[i] = 0 }
        for i in 0..<lag.count { lag[i] = 0 }
        for i in 0..<linkUp.count { linkUp[i] = 1 }
        incident = false
        halt = false
        level = 0
        since = Int64.min
        allows = ir?.dr?.levels[0].allows ?? 0xFF
        transitionCount = 0
        positions.clear()
        recompute()
    }

    func write(_ w: inout SnapshotWriter) {
        guard enabled else { return }
        for i in 0..<clusterCount { w.u8(health[i]) }
        for i in 0..<clusterCount { w.i128(load[i]) }
        for i in 0..<(ir?.tiers.count ?? 0) { w.u64(UInt64(bitPattern: lag[i])) }
        for i in 0..<(ir?.links.count ?? 0) { w.u8(linkUp[i]) }
        w.u8(incident ? 1 : 0)
        w.u8(halt ? 1 : 0)
        w.u32(level)
        w.u64(UInt64(bitPattern: since))
        w.u32(positions.count)
        for k in 0..<positions.slotCount where positions.occupied(k) {
            w.u64(positions.key(at: k))
            w.i128(positions.value(k))
        }
    }

    mutating func read(_ r: inout SnapshotReader) throws(SnapshotError) {
        guard enabled, let ir else { return }
        for i in 0..<clusterCount {
            guard let h = r.u8(), h <= 2 else { throw .invalid("a cluster's health cannot be restored") }
            health[i] = h
        }
        for i in 0..<clusterCount {
            guard let v = r.i128() else { throw .invalid("it ends early") }
            load[i] = v
        }
        for i in 0..<ir.tiers.count {
            guard let v = r.u64() else { throw .invalid("it ends early") }
            lag[i] = Int64(bitPattern: v)
        }
        for i in 0..<ir.links.count {
            guard let v = r.u8() else { throw .invalid("it ends early") }
            linkUp[i] = v
        }
        guard let inc = r.u8(), let h = r.u8(), let l = r.u32(), let s = r.u64(), let n = r.u32() else {
            throw .invalid("it ends early")
        }
        guard l < Swift.max(1, ir.dr?.levels.count ?? 1) else { throw .invalid("the DR level cannot be restored") }
        incident = inc != 0
        halt = h != 0
        level = l
        since = Int64(bitPattern: s)
        allows = ir.dr?.levels[l].allows ?? 0xFF
        for _ in 0..<n {
            guard let key = r.u64(), let v = r.i128(), positions.restore(key: key, value: v) else {
                throw .invalid("a position cannot be restored")
            }
        }
        recompute()
    }
}
