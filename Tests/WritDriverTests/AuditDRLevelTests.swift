/// `writ replay --audit` records the DR level's changes: a primary cluster
/// down makes it `essential` (reason: the event), and 60 s after the cluster
/// is back an order finds it `full` again (reason: `recover_after`); the
/// trail still verifies.
import Foundation
import Testing
import WritAudit

@Suite(.serialized) struct AuditDRLevelTests {
    @Test func levelChangesAreRecordedInTheTrail() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = dir.appendingPathComponent("w.bundle").path
        let (bs, _, berr) = try WritBinary.run(["build", "rules", "-o", bundle, "--unsigned"])
        #expect(bs == 0, "\(berr)")
        let order = { (id: String, ts: String) in
            #"{"event":"new","id":"\#(id)","ts":"\#(ts)","account":"A-1","client":"C-1","client_country":"US","trader":"T-1","desk":"D-1","symbol":"AAPL","venue":"XNAS","side":"buy","qty":"100","price":"190.00","ord_type":"limit","currency":"USD"}"#
        }
        let lines = [
            #"{"event":"market","symbol":"AAPL","venue":"XNAS","reference":"190.00","prior_close":"190.00","nbb":"190.00","ts":"2026-11-27T14:00:00Z"}"#,
            order("O-1", "2026-11-27T14:00:01Z"),
            #"{"event":"cluster_down","cluster":"nautilus-enterprise-us-east-1","ts":"2026-11-27T14:00:10Z"}"#,
            order("O-2", "2026-11-27T14:00:11Z"),
            #"{"event":"cluster_up","cluster":"us_east_1","ts":"2026-11-27T14:01:00Z"}"#,
            order("O-3", "2026-11-27T14:02:30Z"),
        ]
        let events = dir.appendingPathComponent("e.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: events, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("a.sqlite").path
        let (rs, _, rerr) = try WritBinary.run([
            "replay", "--bundle", bundle, "--allow-unsigned", "--empty-lists", events.path, "--audit", db,
            "-o", dir.appendingPathComponent("d.jsonl").path,
        ])
        #expect(rs == 0, "\(rerr)")
        var changes: [String] = []
        try AuditReader.forEach(path: db) { r in
            if r.kind == "dr_level" { changes.append(String(decoding: r.payload, as: UTF8.self)) }
        }
        #expect(
            changes == [
                #"{"event":"dr_level","ts":"2026-11-27T14:00:10.000000000Z","from":"full","to":"essential","reason":"cluster_down"}"#,
                #"{"event":"dr_level","ts":"2026-11-27T14:02:00.000000000Z","from":"essential","to":"full","reason":"recover_after"}"#,
            ], "\(changes)")
        let (vs, _, verr) = try WritBinary.run(["audit", "verify", db])
        #expect(vs == 0, "\(verr)")
    }
}
