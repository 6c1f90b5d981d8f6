/// Recomputes an audit store's hash chain from the first record and names
/// the first record where it breaks: edited (hash mismatch), moved
/// (reordered), deleted (gap in seq), cut off at the end (head check), or
/// rewritten (anchor check). Reads in one transaction, so it can run while
/// a writer appends.

import WritCrypto

/// Checks audit stores.
public enum AuditVerifier {
    /// Verifies the store at `path`, optionally against an `anchor` recorded
    /// elsewhere earlier. Chain problems are in the result; only a file that
    /// cannot be read as an audit store throws.
    public static func verify(path: String, anchor: AuditAnchor? = nil) throws(AuditError) -> VerifyResult {
        let db = try SQLiteDatabase(path: path, readOnly: true)
        defer { db.close() }
        do {
            try db.execute("BEGIN")
        } catch {
            throw .notAnAuditStore(path: path, reason: db.lastMessage)
        }
        defer { try? db.execute("COMMIT") }
        for table in ["records", "head"] {
            let check: SQLiteStatement
            do {
                check = try db.prepare(AuditSchema.hasTable)
                check.bind(1, table)
                _ = try check.step()
            } catch {
                throw .notAnAuditStore(path: path, reason: db.lastMessage)
            }
            guard check.int64(0) == 1 else { throw .notAnAuditStore(path: path, reason: "it has no `\(table)` table") }
        }

        var result = VerifyResult(
            path: path, recordCount: 0, lastSeq: 0, lastHash: AuditChain.genesisHash, head: nil, firstBreak: nil)
        let countQuery = try db.prepare("SELECT count(*) FROM records")
        _ = try countQuery.step()
        result.recordCount = Int(countQuery.int64(0))
        let headQuery = try db.prepare(AuditSchema.selectHead)
        if try headQuery.step() { result.head = AuditAnchor(seq: headQuery.int64(0), hash: headQuery.bytes(1)) }

        // Pass 1: stream the records in seq order; stop at the first break.
        // The common case (the record follows and verifies) reads SQLite's
        // buffers in place and hashes with one reused context; anything
        // else takes the full path below, which names the break.
        let all = try db.prepare(AuditSchema.selectAll)
        var previous: (seq: Int64, hash: [UInt8]) = (0, AuditChain.genesisHash)
        var anchorChecked = false
        var hasher = SHA256Hasher()
        var digest = [UInt8](repeating: 0, count: 32)
        var fastCount: Int64 = 0
        let headSeq = result.head?.seq ?? Int64.max
        while try all.step() {
            let seq = all.int64(0)
            if seq == previous.seq + 1, seq <= headSeq, anchor?.seq != seq,
                AuditChain.verifies(all, seq: seq, previous: previous.hash, hasher: &hasher, digest: &digest)
            {
                let stored = all.raw(5)
                previous.seq = seq
                previous.hash.withUnsafeMutableBytes { $0.copyMemory(from: stored) }
                fastCount += 1
                continue
            }
            if fastCount > 0 {
                result.lastSeq = previous.seq
                result.lastHash = previous.hash
                fastCount = 0
            }
            let record = read(all)
            if record.seq <= previous.seq {
                result.firstBreak = ChainBreak(seq: record.seq, kind: record.kind, reason: .invalidSeq)
                break
            }
            if record.seq != previous.seq + 1 {
                result.firstBreak = ChainBreak(
                    seq: previous.seq + 1, kind: nil, reason: .missing(through: record.seq - 1))
                break
            }
            if record.computedHash() != record.hash {
                let original = try originalSeq(of: record, in: db, depth: 16)
                let reason: ChainBreakReason =
                    original.map { $0 != record.seq ? .reordered(writtenAs: $0) : .hashMismatch } ?? .hashMismatch
                result.firstBreak = ChainBreak(seq: record.seq, kind: record.kind, reason: reason)
                break
            }
            if record.prevHash != previous.hash {
                result.firstBreak = ChainBreak(
                    seq: record.seq, kind: record.kind, reason: .prevHashMismatch(previous: previous.seq))
                break
            }
            if let anchor, anchor.seq == record.seq {
                anchorChecked = true
                if anchor.hash != record.hash {
                    result.firstBreak = ChainBreak(seq: record.seq, kind: record.kind, reason: .anchorMismatch)
                    break
                }
            }
            if let head = result.head, record.seq > head.seq {
                result.firstBreak = ChainBreak(
                    seq: record.seq, kind: record.kind, reason: .afterHead(headSeq: head.seq))
                break
            }
            previous = (record.seq, record.hash)
            result.lastSeq = record.seq
            result.lastHash = record.hash
        }
        if fastCount > 0 {
            result.lastSeq = previous.seq
            result.lastHash = previous.hash
        }
        if result.firstBreak != nil { return result }

        // Pass 2: the end of the chain against the head and the anchor.
        guard let head = result.head else {
            result.firstBreak = ChainBreak(seq: result.lastSeq, kind: nil, reason: .headMissing)
            return result
        }
        if let anchor, !anchorChecked, anchor.seq > result.lastSeq {
            result.firstBreak = ChainBreak(
                seq: result.lastSeq + 1, kind: nil, reason: .anchorMissing(anchorSeq: anchor.seq))
            return result
        }
        if head.seq > result.lastSeq {
            result.firstBreak = ChainBreak(seq: result.lastSeq + 1, kind: nil, reason: .missingAtEnd(through: head.seq))
        } else if head.hash != result.lastHash {
            let kind = try kindOf(seq: result.lastSeq, in: db)
            result.firstBreak = ChainBreak(seq: result.lastSeq, kind: kind, reason: .headMismatch)
        }
        return result
    }

