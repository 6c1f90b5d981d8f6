/// Constant folding after lowering: an instruction whose inputs are all
/// constants and which cannot fail for them is computed at build time, its
/// result added to the pool and its readers pointed at the constant; `mov`
/// of a constant is propagated; a branch on a constant becomes a `jmp` or
/// disappears. An operation that would fail (overflow, division by zero)
/// is left for the run time, which reports it.

import WritValue

/// The constant-folding pass.
enum ConstantFolding {
    static func run(_ b: inout LBlock, pool: inout ConstantPool) {
        let flow = FlowGraph(b.items)
        let defs = flow.definitionCounts()
        let pinned = flow.pinnedRegisters()
        for i in b.items.indices where !b.items[i].isLabel {
            let it = b.items[i]
            // Branches on constants.
            if it.op == .jf || it.op == .jt, case .const(let k) = it.b {
                let taken = (pool.value(k) == 0) == (it.op == .jf)
                if taken {
                    b.items[i].op = .jmp
                    b.items[i].b = .none
                } else {
                    b.items[i] = LInst(op: .nop)
                }
                continue
            }
            guard let r = it.a.register, defs[r] == 1, !pinned.contains(r), !it.wide else { continue }
            guard let (value, kind) = fold(it, pool) else { continue }
            let c = pool.add(value, kind: kind)
            b.items[i] = LInst(op: .nop)
            b.replaceReads(of: it.a, with: c)
        }
        b.items.removeAll { !$0.isLabel && $0.op == .nop }
    }

    /// The value and kind of `it` when its inputs are constants and it cannot fail.
    static func fold(_ it: LInst, _ pool: ConstantPool) -> (Int128, ValueKind)? {
        func k(_ o: Operand) -> (Int128, ValueKind)? {
            if case .const(let i) = o { return (pool.value(i), pool.kind(i)) }
            return nil
        }
        func bool(_ x: Bool) -> (Int128, ValueKind) { (x ? 1 : 0, .bool) }
        func int(_ r: (Int64, Bool), _ kind: ValueKind) -> (Int128, ValueKind)? { r.1 ? nil : (Int128(r.0), kind) }
        func fixed(_ f: Fixed?, _ kind: ValueKind) -> (Int128, ValueKind)? { f.map { ($0.raw, kind) } }
        switch it.op {
        case .mov:
            return k(it.b)
        case .not:
            guard let (x, _) = k(it.b) else { return nil }
            return bool(x == 0)
        case .eq, .ne, .lt, .le, .gt, .ge, .min, .max:
            guard let (x, xk) = k(it.b), let (y, _) = k(it.c) else { return nil }
            switch it.op {
            case .eq: return bool(x == y)
            case .ne: return bool(x != y)
            case .lt: return bool(x < y)
            case .le: return bool(x <= y)
            case .gt: return bool(x > y)
            case .ge: return bool(x >= y)
            case .min: return (Swift.min(x, y), xk)
            default: return (Swift.max(x, y), xk)
            }
        case .iadd, .isub, .imul:
            guard let (x, xk) = k(it.b), let (y, yk) = k(it.c), let a = Int64(exactly: x), let c = Int64(exactly: y)
            else { return nil }
            let kind = xk == .int ? yk : xk
            switch it.op {
            case .iadd: return int(a.addingReportingOverflow(c), kind)
            case .isub: return int(a.subtractingReportingOverflow(c), xk == .timestamp && yk == .timestamp ? .duration : kind)
            default: return int(a.multipliedReportingOverflow(by: c), kind)
            }
        case .ineg, .iabs:
            guard let (x, xk) = k(it.b), let a = Int64(exactly: x), a != Int64.min else { return nil }
            return (Int128(it.op == .ineg ? -a : Swift.abs(a)), xk)
        case .fadd, .fsub, .fmul, .fdiv:
            guard let (x, xk) = k(it.b), let (y, yk) = k(it.c) else { return nil }
            let a = Fixed(raw: x)
            let c = Fixed(raw: y)
            switch it.op {
            case .fadd: return fixed(a.adding(c), xk)
            case .fsub: return fixed(a.subtracting(c), xk)
            case .fmul: return fixed(a.multiplied(by: c), xk == .percent && yk != .percent ? .percent : (xk == .percent ? yk : xk))
            default: return fixed(a.divided(by: c), xk == yk ? .decimal : xk)
            }
        case .fneg, .fabs:
            guard let (x, xk) = k(it.b) else { return nil }
            return (it.op == .fneg ? -x : Swift.abs(x), xk)
        case .i2f:
            guard let (x, _) = k(it.b) else { return nil }
            return (x * Fixed.one, .decimal)
        case .f2i:
            guard let (x, _) = k(it.b), let i = Fixed(raw: x).truncatedInt else { return nil }
            return (Int128(i), .int)
        default:
            return nil
        }
    }
}
