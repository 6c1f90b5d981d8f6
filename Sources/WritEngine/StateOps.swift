/// How the state slots are read during evaluation and updated by events
/// (docs/engine-semantics.md, "State"): tumbling windows aligned to the
/// epoch, a window that starts later resets a key's counter, an event
/// before a key's window counts in that window. A table at capacity first
/// drops the entries whose window has ended; if still full, the read or
/// update that needed a new entry fails closed (`state table full`).

import WritIR
import WritValue

/// `floor(a / b) × b` for b > 0.
@inline(__always)
func windowStart(_ ts: Int64, _ w: Int64) -> Int64 {
    guard w > 0 else { return 0 }
    let q = ts / w
    return (ts % w != 0 && ts < 0 ? q - 1 : q) &* w
}

/// Comparison of state slots' key blocks, at load.
enum KeyBlocks {
    /// Per state slot, its key block's group: slots whose key blocks compute
    /// the same thing (equal instructions, jumps and handlers relative to the
    /// block, one `ret` at the end whose operands may differ) share one, the
    /// first such slot's index. -1 for a block that reads state (its values
    /// may change between two runs in one event: it is never shared) or
    /// whose one `ret` is not its last instruction.
    static func groups(_ ir: IRProgram) -> [Int] {
        var out: [Int] = []
        for s in ir.stateSlots.indices {
            let b = ir.stateSlots[s].keyBlock
            if readsState(b, ir) || !same(b, b, ir) {
                out.append(-1)
            } else {
                out.append(
                    (0..<s).first { out[$0] == $0 && same(ir.stateSlots[$0].keyBlock, b, ir) } ?? s)
            }
        }
        return out
    }

    /// `slots` reordered so that slots of one group are next to each other
    /// (groups in order of first appearance), and the groups that `last`
    /// slots also belong to come after the others: after updating `slots`,
    /// the frame still holds what those groups computed. The order of
    /// `window_sum` updates does not matter: each has its own table.
    static func ordered(_ slots: [Int], groups: [Int], last: [Int]) -> [Int] {
        let lastGroups = Set(last.map { groups[$0] }.filter { $0 >= 0 })
        var order: [Int] = []
        for s in slots where !order.contains(groups[s] < 0 ? -1 - s : groups[s]) {
            order.append(groups[s] < 0 ? -1 - s : groups[s])
        }
        order = order.filter { !lastGroups.contains($0) } + order.filter { lastGroups.contains($0) }
        return order.flatMap { g in slots.filter { (groups[$0] < 0 ? -1 - $0 : groups[$0]) == g } }
    }

    /// Per state slot: the memo slot whose value its amount is, -1 for
    /// none. A `window_sum` or `open_sum` key block qualifies when, but for
    /// a leading `tuple` that computes its key, it computes its amount with
    /// the memo block's instructions: the same operations, inputs, constants
    /// and jumps, registers renamed one to one (`has r; jf r, L` matches
    /// `jabsent`, its fused form), no handlers, its amount (and a money
    /// amount's currency) in the registers the memo block returns.
    static func amountPlans(_ ir: IRProgram) -> [AmountPlan] {
        amountMemos(ir).enumerated().map { s, m in
            guard m >= 0 else { return AmountPlan() }
            let slot = ir.stateSlots[s]
            let block = ir.blocks[slot.keyBlock]
            let first = ir.code[block.start]
            let tuple = first.op == .tuple
            return AmountPlan(
                memo: Int32(m), key: ir.code[block.end - 1].a, tupleB: tuple ? first.b : 0, tupleC: tuple ? first.c : 0,
                tuple: tuple ? (first.aux != 0 ? 2 : 1) : 0, money: slot.amountKind == .money ? 1 : 0)
        }
    }

    static func amountMemos(_ ir: IRProgram) -> [Int] {
        let memoBlocks = ir.memoBlocks
        return ir.stateSlots.map { slot in
            guard slot.kind == .windowSum || slot.kind == .openSum else { return -1 }
            return memoBlocks.indices.first { m in
                memoBlocks[m] >= 0 && amountIsMemo(slot.keyBlock, m, memoBlocks[m], money: slot.amountKind == .money, ir)
            } ?? -1
        }
    }

