/// Snapshots of an engine's state (docs/ir.md, "Snapshots"): every table —
/// run-time symbols with their reference counts, state slots, kill
/// switches, live orders, market records — and the line count, in a
/// versioned binary file tied to the bundle it was taken with, written
/// atomically (a temporary file, fsync, rename) and checked with SHA-256 on
/// restore. Bound lists are not state: the host binds them again after a
/// restart; bound tables are (their rows, with the day's `set` and `remove`
/// controls), in a section of their own at the end.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import WritCrypto
import WritIR

/// Why a snapshot could not be written or restored.
public enum SnapshotError: Error, Sendable, CustomStringConvertible {
    /// The file could not be written or read.
    case io(path: String, reason: String)
    /// Not a snapshot, a damaged one, or a newer format.
    case invalid(String)
    /// Taken with another bundle or other capacities.
    case mismatch(String)

    /// One sentence, no capital, no final period.
    public var description: String {
        switch self {
        case .io(let path, let reason): "cannot use the snapshot `\(path)`: \(reason)"
        case .invalid(let why): "the snapshot is not valid: \(why)"
        case .mismatch(let why): "the snapshot does not fit this engine: \(why)"
        }
    }
}

extension Engine {
    static let snapshotMagic = Array("WRITSNAP".utf8)
    static let snapshotVersion: UInt16 = 4

    /// The state as bytes.
    public func snapshotBytes() -> [UInt8] {
        settle()
        var w = SnapshotWriter()
        w.bytes(Engine.snapshotMagic)
        w.u16(Engine.snapshotVersion)
        w.u32(program.contentHash.count)
        w.bytes(program.contentHash)
        let c = configuration
        for v in [c.keysPerSlot, c.liveOrders, c.idsPerDay, c.marketRecords, c.killSwitches, c.runtimeSymbols, c.closedOrders] {
            w.u64(UInt64(v))
        }
        w.u64(UInt64(lineCount))
        let mp = m.pointee
        // References held by bound data are not state: the host binds again.
        var boundRefs: [Int: UInt32] = [:]
        for b in 0..<mp.bound.count where mp.bound[b].isBound {
            let t = mp.bound[b].members
            for k in 0..<t.slotCount where t.occupied(k) { boundRefs[Int(t.key(at: k)), default: 0] += 1 }
        }
        // Bound tables are written apart (`writeTables`), as texts.
        mp.tableSymbolRefs(into: &boundRefs)
        let entries = mp.symbols.entriesInUse().compactMap { e -> (id: Int, refcount: UInt32, text: [UInt8])? in
            let rc = e.refcount &- (boundRefs[e.id] ?? 0)
            return rc == 0 ? nil : (e.id, rc, e.text)
        }
        w.u32(entries.count)
        for e in entries {
            w.u32(e.id)
            w.u32(Int(e.refcount))
            w.u32(e.text.count)
            w.bytes(e.text)
        }
        w.u32(mp.slotTables.count)
        for s in 0..<mp.slotTables.count {
            let t = mp.slotTables[s]
            let days = mp.dayTables[s]
            // A `duplicate` slot's entries are written like the others' (sum, count, other zero).
            w.u32(t.count + days.count)
            for k in 0..<t.slotCount where t.occupied(k) {
                let v = t.value(k)
                w.u64(t.key(at: k))
                w.i128(v.sum)
                w.u64(UInt64(bitPattern: v.start))
                w.u64(UInt64(bitPattern: v.count))
                w.u64(UInt64(bitPattern: v.other))
            }
            for k in 0..<days.slotCount where days.occupied(k) {
                w.u64(days.key(at: k))
                w.i128(0)
                w.u64(UInt64(bitPattern: days.value(k)))
                w.u64(0)
                w.u64(0)
            }
        }
        w.u32(mp.kills.count)
        for k in 0..<mp.kills.slotCount where mp.kills.occupied(k) { w.u64(mp.kills.key(at: k)) }
        w.u32(mp.execIDs.count)
        for k in 0..<mp.execIDs.slotCount where mp.execIDs.occupied(k) {
            w.u64(mp.execIDs.key(at: k))
            w.u64(UInt64(bitPattern: mp.execIDs.value(k)))
        }
        for (which, store) in [mp.live, mp.market].enumerated() {
            let all = store.all()
            w.u32(all.count)
            w.u32(store.slotCount)
            w.u32(store.fieldCount)
            for (key, r) in all {
                w.u64(key)
                for k in 0..<store.slotCount { w.i128(store.slotBase(r)[k]) }
                for k in 0..<store.fieldCount { w.u8(store.presenceBase(r)[k]) }
                w.i128(store.filled[r])
                // A live order's `open_sum` contributions (none without such slots).
                let n = which == 0 ? mp.openSlots.count : 0
                for k in 0..<n {
                    let e = mp.openEntries[r * n + k]
                    w.i128(e.amount)
                    w.i128(e.contribution)
                    w.u64(e.key)
                    w.u8(e.used)
                }
                // A market record's histories (`window_max`, `window_min`; none without them).
                for h in 0..<(which == 1 ? mp.histories.count : 0) {
                    let head = mp.histories.heads[r * mp.histories.count + h]
                    w.u64(UInt64(bitPattern: head.latest))
                    w.u64(UInt64(bitPattern: head.used))
                    let b = mp.histories.buckets(r, h)
                    for j in 0..<PriceHistories.buckets {
                        w.u64(UInt64(bitPattern: b[j].number))
                        w.i128(b[j].low)
                        w.i128(b[j].high)
                    }
                }
            }
        }
        // The closed orders, the one closed first first (the order they are forgotten in).
        // (The ring holds exactly the closed orders' keys: an entry goes only when it is forgotten.)
        let closedKeys = (0..<mp.closed.count).map { mp.closedRing[(mp.closedHead + $0) % mp.closedRing.count] }
        let closedRecords = closedKeys.compactMap { key in mp.closed.find(key).map { (key, $0) } }
        w.u32(closedRecords.count)
        for (key, r) in closedRecords {
            w.u64(key)
            for k in 0..<mp.closed.slotCount { w.i128(mp.closed.slotBase(r)[k]) }
            for k in 0..<mp.closed.fieldCount { w.u8(mp.closed.presenceBase(r)[k]) }
            w.i128(mp.closed.filled[r])
        }
        mp.platform.write(&w)
        mp.writeTables(&w)
        let hash = SHA256.hash(w.out)
        w.bytes(hash)
        return w.out
    }

