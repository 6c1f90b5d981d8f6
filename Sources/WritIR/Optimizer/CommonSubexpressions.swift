/// Common sub-expression elimination within a block, and copy propagation.
/// An instruction is removed when an identical one (same operation and
/// operands) has surely completed on every path that reaches it — paths
/// through an error handler do not count, since there the first one failed.
/// Its readers then use the first one's result. Guards (`req`, `cur`) are
/// removed the same way: the check already passed.

/// The CSE pass.
enum CommonSubexpressions {
    /// Operations that compute a value from their operands alone (during one evaluation).
    static func isPure(_ op: Opcode) -> Bool {
        switch op {
        case .nop, .jmp, .jf, .jt, .ret, .mret, .fail, .clrerr, .catchErr, .rethrow, .mov: false
        default: true
        }
    }

    private struct Key: Hashable {
        var op: Opcode
        var b: Operand
        var c: Operand
        var aux: UInt32
        var wide: Bool
    }

    static func run(_ b: inout LBlock) {
        propagateCopies(&b)
        let flow = FlowGraph(b.items)
        let defs = flow.definitionCounts()
        let pinned = flow.pinnedRegisters()
        let before = flow.completedBefore()
        func stable(_ o: Operand) -> Bool { o.register.map { defs[$0] == 1 } ?? true }
        var seen: [Key: [Int]] = [:]
        var remove = Set<Int>()
        var renames: [(Operand, Operand)] = []
        for i in flow.positions {
            let it = b.items[i]
            guard isPure(it.op), before[i] != nil, stable(it.b), stable(it.c) else { continue }
            let writes = Instruction(it.op).writesA
            if writes {
                guard let r = it.a.register, defs[r] == 1, it.wide || !pinned.contains(r) else { continue }
            }
            let key = Key(op: it.op, b: it.b, c: it.c, aux: it.aux, wide: it.wide)
            if let earlier = seen[key]?.first(where: { before[i]!.contains($0) }) {
                remove.insert(i)
                if writes {
                    renames.append((it.a, b.items[earlier].a))
                    if it.wide { renames.append((it.a.next, b.items[earlier].a.next)) }
                }
                continue
            }
            seen[key, default: []].append(i)
        }
        guard !remove.isEmpty else { return }
        for (from, to) in renames { b.replaceReads(of: from, with: to) }
        b.items = b.items.enumerated().filter { !remove.contains($0.offset) }.map(\.element)
    }

    /// `mov r, x` where `r` is written once and `x` never changes: readers of `r` read `x`.
    static func propagateCopies(_ b: inout LBlock) {
        let flow = FlowGraph(b.items)
        let defs = flow.definitionCounts()
        let pinned = flow.pinnedRegisters()
        let shown = flow.shownRegisters()
        var remove = Set<Int>()
        for i in flow.positions {
            let it = b.items[i]
            guard it.op == .mov, !it.wide, let r = it.a.register, defs[r] == 1, !pinned.contains(r) else { continue }
            if let s = it.b.register, defs[s] != 1 { continue }
            if it.b == .none { continue }
            b.replaceReads(of: it.a, with: it.b)
            // A shown register keeps its move (explain reads it); nothing else does.
            if !shown.contains(r) { remove.insert(i) }
        }
        guard !remove.isEmpty else { return }
        b.items = b.items.enumerated().filter { !remove.contains($0.offset) }.map(\.element)
    }
}
