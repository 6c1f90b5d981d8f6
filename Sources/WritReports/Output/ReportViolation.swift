/// One reason a report cannot be sent: the record it concerns (a
/// transaction id, an order id, an execution id) and what is wrong.

/// A problem of one record of a report.
public struct ReportViolation: Sendable, Hashable, CustomStringConvertible {
    /// What the record is, as a reader says it: `transaction`, `order`, `fill`, `envelope`.
    public var kind: String
    /// Its id as the report writes it (the RTS 22 `TxId`, the CAT `orderID`, …).
    public var record: String
    /// Its id in the input, when it differs (the fill's `exec_id` of a `TxId`).
    public var source: String?
    /// The line of the generated file, for schema violations.
    public var line: Int?
    /// What is wrong, in one sentence without a capital or a final period.
    public var message: String

    /// Creates a violation.
    public init(kind: String, record: String, source: String? = nil, line: Int? = nil, message: String) {
        self.kind = kind
        self.record = record
        self.source = source
        self.line = line
        self.message = message
    }

    /// `transaction `E1` (exec_id `E-1`, line 7): …`.
    public var description: String {
        var s = "\(kind) `\(record)`"
        var extra: [String] = []
        if let source, source != record { extra.append("input id `\(source)`") }
        if let line { extra.append("line \(line)") }
        if !extra.isEmpty { s += " (\(extra.joined(separator: ", ")))" }
        return s + ": " + message
    }
}