    /// Whether key block `b`'s amount is memo slot `m` (block `mb`; see
    /// `amountMemos`): every path through the key block (after a leading
    /// `tuple`) runs the instructions of the matching path through the memo
    /// block — `jmp`s followed, not compared, so a tail shared through a
    /// jump matches a duplicated one — each `ret` facing an `mret`, every
    /// `ret` returning the same key.
    static func amountIsMemo(_ b: Int, _ m: Int, _ mb: Int, money: Bool, _ ir: IRProgram) -> Bool {
        let code = ir.code
        let kb = ir.blocks[b]
        let bm = ir.blocks[mb]
        guard kb.end - kb.start >= 2, bm.end - bm.start >= 2 else { return false }
        // A money memo keeps its currency only when every read asks for it.
        let reads = code.filter { $0.op == .memo && Int($0.aux & 0xFFFF) == m }
        guard !reads.isEmpty, !money || reads.allSatisfy({ $0.aux & 0x1_0000 != 0 }) else { return false }
        let registerBase = ir.registerBase
        func isRegister(_ x: FrameIndex) -> Bool { x != Instruction.unused && Int(x) >= registerBase }
        let key = code[kb.end - 1].a
        var first = kb.start
        var dead = Set<FrameIndex>()
        if code[first].op == .tuple {
            let t = code[first]
            guard ir.handlers[first] == Instruction.noHandler, isRegister(t.a), !isRegister(t.b), !isRegister(t.c),
                key == t.a
            else { return false }
            dead.insert(t.a)
            first += 1
        } else if isRegister(key) {
            return false
        }
        var forward: [FrameIndex: FrameIndex] = [:]
        var backward: [FrameIndex: FrameIndex] = [:]
        func same(_ x: FrameIndex, _ y: FrameIndex) -> Bool {
            let rx = isRegister(x)
            guard rx == isRegister(y) else { return false }
            guard rx else { return x == y }
            if dead.contains(x) { return false }
            if let z = forward[x] { return z == y }
            if backward[y] != nil { return false }
            forward[x] = y
            backward[y] = x
            return true
        }
        var visited = Set<Int>()
        var pending = [(first, bm.start)]
        var rets = 0
        var steps = 0
        while let (i0, j0) = pending.popLast() {
            var i = i0
            var j = j0
            while true {
                steps += 1
                guard steps < 100_000 else { return false }
                while i >= kb.start && i < kb.end && code[i].op == .jmp && ir.handlers[i] == Instruction.noHandler {
                    i = Int(code[i].aux)
                    steps += 1
                    guard steps < 100_000 else { return false }
                }
                while j >= bm.start && j < bm.end && code[j].op == .jmp && ir.handlers[j] == Instruction.noHandler {
                    j = Int(code[j].aux)
                    steps += 1
                    guard steps < 100_000 else { return false }
                }
                guard i >= first && i < kb.end, j >= bm.start && j < bm.end else { return false }
                if !visited.insert(i << 32 | j).inserted { break }
                let x = code[i]
                let y = code[j]
                guard ir.handlers[i] == Instruction.noHandler, ir.handlers[j] == Instruction.noHandler else {
                    return false
                }
                if x.op == .ret || y.op == .mret {
                    // The amount (and a money amount's currency) in the registers the memo returns.
                    guard x.op == .ret, y.op == .mret, x.a == key, x.b == Instruction.unused, isRegister(x.c),
                        forward[x.c] == y.a, !money || forward[x.c + 1] == y.a + 1
                    else { return false }
                    rets += 1
                    break
                }
                if x.op == .has, y.op == .jabsent, i + 1 < kb.end, code[i + 1].op == .jf, code[i + 1].b == x.a,
                    isRegister(x.a), forward[x.a] == nil, ir.handlers[i + 1] == Instruction.noHandler,
                    Int(y.b) == Int(x.aux)
                {
                    dead.insert(x.a)
                    pending.append((Int(code[i + 1].aux), Int(y.aux)))
                    i += 2
                    j += 1
                    continue
                }
                guard x.op == y.op, same(x.a, y.a), same(x.b, y.b), same(x.c, y.c) else { return false }
                if x.isJump {
                    pending.append((Int(x.aux), Int(y.aux)))
                } else if x.aux != y.aux {
                    return false
                }
                if !x.fallsThrough { break }
                i += 1
                j += 1
            }
        }
        return rets > 0
    }

    /// Whether any of `blocks` may read a field of schema `schema` (its
    /// slots, or its field indices as `req`/`has`/`jabsent` name them;
    /// conservatively, any operand or non-jump `aux` in either range, and
    /// any memo read).
    static func mayRead(_ blocks: [Int], schema: Int, fieldBase: Int, _ ir: IRProgram) -> Bool {
        guard schema >= 0 else { return false }
        let slots = ir.schemas[schema].slotBase..<(ir.schemas[schema].slotBase + ir.schemas[schema].slotCount)
        let fields = fieldBase..<(fieldBase + ir.schemas[schema].fields.count)
        for b in blocks {
            let block = ir.blocks[b]
            for i in ir.code[block.start..<block.end] {
                if i.op == .memo || i.op == .wmax || i.op == .wmin { return true }
                for x in [i.a, i.b, i.c] where x != Instruction.unused {
                    if slots.contains(Int(x)) || fields.contains(Int(x)) { return true }
                }
                if !i.isJump && fields.contains(Int(i.aux)) { return true }
            }
        }
        return false
    }

    /// Whether block `b` has an instruction that reads state.
    static func readsState(_ b: Int, _ ir: IRProgram) -> Bool {
        let block = ir.blocks[b]
        return ir.code[block.start..<block.end].contains { i in
            switch i.op {
            case .rate, .wsum, .execs, .otr, .pos, .killed, .dup, .latch, .osum, .wmax, .wmin: true
            default: false
            }
        }
    }

