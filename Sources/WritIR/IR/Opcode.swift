/// The operations of the register machine. Each instruction names up to
/// three frame slots (`a` is the destination unless said otherwise) and a
/// 32-bit `aux` (a jump target, a field, table, set or state-slot index).
/// docs/ir.md lists every opcode with its operands and its errors.

/// One operation of the register machine.
@frozen
public enum Opcode: UInt8, Sendable, CaseIterable, CustomStringConvertible, BitwiseCopyable {
    // Control.
    /// Does nothing (left by passes that delete instructions before compaction).
    case nop = 0
    /// `pc = aux`.
    case jmp
    /// `if f[b] == 0 { pc = aux }`.
    case jf
    /// `if f[b] != 0 { pc = aux }`.
    case jt
    /// Ends the block; its results are `f[a]`, `f[b]`, `f[c]` (what they mean depends on the block).
    case ret
    /// Raises the error `aux` (an `EvalErrorCode`) with payload `f[b]`, `f[c]`.
    case fail
    /// Clears the saved error of error slot `aux` (the start of an `&&`/`||` chain).
    case clrerr
    /// Handler entry of operand `b` (its rank in source order) of the chain
    /// with error slot `aux`: keeps the current error if it is the first in
    /// source order, then continues with the next operand.
    case catchErr
    /// Raises the error saved in slot `aux`, if any (end of a chain none of
    /// whose operands decided it).
    case rethrow

    // Moves and inputs.
    /// `f[a] = f[b]`.
    case mov
    /// Fails with `missing field` unless input field `aux` is present.
    case req
    /// `f[a] = present(field aux)`.
    case has

    // Logic and comparison of 128-bit values (bool, int, decimal, time, enum, symbol ids).
    /// `f[a] = !f[b]`.
    case not
    /// `f[a] = f[b] == f[c]`. The comparisons `eq` … `ge` with aux = 1
    /// (format 3) compare money: they first check that the currencies
    /// `f[b + 1]` and `f[c + 1]` agree and otherwise fail with `currency
    /// mismatch`, as a `cur` right before them would (the optimizer fuses
    /// the pair).
    case eq
    /// `f[a] = f[b] != f[c]`.
    case ne
    /// `f[a] = f[b] < f[c]` (signed).
    case lt
    /// `f[a] = f[b] <= f[c]`.
    case le
    /// `f[a] = f[b] > f[c]`.
    case gt
    /// `f[a] = f[b] >= f[c]`.
    case ge
    /// `f[a] = min(f[b], f[c])`.
    case min
    /// `f[a] = max(f[b], f[c])`.
    case max

    // 64-bit integers (int, duration, timestamp), checked.
    /// `f[a] = f[b] + f[c]`, `int overflow` outside Int64.
    case iadd
    /// `f[a] = f[b] - f[c]`.
    case isub
    /// `f[a] = f[b] * f[c]`.
    case imul
    /// `f[a] = f[b] / f[c]` truncating (durations ÷ int); `division by zero`.
    case idiv
    /// `f[a] = f[b] % f[c]`; `division by zero`.
    case irem
    /// `f[a] = -f[b]`.
    case ineg
    /// `f[a] = |f[b]|`.
    case iabs

    // Fixed-point decimals (decimal, percent, money amounts), checked.
    /// `f[a] = f[b] + f[c]`, `decimal overflow`.
    case fadd
    /// `f[a] = f[b] - f[c]`.
    case fsub
    /// `f[a] = f[b] × f[c]`, rounded half to even.
    case fmul
    /// `f[a] = f[b] ÷ f[c]`, rounded half to even; `division by zero`.
    case fdiv
    /// `f[a] = -f[b]`.
    case fneg
    /// `f[a] = |f[b]|`.
    case fabs
    /// `f[a] = decimal(f[b])` (an int as a decimal).
    case i2f
    /// `f[a] = int(f[b])`, truncated toward zero; `int overflow`.
    case f2i
    /// Fails with `currency mismatch` unless `f[b] == f[c]` (two currency ids).
    case cur

    // Text (interned ids of strings and symbols).
    /// `f[a] = text(f[b]) < text(f[c])` by bytes; `aux` is the comparison (0 <, 1 <=, 2 >, 3 >=).
    case scmp
    /// `f[a] = number of Unicode scalars of text(f[b])`.
    case ssize
    /// `f[a] = text(f[b])` starts with `text(f[c])`.
    case sstarts
    /// `f[a] = text(f[b])` ends with `text(f[c])`.
    case sends
    /// `f[a] = text(f[b])` contains `text(f[c])`.
    case scontains
    /// `f[a] = intern(text(f[b]) + text(f[c]))`; `state table full` when the symbol table is.
    case sconcat
    /// `f[a] = intern(text of f[b])` for a value of kind `aux` (`string(x)`).
    case tostr

