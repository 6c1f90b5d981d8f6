/// The synchronous core of the audit store: opens or creates the SQLite file,
/// checks it is a store whose head names its last record, and appends a batch
/// of records in one transaction, chaining each to the one before. Used by
/// `AuditWriter`'s background thread; one store per connection and thread.

import WritCrypto

/// An open audit store that records can be appended to.
final class AuditStore {
    let path: String
    private let db: SQLiteDatabase
    private let insert: SQLiteStatement
    private let updateHead: SQLiteStatement
    /// The last committed record (0 and the genesis hash when empty).
    private(set) var headSeq: Int64
    private(set) var headHash: [UInt8]
    /// One digest context for every record hashed.
    private var hasher = SHA256Hasher()

    /// Opens the store at `path`, creating it when the file does not exist.
    init(path: String, busyTimeoutMilliseconds: Int32 = 5000) throws(AuditError) {
        self.path = path
        db = try SQLiteDatabase(path: path, readOnly: false)
        db.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        do throws(AuditError) {
            try db.execute(AuditSchema.writerPragmas)
        } catch {
            // "file is not a database" shows up at the first statement.
            throw .notAnAuditStore(path: path, reason: db.lastMessage)
        }
        try db.execute("BEGIN IMMEDIATE")
        do throws(AuditError) {
            // Never add audit tables to someone else's database.
            let tables = try db.prepare(AuditSchema.countTables)
            _ = try tables.step()
            let meta = try db.prepare(AuditSchema.hasTable)
            meta.bind(1, "audit_meta")
            _ = try meta.step()
            if tables.int64(0) > 0 && meta.int64(0) == 0 {
                throw AuditError.notAnAuditStore(path: path, reason: "it is a database without an `audit_meta` table")
            }
            try db.execute(AuditSchema.create)
            let format = try db.prepare(AuditSchema.selectFormat)
            guard try format.step(), format.text(0) == AuditSchema.format else {
                throw AuditError.notAnAuditStore(path: path, reason: "its format is not `\(AuditSchema.format)`")
            }
            (headSeq, headHash) = try Self.checkedHead(db, path: path)
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
        insert = try db.prepare(AuditSchema.insertRecord)
        updateHead = try db.prepare(AuditSchema.updateHead)
    }

    /// The head, after checking that it names the last record.
    private static func checkedHead(_ db: SQLiteDatabase, path: String) throws(AuditError) -> (Int64, [UInt8]) {
        let head = try db.prepare(AuditSchema.selectHead)
        guard try head.step() else { throw .inconsistentStore(path: path, reason: "its head row is missing") }
        let seq = head.int64(0)
        let hash = head.bytes(1)
        let last = try db.prepare(AuditSchema.selectLast)
        let (lastSeq, lastHash) = try last.step() ? (last.int64(0), last.bytes(1)) : (0, AuditChain.genesisHash)
        guard seq == lastSeq, hash == lastHash else {
            throw .inconsistentStore(
                path: path,
                reason: "its head names record \(seq) but its last record is \(lastSeq)"
                    + (seq == lastSeq ? " with a different hash" : ""))
        }
        return (seq, hash)
    }

    /// Appends `records` as seq `headSeq + 1` onwards in one transaction;
    /// on failure nothing is stored and the head is unchanged.
    func append(_ records: [AuditRecord]) throws(AuditError) {
        guard !records.isEmpty else { return }
        var seq = headSeq
        var prev = headHash
        var hash = [UInt8](repeating: 0, count: 32)
        try db.execute("BEGIN IMMEDIATE")
        do throws(AuditError) {
            for record in records {
                seq += 1
                AuditChain.hash(
                    prev: prev, seq: seq, kind: record.kind.rawValue, timestamp: record.timestamp,
                    payload: record.payload, hasher: &hasher, into: &hash)
                insert.bind(1, seq)
                insert.bind(2, record.kind.rawValue)
                insert.bind(3, record.timestamp)
                insert.bind(4, record.payload)
                insert.bind(5, prev)
                insert.bind(6, hash)
                defer { insert.reset() }
                _ = try insert.step()
                swap(&prev, &hash)
            }
            updateHead.bind(1, seq)
            updateHead.bind(2, prev)
            defer { updateHead.reset() }
            _ = try updateHead.step()
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
        headSeq = seq
        headHash = prev
    }

    /// Finalizes the statements and closes the connection, so no lock or
    /// handle outlives the store.
    func close() {
        insert.finalize()
        updateHead.finalize()
        db.close()
    }
}