    /// Whether blocks `x` and `y` differ at most in the operands of their
    /// `ret`s, each block ending with a `ret` and all its `ret`s alike (so
    /// that the last one says what any path returns).
    static func same(_ x: Int, _ y: Int, _ ir: IRProgram) -> Bool {
        let bx = ir.blocks[x]
        let by = ir.blocks[y]
        let n = bx.end - bx.start
        guard n == by.end - by.start, n > 0 else { return false }
        let lastX = ir.code[bx.end - 1]
        let lastY = ir.code[by.end - 1]
        guard lastX.op == .ret, lastY.op == .ret else { return false }
        for j in 0..<n {
            let i = ir.code[bx.start + j]
            let k = ir.code[by.start + j]
            if k.op != i.op { return false }
            if i.op == .ret {
                if i.a != lastX.a || i.b != lastX.b || i.c != lastX.c { return false }
                if k.a != lastY.a || k.b != lastY.b || k.c != lastY.c { return false }
                continue
            }
            if i.a != k.a || i.b != k.b || i.c != k.c { return false }
            if i.isJump {
                if Int(i.aux) - bx.start != Int(k.aux) - by.start { return false }
            } else if i.aux != k.aux {
                return false
            }
            let hx = ir.handlers[bx.start + j]
            let hy = ir.handlers[by.start + j]
            if (hx == Instruction.noHandler) != (hy == Instruction.noHandler) { return false }
            if hx != Instruction.noHandler && Int(hx) - bx.start != Int(hy) - by.start { return false }
        }
        return true
    }
}

/// Nanoseconds in a day.
let nanosPerDay: Int64 = 86_400_000_000_000

extension Machine {
    // MARK: Keys and room

    /// The start of slot `s`'s window containing `ts`, computed once per
    /// event and window length (a 64-bit division costs tens of cycles).
    @inline(__always)
    func slotWindowStart(_ s: Int) -> Int64 {
        let w = Int(slotWindow[s])
        if windowCacheTs[w] != ts {
            windowCacheTs[w] = ts
            windowCacheStart[w] = windowStart(ts, windowLengths[w])
        }
        return windowCacheStart[w]
    }

    /// Whether the entries of slot `s` hold symbols in both key parts.
    @inline(__always)
    func twoPartKey(_ s: Int) -> Bool {
        let slot = stateSlots[s]
        return slot.kind == .position
            || ((slot.kind == .windowSum || slot.kind == .openSum) && slot.amountKind == .money)
    }

    @inline(__always)
    func retainKey(_ s: Int, _ key: UInt64) {
        symbols.retain(Int(key & 0xFFFF_FFFF))
        if twoPartKey(s) { symbols.retain(Int(key >> 32)) }
    }

    /// Room for a new key in slot `s`'s table; when full, entries for which
    /// `current` is false are dropped first.
    mutating func room(_ s: Int, current: (SlotEntry) -> Bool) -> Bool {
        if !slotTables[s].isFull { return true }
        let two = twoPartKey(s)
        slotTables.base[s].removeAll(where: { _, v in !current(v) }) { key in
            symbols.release(Int(key & 0xFFFF_FFFF))
            if two { symbols.release(Int(key >> 32)) }
        }
        return !slotTables[s].isFull
    }

    /// Room for a new id in `duplicate` slot `s`'s table; when full, the
    /// ids last seen before `today` are dropped first.
    mutating func dayRoom(_ s: Int, today: Int64) -> Bool {
        if !dayTables[s].isFull { return true }
        dayTables.base[s].removeAll(where: { _, start in start < today }) { key in
            symbols.release(Int(key & 0xFFFF_FFFF))
        }
        return !dayTables[s].isFull
    }

    /// Room for a new `exec_id`; when full, the ids last applied before
    /// `today` are dropped first (when none is, the fill is applied without
    /// being remembered).
    mutating func execRoom(today: Int64) -> Bool {
        if !execIDs.isFull { return true }
        execIDs.removeAll(where: { _, day in day < today }) { key in symbols.release(Int(key & 0xFFFF_FFFF)) }
        return !execIDs.isFull
    }

    // MARK: Reads