    /// Writes the state to `path` atomically.
    public func snapshot(to path: String) throws(SnapshotError) {
        let data = snapshotBytes()
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        var written = 0
        while written < data.count {
            let n = data.withUnsafeBytes { write(fd, $0.baseAddress! + written, data.count - written) }
            if n <= 0 {
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(tmp)
                throw .io(path: path, reason: reason)
            }
            written += n
        }
        guard fsync(fd) == 0, close(fd) == 0 else {
            unlink(tmp)
            throw .io(path: path, reason: "it could not be flushed to disk")
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw .io(path: path, reason: reason)
        }
    }

    /// Replaces the state with the one in `path`.
    public func restore(from path: String) throws(SnapshotError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                close(fd)
                throw .io(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            data.append(contentsOf: buf[0..<n])
        }
        close(fd)
        try restore(bytes: data)
    }

    /// Replaces the state with a snapshot's bytes.
    public func restore(bytes data: [UInt8]) throws(SnapshotError) {
        // The order decided last belongs to the state being replaced.
        settle()
        guard data.count >= 8 + 2 + 32, Array(data[0..<8]) == Engine.snapshotMagic else {
            throw .invalid("it is not a writ snapshot")
        }
        let body = Array(data[0..<(data.count - 32)])
        guard SHA256.hash(body) == Array(data[(data.count - 32)...]) else {
            throw .invalid("its content does not match its hash")
        }
        var r = SnapshotReader(body, from: 8)
        guard let version = r.u16() else { throw .invalid("it ends early") }
        guard version == Engine.snapshotVersion else {
            throw .invalid(
                "its format version is \(version), this engine reads version \(Engine.snapshotVersion) only; replay the day's events to rebuild the state, then take a new snapshot"
            )
        }
        guard let hn = r.u32(), let hash = r.bytes(hn) else { throw .invalid("it ends early") }
        guard hash == program.contentHash else { throw .mismatch("it was taken with another bundle") }
        let c = configuration
        for v in [c.keysPerSlot, c.liveOrders, c.idsPerDay, c.marketRecords, c.killSwitches, c.runtimeSymbols, c.closedOrders] {
            guard r.u64() == UInt64(v) else { throw .mismatch("it was taken with other table capacities") }
        }
        guard let lines = r.u64() else { throw .invalid("it ends early") }
        let bindings = boundTexts()
        // Bound tables the snapshot has not bound keep the host's rows.
        let hostTables = (0..<m.pointee.tables.count).map { m.pointee.stagedRows($0) }
        defer {
            for (name, texts) in bindings { bind(name, symbols: texts) }
            for (ti, rows) in hostTables.enumerated() where m.pointee.tables[ti].binding >= 0 {
                if let rows, !m.pointee.tables[ti].isBound {
                    _ = m.pointee.commitTable(Int(m.pointee.tables[ti].binding), ti, rows)
                }
            }
        }
        try m.pointee.restore(&r)
        guard r.remaining == 0 else {
            m.pointee.clearState()
            throw .invalid("bytes follow its end")
        }
        lineCount = Int(lines)
    }
}

