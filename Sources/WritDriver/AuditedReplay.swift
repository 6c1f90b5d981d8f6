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
    /// The durable sequence and line count last reported to `onDurable`.
    private var reported: (seq: Int64, lines: Int) = (-1, -1)
    private var lines = 0
    /// The DR level last recorded (nil without a DR policy).
    private var drLevel: String?

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
        drLevel = program.ir.platform?.dr?.levels.first?.name
    }

    /// Records the DR-level changes the engine made while processing `line`
    /// (a platform event, or time passing at an order: recovery), each as a
    /// `dr_level` record `{"event":"dr_level","ts":…,"from":…,"to":…,"reason":…}`
    /// whose reason is the event that caused it, or `recover_after`.
    public func recordLevelChanges(_ engine: Engine, line: UnsafeRawBufferPointer) throws(UsageError) {
        guard drLevel != nil else { return }
        let changes = engine.drainPlatformTransitions()
        guard !changes.isEmpty else { return }
        let event = Self.stringField("event", in: line) ?? "?"
        for c in changes {
            let ts = AuditTimestamp.format(unixNanoseconds: c.at)
            let reason = Self.platformEvents.contains(event) ? event : "recover_after"
            let payload = "{\"event\":\"dr_level\",\"ts\":\(JSONText.quote(ts)),\"from\":\(JSONText.quote(drLevel ?? "")),"
                + "\"to\":\(JSONText.quote(c.level)),\"reason\":\(JSONText.quote(reason))}"
            try append(.drLevel, ts, Array(payload.utf8))
            drLevel = c.level
        }
    }

    private func append(_ kind: AuditKind, _ ts: String, _ payload: [UInt8]) throws(UsageError) {
        do { _ = try writer.append(AuditRecord(kind: kind, timestamp: ts, payload: payload)) } catch {
            throw UsageError("cannot append to the audit trail: \(error.description)")
        }
    }

    private func append(
        _ kind: AuditKind, _ ts: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer
    ) throws(UsageError) {
        do { _ = try writer.append(kind: kind, timestamp: ts, payload: payload) } catch {
            throw UsageError("cannot append to the audit trail: \(error.description)")
        }
    }

    /// `{"bundle":"<hash>","decision":` — the start of every decision payload.
    private lazy var decisionPrefix = Array("{\"bundle\":\"\(bundleHash)\",\"decision\":".utf8)
    /// The decision payload being built (reused: no allocation per decision).
    private var decisionPayload: [UInt8] = []

    /// Records one input line and, if it had one, its decision line. The
    /// bytes are copied into the writer's queue; nothing is allocated per line.
    public func record(line: UnsafeRawBufferPointer, decision: [UInt8]?) throws(UsageError) {
        lines += 1
        let event = Self.stringField(Self.eventKey, in: line)
        let kind: AuditKind?
        if let event {
            let name = UnsafeRawBufferPointer(rebasing: line[event])
            if Self.orderEvents.contains(where: { $0.elementsEqual(name) }) {
                kind = .orderEvent
            } else if Self.fillEvents.contains(where: { $0.elementsEqual(name) }) {
                kind = .fill
            } else if Self.controlEvent.elementsEqual(name) {
                kind = .killSwitch
            } else {
                kind = nil  // market data is not audited
            }
        } else {
            kind = .orderEvent  // a malformed line is still an order message received
        }
        if let range = Self.stringField(Self.tsKey, in: line) {
            try record(kind, ts: UnsafeRawBufferPointer(rebasing: line[range]), line: line, decision: decision)
        } else {
            var now = AuditTimestamp.now()
            var result: Result<Void, UsageError> = .success(())
            now.withUTF8 { ts in
                result = Result { () throws(UsageError) in
                    try record(kind, ts: UnsafeRawBufferPointer(ts), line: line, decision: decision)
                }
            }
            try result.get()
        }
        sinceAck += 1
        if sinceAck >= ackEvery { try acknowledge() }
    }

    private func record(
        _ kind: AuditKind?, ts: UnsafeRawBufferPointer, line: UnsafeRawBufferPointer, decision: [UInt8]?
    ) throws(UsageError) {
        if let kind { try append(kind, ts, line) }
        if let decision {
            decisionPayload.removeAll(keepingCapacity: true)
            decisionPayload += decisionPrefix
            decisionPayload += decision
            decisionPayload.append(UInt8(ascii: "}"))
            var result: Result<Void, UsageError> = .success(())
            decisionPayload.withUnsafeBytes { payload in
                result = Result { () throws(UsageError) in try append(.decision, ts, payload) }
            }
            try result.get()
        }
    }

    private static let eventKey = Array("\"event\"".utf8)
    /// The events that change the platform's state (docs/input-contract.md).
    private static let platformEvents: Set<String> = [
        "cluster_down", "cluster_up", "cluster_degraded", "cluster_load", "replication_lag",
        "security_incident", "regulatory_halt", "clear", "link_down", "link_up",
    ]
    private static let tsKey = Array("\"ts\"".utf8)
    private static let orderEvents = ["new", "modify", "cancel"].map { Array($0.utf8) }
    private static let fillEvents = ["fill", "fill_cancel"].map { Array($0.utf8) }
    private static let controlEvent = Array("control".utf8)

    /// Waits until everything recorded is durable and reports it.
    public func acknowledge() throws(UsageError) {
        do { try writer.flush() } catch {
            throw UsageError("the audit trail could not be written: \(error.description)")
        }
        sinceAck = 0
        // Closing right after an acknowledgement has nothing new to report.
        let now = (seq: writer.durableSequence, lines: lines)
        if now != reported {
            reported = now
            onDurable(now.seq, now.lines)
        }
    }

    /// Flushes and closes the store.
    public func close() throws(UsageError) {
        try acknowledge()
        do { try writer.close() } catch { throw UsageError("cannot close the audit trail: \(error.description)") }
    }

    /// The value of a top-level string field, found by a plain scan (no
    /// escapes in the fields read here: `event`, `ts`).
    static func stringField(_ name: String, in line: UnsafeRawBufferPointer) -> String? {
        stringField(Array("\"\(name)\"".utf8), in: line).map {
            String(decoding: UnsafeRawBufferPointer(rebasing: line[$0]), as: UTF8.self)
        }
    }

    /// Where the value of the string field whose quoted name is `key` is in
    /// `line` (without the quotes).
    static func stringField(_ key: [UInt8], in line: UnsafeRawBufferPointer) -> Range<Int>? {
        guard line.count > key.count, let first = key.first else { return nil }
        var i = 0
        while i + key.count <= line.count {
            if line[i] == first, key.withUnsafeBytes({ k in
                memcmp(line.baseAddress! + i, k.baseAddress!, k.count) == 0
            }) {
                var j = i + key.count
                while j < line.count, line[j] == 0x20 || line[j] == 0x3A { j += 1 }
                guard j < line.count, line[j] == 0x22 else { return nil }
                j += 1
                let s = j
                while j < line.count, line[j] != 0x22, line[j] != 0x5C { j += 1 }
                return s..<j
            }
            i += 1
        }
        return nil
    }
}