    // Reference data.
    /// `f[a] = row of key f[b] in table aux`; `no row` if none.
    case row
    /// `f[a] = whether table aux has a row for key f[b]`.
    case inrow
    /// `f[a…] = column (aux & 0xFFFF) of table (aux >> 16) at row f[b]`; `missing` for an empty cell.
    case col
    /// Like `col`, but an empty cell reads as the null marker (for `==`, `!=`, `in`).
    case colq
    /// `f[a] = whether the cell is not empty`.
    case hascol
    /// `f[a] = f[b] ∈ constant set aux`.
    case inset
    /// `f[a] = f[b] ∈ bound data aux`; `not bound` if the host has not bound it.
    case inbound
    /// `f[a] = the local time of timestamp f[b] is within between-range aux`.
    case between

    // State (read-only during evaluation).
    /// `f[a] = messages for key f[b] in the window of slot aux`.
    case rate
    /// `f[a…] = sum for key f[b] in slot aux's window + f[c…]`.
    case wsum
    /// `f[a] = fills for key f[b] in the window of slot aux`.
    case execs
    /// `f[a] = order-to-trade ratio for key f[b] in slot aux's window`.
    case otr
    /// `f[a] = net filled quantity of (f[b], f[c])`.
    case pos
    /// `f[a] = kill switch (scope aux, key f[b]) is on`.
    case killed
    /// `f[a] = key f[b] was seen today by slot aux`.
    case dup

    // Added in format 1 after the above (raw values are part of the format).
    /// `f[a] = text(f[b])` contains a match of regular expression `aux`.
    case smatch
    /// `if f[b] == f[c] { pc = aux }` (a comparison fused with its branch).
    case jeq
    /// `if f[b] != f[c] { pc = aux }`.
    case jne
    /// `if f[b] < f[c] { pc = aux }`.
    case jlt
    /// `if f[b] <= f[c] { pc = aux }`.
    case jle
    /// `if f[b] > f[c] { pc = aux }`.
    case jgt
    /// `if f[b] >= f[c] { pc = aux }`.
    case jge
    /// `if input field b is absent { pc = aux }` (`has` fused with its branch; `b` is a field index).
    case jabsent
    /// `if input field b is present { pc = aux }`.
    case jpresent
    /// `f[a] = present(field aux)` for a record that may be unavailable (a
    /// market record the full market table could not hold): then it fails
    /// with `state table full`, as any read of that record does.
    case hasx
    /// `f[a] = intern(text(f[b]) + U+001F + text(f[c]))`: the composite key
    /// `(b, c)` of a tuple (longer tuples chain it; `aux` 1 marks `f[b]` as
    /// already composite). Fails with `invalid key` when a part contains
    /// U+001F or the key is longer than 256 bytes, `state table full` when
    /// the symbol table is.
    case tuple
    /// `f[a] = latch slot aux is on for key f[b]` (tripped earlier, not
    /// reset, not ended at the event's time).
    case latch
    /// `f[a…] = open sum for key f[b] (and the currency of f[c…]) in slot aux`
    /// plus this order's contribution `f[c…]`, less, for a `modify`, the
    /// order's current contribution under the same key and currency.
    case osum

    // Added in format 2 (memo slots).
    /// `f[a…] = the value of memo slot aux & 0xFFFF` (bit 16 set: money, two
    /// slots): on the first use in an evaluation, runs the slot's memo block
    /// and keeps its value or its error; later uses read it. A kept error is
    /// raised here, as the inline code would have raised it.
    case memo
    /// Ends a memo block: its value is `f[a]` (and `f[a + 1]` for money);
    /// control returns after the `memo` that entered the block.
    case mret

    // Added in format 3.
    /// `f[a] = how many members m of constant set aux & 0xFFFF satisfy
    /// m OP f[b]`, where OP is `<`, `<=`, `>`, `>=` for aux >> 16 = 0…3:
    /// one binary search for `size(C.filter(p, p <= x))` over a constant
    /// list C sorted ascending and distinct (a money list's currency is
    /// checked by a `cur` before it).
    case rank

    // Added in format 3 too (price histories).
    /// `f[a…] = the highest value of the market field that state slot aux
    /// keeps the history of, over the slot's window, for the order's market
    /// record`; `f[b…]` is the field's current value (read, so present), in
    /// force now and part of the answer. Never fails.
    case wmax
    /// `f[a…]` = the lowest value, as `wmax`.
    case wmin

    /// The mnemonic used by the IR dump.
    public var description: String { Opcode.mnemonics[Int(rawValue)] }

    /// Mnemonics in raw-value order.
    static let mnemonics: [String] = [
        "nop", "jmp", "jf", "jt", "ret", "fail", "clrerr", "catch", "rethrow", "mov", "req", "has", "not", "eq", "ne", "lt", "le", "gt", "ge", "min", "max", "iadd", "isub", "imul", "idiv", "irem", "ineg", "iabs", "fadd", "fsub", "fmul", "fdiv", "fneg", "fabs", "i2f", "f2i", "cur", "scmp", "ssize", "sstarts", "sends", "scontains", "sconcat", "tostr", "row", "inrow", "col", "colq", "hascol", "inset", "inbound", "between", "rate", "wsum", "execs", "otr", "pos", "killed", "dup", "smatch", "jeq", "jne", "jlt", "jle", "jgt", "jge", "jabsent", "jpresent", "hasx", "tuple", "latch", "osum", "memo", "mret", "rank", "wmax", "wmin",
    ]
}