    /// Executes a state-reading instruction; false (with `error` set) if it fails.
    @inline(never)
    mutating func readState(_ i: Instruction) -> Bool {
        let f = frame.base
        let s = Int(i.aux)
        let slot = stateSlots[s]
        let a = Int(i.a)
        switch i.op {
        case .rate, .execs:
            let key = stateKey(f[Int(i.b)])
            let start = slotWindowStart(s)
            var n: Int64
            if let at = slotTables[s].find(key) {
                let e = slotTables[s].value(at)
                n = e.start >= start ? e.count : 0
                // The message itself when it is not counted yet (explain's dry run, an order not settled).
                if (dryRun || ratesPending) && i.op == .rate { n = (start > e.start ? 0 : e.count) + 1 }
            } else if room(s, current: { $0.start >= start }) {
                n = (dryRun || ratesPending) && i.op == .rate ? 1 : 0
            } else {
                error = EvalError(code: .stateTableFull)
                return false
            }
            f[a] = Int128(truncatingIfNeeded: n)
            return true
        case .wsum:
            let c = Int(i.c)
            let money = slot.amountKind == .money
            let currency = money ? f[c + 1] : 0
            guard let add = contribution(s, f[c], currency) else { return false }
            let key = stateKey(f[Int(i.b)], currency)
            if recordingReads { slotReads[s] = SlotRead(stamp: readEpoch, key: key, amount: f[c], currency: currency) }
            let start = slotWindowStart(s)
            var sum = add
            if let at = slotTables[s].find(key) {
                let e = slotTables[s].value(at)
                if e.start >= start {
                    guard let r = addAmounts(e.sum, add, slot.amountKind) else { return false }
                    sum = r
                }
            } else if !room(s, current: { $0.start >= start }) {
                error = EvalError(code: .stateTableFull)
                return false
            }
            f[a] = sum
            if money { f[a + 1] = currency }
            return true
        case .otr:
            let key = stateKey(f[Int(i.b)])
            let start = slotWindowStart(s)
            var orders: Int64 = 0
            var fills: Int64 = 0
            if let at = slotTables[s].find(key) {
                let e = slotTables[s].value(at)
                if e.start >= start {
                    orders = e.count
                    fills = e.other
                }
            } else if !room(s, current: { $0.start >= start }) {
                error = EvalError(code: .stateTableFull)
                return false
            }
            guard let r = FixedMath.divide(Int128(orders) * fixedOne, Int128(Swift.max(1, fills)) * fixedOne) else {
                error = EvalError(code: .decimalOverflow)
                return false
            }
            f[a] = r
            return true
        case .pos:
            let key = stateKey(f[Int(i.b)], f[Int(i.c)])
            if let at = slotTables[s].find(key) {
                f[a] = slotTables[s].value(at).sum
            } else if slotTables[s].isFull {
                error = EvalError(code: .stateTableFull)
                return false
            } else {
                f[a] = 0
            }
            return true
        case .killed:
            // No switch set (the usual case): nothing to look up, and the table is not full.
            if kills.count == 0 && !kills.isFull {
                f[a] = 0
                return true
            }
            let key = stateKey(f[Int(i.b)], Int128(truncatingIfNeeded: slot.scope))
            if kills.find(key) != nil {
                f[a] = 1
            } else if kills.isFull {
                error = EvalError(code: .stateTableFull)
                return false
            } else {
                f[a] = 0
            }
            return true
        case .osum:
            let c = Int(i.c)
            let money = slot.amountKind == .money
            let currency = money ? f[c + 1] : 0
            let key = stateKey(f[Int(i.b)], currency)
            if recordingReads { slotReads[s] = SlotRead(stamp: readEpoch, key: key, amount: f[c], currency: currency) }
            // This order's contribution: its amount × its unfilled share.
            var filled: Int128 = 0
            var replaced: Int128 = 0
            if kind == .modify, let r = modifyRecordForRead() {
                filled = live.filled[r]
                let o = openEntries[r * openSlots.count + openIndex(s)]
                if o.used != 0 && o.key == key { replaced = o.contribution }
            }
            let add = openContribution(f[c], filled)
            var sum = add
            if let at = slotTables[s].find(key) {
                guard let r = addAmounts(slotTables[s].value(at).sum, add, .decimal),
                    let q = addAmounts(r, 0 &- replaced, .decimal)
                else { return false }
                sum = q
            } else if slotTables[s].isFull {
                error = EvalError(code: .stateTableFull)
                return false
            }
            f[a] = sum
            if money { f[a + 1] = currency }
            return true
        case .latch:
            let key = stateKey(f[Int(i.b)])
            let now = ts
            if let at = slotTables[s].find(key) {
                f[a] = slotTables[s].value(at).start > now ? 1 : 0
            } else if room(s, current: { $0.start > now }) {
                f[a] = 0
            } else {
                error = EvalError(code: .stateTableFull)
                return false
            }
            return true
        default:  // .dup
            let key = stateKey(f[Int(i.b)])
            let today = windowStart(ts, nanosPerDay)
            if let at = dayTables[s].find(key) {
                f[a] = dayTables[s].value(at) >= today ? 1 : 0
            } else if dayRoom(s, today: today) {
                f[a] = 0
            } else {
                error = EvalError(code: .stateTableFull)
                return false
            }
            return true
        }
    }

    /// The live record of the modify in the order slots: the one found as
    /// it was decided while its rules run, else looked up by its id.
    @inline(__always)
    func modifyRecordForRead() -> Int? {
        if modifyRecord >= 0 { return modifyRecord }
        guard let id = field(roles.orderID) else { return nil }
        return live.find(stateKey(id))
    }

