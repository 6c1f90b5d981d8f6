/// Reading an audit store's records in order, for the report generators.
/// Reads in one transaction, so it sees a consistent prefix of the trail
/// while a writer appends. It does not verify the chain: run
/// `AuditVerifier` first when that matters (`writ report` does).

/// Reads audit stores.
public enum AuditReader {
    /// Calls `body` with every record, in sequence order.
    public static func forEach(
        path: String, _ body: (StoredAuditRecord) throws(AuditError) -> Void
    ) throws(AuditError) {
        let db = try SQLiteDatabase(path: path, readOnly: true)
        defer { db.close() }
        do {
            try db.execute("BEGIN")
        } catch {
            throw .notAnAuditStore(path: path, reason: db.lastMessage)
        }
        defer { try? db.execute("COMMIT") }
        let all: SQLiteStatement
        do { all = try db.prepare(AuditSchema.selectAll) } catch {
            throw .notAnAuditStore(path: path, reason: db.lastMessage)
        }
        while try all.step() {
            try body(
                StoredAuditRecord(
                    seq: all.int64(0), kind: all.text(1), timestamp: all.text(2), payload: all.bytes(3),
                    prevHash: all.bytes(4), hash: all.bytes(5)))
        }
    }
}
