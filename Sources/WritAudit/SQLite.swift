/// A thin Swift wrapper of the system SQLite (CSQLite3): a connection, prepared
/// statements with typed binds and columns, and errors that carry SQLite's
/// message. Internal to WritAudit; nothing here knows about audit records.
import CSQLite3
import Glibc

/// SQLite's `SQLITE_TRANSIENT` (a macro Swift cannot import): copy bound bytes.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// SQLite's `SQLITE_STATIC`: the bound bytes stay valid (and unchanged)
/// until the statement is stepped and reset, so SQLite need not copy them.
let sqliteStatic = unsafeBitCast(0, to: sqlite3_destructor_type.self)

/// One SQLite connection. Not thread-safe by itself: one owner at a time.
final class SQLiteDatabase {
    // INVARIANT: an open connection until `close()`, then nil.
    private(set) var handle: OpaquePointer?
    let path: String

    /// Opens `path`; `readOnly` connections never create or change the file.
    init(path: String, readOnly: Bool) throws(AuditError) {
        self.path = path
        if readOnly && access(path, F_OK) != 0 {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)).lowercased())
        }
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw .cannotOpen(path: path, reason: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    /// Closes the connection (idempotent).
    func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// SQLite's message for the last failure on this connection.
    var lastMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "the database is closed" }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(AuditError) {
        guard let handle else {
            throw .sqlite(path: path, operation: "run `\(sql)`", message: "the database is closed")
        }
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(errorMessage)
            throw .sqlite(path: path, operation: "run `\(Self.firstLine(sql))`", message: message)
        }
    }

    /// A prepared statement for `sql`.
    func prepare(_ sql: String) throws(AuditError) -> SQLiteStatement {
        var statement: OpaquePointer?
        guard let handle, sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw .sqlite(path: path, operation: "prepare `\(Self.firstLine(sql))`", message: lastMessage)
        }
        return SQLiteStatement(statement, database: self, sql: sql)
    }

    /// How many rows the last INSERT, UPDATE or DELETE changed.
    var changes: Int64 { handle.map { Int64(sqlite3_changes64($0)) } ?? 0 }

    /// Sets how long a statement waits for another connection's lock.
    func setBusyTimeout(milliseconds: Int32) {
        if let handle { sqlite3_busy_timeout(handle, milliseconds) }
    }

    /// The first line of `sql`, for messages.
    static func firstLine(_ sql: String) -> String {
        let line = sql.split(separator: "\n").first ?? Substring(sql)
        return String(line.drop(while: { $0 == " " }))
    }
}

/// A prepared statement; bind, step, read columns, reset.
final class SQLiteStatement {
    // INVARIANT: a live statement of `database` until `finalize()` (or deinit).
    private var statement: OpaquePointer?
    private let database: SQLiteDatabase
    private let sql: String

    init(_ statement: OpaquePointer, database: SQLiteDatabase, sql: String) {
        self.statement = statement
        self.database = database
        self.sql = sql
    }

    deinit { finalize() }

    /// Releases the statement (idempotent); a connection closes only once
    /// all its statements are finalized.
    func finalize() {
        if let statement { sqlite3_finalize(statement) }
        statement = nil
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(statement, index, value) }
    func bind(_ index: Int32, _ value: String) { sqlite3_bind_text(statement, index, value, -1, sqliteTransient) }
    func bind(_ index: Int32, _ value: [UInt8]) {
        // A zero-length blob still binds as a blob, not NULL.
        value.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob64(
                statement, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64(raw.count), sqliteTransient
            )
        }
    }

    /// Binds `count` bytes at `base` as a blob without copying them.
    /// - Precondition: the bytes stay valid and unchanged until `reset()`.
    func bindStatic(blob base: UnsafeRawPointer, count: Int, at index: Int32) {
        sqlite3_bind_blob64(statement, index, base, UInt64(count), sqliteStatic)
    }

    /// Binds `count` UTF-8 bytes at `base` as text without copying them.
    /// - Precondition: the bytes stay valid and unchanged until `reset()`.
    func bindStatic(text base: UnsafeRawPointer, count: Int, at index: Int32) {
        sqlite3_bind_text64(
            statement, index, base.assumingMemoryBound(to: CChar.self), UInt64(count), sqliteStatic,
            UInt8(SQLITE_UTF8))
    }

    /// Resets the statement but keeps its bindings (for statements whose
    /// every parameter is bound again before the next step).
    func resetKeepingBindings() { sqlite3_reset(statement) }

    /// Advances; `true` when a row is available, `false` when done.
    func step() throws(AuditError) -> Bool {
        let rc = sqlite3_step(statement)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let message = database.lastMessage
            sqlite3_reset(statement)
            throw .sqlite(path: database.path, operation: "run `\(SQLiteDatabase.firstLine(sql))`", message: message)
        }
    }

    /// Resets the statement and clears its bindings for the next use.
    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    /// The column as text; `""` for NULL.
    func text(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    }

    /// The column's bytes (text or blob) where SQLite holds them, valid
    /// until the next `step`, `reset` or column read of another type; empty for NULL.
    func raw(_ column: Int32) -> UnsafeRawBufferPointer {
        let p = sqlite3_column_blob(statement, column)
        let count = Int(sqlite3_column_bytes(statement, column))
        return UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : count)
    }

    /// The column's bytes (text or blob); `[]` for NULL.
    func bytes(_ column: Int32) -> [UInt8] {
        guard let p = sqlite3_column_blob(statement, column) else { return [] }
        let count = Int(sqlite3_column_bytes(statement, column))
        return Array(UnsafeRawBufferPointer(start: p, count: count))
    }
}