    /// `x + y` for a summed kind (int, decimal, money amounts); nil with `error` set on overflow.
    mutating func addAmounts(_ x: Int128, _ y: Int128, _ kind: ValueKind) -> Int128? {
        if kind == .int {
            let (r, o) = Int64(truncatingIfNeeded: x).addingReportingOverflow(Int64(truncatingIfNeeded: y))
            if o {
                error = EvalError(code: .intOverflow)
                return nil
            }
            return Int128(r)
        }
        let (r, o) = x.addingReportingOverflow(y)
        if o || r == Int128.min || r == Int128.max {
            error = EvalError(code: .decimalOverflow)
            return nil
        }
        return r
    }

    /// What this order adds to `window_sum` slot `s`: its amount, or for a
    /// `modify` the increase over the live order's amount (never negative)
    /// when that amount could be evaluated in the same currency.
    @inline(__always)
    mutating func contribution(_ s: Int, _ amount: Int128, _ currency: Int128) -> Int128? {
        guard kind == .modify else { return amount }
        let p = previous[s]
        guard p.ok else { return amount }
        let kindOfAmount = stateSlots[s].amountKind
        if kindOfAmount == .money && p.currency != currency { return amount }
        var inc: Int128
        if kindOfAmount == .int {
            let (r, o) = Int64(truncatingIfNeeded: amount).subtractingReportingOverflow(Int64(truncatingIfNeeded: p.amount))
            if o {
                error = EvalError(code: .intOverflow)
                return nil
            }
            inc = Int128(r)
        } else {
            let (r, o) = amount.subtractingReportingOverflow(p.amount)
            if o || r == Int128.min || r == Int128.max {
                error = EvalError(code: .decimalOverflow)
                return nil
            }
            inc = r
        }
        if inc < 0 { inc = 0 }
        return inc
    }

    // MARK: Updates

    /// Runs a slot's key block; its `ret`, or nil if it failed. Blocks that
    /// are just `ret k` or `req x; ret k` (a key that is an input field),
    /// and any block whose first `req x` finds `x` absent, are answered here
    /// without entering the run loop; so is a block of the same group as
    /// the last one run in this event (see `sharedKeys`).
    @inline(__always)
    mutating func keys(_ s: Int) -> Instruction? {
        let block = Int(stateSlots[s].keyBlock)
        if !tracing {
            let start = Int(blockStart[block])
            let first = code[start]
            if first.op == .ret { return first }
            if first.op == .req {
                if present[Int(first.aux)] == 0 {
                    // Any block fails at once on a `req` of an absent field (a latch's `req order.algo`, say).
                    if handlers[start] == Instruction.noHandler { return missingKey(Int(first.aux)) }
                } else if code[start + 1].op == .ret {
                    return code[start + 1]
                }
            }
            if first.op == .tuple && code[start + 1].op == .ret && handlers[start] == Instruction.noHandler {
                return tupleKeys(first, start)
            }
            return sharedKeys(s, block)
        }
        let pc = run(block)
        return pc < 0 ? nil : code[pc]
    }

    /// A key block that is `tuple r, x, y; ret r`, as the run loop would run it.
    @inline(never)
    mutating func tupleKeys(_ i: Instruction, _ start: Int) -> Instruction? {
        keyGroupInFrame = -1
        let id = tupleKey(frame[Int(i.b)], frame[Int(i.c)], composite: i.aux != 0)
        guard id >= 0 else {
            error = EvalError(code: id == -1 ? .invalidKey : .stateTableFull)
            return nil
        }
        frame[Int(i.a)] = Int128(id)
        return code[start + 1]
    }

    /// A key block's `req x` failed: what the run loop would say.
    @inline(never)
    mutating func missingKey(_ field: Int) -> Instruction? {
        if marketUnavailable && Int(fieldSchema[field]) == marketSchema {
            error = EvalError(code: .stateTableFull)
        } else {
            error = EvalError(code: .missingField, a: Int128(field))
        }
        return nil
    }

    /// Runs slot `s`'s key block, unless the frame holds what its group
    /// computed: nothing has run or changed the inputs since a block of the
    /// same group ran in this event (`keyGroupInFrame`), so only the `ret`
    /// differs and it reads the same registers.
    @inline(never)
    mutating func sharedKeys(_ s: Int, _ block: Int) -> Instruction? {
        let g = keyGroup[s]
        if g >= 0 && g == keyGroupInFrame { return keyGroupOK ? code[Int(keyLast[s])] : nil }
        let pc = run(block)
        if g >= 0 {
            keyGroupInFrame = g
            keyGroupOK = pc >= 0
        }
        return pc < 0 ? nil : code[pc]
    }

