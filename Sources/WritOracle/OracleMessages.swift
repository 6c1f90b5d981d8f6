/// Every text the oracle puts in a decision line: evaluation errors, the
/// reasons of decisions that no rule made, and the problems of lines that
/// cannot be decoded. One place, so that the engine's texts can be held
/// against them (the differential test compares decision lines byte for byte).

import WritSyntax

/// An evaluation error: the order is rejected (fail closed) with this text.
struct EvalError: Error, Equatable {
    /// One clause, e.g. `market.reference is missing`.
    var message: String
    init(_ message: String) { self.message = message }
}

/// A line that cannot be decoded: the problem, naming the field.
struct DecodeError: Error, Equatable {
    /// One clause, e.g. ``missing field `symbol` ``.
    var message: String
    init(_ message: String) { self.message = message }
}

/// The texts, as typed factories.
enum OracleMessages {
    // MARK: Evaluation errors (docs/engine-semantics.md, "Rules")

    /// Reading a field the event did not carry.
    static func missingField(_ schema: String, _ field: String) -> EvalError { EvalError("\(schema).\(field) is missing") }
    /// Reading an empty optional cell of a data table.
    static func missingCell(_ table: String, _ column: String) -> EvalError { EvalError("\(table).\(column) is missing") }
    /// `t[k]` with no row for `k`.
    static func noRow(_ key: RuntimeValue, _ table: String) -> EvalError { EvalError("no row for \(key.keyText) in \(table)") }
    /// `m[k]` with no entry for `k`.
    static func noEntry(_ key: RuntimeValue) -> EvalError { EvalError("no entry for \(key.keyText) in the map") }
    /// `l[i]` out of range.
    static func indexOutOfRange(_ i: Int64) -> EvalError { EvalError("index \(i) is out of range") }
    /// Decimal, money or percent arithmetic out of range.
    static let decimalOverflow = EvalError("decimal overflow")
    /// `int` arithmetic out of range (also durations and timestamps, which are 64-bit integers of nanoseconds).
    static let intOverflow = EvalError("int overflow")
    /// `/` or `%` by zero.
    static let divisionByZero = EvalError("division by zero")
    /// Two amounts of different currencies in one operation.
    static func currencyMismatch(_ a: String, _ b: String) -> EvalError { EvalError("currency mismatch: \(a) vs \(b)") }
    /// A state table had no room for a key it needed (fail closed).
    static let stateTableFull = EvalError("state table full")
    /// A composite key with a part that contains U+001F, or longer than 256 bytes.
    static let invalidKey = EvalError("invalid key: a part contains U+001F or the key is longer than 256 bytes")
    /// Bound data the host has not supplied.
    static func unbound(_ binding: String) -> EvalError { EvalError("\(binding) is not bound") }
    /// Something the oracle does not evaluate in jurisdiction rules (a
    /// checked program never gets here; kept total rather than trapping).
    static func unsupported(_ what: String) -> EvalError { EvalError("\(what) cannot be evaluated here") }

    // MARK: Decision reasons that no rule gives

    /// A rule whose condition failed: the text in the rule's place among the reasons.
    static func ruleFailed(_ rule: String, _ e: EvalError) -> String { "\(rule) could not be evaluated: \(e.message)" }
    /// A jurisdiction whose `applies when` failed.
    static func appliesFailed(_ jurisdiction: String, _ e: EvalError) -> String {
        "cannot decide whether \(jurisdiction) applies: \(e.message)"
    }
    /// A `modify` or `cancel` of an order that is not live.
    static let unknownOrderID = "unknown order id"
    /// A `reset` control naming a rule that has no latch.
    static func unknownLatch(_ name: String) -> String { "unknown latch `\(name)`" }

    // MARK: Lines that cannot be decoded (docs/engine-semantics.md, first section)

    static let notJSON = DecodeError("the line is not valid JSON")
    static let notObject = DecodeError("the line is not a JSON object")
    static func missing(_ field: String) -> DecodeError { DecodeError("missing field `\(field)`") }
    static func notPositive(_ field: String) -> DecodeError { DecodeError("field `\(field)` must be above 0") }
    static func givenTwice(_ field: String) -> DecodeError { DecodeError("field `\(field)` is given twice") }
    static func controlCharacter(_ field: String) -> DecodeError {
        DecodeError("field `\(field)` has a control character (U+0000 to U+001F)")
    }
    static func invisibleCharacter(_ field: String, _ c: Unicode.Scalar) -> DecodeError {
        DecodeError("field `\(field)` has an invisible character (\(Lexer.codePoint(c.value))); ids and names must be printable")
    }
    static func edgeSpace(_ field: String, _ c: Unicode.Scalar) -> DecodeError {
        DecodeError("field `\(field)` starts or ends with a space (\(Lexer.codePoint(c.value))); give the id without it")
    }
    static func unknownEvent(_ e: String) -> DecodeError { DecodeError("unknown event `\(e)`") }
    static func mustBe(_ field: String, _ what: String) -> DecodeError { DecodeError("field `\(field)` must be \(what)") }
    static func notDecimal(_ field: String, _ text: String) -> DecodeError {
        DecodeError("field `\(field)` is not a decimal: `\(text)`")
    }
    static func notInteger(_ field: String, _ text: String) -> DecodeError {
        DecodeError("field `\(field)` is not an integer: `\(text)`")
    }
    static func notTimestamp(_ field: String, _ text: String) -> DecodeError {
        DecodeError("field `\(field)` is not an RFC 3339 timestamp: `\(text)`")
    }
    static func notCase(_ field: String, _ enumName: String, _ text: String) -> DecodeError {
        DecodeError("field `\(field)` is not a case of `\(enumName)`: `\(text)`")
    }
    static func notInEvents(_ field: String) -> DecodeError { DecodeError("field `\(field)` cannot be given in an event") }
    static func noCurrency(_ field: String) -> DecodeError { DecodeError("field `\(field)` has no currency") }
}
