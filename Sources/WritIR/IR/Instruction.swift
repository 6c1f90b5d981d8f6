/// One instruction of the register machine: an opcode, three frame operands
/// and a 32-bit auxiliary operand, 12 bytes, trivially copyable.

/// A frame index: constants, input slots and registers share one flat frame.
public typealias FrameIndex = UInt16

/// One instruction. Operands index the frame; `aux` holds a jump target or
/// the index of a field, table, set, binding or state slot.
@frozen
public struct Instruction: Hashable, Sendable, BitwiseCopyable {
    /// What it does.
    public var op: Opcode
    /// First operand (the destination, for operations that produce a value).
    public var a: FrameIndex
    /// Second operand.
    public var b: FrameIndex
    /// Third operand.
    public var c: FrameIndex
    /// Auxiliary operand.
    public var aux: UInt32

    /// Creates an instruction.
    @inlinable
    public init(_ op: Opcode, a: FrameIndex = 0, b: FrameIndex = 0, c: FrameIndex = 0, aux: UInt32 = 0) {
        self.op = op
        self.a = a
        self.b = b
        self.c = c
        self.aux = aux
    }

    /// The "no handler" marker in `IRProgram.handlers`.
    @inlinable
    public static var noHandler: UInt32 { UInt32.max }
    /// The operand of an unused operand slot (never a valid frame index).
    @inlinable
    public static var unused: FrameIndex { FrameIndex.max }
}

extension Instruction {
    /// Whether this instruction transfers control (its `aux` is a pc).
    public var isJump: Bool {
        switch op {
        case .jmp, .jf, .jt, .jeq, .jne, .jlt, .jle, .jgt, .jge, .jabsent, .jpresent: true
        default: false
        }
    }

    /// Whether control can fall through to the next instruction.
    public var fallsThrough: Bool { op != .jmp && op != .ret && op != .fail && op != .mret }

    /// Whether executing it may raise an evaluation error.
    public var canFail: Bool {
        switch op {
        case .fail, .rethrow, .req, .iadd, .isub, .imul, .idiv, .irem, .ineg, .iabs, .fadd, .fsub, .fmul, .fdiv,
            .fneg, .fabs, .f2i, .cur, .sconcat, .tostr, .row, .col, .inbound, .rate, .wsum, .execs, .otr, .pos,
            .killed, .dup, .hasx, .tuple, .latch, .osum, .memo:
            true
        default:
            false
        }
    }

    /// Whether it writes its `a` operand (money results write `a` and `a + 1`).
    public var writesA: Bool {
        switch op {
        case .nop, .jmp, .jf, .jt, .ret, .mret, .fail, .clrerr, .catchErr, .rethrow, .req, .cur, .jeq, .jne, .jlt, .jle,
            .jgt, .jge, .jabsent, .jpresent:
            false
        default: true
        }
    }
}