extension Engine {
    /// The members of every bound data, by binding name.
    func boundTexts() -> [(String, [String])] {
        var out: [(String, [String])] = []
        var done = Set<String>()
        for (bi, b) in program.ir.bindings.enumerated() where m.pointee.bound[bi].isBound && !done.contains(b.name) {
            done.insert(b.name)
            let t = m.pointee.bound[bi].members
            var texts: [String] = []
            for k in 0..<t.slotCount where t.occupied(k) { texts.append(m.pointee.symbols.string(Int(t.key(at: k)))) }
            out.append((b.name, texts.sorted()))
        }
        return out
    }
}

extension Machine {
    /// Clears the state and loads it from `r`; on failure the state is empty.
    mutating func restore(_ r: inout SnapshotReader) throws(SnapshotError) {
        clearState()
        do throws(SnapshotError) {
            guard let n = r.u32() else { throw .invalid("it ends early") }
            for _ in 0..<n {
                guard let id = r.u32(), let rc = r.u32(), let len = r.u32(), let text = r.bytes(len),
                    symbols.restore(id: id, refcount: UInt32(rc), text: text)
                else { throw .invalid("a symbol cannot be restored") }
            }
            symbols.finishRestore()
            guard r.u32() == slotTables.count else { throw .mismatch("its state slots differ") }
            for s in 0..<slotTables.count {
                guard let count = r.u32() else { throw .invalid("it ends early") }
                for _ in 0..<count {
                    guard let key = r.u64(), let sum = r.i128(), let start = r.u64(), let cnt = r.u64(),
                        let other = r.u64()
                    else { throw .invalid("it ends early") }
                    if stateSlots[s].kind == .duplicate {
                        guard dayTables.base[s].restore(key: key, value: Int64(bitPattern: start)) else {
                            throw .invalid("a state entry cannot be restored")
                        }
                        continue
                    }
                    guard
                        slotTables.base[s].restore(
                            key: key,
                            value: SlotEntry(
                                sum: sum, start: Int64(bitPattern: start), count: Int64(bitPattern: cnt),
                                other: Int64(bitPattern: other)))
                    else { throw .invalid("a state entry cannot be restored") }
                }
            }
            guard let kn = r.u32() else { throw .invalid("it ends early") }
            for _ in 0..<kn {
                guard let key = r.u64(), kills.restore(key: key, value: SlotEntry()) else {
                    throw .invalid("a kill switch cannot be restored")
                }
            }
            guard let en = r.u32() else { throw .invalid("it ends early") }
            for _ in 0..<en {
                guard let key = r.u64(), let day = r.u64(), execIDs.restore(key: key, value: Int64(bitPattern: day)) else {
                    throw .invalid("an execution id cannot be restored")
                }
            }
            for which in 0..<2 {
                guard let count = r.u32(), let slots = r.u32(), let fieldCount = r.u32() else {
                    throw .invalid("it ends early")
                }
                let store = which == 0 ? live : market
                guard slots == store.slotCount, fieldCount == store.fieldCount else { throw .mismatch("its records differ") }
                for _ in 0..<count {
                    guard let key = r.u64() else { throw .invalid("it ends early") }
                    let rec = which == 0 ? live.add(key) : market.add(key)
                    guard let rec else { throw .invalid("a record cannot be restored") }
                    let s = which == 0 ? live : market
                    for k in 0..<slots {
                        guard let v = r.i128() else { throw .invalid("it ends early") }
                        s.slotBase(rec)[k] = v
                    }
                    for k in 0..<fieldCount {
                        guard let v = r.u8() else { throw .invalid("it ends early") }
                        s.presenceBase(rec)[k] = v
                    }
                    guard let filled = r.i128() else { throw .invalid("it ends early") }
                    s.filled[rec] = filled
                    let n = which == 0 ? openSlots.count : 0
                    for k in 0..<n {
                        guard let amount = r.i128(), let c = r.i128(), let key = r.u64(), let used = r.u8() else {
                            throw .invalid("it ends early")
                        }
                        openEntries[rec * n + k] = OpenEntry(amount: amount, contribution: c, key: key, used: used)
                    }
                    for h in 0..<(which == 1 ? histories.count : 0) {
                        guard let latest = r.u64(), let used = r.u64() else { throw .invalid("it ends early") }
                        histories.heads[rec * histories.count + h] = HistoryHead(
                            latest: Int64(bitPattern: latest), used: Int64(bitPattern: used))
                        let b = histories.buckets(rec, h)
                        for j in 0..<PriceHistories.buckets {
                            guard let number = r.u64(), let low = r.i128(), let high = r.i128() else {
                                throw .invalid("it ends early")
                            }
                            b[j] = HistoryBucket(low: low, high: high, number: Int64(bitPattern: number))
                        }
                    }
                }
            }
            guard let closedCount = r.u32() else { throw .invalid("it ends early") }
            for _ in 0..<closedCount {
                guard let key = r.u64(), configuration.closedOrders > 0, closed.find(key) == nil, !closed.isFull,
                    let rec = closed.add(key)
                else { throw .invalid("a closed order cannot be restored") }
                closedRing[(closedHead + closed.count - 1) % closedRing.count] = key
                for k in 0..<closed.slotCount {
                    guard let v = r.i128() else { throw .invalid("it ends early") }
                    closed.slotBase(rec)[k] = v
                }
                for k in 0..<closed.fieldCount {
                    guard let v = r.u8() else { throw .invalid("it ends early") }
                    closed.presenceBase(rec)[k] = v
                }
                guard let filled = r.i128() else { throw .invalid("it ends early") }
                closed.filled[rec] = filled
            }
            try platform.read(&r)
            try restoreTables(&r)
        } catch {
            clearState()
            throw error
        }
    }

