/// An Ed25519 verification key: raw 32 bytes, PEM SubjectPublicKeyInfo files
/// (`-----BEGIN PUBLIC KEY-----`), signature checks and a short key id.
import COpenSSL

/// An Ed25519 public key; equal keys have equal raw bytes.
public struct Ed25519PublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The 32 raw bytes of RFC 8032.
    public let rawRepresentation: [UInt8]

    /// The key with these 32 raw bytes.
    /// - Throws: `CryptoError.invalidLength` unless `raw` is 32 bytes.
    public init(rawRepresentation raw: [UInt8]) throws(CryptoError) {
        guard raw.count == 32 else {
            throw .invalidLength(what: "an Ed25519 public key", expected: 32, actual: raw.count)
        }
        rawRepresentation = raw
    }

    /// Reads a PEM SubjectPublicKeyInfo public key.
    public init(pem: String) throws(CryptoError) {
        try self.init(pem: pem, source: .text)
    }

    /// Reads the PEM public key file at `path`.
    public static func read(from path: String) throws(CryptoError) -> Ed25519PublicKey {
        try Ed25519PublicKey(pem: KeyFile.read(path), source: .file(path))
    }

    private init(pem: String, source: KeySource) throws(CryptoError) {
        guard pem.contains("-----BEGIN PUBLIC KEY-----") else {
            throw .notPEM(source: source, expected: "PUBLIC KEY")
        }
        try KeyFile.requireSingleBlock(pem, label: "PUBLIC KEY", source: source)
        ERR_clear_error()
        let loaded = MemoryBIO.reading(pem) { PEM_read_bio_PUBKEY($0, nil, { _, _, _, _ in 0 }, nil) }
        guard let loaded, let pointer = loaded else {
            throw .invalidKey(source: source, detail: OpenSSLError.drain())
        }
        let key = PKey(owning: pointer)
        guard key.isEd25519 else { throw .wrongKeyType(source: source, found: key.algorithmName) }
        guard let raw = key.rawPublicKey() else { throw .invalidKey(source: source, detail: OpenSSLError.drain()) }
        try self.init(rawRepresentation: raw)
    }

    /// The key as PEM SubjectPublicKeyInfo text.
    public var pemRepresentation: String {
        guard let key = PKey.ed25519(publicKey: rawRepresentation),
            let text = MemoryBIO.writing({ PEM_write_bio_PUBKEY($0, key.pointer) == 1 })
        else { fatalError("openssl could not encode a public key: \(OpenSSLError.drain())") }
        return text
    }

    /// Writes the key as PEM to `path` (mode 0644, through a temp file and a
    /// rename, replacing any file there).
    public func write(to path: String) throws(CryptoError) {
        try KeyFile.write(pemRepresentation, to: path, mode: 0o644)
    }

    /// A short name for the key: hex of the first 8 bytes of SHA-256 of the
    /// raw key (16 characters).
    public var keyID: String { Hex.encode(SHA256.hash(rawRepresentation).prefix(8)) }

    /// Whether `signature` is a valid Ed25519 signature of `message` by this key.
    /// Never throws: anything malformed is simply not valid.
    public func verify<S: Collection, M: Collection>(signature: S, message: M) -> Bool
    where S.Element == UInt8, M.Element == UInt8 {
        let sig = Array(signature)
        let msg = Array(message)
        guard sig.count == 64, let key = PKey.ed25519(publicKey: rawRepresentation), let ctx = EVP_MD_CTX_new() else {
            ERR_clear_error()
            return false
        }
        defer {
            EVP_MD_CTX_free(ctx)
            ERR_clear_error()
        }
        guard EVP_DigestVerifyInit(ctx, nil, nil, nil, key.pointer) == 1 else { return false }
        return EVP_DigestVerify(ctx, sig, sig.count, msg, msg.count) == 1
    }

    /// `Ed25519PublicKey(<key id>)`.
    public var description: String { "Ed25519PublicKey(\(keyID))" }
}
