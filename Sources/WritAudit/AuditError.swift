/// The errors of the audit store: files that cannot be opened, files that are
/// not audit stores or whose head disagrees with their records, SQLite
/// failures, invalid records, and a writer that was closed or has failed.

/// Something went wrong opening, writing or reading an audit store.
public indirect enum AuditError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be opened (`reason` from the system or SQLite).
    case cannotOpen(path: String, reason: String)
    /// The file is not a writ audit store (`reason` says what is missing).
    case notAnAuditStore(path: String, reason: String)
    /// The store's head does not name its last record; appending would hide that.
    case inconsistentStore(path: String, reason: String)
    /// SQLite refused an operation.
    case sqlite(path: String, operation: String, message: String)
    /// A record that cannot be stored as given.
    case invalidRecord(reason: String)
    /// `append` or `flush` after `close`.
    case writerClosed(path: String)
    /// The background writer stopped on `cause`; records after
    /// `durableSequence` were not stored.
    case writerFailed(cause: AuditError, durableSequence: Int64)

    /// One sentence, no capital, no final period; user text in backticks.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open audit store `\(path)`: \(reason)"
        case .notAnAuditStore(let path, let reason):
            "`\(path)` is not a writ audit store: \(reason)"
        case .inconsistentStore(let path, let reason):
            "audit store `\(path)` is inconsistent: \(reason)"
        case .sqlite(let path, let operation, let message):
            "audit store `\(path)`: sqlite could not \(operation): \(message)"
        case .invalidRecord(let reason):
            "invalid audit record: \(reason)"
        case .writerClosed(let path):
            "the audit writer for `\(path)` is closed"
        case .writerFailed(let cause, let durable):
            "the audit writer stopped after record \(durable): \(cause)"
        }
    }

    /// A one-line hint saying how to fix it, shown as `help:`; `nil` when there is none.
    public var help: String? {
        switch self {
        case .inconsistentStore:
            "run `writ audit verify` on the store and keep it as evidence; start a new store for new records"
        case .notAnAuditStore(_, let reason) where reason.contains("malformed") || reason.contains("not a database"):
            "the file is damaged or is not SQLite: keep it as evidence and verify a backup of the store"
        case .notAnAuditStore:
            "check the path (`writ replay --audit` creates a new store when the file does not exist)"
        case .cannotOpen:
            "check that the folder exists and that this user may write to it: SQLite keeps `-wal` and `-shm` "
                + "files beside the store, also to read it"
        case .writerFailed(let cause, _):
            cause.help ?? "records after the durable sequence were not written; restart the writer and check the disk"
        case .sqlite, .invalidRecord, .writerClosed:
            nil
        }
    }
}
