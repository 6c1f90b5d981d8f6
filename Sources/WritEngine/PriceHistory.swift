/// The histories of market fields that `window_max` and `window_min` read
/// (docs/engine-semantics.md, "State"): per market record and per distinct
/// (field, window), a ring of 10 buckets of width window ÷ 10, each holding
/// the lowest and highest value in force during it. Market events record
/// the value they carry; an order reads the buckets of the last 10 bucket
/// numbers and the field's current value. Fixed memory, allocated at load:
/// no allocation on the event path.

import WritIR

/// One bucket of a history: the lowest and highest value in force during
/// bucket `number` (`floor(ts / width)`); `Int64.min` marks an unused one.
struct HistoryBucket: BitwiseCopyable {
    var low: Int128 = 0
    var high: Int128 = 0
    var number: Int64 = .min
}

/// Per market record and history: whether it has recorded anything, the
/// number of its latest bucket, and the lowest and highest value of the
/// buckets a read at bucket `cacheK` covers (`Int64.min`: none; recording
/// clears it, snapshots do not keep it). Orders on one instrument read the
/// same buckets until the next market event or bucket.
struct HistoryHead: BitwiseCopyable {
    var latest: Int64 = 0
    var used: Int64 = 0
    var cacheK: Int64 = .min
    var cacheLow: Int128 = 0
    var cacheHigh: Int128 = 0
}

/// Every history of an engine: the distinct (market field, window) pairs of
/// its `window_max` and `window_min` slots, for every market record.
struct PriceHistories {
    /// Buckets per history (docs: the window is cut into 10).
    static let buckets = 10
    /// How many distinct (field, window) pairs.
    let count: Int
    /// Per history: the market field's global index, its bucket width in ns.
    let field: RawBuffer<Int32>
    let width: RawBuffer<Int64>
    /// Per state slot: its history, -1 for other kinds.
    let ofSlot: RawBuffer<Int32>
    /// Per (record, history): `record × count + history`.
    let heads: RawBuffer<HistoryHead>
    /// Per (record, history): `buckets` buckets, a ring by bucket number.
    let ring: RawBuffer<HistoryBucket>

    init(_ ir: IRProgram, records: Int) {
        var pairs: [(field: Int, window: Int64)] = []
        var of: [Int32] = []
        for s in ir.stateSlots {
            guard s.kind == .windowMax || s.kind == .windowMin else {
                of.append(-1)
                continue
            }
            if let h = pairs.firstIndex(where: { $0.field == s.scope && $0.window == s.window }) {
                of.append(Int32(h))
            } else {
                of.append(Int32(pairs.count))
                pairs.append((s.scope, s.window))
            }
        }
        count = pairs.count
        field = RawBuffer(pairs.map { Int32($0.field) })
        width = RawBuffer(pairs.map { $0.window / Int64(PriceHistories.buckets) })
        ofSlot = RawBuffer(of)
        heads = RawBuffer(zeroed: count == 0 ? 0 : records * count)
        ring = RawBuffer(zeroed: count == 0 ? 0 : records * count * PriceHistories.buckets)
    }

    func free() {
        field.free()
        width.free()
        ofSlot.free()
        heads.free()
        ring.free()
    }

    /// Populates the pages (see `RawBuffer.prefault`); the bytes populated.
    func prefault() -> Int { heads.prefault() + ring.prefault() }

    /// Forgets every history.
    func clear() {
        for i in 0..<heads.count { heads[i] = HistoryHead() }
    }

    /// The ring of (record, history).
    @inline(__always)
    func buckets(_ r: Int, _ h: Int) -> UnsafeMutablePointer<HistoryBucket> {
        ring.base + (r * count + h) * PriceHistories.buckets
    }

    /// Starts (record, history) afresh with `value` in bucket `k`.
    func start(_ r: Int, _ h: Int, _ k: Int64, _ value: Int128) {
        let b = buckets(r, h)
        for j in 0..<PriceHistories.buckets { b[j] = HistoryBucket() }
        b[slot(k)] = HistoryBucket(low: value, high: value, number: k)
        heads[r * count + h] = HistoryHead(latest: k, used: 1)
    }

