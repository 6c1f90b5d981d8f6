/// Recording a replay in the audit trail (`writ replay --audit DB`): the
/// bundle load, every order event, fill and kill-switch control as received,
/// and every decision with the bundle's hash, appended in input order
/// through the batched `AuditWriter`. Every `ackEvery` lines the replay waits
/// until everything so far is durable and reports the sequence number — the
/// acknowledgement a gateway would send.
import Foundation
import WritAudit
import WritCrypto
import WritEngine
import WritSyntax

/// Feeds a replay into an audit store.
public final class AuditRecorder {
    let writer: AuditWriter
    let bundleHash: String
    let ackEvery: Int
    let onDurable: (Int64, Int) -> Void
    private var sinceAck = 0
    private var lines = 0

    /// Opens the store at `path` and records the bundle load.
    /// - Parameter onDurable: called with the durable sequence number and the
    ///   number of input lines it covers, every `ackEvery` lines and at the end.
    public init(
        path: String, bundlePath: String, program: EngineProgram, ackEvery: Int = 1_000,
        onDurable: @escaping (Int64, Int) -> Void = { _, _ in }
    ) throws(UsageError) {
        do {
            // Large batches: one transaction (and one fsync) per up to 65,536 records.
            writer = try AuditWriter(path: path, capacity: 65_536)
        } catch {
            throw UsageError(error.description + (error.help.map { "; \($0)" } ?? ""))
        }
        bundleHash = Hex.encode(program.contentHash)
        self.ackEvery = max(1, ackEvery)
        self.onDurable = onDurable
        let payload = "{\"bundle\":\(JSONText.quote(bundlePath)),\"sha256\":\"\(bundleHash)\",\"rules\":\(program.ir.rules.count)}"
        try append(.bundleLoad, AuditTimestamp.now(), Array(payload.utf8))
    }

    private func append(_ kind: AuditKind, _ ts: String, _ payload: [UInt8]) throws(UsageError) {
        do { _ = try writer.append(AuditRecord(kind: kind, timestamp: ts, payload: payload)) } catch {
            throw UsageError("cannot append to the audit trail: \(error.description)")
        }
    }

    /// Records one input line and, if it had one, its decision line.
    public func record(line: UnsafeRawBufferPointer, decision: [UInt8]?) throws(UsageError) {
        lines += 1
        let event = Self.stringField("event", in: line)
        let ts = Self.stringField("ts", in: line) ?? AuditTimestamp.now()
        let kind: AuditKind?
        switch event {
        case "new", "modify", "cancel": kind = .orderEvent
        case "fill", "fill_cancel": kind = .fill
        case "control": kind = .killSwitch
        case nil: kind = .orderEvent  // a malformed line is still an order message received
        default: kind = nil  // market data is not audited
        }
        if let kind { try append(kind, ts, Array(line)) }
        if let decision {
            var payload = Array("{\"bundle\":\"\(bundleHash)\",\"decision\":".utf8)
            payload += decision
            payload.append(UInt8(ascii: "}"))
            try append(.decision, ts, payload)
        }
        sinceAck += 1
        if sinceAck >= ackEvery { try acknowledge() }
    }

    /// Waits until everything recorded is durable and reports it.
    public func acknowledge() throws(UsageError) {
        do { try writer.flush() } catch {
            throw UsageError("the audit trail could not be written: \(error.description)")
        }
        sinceAck = 0
        onDurable(writer.durableSequence, lines)
    }

    /// Flushes and closes the store.
    public func close() throws(UsageError) {
        try acknowledge()
        do { try writer.close() } catch { throw UsageError("cannot close the audit trail: \(error.description)") }
    }

    /// The value of a top-level string field, found by a plain scan (no
    /// escapes in the fields read here: `event`, `ts`).
    static func stringField(_ name: String, in line: UnsafeRawBufferPointer) -> String? {
        let key = Array("\"\(name)\"".utf8)
        guard line.count > key.count else { return nil }
        var i = 0
        while i + key.count <= line.count {
            var match = true
            for k in 0..<key.count where line[i + k] != key[k] {
                match = false
                break
            }
            if match {
                var j = i + key.count
                while j < line.count, line[j] == 0x20 || line[j] == 0x3A { j += 1 }
                guard j < line.count, line[j] == 0x22 else { return nil }
                j += 1
                let s = j
                while j < line.count, line[j] != 0x22, line[j] != 0x5C { j += 1 }
                return String(decoding: UnsafeRawBufferPointer(rebasing: line[s..<j]), as: UTF8.self)
            }
            i += 1
        }
        return nil
    }
}