    /// Slot `s`'s table key (with a money amount's currency) and amount
    /// for the order in the order slots, after its rules, into `out`: what
    /// they read (`SlotRead`), else the memo slot the amount is
    /// (`AmountPlan`) when the rules computed it, else its key block's
    /// results; false when the key block fails.
    @inline(__always)
    mutating func keyAndAmount(_ s: Int, _ out: inout SlotRead) -> Bool {
        let read = slotReads.base + s
        if read.pointee.stamp == readEpoch {
            out = read.pointee
            return true
        }
        let plan = amountPlans[s]
        if plan.memo >= 0 && memosCurrent && !tracing {
            let e = memos.base + Int(plan.memo)
            if e.pointee.stamp == memoEpoch {
                // The key block would compute the memo's value, or fail as it did.
                guard e.pointee.error.code == .none else { return false }
                var key = frame[Int(plan.key)]
                if plan.tuple != 0 {
                    let id = tupleKey(frame[Int(plan.tupleB)], frame[Int(plan.tupleC)], composite: plan.tuple == 2)
                    guard id >= 0 else {
                        error = EvalError(code: id == -1 ? .invalidKey : .stateTableFull)
                        return false
                    }
                    key = Int128(id)
                }
                out.currency = plan.money != 0 ? e.pointee.second : 0
                out.amount = e.pointee.value
                out.key = stateKey(key, out.currency)
                return true
            }
        }
        guard let r = keys(s) else { return false }
        out.currency = stateSlots[s].amountKind == .money ? frame[Int(r.c) + 1] : 0
        out.amount = frame[Int(r.c)]
        out.key = stateKey(frame[Int(r.a)], out.currency)
        return true
    }

    /// Step 3: every `rate` slot counts this message for its key.
    mutating func countMessage() {
        for k in 0..<rateSlots.count {
            let s = Int(rateSlots[k])
            guard let r = keys(s) else { continue }
            countWindow(s, stateKey(frame[Int(r.a)]))
        }
    }

    /// Adds one to `key`'s counter in slot `s` (rate, executions).
    mutating func countWindow(_ s: Int, _ key: UInt64) {
        let start = slotWindowStart(s)
        if let at = slotTables[s].find(key) {
            let e = slotTables[s].value(at)
            if start > e.start {
                slotTables[s].valuePointer(at).pointee = SlotEntry(start: start, count: 1)
            } else {
                slotTables[s].valuePointer(at).pointee.count += 1
            }
        } else if room(s, current: { $0.start >= start }), let (at, _) = slotTables.base[s].insert(key) {
            slotTables[s].valuePointer(at).pointee = SlotEntry(start: start, count: 1)
            retainKey(s, key)
        }
    }

    /// Step 7 for an accepted order: `window_sum` slots add its amount, `otr` slots count it.
    mutating func recordAccepted() {
        for k in 0..<windowSumSlots.count {
            let s = Int(windowSumSlots[k])
            var read = SlotRead()
            guard keyAndAmount(s, &read) else { continue }
            guard let add = contribution(s, read.amount, read.currency) else { continue }
            let key = read.key
            let start = slotWindowStart(s)
            if let at = slotTables[s].find(key) {
                let e = slotTables[s].value(at)
                if e.start >= start {
                    if let sum = addAmounts(e.sum, add, stateSlots[s].amountKind) {
                        slotTables[s].valuePointer(at).pointee.sum = sum
                    }
                } else {
                    slotTables[s].valuePointer(at).pointee = SlotEntry(sum: add, start: start)
                }
            } else if room(s, current: { $0.start >= start }), let (at, _) = slotTables.base[s].insert(key) {
                slotTables[s].valuePointer(at).pointee = SlotEntry(sum: add, start: start)
                retainKey(s, key)
            }
        }
        for k in 0..<otrSlots.count {
            let s = Int(otrSlots[k])
            guard let r = keys(s) else { continue }
            bumpOTR(s, stateKey(frame[Int(r.a)]), orders: 1, fills: 0)
        }
    }

    mutating func bumpOTR(_ s: Int, _ key: UInt64, orders: Int64, fills: Int64) {
        let start = slotWindowStart(s)
        if let at = slotTables[s].find(key) {
            let e = slotTables[s].value(at)
            if e.start >= start {
                slotTables[s].valuePointer(at).pointee.count += orders
                slotTables[s].valuePointer(at).pointee.other += fills
            } else {
                slotTables[s].valuePointer(at).pointee = SlotEntry(start: start, count: orders, other: fills)
            }
        } else if room(s, current: { $0.start >= start }), let (at, _) = slotTables.base[s].insert(key) {
            slotTables[s].valuePointer(at).pointee = SlotEntry(start: start, count: orders, other: fills)
            retainKey(s, key)
        }
    }

