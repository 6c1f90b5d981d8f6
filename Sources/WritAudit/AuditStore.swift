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
    private let insertMany: SQLiteStatement
    private let updateHead: SQLiteStatement
    /// The last committed record (0 and the genesis hash when empty).
    private(set) var headSeq: Int64
    private(set) var headHash: [UInt8]
    /// One digest context for every record hashed.
    private var hasher = SHA256Hasher()
    /// The hashes of the batch being written (reused from batch to batch).
    private var hashes: [UInt8] = []

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
        insertMany = try db.prepare(AuditSchema.insertRecords)
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
        var batch = AuditBatch()
        for record in records {
            var ts = record.timestamp
            ts.withUTF8 { t in
                record.payload.withUnsafeBytes { p in
                    batch.append(
                        kind: record.kind, timestamp: UnsafeRawBufferPointer(t), payload: p,
                        suffix: UnsafeRawBufferPointer(start: nil, count: 0))
                }
            }
        }
        try append(batch)
    }

    /// Appends the records of `batch` as seq `headSeq + 1` onwards in one
    /// transaction: hashes them all (one reused context, bytes read in
    /// place), inserts them `AuditSchema.rowsPerInsert` rows per statement
    /// with the bytes bound in place, and moves the head from the old last
    /// record to the new one — which must change exactly one row. On failure
    /// nothing is stored and the head is unchanged.
    func append(_ batch: AuditBatch) throws(AuditError) {
        let n = batch.count
        guard n > 0 else { return }
        // hashes[32 i ..< 32 (i + 1)] is the hash of record headSeq + i (i = 0: the old head).
        if hashes.count < 32 * (n + 1) { hashes = [UInt8](repeating: 0, count: 32 * (n + 1)) }
        let first = headSeq + 1
        let result: Result<Void, AuditError> = batch.bytes.withUnsafeBytes { bytes in
            hashes.withUnsafeMutableBytes { out in
                headHash.withUnsafeBytes { out.copyMemory(from: $0) }
                for (i, entry) in batch.entries.enumerated() {
                    let prev = UnsafeRawBufferPointer(rebasing: out[32 * i ..< 32 * i + 32])
                    hasher.update(prev)
                    hasher.update(littleEndian: UInt64(bitPattern: first + Int64(i)))
                    let kind = entry.kind.staticName
                    hasher.update(UnsafeRawBufferPointer(start: kind.utf8Start, count: kind.utf8CodeUnitCount))
                    withUnsafeBytes(of: UInt8(0)) { hasher.update($0) }
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[entry.start ..< entry.start + entry.timestampCount]))
                    withUnsafeBytes(of: UInt8(0)) { hasher.update($0) }
                    let p = entry.start + entry.timestampCount
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[p ..< p + entry.payloadCount]))
                    hasher.finalize(into: out.baseAddress! + 32 * (i + 1))
                }
            }
            return hashes.withUnsafeBytes { digests in
                Result { () throws(AuditError) in try insert(batch, bytes: bytes, digests: digests, first: first) }
            }
        }
        try result.get()
        headSeq += Int64(n)
        headHash = Array(hashes[32 * n ..< 32 * n + 32])
    }

    /// The transaction of `append(_:)`, with the bytes and hashes in place.
    private func insert(
        _ batch: AuditBatch, bytes: UnsafeRawBufferPointer, digests: UnsafeRawBufferPointer, first: Int64
    ) throws(AuditError) {
        // A zero-length value still binds as a blob or text (never NULL): give it an address.
        let base = bytes.baseAddress ?? digests.baseAddress!
        func bind(_ statement: SQLiteStatement, row: Int, at offset: Int32) {
            let entry = batch.entries[row]
            let kind = entry.kind.staticName
            statement.bind(offset + 1, first + Int64(row))
            statement.bindStatic(text: kind.utf8Start, count: kind.utf8CodeUnitCount, at: offset + 2)
            statement.bindStatic(text: base + entry.start, count: entry.timestampCount, at: offset + 3)
            statement.bindStatic(
                blob: base + entry.start + entry.timestampCount, count: entry.payloadCount, at: offset + 4)
            statement.bindStatic(blob: digests.baseAddress! + 32 * row, count: 32, at: offset + 5)
            statement.bindStatic(blob: digests.baseAddress! + 32 * (row + 1), count: 32, at: offset + 6)
        }
        let n = batch.count
        let width = AuditSchema.rowsPerInsert
        try db.execute("BEGIN IMMEDIATE")
        do throws(AuditError) {
            var row = 0
            while n - row >= width {
                for r in 0..<width { bind(insertMany, row: row + r, at: Int32(6 * r)) }
                defer { insertMany.resetKeepingBindings() }
                _ = try insertMany.step()
                row += width
            }
            while row < n {
                bind(insert, row: row, at: 0)
                defer { insert.resetKeepingBindings() }
                _ = try insert.step()
                row += 1
            }
            updateHead.bind(1, first + Int64(n) - 1)
            updateHead.bindStatic(blob: digests.baseAddress! + 32 * n, count: 32, at: 2)
            updateHead.bind(3, first - 1)
            defer { updateHead.resetKeepingBindings() }
            _ = try updateHead.step()
            guard db.changes == 1 else {
                throw AuditError.sqlite(
                    path: path, operation: "move the head to record \(first + Int64(n) - 1)",
                    message: "the head no longer names record \(first - 1): another process appended to the store")
            }
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// Finalizes the statements and closes the connection, so no lock or
    /// handle outlives the store.
    func close() {
        insert.finalize()
        insertMany.finalize()
        updateHead.finalize()
        db.close()
    }
}
