/// What `AuditVerifier` found: the size of the trail, its head, and the first
/// record where the chain breaks (its seq, kind and the reason), in a form
/// the CLI can print as is (`description`, `help`) or inspect.
import WritCrypto

/// A position in the chain recorded outside the store (e.g. a head published
/// to a WORM store or a regulator), to check the store against later.
public struct AuditAnchor: Sendable, Hashable {
    /// The record's sequence number.
    public var seq: Int64
    /// The record's hash.
    public var hash: [UInt8]

    /// Creates an anchor.
    public init(seq: Int64, hash: [UInt8]) {
        self.seq = seq
        self.hash = hash
    }
}

/// Why the chain breaks at a record.
public enum ChainBreakReason: Sendable, Hashable {
    /// The stored hash does not match the record's contents (a field or the
    /// hash itself was edited).
    case hashMismatch
    /// The record is intact but its `prev_hash` is not the hash of record `previous`.
    case prevHashMismatch(previous: Int64)
    /// Records from the break's seq through `through` are missing (deleted).
    case missing(through: Int64)
    /// Records from the break's seq through `through` are missing at the end:
    /// the head still names record `through`.
    case missingAtEnd(through: Int64)
    /// The record was written as record `writtenAs` and has been moved
    /// (records swapped, or renumbered to hide a deletion).
    case reordered(writtenAs: Int64)
    /// The head names this (last) record but with a different hash.
    case headMismatch
    /// The record follows the head's record: it was added without updating
    /// the head, or the head was set back to `headSeq`.
    case afterHead(headSeq: Int64)
    /// The head row is missing.
    case headMissing
    /// The anchor names this record with a different hash: the chain was rewritten.
    case anchorMismatch
    /// The anchor names record `anchorSeq`, which is missing.
    case anchorMissing(anchorSeq: Int64)
    /// The record's sequence number is not above the one before it (e.g. 0
    /// or negative), so it was not written by writ.
    case invalidSeq
}

/// The first place where the chain is broken.
public struct ChainBreak: Sendable, Hashable, CustomStringConvertible {
    /// The sequence number of the first broken (or first missing) record.
    public var seq: Int64
    /// Its `kind` column; `nil` when the record is missing.
    public var kind: String?
    /// Why the chain breaks there.
    public var reason: ChainBreakReason

    /// Creates a break.
    public init(seq: Int64, kind: String?, reason: ChainBreakReason) {
        self.seq = seq
        self.kind = kind
        self.reason = reason
    }

    /// E.g. "record 500 (`decision`): its hash does not match its contents".
    public var description: String {
        let subject = kind.map { "record \(seq) (`\($0)`)" } ?? "record \(seq)"
        switch reason {
        case .hashMismatch:
            return "\(subject): its hash does not match its contents"
        case .prevHashMismatch(let previous):
            return "\(subject): it does not chain to record \(previous)"
        case .missing(let through):
            return through == seq
                ? "record \(seq) is missing (deleted)"
                : "records \(seq) through \(through) are missing (deleted)"
        case .missingAtEnd(let through):
            return (through == seq ? "record \(seq) is missing" : "records \(seq) through \(through) are missing")
                + " from the end (the head names record \(through))"
        case .reordered(let writtenAs):
            return "\(subject): it was written as record \(writtenAs) (records were reordered or renumbered)"
        case .headMismatch:
            return "\(subject): the head names it with a different hash"
        case .afterHead(let headSeq):
            return "\(subject): it follows record \(headSeq), the last one the head names"
        case .headMissing:
            return "the head row is missing"
        case .anchorMismatch:
            return "\(subject): its hash differs from the anchor's, so the chain was rewritten"
        case .anchorMissing(let anchorSeq):
            return "\(subject) is missing but the anchor names record \(anchorSeq)"
        case .invalidSeq:
            return "\(subject): its sequence number is out of order"
        }
    }
}

/// The outcome of verifying an audit store.
public struct VerifyResult: Sendable, Hashable, CustomStringConvertible {
    /// The store's path.
    public var path: String
    /// How many records the store holds.
    public var recordCount: Int
    /// The highest sequence number present (0 when empty).
    public var lastSeq: Int64
    /// The hash of that record (the genesis hash when empty).
    public var lastHash: [UInt8]
    /// The head row as stored; `nil` when it is missing.
    public var head: AuditAnchor?
    /// The first break, or `nil` when the chain is intact.
    public var firstBreak: ChainBreak?

    /// Whether every record chains to the one before and the head (and the
    /// anchor, if one was given) names the last record.
    public var isIntact: Bool { firstBreak == nil }

    /// One line for the CLI, e.g. "audit trail `a.db` is intact: 1000 records,
    /// last record 1000, hash 3f…" or "audit trail `a.db` is broken: record 500 …".
    public var description: String {
        if let firstBreak {
            return "audit trail `\(path)` is broken: \(firstBreak)"
        }
        let count = recordCount == 1 ? "1 record" : "\(recordCount) records"
        return "audit trail `\(path)` is intact: \(count), last record \(lastSeq), hash `\(Hex.encode(lastHash))`"
    }

    /// A one-line hint for a broken trail, shown as `help:`; `nil` when intact.
    public var help: String? {
        guard let firstBreak else { return nil }
        switch firstBreak.reason {
        case .anchorMismatch, .anchorMissing:
            // Re-hashed records chain as well as the originals: the rewrite
            // may start anywhere up to the anchor's record.
            return "any record up to the anchor's may have been changed (a rewritten chain verifies "
                + "on its own); keep this file as evidence and compare it with a backup"
        case .missingAtEnd, .headMismatch, .afterHead, .headMissing:
            return "records before the break are intact; keep this file as evidence and compare it with a backup"
        default:
            guard firstBreak.seq > 1 else { return "keep this file as evidence and compare it with a backup" }
            return
                "records before record \(firstBreak.seq) are intact; "
                + "keep this file as evidence and compare it with a backup"
        }
    }
}
