/// The hash chain of the audit trail, defined once (docs/audit.md):
/// hash = SHA-256(prev_hash ‖ u64le(seq) ‖ kind ‖ 0x00 ‖ ts ‖ 0x00 ‖ payload).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
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

    /// `hash(prev:seq:kind:timestamp:payload:)` into `digest` (32 bytes), with a reused `hasher`.
    static func hash(
        prev: [UInt8], seq: Int64, kind: String, timestamp: String, payload: [UInt8], hasher: inout SHA256Hasher,
        into digest: inout [UInt8]
    ) {
        hasher.update(prev)
        hasher.update(littleEndian: UInt64(bitPattern: seq))
        var k = kind
        k.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0)) { hasher.update($0) }
        var t = timestamp
        t.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0)) { hasher.update($0) }
        payload.withUnsafeBytes { hasher.update($0) }
        digest.withUnsafeMutableBytes { hasher.finalize(into: $0.baseAddress!) }
    }

    /// Whether the row of `AuditSchema.selectAll` in `row` (at `seq`)
    /// chains to `previous` and its stored hash is the hash of its
    /// contents, read in place; `hasher` and `digest` are reused.
    static func verifies(
        _ row: SQLiteStatement, seq: Int64, previous: [UInt8], hasher: inout SHA256Hasher, digest: inout [UInt8]
    ) -> Bool {
        let prev = row.raw(4)
        guard prev.count == 32, previous.withUnsafeBytes({ memcmp($0.baseAddress!, prev.baseAddress!, 32) == 0 })
        else { return false }
        hasher.update(prev)
        hasher.update(littleEndian: UInt64(bitPattern: seq))
        hasher.update(row.raw(1))
        withUnsafeBytes(of: UInt8(0)) { hasher.update($0) }
        hasher.update(row.raw(2))
        withUnsafeBytes(of: UInt8(0)) { hasher.update($0) }
        hasher.update(row.raw(3))
        digest.withUnsafeMutableBytes { hasher.finalize(into: $0.baseAddress!) }
        let stored = row.raw(5)
        return stored.count == 32 && digest.withUnsafeBytes { memcmp($0.baseAddress!, stored.baseAddress!, 32) == 0 }
    }
}
