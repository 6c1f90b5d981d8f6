/// `writ audit bench`: the store it writes holds every decision, chained
/// (`writ audit verify` passes and counts them); an existing store is refused.
import Foundation
import Testing

@Suite(.serialized) struct AuditBenchTests {
    @Test func theBenchmarkWritesAVerifiableStoreOfEveryDecision() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let decisions = dir.appendingPathComponent("decisions.jsonl")
        let lines = (1...250).map { #"{"line":\#($0),"id":"O-\#($0)","verdict":"allow","rules":[]}"# }
        try (lines.joined(separator: "\n") + "\n").write(to: decisions, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("bench.sqlite").path
        let (status, out, err) = try WritBinary.run(["audit", "bench", decisions.path, "--db", db, "--flush-every", "100"])
        #expect(status == 0, "\(err)")
        #expect(out.contains("appended 250 decisions"), "\(out)")
        let (vs, vout, verr) = try WritBinary.run(["audit", "verify", db])
        #expect(vs == 0, "\(verr)")
        #expect(vout.contains("250 records"), "\(vout)")
        let (again, _, againErr) = try WritBinary.run(["audit", "bench", decisions.path, "--db", db])
        #expect(again != 0)
        #expect(againErr.contains("exists"), "\(againErr)")
    }
}
