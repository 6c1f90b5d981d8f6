/// SHA-256 through OpenSSL's EVP interface: a one-shot `SHA256.hash` and an
/// incremental `SHA256Hasher` for data that arrives in pieces.
import COpenSSL

/// SHA-256 (FIPS 180-4). `SHA256.hash(Array("abc".utf8))` is 32 bytes.
public enum SHA256 {
    /// The size of a digest in bytes.
    public static let byteCount = 32

    /// The digest of `bytes`.
    public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { hash($0) }
    }

    /// The digest of the bytes in `buffer`.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(buffer)
        return hasher.finalize()
    }
}

/// An incremental SHA-256: feed bytes with `update`, then take the digest
/// once with `finalize`. Not copyable, so one context has one owner.
public struct SHA256Hasher: ~Copyable {
    // INVARIANT: a live, initialised EVP_MD_CTX, freed exactly once in deinit.
    private let context: OpaquePointer

    /// Starts a new digest.
    public init() {
        guard let ctx = EVP_MD_CTX_new() else { fatalError("openssl could not allocate a digest context") }
        guard EVP_DigestInit_ex(ctx, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(ctx)
            fatalError("openssl could not start a SHA-256 digest: \(OpenSSLError.drain())")
        }
        context = ctx
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds `bytes` to the digest.
    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// Adds the bytes in `buffer` to the digest.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let ok = EVP_DigestUpdate(context, base, buffer.count)
        precondition(ok == 1, "EVP_DigestUpdate failed")
    }

    /// Adds the little-endian bytes of `value` to the digest.
    public mutating func update(littleEndian value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { update($0) }
    }

    /// Writes the 32-byte digest of everything added so far to `out` and
    /// starts a new digest on the same context: many small messages without
    /// a context (and an allocation) each.
    public mutating func finalize(into out: UnsafeMutableRawPointer) {
        var length: UInt32 = 0
        let ok = EVP_DigestFinal_ex(context, out.assumingMemoryBound(to: UInt8.self), &length)
        precondition(ok == 1 && length == UInt32(SHA256.byteCount), "EVP_DigestFinal_ex failed")
        let again = EVP_DigestInit_ex2(context, nil, nil)
        precondition(again == 1, "EVP_DigestInit_ex2 failed")
    }

    /// The 32-byte digest of everything added so far; ends the hasher.
    public consuming func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: SHA256.byteCount)
        var length: UInt32 = 0
        let ok = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        precondition(ok == 1 && length == UInt32(SHA256.byteCount), "EVP_DigestFinal_ex failed")
        return digest
    }
}
