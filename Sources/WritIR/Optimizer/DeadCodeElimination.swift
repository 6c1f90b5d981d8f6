/// Dead-code elimination: instructions no path reaches (a handler whose
/// operand cannot fail, the far side of a folded branch), jumps to the next
/// instruction, results nobody reads (only for instructions that cannot
/// fail: a failing one is observable), and the error slot of a chain none
/// of whose handlers remains.

/// The DCE pass.
enum DeadCodeElimination {
    static func run(_ b: inout LBlock) {
        var changed = true
        while changed {
            changed = false
            changed = removeUnreachable(&b) || changed
            changed = removeJumpsToNext(&b) || changed
            changed = threadReturns(&b) || changed
            changed = removeUnusedResults(&b) || changed
            changed = removeCleanRethrows(&b) || changed
            changed = removeUnusedErrorSlots(&b) || changed
        }
        removeUnusedLabels(&b)
    }

    private static func removeUnreachable(_ b: inout LBlock) -> Bool {
        let flow = FlowGraph(b.items)
        let live = flow.reachable()
        let dead = Set(flow.positions).subtracting(live)
        guard !dead.isEmpty else { return false }
        b.items = b.items.enumerated().filter { !dead.contains($0.offset) }.map(\.element)
        return true
    }

    private static func removeJumpsToNext(_ b: inout LBlock) -> Bool {
        let flow = FlowGraph(b.items)
        var remove = Set<Int>()
        for i in flow.positions where b.items[i].isJump {
            guard let t = b.items[i].target, flow.labelTarget[t] == flow.next(after: i) else { continue }
            remove.insert(i)
        }
        guard !remove.isEmpty else { return false }
        b.items = b.items.enumerated().filter { !remove.contains($0.offset) }.map(\.element)
        return true
    }

    /// A jump to a `ret` (`mret`) becomes that `ret`; `mov r, x` right before `ret r` returns `x`.
    private static func threadReturns(_ b: inout LBlock) -> Bool {
        let flow = FlowGraph(b.items)
        var changed = false
        for i in flow.positions where b.items[i].op == .jmp && !b.items[i].isLabel {
            guard let t = b.items[i].target, let to = flow.labelTarget[t], to < b.items.count,
                b.items[to].op == .ret || b.items[to].op == .mret, !b.items[to].isLabel
            else { continue }
            b.items[i] = b.items[to]
            changed = true
        }
        for i in flow.positions where (b.items[i].op == .ret || b.items[i].op == .mret) && !b.items[i].wide && i > 0 {
            let prev = b.items[i - 1]
            guard !prev.isLabel, prev.op == .mov, !prev.wide, prev.a == b.items[i].a, prev.a.register != nil,
                b.items[i].b == .none, b.items[i].c == .none
            else { continue }
            b.items[i].a = prev.b
            changed = true
        }
        return changed
    }

    /// The longest straight run a jump is replaced with (see `threadRuns`).
    static let threadedRun = 4

    /// After the other passes (copies define registers twice, which the
    /// earlier passes treat conservatively): a jump to a short straight run
    /// ending in `ret` (`mret`) — at most `threadedRun` instructions, no
    /// jump among them, typically the join after `… ? x : y` — becomes a
    /// copy of the run, which saves the jump's dispatch.
    /// Only in rule and memo blocks: the engine reads a state key block's
    /// values at its single `ret`, its last instruction.
    static func threadRuns(_ b: inout LBlock) {
        guard b.kind == .rule || b.kind == .memo else { return }
        let flow = FlowGraph(b.items)
        var copies: [Int: [LInst]] = [:]
        for i in flow.positions where b.items[i].op == .jmp && !b.items[i].isLabel {
            guard let t = b.items[i].target, let to = flow.labelTarget[t] else { continue }
            var run: [LInst] = []
            var j = to
            while j < b.items.count, run.count <= threadedRun {
                let it = b.items[j]
                j += 1
                if it.isLabel { continue }
                if it.op == .ret || it.op == .mret {
                    run.append(it)
                    copies[i] = run
                    break
                }
                guard !Instruction(it.op).isJump, Instruction(it.op).fallsThrough else { break }
                run.append(it)
            }
        }
        guard !copies.isEmpty else { return }
        var out: [LInst] = []
        for (i, it) in b.items.enumerated() {
            if let run = copies[i] { out += run } else { out.append(it) }
        }
        b.items = out
    }

