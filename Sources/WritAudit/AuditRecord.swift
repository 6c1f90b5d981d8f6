/// What goes into the audit trail: the record kinds, a record as appended
/// (kind, timestamp, canonical payload bytes) and a record as stored (with its
/// sequence number and chain hashes).

/// The kinds of audit record; the raw value is what the `kind` column holds.
public enum AuditKind: String, Sendable, Hashable, CaseIterable {
    /// An order entered, amended or cancelled.
    case orderEvent = "order_event"
    /// The engine's decision on an order.
    case decision
    /// An execution reported back.
    case fill
    /// A rule bundle loaded (or refused).
    case bundleLoad = "bundle_load"
    /// The kill switch engaged or released.
    case killSwitch = "kill_switch"
    /// The disaster-recovery level changed.
    case drLevel = "dr_level"

    /// The name of the SQL view that shows only this kind, e.g. `decisions`.
    public var viewName: String {
        switch self {
        case .orderEvent: "order_events"
        case .decision: "decisions"
        case .fill: "fills"
        case .bundleLoad: "bundle_loads"
        case .killSwitch: "kill_switches"
        case .drLevel: "dr_levels"
        }
    }
}

/// A record to append. The payload is the caller's canonical encoding; the
/// store hashes it byte for byte and never interprets it.
public struct AuditRecord: Sendable, Hashable {
    /// What happened.
    public var kind: AuditKind
    /// When, as text (RFC 3339 UTC, see `AuditTimestamp`); must not contain NUL.
    public var timestamp: String
    /// The canonical bytes of the event.
    public var payload: [UInt8]

    /// Creates a record.
    public init(kind: AuditKind, timestamp: String, payload: [UInt8]) {
        self.kind = kind
        self.timestamp = timestamp
        self.payload = payload
    }
}

/// A record as stored, read back from the `records` table.
public struct StoredAuditRecord: Sendable, Hashable {
    /// Its position in the chain, from 1.
    public var seq: Int64
    /// The `kind` column as stored (normally an `AuditKind` raw value).
    public var kind: String
    /// The `ts` column.
    public var timestamp: String
    /// The `payload` column.
    public var payload: [UInt8]
    /// The hash of the record before it (32 zero bytes for record 1).
    public var prevHash: [UInt8]
    /// This record's hash as stored.
    public var hash: [UInt8]

    /// Creates a stored record (used by readers and tests).
    public init(seq: Int64, kind: String, timestamp: String, payload: [UInt8], prevHash: [UInt8], hash: [UInt8]) {
        self.seq = seq
        self.kind = kind
        self.timestamp = timestamp
        self.payload = payload
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The hash its contents should have at position `seq`.
    public func computedHash(atSeq seq: Int64? = nil) -> [UInt8] {
        AuditChain.hash(prev: prevHash, seq: seq ?? self.seq, kind: kind, timestamp: timestamp, payload: payload)
    }
}
