/// Tampering with a store of 1,000 records as an attacker with file access
/// would (triggers dropped, raw SQL): the verifier names the first broken
/// record, its kind and why; and what the chain alone cannot see (a cut-off
/// tail with the head rewritten, a rewritten chain) is caught by an anchor.
import Testing
import WritCrypto

@testable import WritAudit

@Suite struct AuditTamperTests {
    /// A fresh store of 1,000 records and an attacker connection to it.
    static func tamperedStore(_ attack: (Attacker) throws -> Void) throws -> (VerifyResult, TempDir) {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        try Sample.store(at: path, count: 1000)
        let attacker = try Attacker(path)
        try attacker.dropTriggers()
        try attack(attacker)
        attacker.db.close()
        return (try AuditVerifier.verify(path: path), dir)
    }

    static func kind(_ seq: Int) -> String { Sample.record(seq).kind.rawValue }

    @Test func untouchedStoreIsIntact() throws {
        let (result, _) = try Self.tamperedStore { _ in }
        #expect(result.isIntact && result.recordCount == 1000)
    }

    @Test func editedPayload() throws {
        let (result, _) = try Self.tamperedStore {
            try $0.sql("UPDATE records SET payload = x'7b226e223a3939397d' WHERE seq = 500")
        }
        #expect(result.firstBreak == ChainBreak(seq: 500, kind: Self.kind(500), reason: .hashMismatch))
        #expect(
            result.description.hasSuffix(
                "is broken: record 500 (`\(Self.kind(500))`): its hash does not match its contents"))
        #expect(
            result.help
                == "records before record 500 are intact; keep this file as evidence and compare it with a backup")
    }

    @Test func editedTimestampAndKind() throws {
        let (a, _) = try Self.tamperedStore {
            try $0.sql("UPDATE records SET ts = '2020-01-01T00:00:00.000000000Z' WHERE seq = 42")
        }
        #expect(a.firstBreak == ChainBreak(seq: 42, kind: Self.kind(42), reason: .hashMismatch))
        let (b, _) = try Self.tamperedStore {
            try $0.sql("UPDATE records SET kind = 'fill' WHERE seq = 43 AND kind <> 'fill'")
        }
        #expect(b.firstBreak == ChainBreak(seq: 43, kind: "fill", reason: .hashMismatch))
    }

    @Test func editedHash() throws {
        let (result, _) = try Self.tamperedStore {
            try $0.sql("UPDATE records SET hash = zeroblob(32) WHERE seq = 500")
        }
        #expect(result.firstBreak == ChainBreak(seq: 500, kind: Self.kind(500), reason: .hashMismatch))
    }

    @Test func editedPrevHash() throws {
        let (result, _) = try Self.tamperedStore {
            try $0.sql("UPDATE records SET prev_hash = zeroblob(32) WHERE seq = 700")
        }
        #expect(result.firstBreak == ChainBreak(seq: 700, kind: Self.kind(700), reason: .hashMismatch))
    }

    @Test func editedRecordWithItsHashRecomputed() throws {
        // The attacker fixes record 500's hash too: 500 is self-consistent, but 501 no longer chains to it.
        let (result, _) = try Self.tamperedStore { a in
            var r = try #require(try a.record(500))
            r.payload = Array("{\"n\":-1}".utf8)
            r.hash = r.computedHash()
            try a.overwrite(500, with: r)
        }
        #expect(
            result.firstBreak == ChainBreak(seq: 501, kind: Self.kind(501), reason: .prevHashMismatch(previous: 500)))
    }

    @Test func deletedMiddleRecord() throws {
        let (result, _) = try Self.tamperedStore { try $0.sql("DELETE FROM records WHERE seq = 500") }
        #expect(result.firstBreak == ChainBreak(seq: 500, kind: nil, reason: .missing(through: 500)))
        #expect(result.recordCount == 999)
        #expect(result.description.hasSuffix("is broken: record 500 is missing (deleted)"))
    }

    @Test func deletedRangeAndFirstRecords() throws {
        let (a, _) = try Self.tamperedStore { try $0.sql("DELETE FROM records WHERE seq BETWEEN 10 AND 19") }
        #expect(a.firstBreak == ChainBreak(seq: 10, kind: nil, reason: .missing(through: 19)))
        #expect(a.firstBreak?.description == "records 10 through 19 are missing (deleted)")
        let (b, _) = try Self.tamperedStore { try $0.sql("DELETE FROM records WHERE seq <= 3") }
        #expect(b.firstBreak == ChainBreak(seq: 1, kind: nil, reason: .missing(through: 3)))
    }

    @Test func deletedMiddleRecordAndRenumbered() throws {
        // Close the gap by moving every later record down one seq.
        let (result, _) = try Self.tamperedStore { a in
            try a.sql("DELETE FROM records WHERE seq = 500")
            try a.sql("UPDATE records SET seq = seq - 1 WHERE seq > 500")
            try a.sql("UPDATE head SET seq = 999")
        }
        // Record 501 now sits at 500: it was written as 501.
        #expect(result.firstBreak == ChainBreak(seq: 500, kind: Self.kind(501), reason: .reordered(writtenAs: 501)))
    }

    @Test func deletedLastRecordIsCaughtByTheHead() throws {
        let (result, _) = try Self.tamperedStore { try $0.sql("DELETE FROM records WHERE seq = 1000") }
        #expect(result.firstBreak == ChainBreak(seq: 1000, kind: nil, reason: .missingAtEnd(through: 1000)))
        #expect(result.firstBreak?.description == "record 1000 is missing from the end (the head names record 1000)")
        #expect(result.lastSeq == 999)
    }

    @Test func deletedTailWithTheHeadRewrittenNeedsAnAnchor() throws {
        var anchor: AuditAnchor?
        let (result, dir) = try Self.tamperedStore { a in
            let last = try #require(try a.record(1000))
            anchor = AuditAnchor(seq: 1000, hash: last.hash)  // published elsewhere before the attack
            try a.sql("DELETE FROM records WHERE seq > 990")
            let newLast = try #require(try a.record(990))
            try a.setHead(seq: 990, hash: newLast.hash)
        }
        // The chain alone cannot tell: records 1...990 and the head agree.
        #expect(result.isIntact && result.lastSeq == 990)
        // An anchor kept outside the store can.
        let published: AuditAnchor = try #require(anchor)
        let anchored = try AuditVerifier.verify(path: dir.path("audit.db"), anchor: published)
        #expect(anchored.firstBreak == ChainBreak(seq: 991, kind: nil, reason: .anchorMissing(anchorSeq: 1000)))
    }

    @Test func headEditedOrRolledBack() throws {
        let (a, _) = try Self.tamperedStore { try $0.sql("UPDATE head SET hash = zeroblob(32)") }
        #expect(a.firstBreak == ChainBreak(seq: 1000, kind: Self.kind(1000), reason: .headMismatch))
        let (b, _) = try Self.tamperedStore { try $0.sql("UPDATE head SET seq = 990") }
        #expect(b.firstBreak == ChainBreak(seq: 991, kind: Self.kind(991), reason: .afterHead(headSeq: 990)))
        let (c, _) = try Self.tamperedStore { try $0.sql("DELETE FROM head") }
        #expect(c.firstBreak?.reason == .headMissing)
    }

    @Test func swappedRecords() throws {
        let (result, _) = try Self.tamperedStore { a in
            let r5 = try #require(try a.record(5))
            let r7 = try #require(try a.record(7))
            try a.overwrite(5, with: r7)
            try a.overwrite(7, with: r5)
        }
        #expect(result.firstBreak == ChainBreak(seq: 5, kind: Self.kind(7), reason: .reordered(writtenAs: 7)))
        #expect(
            result.firstBreak?.description
                == "record 5 (`\(Self.kind(7))`): it was written as record 7 (records were reordered or renumbered)")
    }

    @Test func swappedAdjacentRecords() throws {
        let (result, _) = try Self.tamperedStore { a in
            let r10 = try #require(try a.record(10))
            let r11 = try #require(try a.record(11))
            try a.overwrite(10, with: r11)
            try a.overwrite(11, with: r10)
        }
        #expect(result.firstBreak == ChainBreak(seq: 10, kind: Self.kind(11), reason: .reordered(writtenAs: 11)))
    }

    @Test func swappedFirstRecords() throws {
        let (result, _) = try Self.tamperedStore { a in
            let r1 = try #require(try a.record(1))
            let r2 = try #require(try a.record(2))
            try a.overwrite(1, with: r2)
            try a.overwrite(2, with: r1)
        }
        #expect(result.firstBreak == ChainBreak(seq: 1, kind: Self.kind(2), reason: .reordered(writtenAs: 2)))
    }

    @Test func rewrittenChainIsCaughtOnlyByAnAnchor() throws {
        var anchor: AuditAnchor?
        let (result, dir) = try Self.tamperedStore { a in
            anchor = AuditAnchor(seq: 800, hash: try #require(try a.record(800)).hash)
            // Change record 500 and recompute every hash after it, and the head.
            var records = try a.allRecords()
            records[499].payload = Array("{\"n\":0}".utf8)
            for i in 499..<records.count {
                if i > 0 { records[i].prevHash = records[i - 1].hash }
                records[i].hash = records[i].computedHash()
                try a.overwrite(records[i].seq, with: records[i])
            }
            try a.setHead(seq: 1000, hash: records[999].hash)
        }
        #expect(result.isIntact)
        let published: AuditAnchor = try #require(anchor)
        let anchored = try AuditVerifier.verify(path: dir.path("audit.db"), anchor: published)
        #expect(anchored.firstBreak == ChainBreak(seq: 800, kind: Self.kind(800), reason: .anchorMismatch))
        // The rewrite may start anywhere before the anchor's record: no record is vouched for.
        #expect(anchored.help?.contains("any record up to the anchor's may have been changed") == true)
        #expect(anchored.help?.contains("before the break are intact") == false)
    }

    @Test func anchorOnAnIntactStore() throws {
        let dir = try TempDir()
        let path = dir.path("audit.db")
        try Sample.store(at: path, count: 20)
        let hash10 = try #require(try Attacker(path).record(10)).hash
        #expect(try AuditVerifier.verify(path: path, anchor: AuditAnchor(seq: 10, hash: hash10)).isIntact)
    }

    @Test func insertedRecordWithSeqZero() throws {
        let (result, _) = try Self.tamperedStore {
            try $0.sql("INSERT INTO records VALUES (0, 'fill', 't', x'', zeroblob(32), zeroblob(32))")
        }
        #expect(result.firstBreak == ChainBreak(seq: 0, kind: "fill", reason: .invalidSeq))
    }

    @Test func forgedRecordAppendedWithoutTheHead() throws {
        let (result, _) = try Self.tamperedStore { a in
            let last = try #require(try a.record(1000))
            var forged = StoredAuditRecord(
                seq: 1001, kind: "fill", timestamp: last.timestamp, payload: [1], prevHash: last.hash, hash: [])
            forged.hash = forged.computedHash()
            try a.sql(
                "INSERT INTO records VALUES (1001, 'fill', '\(last.timestamp)', x'01', "
                    + "x'\(Hex.encode(last.hash))', x'\(Hex.encode(forged.hash))')"
            )
        }
        #expect(result.firstBreak == ChainBreak(seq: 1001, kind: "fill", reason: .afterHead(headSeq: 1000)))
    }
}