    private static func removeUnusedResults(_ b: inout LBlock) -> Bool {
        let flow = FlowGraph(b.items)
        var read = flow.pinnedRegisters().union(flow.shownRegisters())
        for it in b.items {
            for o in it.readOperands { if let r = o.register { read.insert(r) } }
        }
        var remove = Set<Int>()
        for (i, it) in b.items.enumerated() where !it.isLabel {
            let ins = Instruction(it.op)
            guard ins.writesA, !ins.canFail, let r = it.a.register, !read.contains(r) else { continue }
            if it.wide, read.contains(r + 1) { continue }
            remove.insert(i)
        }
        guard !remove.isEmpty else { return false }
        b.items = b.items.enumerated().filter { !remove.contains($0.offset) }.map(\.element)
        return true
    }

    /// A `rethrow e` that every path reaches with slot e clear — cleared by
    /// a `clrerr e` and no `catch e` since — can never raise: removed. Once
    /// `threadRuns` has given a handler (`catch e; jmp @R`) its own copy of
    /// the `rethrow`, this removes the one on the path where nothing failed.
    /// Slots count as set on entry to the block.
    private static func removeCleanRethrows(_ b: inout LBlock) -> Bool {
        let flow = FlowGraph(b.items)
        guard let first = flow.positions.first else { return false }
        let live = flow.reachable()
        var slots = Set<UInt32>()
        for it in b.items where !it.isLabel {
            if it.op == .clrerr || it.op == .rethrow { slots.insert(it.aux) }
            if it.op == .catchErr { slots.insert(it.aux & 0xFFFF) }
        }
        guard !slots.isEmpty else { return false }
        // Slots that may hold an error on entry to each instruction, to a
        // fixed point (handlers are laid out after the code they jump back to).
        var set: [Int: Set<UInt32>] = [first: slots]
        var changed = true
        while changed {
            changed = false
            for i in flow.positions where live.contains(i) {
                guard let entry = set[i] else { continue }
                let it = b.items[i]
                var out = entry
                if it.op == .clrerr { out.remove(it.aux) }
                if it.op == .catchErr { out.insert(it.aux & 0xFFFF) }
                var edges = flow.normalSuccessors(i).map { ($0, out) }
                if let f = flow.failureSuccessor(i) { edges.append((f, entry)) }
                for (s, x) in edges where !(set[s].map { x.isSubset(of: $0) } ?? false) {
                    set[s, default: []].formUnion(x)
                    changed = true
                }
            }
        }
        let remove = Set(
            flow.positions.filter { i in
                b.items[i].op == .rethrow && set[i].map { !$0.contains(b.items[i].aux) } ?? false
            })
        guard !remove.isEmpty else { return false }
        b.items = b.items.enumerated().filter { !remove.contains($0.offset) }.map(\.element)
        return true
    }

    private static func removeUnusedErrorSlots(_ b: inout LBlock) -> Bool {
        var caught = Set<UInt32>()
        for it in b.items where it.op == .catchErr && !it.isLabel { caught.insert(it.aux & 0xFFFF) }
        let before = b.items.count
        b.items.removeAll { !$0.isLabel && ($0.op == .clrerr || $0.op == .rethrow) && !caught.contains($0.aux) }
        return b.items.count != before
    }

    private static func removeUnusedLabels(_ b: inout LBlock) {
        var used = Set<Int>()
        for it in b.items {
            if let t = it.target { used.insert(t) }
            if let h = it.handler { used.insert(h) }
        }
        b.items.removeAll { $0.label.map { !used.contains($0) } ?? false }
    }
}

extension LInst {
    var isJump: Bool { !isLabel && Instruction(op).isJump }
}
