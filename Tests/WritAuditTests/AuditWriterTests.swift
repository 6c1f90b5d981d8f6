/// The writer: 1,000 records through a small bounded queue, the exact hash
/// definition, durability after flush, reopening, concurrent appenders,
/// the append-only triggers, and failures that are reported, never hidden.
import Foundation
import Testing
import WritCrypto

@testable import WritAudit

@Suite struct AuditWriterTests {
    @Test func thousandRecordsThroughTheWriterVerify() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        let writer = try AuditWriter(path: path, capacity: 16)
        var seqs: [Int64] = []
        for i in 1...1000 { seqs.append(try writer.append(Sample.record(i))) }
        #expect(seqs == Array(1...1000))
        try writer.flush()
        #expect(writer.durableSequence == 1000)
        #expect(writer.queueHighWater <= 16)
        try writer.close()

        let result = try AuditVerifier.verify(path: path)
        #expect(result.isIntact)
        #expect(result.recordCount == 1000)
        #expect(result.lastSeq == 1000)
        #expect(result.head?.seq == 1000)
        #expect(result.head?.hash == result.lastHash)
        #expect(result.description.hasPrefix("audit trail `\(path)` is intact: 1000 records, last record 1000, hash `"))
        #expect(result.help == nil)
    }

    @Test func hashDefinitionIsExactlyAsDocumented() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        try Sample.store(at: path, count: 3)
        let rows = try Attacker(path).allRecords()
        var prev = [UInt8](repeating: 0, count: 32)
        for (i, row) in rows.enumerated() {
            let r = Sample.record(i + 1)
            var seqLE = [UInt8](repeating: 0, count: 8)
            for b in 0..<8 { seqLE[b] = UInt8(truncatingIfNeeded: UInt64(i + 1) >> (8 * UInt64(b))) }
            let preimage = prev + seqLE + Array(r.kind.rawValue.utf8) + [0] + Array(r.timestamp.utf8) + [0] + r.payload
            #expect(row.seq == Int64(i + 1))
            #expect(row.kind == r.kind.rawValue && row.timestamp == r.timestamp && row.payload == r.payload)
            #expect(row.prevHash == prev)
            #expect(row.hash == SHA256.hash(preimage))
            prev = row.hash
        }
        #expect(rows.count == 3)
    }

    @Test func documentedHashVectors() {
        // The two worked examples of docs/audit.md (computed independently with Python's hashlib).
        let h1 = AuditChain.hash(
            prev: AuditChain.genesisHash, seq: 1, kind: "decision", timestamp: "2026-11-28T17:34:40.123456789Z",
            payload: Array(#"{"order":"A-1","verdict":"accept"}"#.utf8))
        #expect(Hex.encode(h1) == "159ad01b839f015bb4ef8b2040be765317c13b7fbdefe2f58361b13d38681afb")
        let h2 = AuditChain.hash(
            prev: h1, seq: 2, kind: "fill", timestamp: "2026-11-28T17:34:40.223456789Z", payload: [])
        #expect(Hex.encode(h2) == "61a2cb44c3fb37a9db3b88d894a34690f51de0af13eee0bcb1d46727a16f1877")
    }

    @Test func flushMakesEverythingDurableAndVisibleToOtherConnections() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        let writer = try AuditWriter(path: path, capacity: 8)
        for i in 1...50 { try writer.append(Sample.record(i)) }
        try writer.flush()
        #expect(writer.durableSequence == 50)
        // Another connection sees all 50 while the writer is still open.
        #expect(try Attacker(path).count("SELECT count(*) FROM records") == 50)
        #expect(try AuditVerifier.verify(path: path).isIntact)
        let seq = try writer.append(Sample.record(51))
        try writer.flush()
        #expect(seq == 51 && writer.durableSequence == 51)
        try writer.close()
    }

    @Test func reopeningContinuesTheChain() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        try Sample.store(at: path, count: 10)
        let writer = try AuditWriter(path: path)
        #expect(writer.durableSequence == 10)
        for i in 11...20 { #expect(try writer.append(Sample.record(i)) == Int64(i)) }
        try writer.close()
        let result = try AuditVerifier.verify(path: path)
        #expect(result.isIntact && result.recordCount == 20)
    }

    @Test func concurrentAppendersKeepOneChain() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        let writer = try AuditWriter(path: path, capacity: 4)
        let seqsByThread = Locked([[Int64]](repeating: [], count: 4))
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            var mine: [Int64] = []
            for i in 0..<250 {
                let record = AuditRecord(kind: .decision, timestamp: "t\(t)", payload: Array("\(t)/\(i)".utf8))
                mine.append((try? writer.append(record)) ?? -1)
            }
            seqsByThread.update { $0[t] = mine }
        }
        try writer.close()
        let all = seqsByThread.value.flatMap { $0 }
        #expect(Set(all) == Set(1...1000))
        for mine in seqsByThread.value { #expect(mine == mine.sorted()) }
        #expect(writer.queueHighWater <= 4)
        let result = try AuditVerifier.verify(path: path)
        #expect(result.isIntact && result.recordCount == 1000)
        // Each thread's records are stored in its own order.
        let rows = try Attacker(path).allRecords()
        for t in 0..<4 {
            let mine = rows.filter { $0.timestamp == "t\(t)" }.map { String(decoding: $0.payload, as: UTF8.self) }
            #expect(mine == (0..<250).map { "\(t)/\($0)" })
        }
    }

    @Test func appendAfterCloseIsRefused() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        let writer = try AuditWriter(path: path)
        try writer.append(Sample.record(1))
        try writer.close()
        try writer.close()  // a second close does nothing
        #expect(throws: AuditError.writerClosed(path: path)) { try writer.append(Sample.record(2)) }
        #expect(try AuditVerifier.verify(path: path).recordCount == 1)
    }

    @Test func timestampWithNULIsRefused() throws {
        let dir = try TempDir()
        let writer = try AuditWriter(path: dir.path("audit.db"))
        let bad = AuditRecord(kind: .fill, timestamp: "2026\u{0}x", payload: [])
        #expect(throws: AuditError.invalidRecord(reason: "the timestamp contains a NUL byte")) {
            try writer.append(bad)
        }
        try writer.close()
    }

    @Test func emptyPayloadIsStoredAsABlob() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        let writer = try AuditWriter(path: path)
        try writer.append(AuditRecord(kind: .killSwitch, timestamp: AuditTimestamp.now(), payload: []))
        try writer.close()
        #expect(try AuditVerifier.verify(path: path).isIntact)
        #expect(try Attacker(path).count("SELECT count(*) FROM kill_switches WHERE typeof(payload) = 'blob'") == 1)
    }

    @Test func viewsShowOneKindEach() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        try Sample.store(at: path, count: 60)
        let attacker = try Attacker(path)
        for kind in AuditKind.allCases {
            #expect(try attacker.count("SELECT count(*) FROM \(kind.viewName)") == 10, "\(kind.viewName)")
        }
    }

    @Test func storeIsInWALModeWithFullSync() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        try Sample.store(at: path, count: 1)
        let q = try Attacker(path).db.prepare("PRAGMA journal_mode")
        _ = try q.step()
        #expect(q.text(0) == "wal")
    }

    @Test func triggersForbidUpdateDeleteAndOutOfSequenceInserts() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        try Sample.store(at: path, count: 5)
        let attacker = try Attacker(path)
        func refused(_ sql: String, _ message: String) {
            do {
                try attacker.sql(sql)
                Issue.record("allowed: \(sql)")
            } catch {
                #expect("\(error)".contains(message), "\(sql): \(error)")
            }
        }
        refused("UPDATE records SET payload = x'00' WHERE seq = 3", "append-only: UPDATE is forbidden")
        refused("DELETE FROM records WHERE seq = 5", "append-only: DELETE is forbidden")
        refused("INSERT INTO records VALUES (9, 'fill', 't', x'', zeroblob(32), zeroblob(32))", "appended in sequence")
        // Record 6 that does not chain to record 5: the row is accepted on its
        // own, but the head cannot move over it, so its transaction fails.
        refused(
            """
            BEGIN; INSERT INTO records VALUES (6, 'fill', 't', x'', zeroblob(32), zeroblob(32));
            UPDATE head SET seq = 6, hash = zeroblob(32) WHERE id = 1;
            """, "head must name the last record")
        try attacker.sql("ROLLBACK")
        refused(
            "INSERT OR REPLACE INTO records VALUES (3, 'fill', 't', x'', zeroblob(32), zeroblob(32))",
            "appended in sequence")
        refused("DELETE FROM head", "head cannot be deleted")
        refused("UPDATE head SET seq = 4", "head must name the last record")
        refused("UPDATE head SET seq = 5, hash = zeroblob(32)", "head must name the last record")
        refused(
            "INSERT INTO records SELECT 6, 'bogus', 't', x'', hash, zeroblob(32) FROM records WHERE seq = 5",
            "CHECK constraint failed")
        #expect(try AuditVerifier.verify(path: path).isIntact)
    }

    @Test func batchesWiderThanOneInsertStatementAreStoredAndChainedExactly() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        // 3 full multi-row statements and 5 single rows, then a batch of 1; payloads of 0 to 300 bytes.
        let records = (1...(3 * AuditSchema.rowsPerInsert + 6)).map { i in
            AuditRecord(
                kind: AuditKind.allCases[i % AuditKind.allCases.count],
                timestamp: i % 7 == 0 ? "" : AuditTimestamp.format(unixNanoseconds: Int64(i) * 1_000_000_007),
                payload: (0..<(i * 37 % 301)).map { UInt8(truncatingIfNeeded: $0 &* i) })
        }
        let store = try AuditStore(path: path)
        try store.append(Array(records.dropLast()))
        try store.append([records.last!])
        store.close()
        let stored = try Attacker(path).allRecords()
        #expect(stored.count == records.count)
        var prev = AuditChain.genesisHash
        for (i, (record, row)) in zip(records, stored).enumerated() {
            let seq = Int64(i + 1)
            let expected = AuditChain.hash(
                prev: prev, seq: seq, kind: record.kind.rawValue, timestamp: record.timestamp, payload: record.payload)
            #expect(
                row == StoredAuditRecord(
                    seq: seq, kind: record.kind.rawValue, timestamp: record.timestamp, payload: record.payload,
                    prevHash: prev, hash: expected), "record \(seq)")
            prev = expected
        }
        let result = try AuditVerifier.verify(path: path)
        #expect(result.isIntact && result.lastSeq == Int64(records.count))
    }

    @Test func appendingBytesStoresPayloadThenSuffix() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        let writer = try AuditWriter(path: path)
        let ts = Array("2026-11-28T17:34:40.123456789Z".utf8)
        let seq = try ts.withUnsafeBytes { t in
            try Array("{\"a\":".utf8).withUnsafeBytes { p in
                try Array("1}".utf8).withUnsafeBytes { s in try writer.append(kind: .fill, timestamp: t, payload: p, suffix: s) }
            }
        }
        #expect(seq == 1)
        #expect(throws: AuditError.invalidRecord(reason: "the timestamp contains a NUL byte")) {
            try [UInt8(0)].withUnsafeBytes { t in try writer.append(kind: .fill, timestamp: t, payload: t) }
        }
        try writer.close()
        let row = try #require(try Attacker(path).record(1))
        #expect(row.kind == "fill" && row.timestamp == "2026-11-28T17:34:40.123456789Z")
        #expect(String(decoding: row.payload, as: UTF8.self) == "{\"a\":1}")
        #expect(try AuditVerifier.verify(path: path).isIntact)
    }

    @Test func aBatchIsRolledBackWhenTheHeadMovedUnderTheWriter() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        let writer = try AuditWriter(path: path, capacity: 8)
        try writer.append(Sample.record(1))
        try writer.flush()
        // Someone with the triggers out of the way sets the head back; the
        // writer's next batch must not move a head that no longer names its last record.
        let attacker = try Attacker(path)
        try attacker.dropTriggers()
        try attacker.sql("UPDATE head SET seq = 0, hash = zeroblob(32)")
        try writer.append(Sample.record(2))
        do {
            try writer.flush()
            Issue.record("the batch was committed over a moved head")
        } catch {
            guard case .writerFailed(.sqlite(path, _, let message), 1) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(message.contains("the head no longer names record 1"))
        }
        #expect(try attacker.count("SELECT count(*) FROM records") == 1)
    }

    @Test func aStoreOfAnotherFormatIsNotAppendedTo() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        try Sample.store(at: path, count: 2)
        try Attacker(path).sql("UPDATE audit_meta SET value = 'writ-audit-1' WHERE key = 'format'")
        #expect(throws: AuditError.notAnAuditStore(path: path, reason: "its format is not `writ-audit-2`")) {
            _ = try AuditWriter(path: path)
        }
        // The verifier reads it all the same.
        #expect(try AuditVerifier.verify(path: path).isIntact)
    }

    @Test func writerRefusesAStoreWhoseHeadDisagrees() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        try Sample.store(at: path, count: 5)
        let attacker = try Attacker(path)
        try attacker.dropTriggers()
        try attacker.sql("DELETE FROM records WHERE seq = 5")
        #expect(
            throws: AuditError.inconsistentStore(path: path, reason: "its head names record 5 but its last record is 4")
        ) {
            _ = try AuditWriter(path: path)
        }
    }

    @Test func aForeignFileIsNotAnAuditStore() throws {
        let dir = try TempDir()
        let path = dir.path("notes.txt")
        try "just some text, long enough to look like a file header of some kind....................................."
            .write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try AuditWriter(path: path)
            Issue.record("opened a text file as an audit store")
        } catch {
            guard case .notAnAuditStore(path, _) = error else { Issue.record("unexpected \(error)"); return }
        }
        do {
            _ = try AuditVerifier.verify(path: path)
            Issue.record("verified a text file")
        } catch {
            guard case .notAnAuditStore(path, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.hasPrefix("`\(path)` is not a writ audit store: "))
        }
        // A SQLite database of something else.
        let other = dir.path("other.db")
        try Attacker(other).sql("CREATE TABLE t (x)")
        #expect(throws: AuditError.notAnAuditStore(path: other, reason: "it has no `records` table")) {
            _ = try AuditVerifier.verify(path: other)
        }
        // The writer leaves someone else's database alone.
        #expect(
            throws: AuditError.notAnAuditStore(path: other, reason: "it is a database without an `audit_meta` table")
        ) {
            _ = try AuditWriter(path: other)
        }
        #expect(try Attacker(other).count("SELECT count(*) FROM sqlite_master") == 1)
    }

    @Test func verifyingAMissingFileSaysSo() {
        #expect(throws: AuditError.cannotOpen(path: "/nonexistent/audit.db", reason: "no such file or directory")) {
            _ = try AuditVerifier.verify(path: "/nonexistent/audit.db")
        }
    }

    @Test func aFailedBatchIsReportedAndLaterAppendsAreRefused() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        let writer = try AuditWriter(path: path, capacity: 8, busyTimeoutMilliseconds: 1)
        try writer.append(Sample.record(1))
        try writer.flush()
        // Another connection holds the write lock, so the next batch cannot commit.
        let blocker = try Attacker(path)
        try blocker.sql("BEGIN IMMEDIATE")
        try writer.append(Sample.record(2))
        do {
            try writer.flush()
            Issue.record("flush succeeded while the database was locked")
        } catch {
            guard case .writerFailed(.sqlite(path, _, _), 1) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.description.hasPrefix("the audit writer stopped after record 1: "))
        }
        try blocker.sql("ROLLBACK")
        #expect(writer.durableSequence == 1)
        #expect(throws: (any Error).self) { try writer.append(Sample.record(3)) }
        #expect(throws: (any Error).self) { try writer.close() }
        // What was committed is intact.
        let result = try AuditVerifier.verify(path: path)
        #expect(result.isIntact && result.recordCount == 1)
    }

    @Test func timestampFormat() {
        #expect(AuditTimestamp.format(unixNanoseconds: 0) == "1970-01-01T00:00:00.000000000Z")
        #expect(AuditTimestamp.format(unixNanoseconds: 1_795_887_280_123_456_789) == "2026-11-28T17:34:40.123456789Z")
        #expect(AuditTimestamp.format(unixNanoseconds: -1) == "1969-12-31T23:59:59.999999999Z")
        #expect(AuditTimestamp.now().count == 30)
    }
}

/// A value behind a lock, for collecting results from several threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