    static func read(_ row: SQLiteStatement) -> StoredAuditRecord {
        StoredAuditRecord(
            seq: row.int64(0), kind: row.text(1), timestamp: row.text(2), payload: row.bytes(3),
            prevHash: row.bytes(4), hash: row.bytes(5))
    }

    /// How far from its position a moved record is searched for by trying
    /// each seq (when the record its `prev_hash` names cannot tell).
    static let searchWindow: Int64 = 1024

    /// The seq at which `record`'s stored hash verifies: found through the
    /// record its `prev_hash` names (following moved records up to `depth`
    /// steps), else by trying the seqs within `searchWindow` of its position;
    /// `nil` when its hash verifies at none of them.
    private static func originalSeq(of record: StoredAuditRecord, in db: SQLiteDatabase, depth: Int) throws(AuditError)
        -> Int64?
    {
        if let candidate = try seqAfterPredecessor(of: record, in: db, depth: depth),
            record.computedHash(atSeq: candidate) == record.hash
        {
            return candidate
        }
        let low = max(1, record.seq - searchWindow)
        let high = record.seq.addingReportingOverflow(searchWindow).overflow ? Int64.max : record.seq + searchWindow
        guard low <= high else { return nil }
        return (low...high).first { record.computedHash(atSeq: $0) == record.hash }
    }

    /// One more than the original seq of the record whose hash is `record.prevHash`.
    private static func seqAfterPredecessor(of record: StoredAuditRecord, in db: SQLiteDatabase, depth: Int)
        throws(AuditError) -> Int64?
    {
        if record.prevHash == AuditChain.genesisHash { return 1 }
        let query = try db.prepare(AuditSchema.selectByHash)
        query.bind(1, record.prevHash)
        guard try query.step() else { return nil }
        let predecessor = read(query)
        if predecessor.computedHash() == predecessor.hash { return predecessor.seq + 1 }
        guard depth > 0, let moved = try originalSeq(of: predecessor, in: db, depth: depth - 1) else { return nil }
        return moved + 1
    }

    private static func kindOf(seq: Int64, in db: SQLiteDatabase) throws(AuditError) -> String? {
        let query = try db.prepare("SELECT kind FROM records WHERE seq = ?1")
        query.bind(1, seq)
        return try query.step() ? query.text(0) : nil
    }
}
