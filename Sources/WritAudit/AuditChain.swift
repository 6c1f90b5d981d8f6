/// The hash chain of the audit trail, defined once (docs/audit.md):
/// hash = SHA-256(prev_hash ‖ u64le(seq) ‖ kind ‖ 0x00 ‖ ts ‖ 0x00 ‖ payload).
import WritCrypto

/// The chain's hash function and its starting point.
public enum AuditChain {
    /// The `prev_hash` of record 1: 32 zero bytes.
    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// The hash of a record: SHA-256 over the previous record's hash, the
    /// sequence number as 8 little-endian bytes, the kind's UTF-8 bytes, a
    /// zero byte, the timestamp's UTF-8 bytes, a zero byte, and the payload.
    /// Neither kind nor timestamp may contain a zero byte, so the fields
    /// cannot be shifted across the separators.
    public static func hash(prev: [UInt8], seq: Int64, kind: String, timestamp: String, payload: [UInt8]) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(prev)
        hasher.update(littleEndian: UInt64(bitPattern: seq))
        hasher.update(kind.utf8)
        hasher.update(CollectionOfOne(UInt8(0)))
        hasher.update(timestamp.utf8)
        hasher.update(CollectionOfOne(UInt8(0)))
        hasher.update(payload)
        return hasher.finalize()
    }
}
