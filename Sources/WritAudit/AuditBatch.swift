/// The records waiting in the writer's queue, packed: every timestamp and
/// payload in one growing byte buffer, plus a small fixed-size entry per
/// record. Appending copies bytes and allocates nothing once the buffers have
/// grown; the writer thread swaps a full batch for an emptied one, so two
/// batches are reused for the whole run.

/// One queued record: its kind and where its bytes are in `AuditBatch.bytes`
/// (the timestamp, then the payload right after it).
struct AuditBatchEntry {
    var kind: AuditKind
    var start: Int
    var timestampCount: Int
    var payloadCount: Int
}

/// Queued records in arrival order.
struct AuditBatch {
    /// Timestamps and payloads, one record after another.
    var bytes: [UInt8] = []
    /// One entry per record.
    var entries: [AuditBatchEntry] = []

    /// How many records are queued.
    var count: Int { entries.count }

    /// Whether no record is queued.
    var isEmpty: Bool { entries.isEmpty }

    /// Adds one record, copying `timestamp` and the payload's parts (the
    /// payload is `payload` followed by `suffix`).
    mutating func append(
        kind: AuditKind, timestamp: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer,
        suffix: UnsafeRawBufferPointer
    ) {
        let start = bytes.count
        bytes.append(contentsOf: timestamp)
        bytes.append(contentsOf: payload)
        bytes.append(contentsOf: suffix)
        entries.append(
            AuditBatchEntry(
                kind: kind, start: start, timestampCount: timestamp.count, payloadCount: payload.count + suffix.count))
    }

    /// Empties the batch, keeping its storage for the next one.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }
}

extension AuditKind {
    /// The raw value as static UTF-8 (valid for the whole run), for hashing
    /// and binding without building a string.
    var staticName: StaticString {
        switch self {
        case .orderEvent: "order_event"
        case .decision: "decision"
        case .fill: "fill"
        case .bundleLoad: "bundle_load"
        case .killSwitch: "kill_switch"
        case .drLevel: "dr_level"
        }
    }
}
