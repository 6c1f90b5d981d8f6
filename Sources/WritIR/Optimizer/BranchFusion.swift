/// Branch fusion, the last pass: a comparison, `has` or `!` whose only
/// reader is the conditional jump right after it becomes one jump that
/// tests directly (`lt r, x, y; jf r, @L` → `jge x, y, @L`), so the common
/// shape of a condition costs one dispatch instead of two. The fused jump
/// keeps the operands' spans (explain still shows them).

/// The branch-fusion pass.
enum BranchFusion {
    static func run(_ b: inout LBlock) {
        var reads: [Int: Int] = [:]
        for it in b.items {
            for o in it.readOperands { if let r = o.register { reads[r, default: 0] += 1 } }
        }
        let flow = FlowGraph(b.items)
        let defs = flow.definitionCounts()
        let keep = flow.pinnedRegisters().union(flow.shownRegisters())
        b.fusePairs { it, next in
            guard let r = it.a.register, defs[r] == 1, reads[r] == 1, !keep.contains(r),
                next.op == .jf || next.op == .jt, next.b == it.a
            else { return nil }
            return fuse(it, next)
        }
    }

    /// The fused jump of `test` followed by `jump` (which jumps when the test is true for `jt`, false for `jf`).
    private static func fuse(_ test: LInst, _ jump: LInst) -> LInst? {
        let whenTrue = jump.op == .jt
        var f = LInst(op: .nop, b: test.b, c: test.c, target: jump.target, handler: nil)
        f.operandSpans = test.operandSpans
        switch test.op {
        case .eq: f.op = whenTrue ? .jeq : .jne
        case .ne: f.op = whenTrue ? .jne : .jeq
        case .lt: f.op = whenTrue ? .jlt : .jge
        case .le: f.op = whenTrue ? .jle : .jgt
        case .gt: f.op = whenTrue ? .jgt : .jle
        case .ge: f.op = whenTrue ? .jge : .jlt
        case .has:
            f.op = whenTrue ? .jpresent : .jabsent
            f.b = .none
            f.c = .none
            f.fieldOperand = Int(test.aux)
        case .not:
            f.op = whenTrue ? .jf : .jt
            f.c = .none
        default:
            return nil
        }
        return f
    }
}