    /// `duplicate` slots remember the id of every `new`.
    mutating func recordNewID() {
        let today = windowStart(ts, nanosPerDay)
        for k in 0..<duplicateSlots.count {
            let s = Int(duplicateSlots[k])
            guard let r = keys(s) else { continue }
            let key = stateKey(frame[Int(r.a)])
            if let at = dayTables[s].find(key) {
                dayTables[s].valuePointer(at).pointee = Swift.max(dayTables[s].value(at), today)
            } else if dayRoom(s, today: today), let (at, _) = dayTables.base[s].insert(key) {
                dayTables[s].valuePointer(at).pointee = today
                retainKey(s, key)
            }
        }
    }

    /// A fill of a live order (whose record is in the order slots): executions,
    /// `otr` fills and positions.
    mutating func recordFill(quantity: Int128, sign: Int128) {
        for k in 0..<fillSlots.count {
            let s = Int(fillSlots[k])
            guard let r = keys(s) else { continue }
            switch stateSlots[s].kind {
            case .executions:
                countWindow(s, stateKey(frame[Int(r.a)]))
            case .otr:
                bumpOTR(s, stateKey(frame[Int(r.a)]), orders: 0, fills: 1)
            default:  // position
                let key = stateKey(frame[Int(r.a)], frame[Int(r.b)])
                let signed = sign < 0 ? 0 &- quantity : quantity
                if let at = slotTables[s].find(key) {
                    if let n = Fixed(raw: slotTables[s].value(at).sum).adding(Fixed(raw: signed)) {
                        slotTables[s].valuePointer(at).pointee.sum = n.raw
                    }
                } else if !slotTables[s].isFull, let (at, _) = slotTables.base[s].insert(key) {
                    slotTables[s].valuePointer(at).pointee = SlotEntry(sum: signed)
                    retainKey(s, key)
                }
            }
        }
    }

    // MARK: Latches

    /// After the rules of an order (whatever the verdict), every latch of a
    /// jurisdiction that applied trips for its key when its condition holds:
    /// it stays on until reset, or to the end of this or the next UTC day.
    /// (`applied` is the decision's jurisdiction mask: passing the whole
    /// decision would copy its 2 KB.)
    mutating func tripLatches(_ applied: InlineArray<4, UInt64>) {
        for k in 0..<latchSlots.count {
            let j = Int(latchJurisdictions[k])
            guard applied[j >> 6] & (1 << UInt64(j & 63)) != 0 else { continue }
            let s = Int(latchSlots[k])
            guard let r = keys(s), frame[Int(r.b)] != 0 else { continue }
            let key = stateKey(frame[Int(r.a)])
            let day = windowStart(ts, nanosPerDay)
            let end: Int64 =
                switch stateSlots[s].scope {
                case 1: day &+ nanosPerDay
                case 2: day &+ 2 &* nanosPerDay
                default: Int64.max
                }
            let now = ts
            if let at = slotTables[s].find(key) {
                let p = slotTables[s].valuePointer(at)
                p.pointee.start = Swift.max(p.pointee.start > now ? p.pointee.start : 0, end)
            } else if room(s, current: { $0.start > now }), let (at, _) = slotTables.base[s].insert(key) {
                slotTables[s].valuePointer(at).pointee = SlotEntry(start: end)
                retainKey(s, key)
            }
        }
    }

    /// A `reset` control: the latches of rule `rule` are off for `key`.
    mutating func resetLatches(rule: Int, key k: Int128) {
        let key = stateKey(k)
        for j in 0..<latchSlots.count where Int(latchRules[j]) == rule {
            let s = Int(latchSlots[j])
            if let at = slotTables[s].find(key) {
                slotTables.base[s].remove(slot: at)
                symbols.release(Int(key & 0xFFFF_FFFF))
            }
        }
    }

    // MARK: Open orders

    /// The position of slot `s` among the `open_sum` slots.
    mutating func openIndex(_ s: Int) -> Int {
        for k in 0..<openSlots.count where Int(openSlots[k]) == s { return k }
        return 0
    }

    /// `amount × (remaining ÷ qty)` for the order in the order slots with
    /// `filled` already filled: each quotient and product rounded half to
    /// even; 0 when nothing remains or the quantity is not positive.
    /// (`mutating` so that the call does not copy the machine.)
    mutating func openContribution(_ amount: Int128, _ filled: Int128) -> Int128 {
        openContribution(amount, openShare(filled))
    }

    /// The unfilled share of the order in the order slots with `filled`
    /// filled: `remaining ÷ qty` rounded half to even; nil when nothing
    /// remains (or the quantity is not positive, or the quotient
    /// overflows), `fixedOne` with nothing filled.
    mutating func openShare(_ filled: Int128) -> Int128? {
        guard let q = field(roles.orderQty), q > 0 else { return nil }
        let remaining = q - filled
        guard remaining > 0 else { return nil }
        if remaining >= q { return fixedOne }
        return FixedMath.quotient(remaining, q)
    }

    /// `amount × share` rounded half to even (`amount` itself for the
    /// whole share); 0 for no share or on overflow.
    @inline(__always)
    func openContribution(_ amount: Int128, _ share: Int128?) -> Int128 {
        guard let share else { return 0 }
        if share == fixedOne { return amount }
        return FixedMath.multiply(amount, share) ?? 0
    }

