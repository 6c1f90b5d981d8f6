/// Helpers for the audit tests: temporary stores, sample records, and raw SQL
/// access to a store file that plays the attacker (triggers dropped).
import Foundation
import Testing

@testable import WritAudit

/// A fresh temporary directory, removed when the value goes away.
final class TempDir {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("writ-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

enum Sample {
    /// Record `i` (from 1): kinds in turn, a fixed timestamp per i, a payload naming i.
    static func record(_ i: Int) -> AuditRecord {
        let kinds = AuditKind.allCases
        return AuditRecord(
            kind: kinds[(i - 1) % kinds.count],
            timestamp: AuditTimestamp.format(unixNanoseconds: 1_800_000_000_000_000_000 + Int64(i) * 1_000),
            payload: Array("{\"n\":\(i)}".utf8))
    }

    /// A store at `path` with records 1...count, written through the writer.
    static func store(at path: String, count: Int, capacity: Int = 64) throws {
        let writer = try AuditWriter(path: path, capacity: capacity)
        for i in 1...count { try writer.append(record(i)) }
        try writer.close()
    }
}

/// A raw connection to a store file: what an attacker with file access can do.
struct Attacker {
    let db: SQLiteDatabase

    init(_ path: String) throws {
        db = try SQLiteDatabase(path: path, readOnly: false)
        db.setBusyTimeout(milliseconds: 10_000)
    }

    func sql(_ text: String) throws { try db.execute(text) }

    func dropTriggers() throws {
        try sql(
            """
            DROP TRIGGER records_no_update; DROP TRIGGER records_no_delete; DROP TRIGGER records_in_sequence;
            DROP TRIGGER head_no_delete; DROP TRIGGER head_names_last_record;
            """)
    }

    func record(_ seq: Int64) throws -> StoredAuditRecord? {
        let q = try db.prepare("SELECT seq, kind, ts, payload, prev_hash, hash FROM records WHERE seq = ?1")
        q.bind(1, seq)
        guard try q.step() else { return nil }
        return StoredAuditRecord(
            seq: q.int64(0), kind: q.text(1), timestamp: q.text(2), payload: q.bytes(3), prevHash: q.bytes(4),
            hash: q.bytes(5))
    }

    func allRecords() throws -> [StoredAuditRecord] {
        let q = try db.prepare("SELECT seq, kind, ts, payload, prev_hash, hash FROM records ORDER BY seq")
        var out: [StoredAuditRecord] = []
        while try q.step() {
            out.append(
                StoredAuditRecord(
                    seq: q.int64(0), kind: q.text(1), timestamp: q.text(2), payload: q.bytes(3), prevHash: q.bytes(4),
                    hash: q.bytes(5)))
        }
        return out
    }

    /// Replaces the row at `seq` by `record`'s fields (kept at position `seq`).
    func overwrite(_ seq: Int64, with record: StoredAuditRecord) throws {
        let q = try db.prepare(
            "UPDATE records SET kind = ?2, ts = ?3, payload = ?4, prev_hash = ?5, hash = ?6 WHERE seq = ?1")
        q.bind(1, seq)
        q.bind(2, record.kind)
        q.bind(3, record.timestamp)
        q.bind(4, record.payload)
        q.bind(5, record.prevHash)
        q.bind(6, record.hash)
        _ = try q.step()
    }

    func setHead(seq: Int64, hash: [UInt8]) throws {
        let q = try db.prepare("UPDATE head SET seq = ?1, hash = ?2 WHERE id = 1")
        q.bind(1, seq)
        q.bind(2, hash)
        _ = try q.step()
    }

    func count(_ sqlText: String) throws -> Int64 {
        let q = try db.prepare(sqlText)
        _ = try q.step()
        return q.int64(0)
    }
}
