/// `writ audit verify` from the command line: it prints the last record's
/// number and hash, which an operator keeps outside the store as an anchor;
/// `--anchor SEQ:HASH` then finds a chain rewritten or cut after it.
import Foundation
import Testing

@Suite(.serialized) struct AuditVerifyCLITests {
    @Test func anAnchorKeptOutsideTheStoreIsChecked() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = dir.appendingPathComponent("w.bundle").path
        let db = dir.appendingPathComponent("audit.sqlite").path
        let events = dir.appendingPathComponent("events.jsonl")
        let sample = try String(
            contentsOf: WritBinary.packageRoot.appendingPathComponent("samples/events.jsonl"), encoding: .utf8)
        try (sample.split(separator: "\n").prefix(300).joined(separator: "\n") + "\n")
            .write(to: events, atomically: true, encoding: .utf8)
        var (status, out, err) = try WritBinary.run(["build", "rules", "-o", bundle, "--unsigned"])
        try #require(status == 0, "\(err)")
        (status, _, err) = try WritBinary.run([
            "replay", "--bundle", bundle, "--allow-unsigned", "--empty-lists", events.path, "--audit", db,
        ])
        try #require(status == 0, "\(err)")
        (status, out, err) = try WritBinary.run(["audit", "verify", db])
        try #require(status == 0, "\(err)")
        // "…is intact: N records, last record N, hash `…`"
        let seq = try #require(out.firstMatch(of: /last record (\d+), hash `([0-9a-f]{64})`/), "\(out)")
        let anchor = "\(seq.1):\(seq.2)"
        (status, out, err) = try WritBinary.run(["audit", "verify", db, "--anchor", anchor])
        #expect(status == 0 && out.contains("record \(seq.1) matches the anchor"), "\(out)\(err)")
        // The same number with another hash: the chain was rewritten.
        let other = "\(seq.1):" + String(repeating: "0", count: 64)
        (status, out, err) = try WritBinary.run(["audit", "verify", db, "--anchor", other])
        #expect(status == 1 && err.contains("its hash differs from the anchor's"), "\(out)\(err)")
        // A later record than the store holds: it was cut.
        let later = "\(Int(seq.1)! + 5):\(seq.2)"
        (status, out, err) = try WritBinary.run(["audit", "verify", db, "--anchor", later])
        #expect(status == 1 && err.contains("but the anchor names record \(Int(seq.1)! + 5)"), "\(out)\(err)")
        for bad in ["12", "x:ab", "0:\(seq.2)", "5:abc", "5:" + String(repeating: "g", count: 64)] {
            (status, out, err) = try WritBinary.run(["audit", "verify", db, "--anchor", bad])
            #expect(status == 2 && err.contains("is not SEQ:HASH"), "\(bad): \(out)\(err)")
        }
    }
}
