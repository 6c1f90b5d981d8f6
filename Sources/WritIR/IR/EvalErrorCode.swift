/// The evaluation errors an instruction can raise. Each turns into a reject
/// whose reason says what failed (docs/engine-semantics.md, "fail closed").

/// Why an evaluation failed. The payload of each (two 128-bit values) is
/// described case by case; `EvalErrorCode.reason` renders it.
@frozen
public enum EvalErrorCode: UInt8, Sendable, Hashable, CaseIterable, BitwiseCopyable {
    /// No error.
    case none = 0
    /// An absent input field was read; payload: the field index.
    case missingField
    /// A table has no row for a key; payload: table index, key value.
    case noRow
    /// An empty table cell was read; payload: table index, column index.
    case missingCell
    /// A decimal result does not fit.
    case decimalOverflow
    /// An int result does not fit in 64 bits.
    case intOverflow
    /// Division or remainder by zero.
    case divisionByZero
    /// Two amounts of different currencies; payload: the two currency ids.
    case currencyMismatch
    /// A fixed-capacity table needed a new entry and is full.
    case stateTableFull
    /// Bound data was read before the host bound it; payload: binding index.
    case unbound
    /// A part of a composite key contains U+001F, or the key is longer than
    /// 256 bytes.
    case invalidKey
    /// The engine itself went wrong (native code reached a pc it has no
    /// entry for): the rule rejects, fail closed. Never raised by a program.
    case engineFault
}
