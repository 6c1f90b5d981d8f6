/// The control-flow facts the passes share: successors of each instruction
/// (including the edge to its error handler), reachability, dominance of
/// successful completion, and which registers are defined once.

/// Control flow of one lowered block. Instructions are addressed by their
/// position in `items`; labels resolve to the next instruction.
struct FlowGraph {
    let items: [LInst]
    /// Position of the instruction a label stands before.
    private(set) var labelTarget: [Int: Int] = [:]
    /// Positions of the instructions, in order.
    private(set) var positions: [Int] = []

    init(_ items: [LInst]) {
        self.items = items
        var pending: [Int] = []
        for (i, it) in items.enumerated() {
            if let l = it.label {
                pending.append(l)
            } else {
                for l in pending { labelTarget[l] = i }
                pending.removeAll()
                positions.append(i)
            }
        }
        for l in pending { labelTarget[l] = items.count }
    }

    /// The instruction position after `i` (or `items.count`).
    func next(after i: Int) -> Int {
        var j = i + 1
        while j < items.count, items[j].isLabel { j += 1 }
        return j
    }

    /// Where control goes when instruction `i` completes normally.
    func normalSuccessors(_ i: Int) -> [Int] {
        let it = items[i]
        var out: [Int] = []
        let ins = Instruction(it.op)
        if ins.isJump, let t = it.target { out.append(labelTarget[t] ?? items.count) }
        if ins.fallsThrough { out.append(next(after: i)) }
        return out.filter { $0 < items.count }
    }

    /// Where control goes when instruction `i` fails.
    func failureSuccessor(_ i: Int) -> Int? {
        let it = items[i]
        guard Instruction(it.op).canFail, let h = it.handler, let t = labelTarget[h], t < items.count else {
            return nil
        }
        return t
    }

    /// Instructions reachable from the first one.
    func reachable() -> Set<Int> {
        guard let first = positions.first else { return [] }
        var seen: Set<Int> = [first]
        var work = [first]
        while let i = work.popLast() {
            var succ = normalSuccessors(i)
            if let f = failureSuccessor(i) { succ.append(f) }
            for s in succ where seen.insert(s).inserted { work.append(s) }
        }
        return seen
    }

    /// For each instruction position, the set of instruction positions that
    /// completed successfully on every path reaching it (all edges go
    /// forward, so one pass in order suffices).
    func completedBefore() -> [Int: Set<Int>] {
        let live = reachable()
        // in[i]: instructions surely completed on entry to i.
        var entry: [Int: Set<Int>] = [:]
        var preds: [Int: [(from: Int, success: Bool)]] = [:]
        for i in positions where live.contains(i) {
            for s in normalSuccessors(i) { preds[s, default: []].append((i, true)) }
            if let f = failureSuccessor(i) { preds[f, default: []].append((i, false)) }
        }
        for i in positions where live.contains(i) {
            guard let ps = preds[i], !ps.isEmpty else {
                entry[i] = []
                continue
            }
            var acc: Set<Int>?
            for p in ps {
                var s = entry[p.from] ?? []
                if p.success { s.insert(p.from) }
                acc = acc.map { $0.intersection(s) } ?? s
            }
            entry[i] = acc ?? []
        }
        return entry
    }

    /// How many instructions write each register (money writes count for both slots).
    func definitionCounts() -> [Int: Int] {
        var n: [Int: Int] = [:]
        for it in items {
            for o in it.writtenOperands { if let r = o.register { n[r, default: 0] += 1 } }
        }
        return n
    }

    /// Registers read through the second slot of a wide operand: they must
    /// stay where they are (their name is implied by the first slot).
    func pinnedRegisters() -> Set<Int> {
        var pinned = Set<Int>()
        for it in items where it.wide && !it.isLabel {
            for o in [it.a, it.b, it.c] { if let r = o.register { pinned.insert(r + 1) } }
        }
        return pinned
    }

    /// The currency registers of money results that explain shows: their
    /// readers may read the source instead, but the register keeps its value.
    func shownRegisters() -> Set<Int> {
        var shown = Set<Int>()
        for it in items where !it.isLabel && it.spanKind == .money && it.span != nil {
            if let r = it.a.register { shown.insert(r + 1) }
        }
        return shown
    }
}

extension LBlock {
    /// Replaces every read of `from` by `to`.
    mutating func replaceReads(of from: Operand, with to: Operand) {
        for i in items.indices where !items[i].isLabel {
            let mask = Instruction(items[i].op).readsMask()
            if mask.contains(0), items[i].a == from { items[i].a = to }
            if mask.contains(1), items[i].b == from { items[i].b = to }
            if mask.contains(2), items[i].c == from { items[i].c = to }
        }
    }
}
