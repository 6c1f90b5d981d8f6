/// Why a report could not be produced. Every case renders as one sentence
/// in the project's message style, and most carry a `help` line.

/// An error of a report generator.
public enum ReportError: Error, Sendable, CustomStringConvertible {
    /// The report breaks its schema or the checks before it; nothing was written.
    case invalidReport(report: String, violations: [ReportViolation])
    /// The output folder cannot be written; nothing was written.
    case cannotWrite(path: String, reason: String)
    /// A schema could not be read or compiled.
    case schemaUnavailable(path: String, reason: String)
    /// The firm's configuration file cannot be used.
    case configuration(path: String, message: String, help: String?)
    /// An input record cannot be read.
    case badInput(what: String, message: String)

    /// The message, one sentence.
    public var description: String {
        switch self {
        case .invalidReport(let report, let violations):
            let n = violations.count
            var s = "report `\(report)` is not valid: \(n) violation\(n == 1 ? "" : "s")"
            for v in violations.prefix(ReportError.listed) { s += "\n  \(v)" }
            if n > ReportError.listed { s += "\n  … and \(n - ReportError.listed) more" }
            return s
        case .cannotWrite(let path, let reason):
            return "cannot write `\(path)`: \(reason)"
        case .schemaUnavailable(let path, let reason):
            return "cannot load the schema `\(path)`: \(reason)"
        case .configuration(let path, let message, _):
            return "firm configuration `\(path)`: \(message)"
        case .badInput(let what, let message):
            return "\(what): \(message)"
        }
    }

    /// How to fix it, when there is a general answer.
    public var help: String? {
        switch self {
        case .invalidReport:
            "correct the records named above; no file was written"
        case .cannotWrite:
            "check that the folder exists and that this user may write to it"
        case .schemaUnavailable:
            "set WRIT_REPORT_SCHEMAS to the folder that holds the ESMA schemas (reports/schemas in the repository)"
        case .configuration(_, _, let help):
            help
        case .badInput:
            nil
        }
    }

    /// The violations, for `invalidReport`; empty otherwise.
    public var violations: [ReportViolation] {
        if case .invalidReport(_, let v) = self { return v }
        return []
    }

    /// How many violations `description` lists.
    static let listed = 50
}
