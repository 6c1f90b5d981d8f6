/// Crash safety of the audit trail: a `writ replay --audit` child process is
/// killed with SIGKILL at random points; afterwards the hash chain verifies
/// and every record the child had acknowledged as durable (`durable SEQ`
/// lines) is in the store.
import Foundation
import Testing
import WritAudit
import WritDriver

@Suite(.serialized) struct AuditCrashTests {
    /// Builds an unsigned bundle of rules/ and an events file of the sample flow repeated.
    static func fixture(in dir: URL) throws -> (bundle: String, events: String) {
        let bundle = dir.appendingPathComponent("w.bundle").path
        let (status, _, err) = try WritBinary.run(["build", "rules", "-o", bundle, "--unsigned"])
        try #require(status == 0, "\(err)")
        let sample = try String(
            contentsOf: WritBinary.packageRoot.appendingPathComponent("samples/events.jsonl"), encoding: .utf8)
        let events = dir.appendingPathComponent("events.jsonl").path
        try String(repeating: sample, count: 3).write(toFile: events, atomically: true, encoding: .utf8)
        return (bundle, events)
    }

    @Test func killedReplaysLeaveAVerifiableChainWithEveryAcknowledgedRecord() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (bundle, events) = try Self.fixture(in: dir)
        var rng = SplitMix64(state: 0xC0FFEE)
        for round in 0..<4 {
            let db = dir.appendingPathComponent("audit-\(round).sqlite").path
            let p = Process()
            guard let exe = WritBinary.url else {
                Issue.record("the writ executable is not built next to the tests")
                return
            }
            p.executableURL = exe
            p.arguments = [
                "replay", "--bundle", bundle, "--allow-unsigned", "--empty-lists", events, "--audit", db,
                "--ack-every", "50",
            ]
            p.currentDirectoryURL = WritBinary.packageRoot
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Kill it right after its N-th acknowledgement, N drawn at random
            // (about 630 come in a whole replay): the kill point depends on
            // how far the replay got, not on how fast this machine is.
            let killAfter = 1 + Int(rng.next() % 200)
            let reader = out.fileHandleForReading
            var head = Data()
            while head.split(separator: UInt8(ascii: "\n")).filter({ $0.starts(with: Array("durable ".utf8)) }).count
                < killAfter
            {
                let chunk = reader.availableData
                if chunk.isEmpty { break }  // the child ended
                head += chunk
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let text = String(decoding: head + reader.readDataToEndOfFile(), as: UTF8.self)
            let acked = text.split(separator: "\n").compactMap { line -> Int64? in
                let parts = line.split(separator: " ")
                return parts.count == 3 && parts[0] == "durable" ? Int64(parts[1]) : nil
            }.max() ?? 0
            let result = try AuditVerifier.verify(path: db)
            #expect(result.isIntact, "round \(round) (killed after acknowledgement \(killAfter)): \(result)")
            #expect(result.lastSeq >= acked, "round \(round): acknowledged \(acked) but only \(result.lastSeq) durable")
            #expect(p.terminationReason == .uncaughtSignal, "round \(round): the replay finished before it was killed")
            #expect(acked > 0, "round \(round): the replay acknowledged nothing before it ended")
        }
    }
}
