/// Lowering of `&&` and `||` chains with CEL's commutative error semantics:
/// `false && error` and `error && false` are false, `true || error` and
/// `error || true` are true, otherwise the first error in source order is
/// the result. Each operand runs under its own handler (`catch`), so the
/// optimizer may evaluate the operands in any order (cheapest first).

import WritSema
import WritSyntax

/// One operand of a chain: its rank in source order, its estimated cost,
/// and how to lower it.
struct ChainOperand {
    var rank: Int
    var cost: Int
    var lower: () throws(IRCompileError) -> Operand
}

extension Lowerer {
    /// The operands of a chain of one operator, flattened, in source order.
    func flatten(_ e: Expr, _ op: BinaryOp) -> [Expr] {
        if case .binary(let o, let l, let r) = e.kind, o == op, p.constants[e.id] == nil {
            return flatten(l, op) + flatten(r, op)
        }
        return [e]
    }

    /// Lowers `a && b && …` or `a || b || …`.
    func chain(_ e: Expr, _ op: BinaryOp) throws(IRCompileError) -> Operand {
        let model = CostModel(program: p)
        let operands = flatten(e, op).enumerated().map { rank, x in
            ChainOperand(rank: rank, cost: model.cost(x)) { () throws(IRCompileError) -> Operand in try self.value(x) }
        }
        return try chain(conjunction: op == .and, operands, for: e)
    }

    /// Lowers a chain of operands; `conjunction` selects `&&` (else `||`).
    func chain(conjunction: Bool, _ operands: [ChainOperand], for e: Expr) throws(IRCompileError) -> Operand {
        let dst = newRegister(.bool)
        let slot = newErrorSlot()
        let decided = newLabel()
        let done = newLabel()
        emit(LInst(op: .clrerr, aux: UInt32(slot)))
        for i in OperandOrdering.order(operands.map(\.cost)) {
            let operand = operands[i]
            let handler = newLabel()
            let next = newLabel()
            cur.handlers.append(handler)
            let v = try operand.lower()
            cur.handlers.removeLast()
            jump(conjunction ? .jf : .jt, v, to: decided)
            place(next)
            // Out of line: record the error, then go on with the next operand.
            cur.cold.append(.mark(handler))
            cur.cold.append(LInst(op: .catchErr, aux: UInt32(slot) | UInt32(operand.rank) << 16))
            cur.cold.append(LInst(op: .jmp, target: next))
        }
        emit(LInst(op: .rethrow, aux: UInt32(slot)))
        emit(.mov, dst, bool(conjunction), for: e, kind: .bool)
        jump(.jmp, to: done)
        place(decided)
        emit(.mov, dst, bool(!conjunction), for: e, kind: .bool)
        place(done)
        return dst
    }
}
