/// Lowering of memo slots (docs/ir.md, "Memo slots"): an expression of a
/// rule condition that `MemoPlanning` chose is read with `memo r, mN`; the
/// first read lowers the expression once into memo block N, ending with
/// `mret`. The engine runs the block on the first read of an evaluation and
/// keeps its value or its error; every read raises a kept error at the
/// `memo`, under the handler the inline code would have had.

import WritSema
import WritSyntax

extension Lowerer {
    /// The memo read of `e` when it has a slot and memo reads are allowed here; nil otherwise.
    func memoRead(_ e: Expr, quietNull: Bool) throws(IRCompileError) -> Operand? {
        guard memoAllowed, !inMemoBlock, let key = memoPlan[e.id] else { return nil }
        let k = effectiveKind(e)
        guard k != .none else { return nil }
        let full = key + (quietNull ? "|quiet" : "")
        let slot: Int
        if let s = memoSlotOfKey[full] {
            slot = s
        } else {
            slot = memoSlotOfKey.count
            memoSlotOfKey[full] = slot
            let saved = cur
            let savedMacros = macroValues
            begin()
            inMemoBlock = true
            defer {
                inMemoBlock = false
                cur = saved
                macroValues = savedMacros
            }
            let v = try value(e, quietNull: quietNull)
            emit(LInst(op: .mret, a: v, span: e.span, wide: k == .money))
            _ = end(kind: .memo, owner: slot)
        }
        return emit(.memo, newRegister(k), aux: UInt32(slot) | (k == .money ? 0x1_0000 : 0), for: e, kind: k, wide: k == .money)
    }
}