    /// Empties every table (run-time symbols included).
    mutating func clearState() {
        symbols.clear()
        for s in 0..<slotTables.count { slotTables.base[s].clear() }
        for s in 0..<dayTables.count { dayTables.base[s].clear() }
        kills.clear()
        execIDs.clear()
        live.clear()
        closed.clear()
        closedHead = 0
        market.clear()
        histories.clear()
        platform.reset()
        for i in 0..<openEntries.count { openEntries[i] = OpenEntry() }
        dropTables()
        // Bound data lost its symbols: the engine binds it again.
        for b in 0..<bound.count where bound[b].isBound {
            var t = bound[b].members
            t.clear()
            bound[b] = BoundSet(isBound: false, members: t)
        }
    }
}

/// Builds snapshot bytes.
struct SnapshotWriter {
    var out: [UInt8] = []
    mutating func bytes(_ b: [UInt8]) { out.append(contentsOf: b) }
    mutating func u8(_ v: UInt8) { out.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    mutating func u32(_ v: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { out.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    mutating func i128(_ v: Int128) {
        u64(UInt64(truncatingIfNeeded: v))
        u64(UInt64(truncatingIfNeeded: v >> 64))
    }
}

/// Reads snapshot bytes; every read checks the bounds.
struct SnapshotReader {
    let data: [UInt8]
    var at: Int
    init(_ data: [UInt8], from: Int) {
        self.data = data
        at = from
    }
    var remaining: Int { data.count - at }
    mutating func bytes(_ n: Int) -> [UInt8]? {
        guard n >= 0, n <= remaining else { return nil }
        defer { at += n }
        return Array(data[at..<(at + n)])
    }
    mutating func u8() -> UInt8? { bytes(1)?[0] }
    mutating func u16() -> UInt16? { bytes(2).map { UInt16($0[0]) | UInt16($0[1]) << 8 } }
    mutating func u32() -> Int? {
        bytes(4).map { b in Int(b[0]) | Int(b[1]) << 8 | Int(b[2]) << 16 | Int(b[3]) << 24 }
    }
    mutating func u64() -> UInt64? {
        bytes(8).map { b in b.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) } }
    }
    mutating func i128() -> Int128? {
        guard let lo = u64(), let hi = u64() else { return nil }
        return Int128(Int64(bitPattern: hi)) << 64 | Int128(lo)
    }
}