    /// Records `value`, set at bucket `k` (a bucket before the latest counts
    /// in the latest); `last` is the value in force until now, which a new
    /// bucket starts with.
    func record(_ r: Int, _ h: Int, _ k: Int64, _ value: Int128, last: Int128) {
        let head = heads.base + (r * count + h)
        let b = buckets(r, h)
        head.pointee.cacheK = .min
        if k > head.pointee.latest {
            b[slot(k)] = HistoryBucket(low: Swift.min(last, value), high: Swift.max(last, value), number: k)
            head.pointee.latest = k
        } else {
            let at = slot(head.pointee.latest)
            b[at].low = Swift.min(b[at].low, value)
            b[at].high = Swift.max(b[at].high, value)
        }
    }

    /// The highest (`high`) or lowest value of (record, history) over the
    /// buckets of the 10 numbers up to `k` (or up to the latest, if later),
    /// and `current`, the value in force now.
    @inline(__always)
    func extreme(_ r: Int, _ h: Int, _ k: Int64, _ current: Int128, high: Bool) -> Int128 {
        let head = heads.base + (r * count + h)
        guard head.pointee.used != 0 else { return current }
        let at = Swift.max(k, head.pointee.latest)
        if head.pointee.cacheK != at {
            // The latest bucket is always among them: the scan finds one at least.
            let first = at &- Int64(PriceHistories.buckets - 1)
            let b = buckets(r, h)
            var low = Int128.max
            var hi = Int128.min
            for j in 0..<PriceHistories.buckets where b[j].number >= first {
                low = Swift.min(low, b[j].low)
                hi = Swift.max(hi, b[j].high)
            }
            head.pointee.cacheK = at
            head.pointee.cacheLow = low
            head.pointee.cacheHigh = hi
        }
        return high ? Swift.max(current, head.pointee.cacheHigh) : Swift.min(current, head.pointee.cacheLow)
    }

    @inline(__always)
    private func slot(_ k: Int64) -> Int {
        let m = Int(k % Int64(PriceHistories.buckets))
        return m < 0 ? m + PriceHistories.buckets : m
    }
}

/// `floor(ts / w)` for w > 0.
@inline(__always)
func bucketNumber(_ ts: Int64, _ w: Int64) -> Int64 {
    let q = ts / w
    return ts % w != 0 && ts < 0 ? q - 1 : q
}

extension Machine {
    /// At a market event, before its fields replace those of record `r`:
    /// each history whose field the event carries records the new value (a
    /// money field whose currency changes starts its history afresh).
    mutating func recordHistories(_ r: Int) {
        guard let t = field(roles.marketTS) else { return }
        let dst = market.slotBase(r)
        let pres = market.presenceBase(r)
        let base = Int(schemaSlots[marketSchema])
        let first = Int(schemaFields[marketSchema])
        for h in 0..<histories.count {
            let fi = Int(histories.field[h])
            guard present[fi] != 0 else { continue }
            let f = fields[fi]
            let slot = Int(f.slot)
            let value = frame[slot]
            let k = bucketNumber(Int64(truncatingIfNeeded: t), histories.width[h])
            let at = slot - base
            let known = pres[fi - first] != 0 && histories.heads[r * histories.count + h].used != 0
            if !known || (f.kind == .money && dst[at + 1] != frame[slot + 1]) {
                histories.start(r, h, k, value)
            } else {
                histories.record(r, h, k, value, last: dst[at])
            }
        }
    }

    /// `wmax` / `wmin`: the extreme of the slot's history for the order's
    /// market record, with the field's current value `f[b]`.
    @inline(never)
    mutating func readHistory(_ i: Instruction) {
        let f = frame.base
        let a = Int(i.a)
        let b = Int(i.b)
        let h = Int(histories.ofSlot[Int(i.aux)])
        var v = f[b]
        if marketRecord >= 0 && h >= 0 {
            let w = histories.width[h]
            let k = bucketNumber(ts, w)
            v = histories.extreme(marketRecord, h, k, v, high: i.op == .wmax)
        }
        f[a] = v
    }
}
