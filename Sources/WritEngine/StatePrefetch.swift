/// Prefetching an order's state rows as soon as its inputs are in the frame.
/// An order reads and updates one row in each of its state slots' tables
/// (random places in big tables), one after another as its rules and
/// recording reach them; for an order whose keys no recent order used (the
/// first orders of a market's session) each is a cache miss, and the misses
/// add up. Where a slot's key is the order's own input — `rate(order.trader,
/// 1s)`, `position(order.account, order.symbol)`, a `window_sum` of a money
/// amount keyed by an input and the amount's currency — the row's cache line
/// is requested up front, all at once, so the misses overlap. A composite
/// key's `TupleCache` entry is requested the same way. Only a hint: a key
/// guessed wrong (an absent input, another currency) costs a useless load
/// and changes no result.

import CMallocInfo
import WritIR

/// How to form one state slot's key from the frame before its key block
/// runs (`StatePrefetch.plan`).
struct StatePrefetch: BitwiseCopyable {
    /// The state slot.
    var slot: Int32
    /// 1: key `f[a]`; 2: key `(f[a], f[b])`; 3: key `(f[a], currency)`, the
    /// currency `f[b]` when field `field` is present (or `field` is -1),
    /// else `f[c]`; 4: the `TupleCache` entry of `(f[a], f[b])` (`field` 1
    /// when `f[a]` is composite).
    var mode: Int32
    var a: Int32
    var b: Int32
    var c: Int32
    var field: Int32
    /// 1 when the entry before it forms the same key (modes 1–3): its
    /// hash is reused (slots keyed alike — `window_sum`s of the account —
    /// are next to each other in the plan).
    var sameKey: Int32 = 0

    /// The plan for a program: one entry per state slot whose key (or
    /// composite key's parts) the order's inputs give, in slot order.
    static func plan(_ p: EngineProgram) -> [StatePrefetch] {
        let ir = p.ir
        guard let o = p.orderSchema else { return [] }
        let orderBase = ir.schemas[o].slotBase
        let orderEnd = orderBase + ir.schemas[o].slotCount
        let inputEnd = p.inputBase + p.inputCount
        func isOrderInput(_ x: FrameIndex) -> Bool { Int(x) >= orderBase && Int(x) < orderEnd }
        // The currency slot of each money input field, by frame index → field.
        var currencyOf: [Int: Int] = [:]
        for s in ir.schemas {
            for f in s.fields where f.kind == .money && f.slot + 1 < inputEnd { currencyOf[f.slot + 1] = f.index }
        }
        var out: [StatePrefetch] = []
        for (s, slot) in ir.stateSlots.enumerated() {
            switch slot.kind {
            case .rate, .executions, .otr, .latch, .windowSum, .openSum, .position: break
            default: continue
            }
            let block = ir.blocks[slot.keyBlock]
            guard block.end > block.start else { continue }
            let first = ir.code[block.start]
            if first.op == .tuple, isOrderInput(first.b), isOrderInput(first.c) {
                out.append(
                    StatePrefetch(
                        slot: Int32(s), mode: 4, a: Int32(first.b), b: Int32(first.c), c: 0,
                        field: first.aux != 0 ? 1 : 0))
                continue
            }
            let ret = ir.code[block.end - 1]
            guard ret.op == .ret, isOrderInput(ret.a) else { continue }
            let money = (slot.kind == .windowSum || slot.kind == .openSum) && slot.amountKind == .money
            if slot.kind == .position {
                guard isOrderInput(ret.b) else { continue }
                out.append(StatePrefetch(slot: Int32(s), mode: 2, a: Int32(ret.a), b: Int32(ret.b), c: 0, field: -1))
            } else if money {
                // The amount's currency: the currencies of money inputs the block moves, in order.
                var currencies: [(slot: Int, field: Int)] = []
                for pc in block.start..<block.end where ir.code[pc].op == .mov {
                    let src = Int(ir.code[pc].b)
                    if let f = currencyOf[src], !currencies.contains(where: { $0.slot == src }) {
                        currencies.append((src, f))
                    }
                }
                guard let c1 = currencies.first else { continue }
                let c2 = currencies.count > 1 ? currencies[1] : c1
                out.append(
                    StatePrefetch(
                        slot: Int32(s), mode: 3, a: Int32(ret.a), b: Int32(c1.slot), c: Int32(c2.slot),
                        field: currencies.count > 1 ? Int32(c1.field) : -1))
            } else {
                out.append(StatePrefetch(slot: Int32(s), mode: 1, a: Int32(ret.a), b: 0, c: 0, field: -1))
            }
        }
        // Entries forming the same key next to each other; each marked as such.
        out.sort { ($0.mode, $0.a, $0.b, $0.c, $0.field, $0.slot) < ($1.mode, $1.a, $1.b, $1.c, $1.field, $1.slot) }
        return marked(out)
    }

    /// `plan` with `sameKey` set on each entry that forms the same key as
    /// the one before it.
    static func marked(_ plan: [StatePrefetch]) -> [StatePrefetch] {
        var out = plan
        for k in out.indices {
            out[k].sameKey = 0
            guard k > 0, out[k].mode != 4 else { continue }
            let (x, y) = (out[k - 1], out[k])
            if x.mode == y.mode && x.a == y.a && x.b == y.b && x.c == y.c && x.field == y.field { out[k].sameKey = 1 }
        }
        return out
    }

