/// Snapshot and restore: a replay interrupted by a snapshot and a restore
/// into a fresh engine decides exactly as an uninterrupted one.

import Foundation
import Testing
import WritCrypto
import WritDriver
import WritEngine
import WritSema

@Suite struct SnapshotTests {
    @Test func restoreMidReplayDecidesAsAnUninterruptedReplay() throws {
        let (lines, program) = try EnginePrograms.stream(6000, seed: 7)
        let whole = EnginePrograms.bound(try EnginePrograms.rulesEngine(), program)
        let expected = lines.map { whole.processLine($0) }

        let first = EnginePrograms.bound(try EnginePrograms.rulesEngine(), program)
        for l in lines[0..<3000] { _ = first.processLine(l) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writ-snap-\(getpid()).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try first.snapshot(to: path)

        let second = EnginePrograms.bound(try EnginePrograms.rulesEngine(), program)
        try second.restore(from: path)
        #expect(second.lineCount == 3000)
        for (i, l) in lines.enumerated().dropFirst(3000) {
            let got = second.processLine(l)
            #expect(got == expected[i], "line \(i + 1): \(l)")
            if got != expected[i] { break }
        }
    }

    @Test func aDamagedSnapshotIsRefused() throws {
        let (lines, program) = try EnginePrograms.stream(500, seed: 8)
        let e = EnginePrograms.bound(try EnginePrograms.rulesEngine(), program)
        for l in lines { _ = e.processLine(l) }
        var bytes = e.snapshotBytes()
        bytes[bytes.count / 2] ^= 0x40
        let fresh = try EnginePrograms.rulesEngine()
        #expect(throws: SnapshotError.self) { try fresh.restore(bytes: bytes) }
        #expect(throws: SnapshotError.self) { try fresh.restore(bytes: Array(bytes.prefix(20))) }
    }

    /// A snapshot of an older format (version 3 had no closed orders) is
    /// refused, naming both versions and what to do.
    @Test func anOlderFormatIsRefusedWithTheFix() throws {
        let e = try EnginePrograms.rulesEngine()
        var bytes = e.snapshotBytes()
        // Magic (8 bytes), then the version, little-endian; the SHA-256 of the body last.
        bytes[8] = 3
        bytes[9] = 0
        let body = Array(bytes.dropLast(32))
        bytes = body + SHA256.hash(body)
        let fresh = try EnginePrograms.rulesEngine()
        #expect {
            try fresh.restore(bytes: bytes)
        } throws: { error in
            "\(error)"
                == "the snapshot is not valid: its format version is 3, this engine reads version 4 only; replay the day's events to rebuild the state, then take a new snapshot"
        }
    }

    @Test func aSnapshotOfOtherCapacitiesIsRefused() throws {
        let e = try EnginePrograms.rulesEngine()
        let other = try EnginePrograms.rulesEngine(
            EngineConfiguration(keysPerSlot: 8, liveOrders: 8, idsPerDay: 8, marketRecords: 8, killSwitches: 8, runtimeSymbols: 64))
        #expect(throws: SnapshotError.self) { try other.restore(bytes: e.snapshotBytes()) }
    }
}