    /// Adds `delta` to the sum of `key` in `open_sum` slot `s`, counting
    /// `orders` more orders (±1 or 0); an entry whose count reaches 0 goes.
    /// False if a new entry has no room.
    @discardableResult
    mutating func moveOpen(_ s: Int, _ key: UInt64, _ delta: Int128, orders: Int64) -> Bool {
        if let at = slotTables[s].find(key) {
            let p = slotTables[s].valuePointer(at)
            p.pointee.count += orders
            if p.pointee.count <= 0 {
                slotTables.base[s].remove(slot: at)
                symbols.release(Int(key & 0xFFFF_FFFF))
                if twoPartKey(s) { symbols.release(Int(key >> 32)) }
            } else if let r = addAmounts(p.pointee.sum, delta, .decimal) {
                p.pointee.sum = r
            }
            return true
        }
        guard orders > 0, !slotTables[s].isFull, let (at, _) = slotTables.base[s].insert(key) else { return false }
        slotTables[s].valuePointer(at).pointee = SlotEntry(sum: delta, count: orders)
        retainKey(s, key)
        return true
    }

    /// Live record `r` leaves the open sums (cancelled, filled, replaced).
    mutating func closeOpen(_ r: Int) {
        let n = openSlots.count
        for k in 0..<n {
            let e = openEntries[r * n + k]
            if e.used != 0 { moveOpen(Int(openSlots[k]), e.key, 0 &- e.contribution, orders: -1) }
            openEntries[r * n + k] = OpenEntry()
        }
    }

    /// The order in the order slots, just made live as record `r` with
    /// `filled` filled, enters the open sums (keys evaluated on it).
    mutating func openOrder(_ r: Int, filled: Int128) {
        let n = openSlots.count
        let share = openShare(filled)
        for k in 0..<n {
            let s = Int(openSlots[k])
            openEntries[r * n + k] = OpenEntry()
            var read = SlotRead()
            guard keyAndAmount(s, &read) else { continue }
            let add = openContribution(read.amount, share)
            if moveOpen(s, read.key, add, orders: 1) {
                openEntries[r * n + k] = OpenEntry(amount: read.amount, contribution: add, key: read.key, used: 1)
            }
        }
    }

    /// Live record `r`, just overwritten by the order in the order slots
    /// (with `filled` filled), leaves the open sums and enters them again:
    /// `closeOpen` then `openOrder`, slot by slot. An entry under the same
    /// key as before is changed with one lookup, as taking the old
    /// contribution out and putting the new one in would change it (an
    /// entry held by this order alone ends with the new contribution, any
    /// other gets the two additions in turn). Only used when no `open_sum`
    /// key block reads state (`openReplaceInPlace`), so that evaluating a
    /// slot's key cannot see another slot's table half updated.
    mutating func reopen(_ r: Int, filled: Int128) {
        let n = openSlots.count
        let share = openShare(filled)
        for k in 0..<n {
            let s = Int(openSlots[k])
            let old = openEntries[r * n + k]
            openEntries[r * n + k] = OpenEntry()
            var read = SlotRead()
            guard keyAndAmount(s, &read) else {
                if old.used != 0 { moveOpen(s, old.key, 0 &- old.contribution, orders: -1) }
                continue
            }
            let add = openContribution(read.amount, share)
            if old.used != 0 && old.key == read.key, let at = slotTables[s].find(read.key) {
                let p = slotTables[s].valuePointer(at)
                if p.pointee.count <= 1 {
                    p.pointee.sum = add
                    p.pointee.count = 1
                } else {
                    if let x = addAmounts(p.pointee.sum, 0 &- old.contribution, .decimal) { p.pointee.sum = x }
                    if let x = addAmounts(p.pointee.sum, add, .decimal) { p.pointee.sum = x }
                }
                openEntries[r * n + k] = OpenEntry(amount: read.amount, contribution: add, key: read.key, used: 1)
                continue
            }
            if old.used != 0 { moveOpen(s, old.key, 0 &- old.contribution, orders: -1) }
            if moveOpen(s, read.key, add, orders: 1) {
                openEntries[r * n + k] = OpenEntry(amount: read.amount, contribution: add, key: read.key, used: 1)
            }
        }
    }

    /// A fill of live record `r` (its record in the order slots, `filled`
    /// updated): each contribution shrinks to the unfilled share.
    mutating func refreshOpen(_ r: Int) {
        let n = openSlots.count
        let share = openShare(live.filled[r])
        for k in 0..<n {
            let e = openEntries[r * n + k]
            guard e.used != 0 else { continue }
            let c = openContribution(e.amount, share)
            // An unchanged contribution (a zero amount, say) leaves the sum as it is.
            if c == e.contribution { continue }
            moveOpen(Int(openSlots[k]), e.key, c &- e.contribution, orders: 0)
            openEntries[r * n + k].contribution = c
        }
    }
}