    /// The state slots each jurisdiction's rules and `applies` read (with
    /// the memo blocks they enter), and the slots read anywhere else (key
    /// blocks, field defaults, reports): those are read whatever applies.
    static func readers(_ ir: IRProgram) -> (byJurisdiction: [Set<Int>], anywhere: Set<Int>) {
        var by = [Set<Int>](repeating: [], count: ir.jurisdictions.count)
        var anywhere = Set<Int>()
        let memoBlocks = ir.memoBlocks
        func isRead(_ op: Opcode) -> Bool {
            switch op {
            case .rate, .execs, .wsum, .otr, .pos, .latch, .dup, .osum: return true
            default: return false
            }
        }
        /// The slots block `b` reads, with the memo blocks it enters (each once).
        func reads(_ b: Int, _ seen: inout Set<Int>) -> Set<Int> {
            guard seen.insert(b).inserted else { return [] }
            var out = Set<Int>()
            for pc in ir.blocks[b].start..<ir.blocks[b].end {
                let i = ir.code[pc]
                if isRead(i.op) { out.insert(Int(i.aux)) }
                if i.op == .memo {
                    let m = Int(i.aux & 0xFFFF)
                    if m < memoBlocks.count, memoBlocks[m] >= 0 { out.formUnion(reads(memoBlocks[m], &seen)) }
                }
            }
            return out
        }
        for (bi, b) in ir.blocks.enumerated() {
            var seen = Set<Int>()
            switch b.kind {
            case .rule where b.owner >= 0 && b.owner < ir.rules.count:
                by[ir.rules[b.owner].jurisdiction].formUnion(reads(bi, &seen))
            case .applies where b.owner >= 0 && b.owner < by.count:
                by[b.owner].formUnion(reads(bi, &seen))
            case .memo:
                break  // counted where a rule or an `applies` enters it
            default:
                anywhere.formUnion(reads(bi, &seen))
            }
        }
        return (by, anywhere)
    }

    /// For each candidate list of `p` (at its offset in `candidateLists`):
    /// the part of `plan` whose slots a candidate jurisdiction's rules may
    /// read (requested as the order starts), and the rest (requested when
    /// the order is settled, which is all that reads them). `ranges` holds
    /// four values per offset: the first entry and count of each part in
    /// `entries`.
    static func split(_ plan: [StatePrefetch], _ p: EngineProgram) -> (entries: [StatePrefetch], ranges: [Int32]) {
        byCandidateList(plan, slot: { Int($0.slot) }, p, arrange: marked)
    }

    /// For each candidate list of `p` (at its offset in `candidateLists`):
    /// the items whose state slot (`slot`) a candidate jurisdiction's
    /// rules, `applies` or the memo blocks they enter may read, or that
    /// anything else reads (`readers`), then the others, each part in
    /// the order of `items` and passed through `arrange`. `ranges` holds
    /// four values per offset: the first entry and count of each part in
    /// `entries`.
    static func byCandidateList<T>(
        _ items: [T], slot: (T) -> Int, _ p: EngineProgram, arrange: ([T]) -> [T] = { $0 }
    ) -> (entries: [T], ranges: [Int32]) {
        let (by, anywhere) = readers(p.ir)
        var entries: [T] = []
        var ranges = [Int32](repeating: 0, count: 4 * Swift.max(1, p.candidateLists.count))
        var o = 0
        while o < p.candidateLists.count {
            let n = Int(p.candidateLists[o])
            var read = anywhere
            for k in 0..<n {
                let j = Int(p.candidateLists[o + 1 + k])
                if j < by.count { read.formUnion(by[j]) }
            }
            let early = arrange(items.filter { read.contains(slot($0)) })
            let late = arrange(items.filter { !read.contains(slot($0)) })
            ranges[4 * o] = Int32(entries.count)
            ranges[4 * o + 1] = Int32(early.count)
            entries += early
            ranges[4 * o + 2] = Int32(entries.count)
            ranges[4 * o + 3] = Int32(late.count)
            entries += late
            o += n + 1
        }
        return (entries, ranges)
    }

    /// The part of candidate list `list` in `ranges` (made by
    /// `byCandidateList`): what its rules may read, or (`late`) the rest.
    @inline(__always)
    static func part(_ ranges: RawBuffer<Int32>, _ list: Int, late: Bool) -> Range<Int> {
        let first = Int(ranges[4 * list + (late ? 2 : 0)])
        return first..<first + Int(ranges[4 * list + (late ? 3 : 1)])
    }
}

extension Machine {
    /// The candidate list of the order in the frame (by its venue).
    @inline(__always)
    func candidateList() -> Int {
        if let venue = field(roles.orderVenue), venue >= 0, venue < Int128(staticSymbolCount) {
            return Int(venueListOf[Int(venue)])
        }
        return defaultVenueList
    }

    /// Requests the cache lines of the state rows the rules of candidate
    /// list `list` may read (`StatePrefetch`, `late` false), or of the
    /// others (`late` true: what only settling the order reads); the
    /// order's inputs and its market record are in the frame.
    @inline(__always)
    func prefetchOrderState(_ list: Int, late: Bool) {
        let f = frame.base
        var hash: UInt64 = 0
        for k in StatePrefetch.part(statePrefetchRanges, list, late: late) {
            let p = statePrefetch[k]
            if p.sameKey == 0 {
                let a = f[Int(p.a)]
                let key: UInt64
                switch p.mode {
                case 1: key = stateKey(a)
                case 2: key = stateKey(a, f[Int(p.b)])
                case 3: key = stateKey(a, p.field < 0 || present[Int(p.field)] != 0 ? f[Int(p.b)] : f[Int(p.c)])
                default:
                    tupleCache.prefetch(a, f[Int(p.b)], composite: p.field != 0)
                    continue
                }
                hash = TextHash.mix(key)
            }
            slotTables[Int(p.slot)].prefetch(hash: hash)
        }
    }
}
