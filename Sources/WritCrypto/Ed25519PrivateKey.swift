/// An Ed25519 signing key (RFC 8032): generation, signing, and PEM files in
/// PKCS#8 form (`-----BEGIN PRIVATE KEY-----`), written with mode 0600.
import COpenSSL

/// An Ed25519 private key. Its `description` shows only the public key id,
/// never the secret.
public struct Ed25519PrivateKey: Sendable, CustomStringConvertible {
    /// The 32-byte secret seed of RFC 8032.
    public let rawRepresentation: [UInt8]
    /// The matching public key.
    public let publicKey: Ed25519PublicKey

    /// A new random key from OpenSSL's CSPRNG.
    public static func generate() throws(CryptoError) -> Ed25519PrivateKey {
        guard let ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw .library(operation: "generate an Ed25519 key", detail: OpenSSLError.drain())
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pointer: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_keygen(ctx, &pointer) == 1, let pointer else {
            throw .library(operation: "generate an Ed25519 key", detail: OpenSSLError.drain())
        }
        let key = PKey(owning: pointer)
        guard let seed = key.rawPrivateKey() else {
            throw .library(operation: "read a generated key", detail: OpenSSLError.drain())
        }
        return try Ed25519PrivateKey(rawRepresentation: seed)
    }

    /// The key with this 32-byte seed (as in RFC 8032's test vectors).
    /// - Throws: `CryptoError.invalidLength` unless `seed` is 32 bytes.
    public init(rawRepresentation seed: [UInt8]) throws(CryptoError) {
        guard seed.count == 32 else {
            throw .invalidLength(what: "an Ed25519 private key", expected: 32, actual: seed.count)
        }
        guard let key = PKey.ed25519(privateSeed: seed), let raw = key.rawPublicKey() else {
            throw .library(operation: "load an Ed25519 private key", detail: OpenSSLError.drain())
        }
        rawRepresentation = seed
        publicKey = try Ed25519PublicKey(rawRepresentation: raw)
    }

    /// Reads a PKCS#8 PEM private key (as written by `write(to:)` or
    /// `openssl genpkey -algorithm ed25519`).
    public init(pem: String) throws(CryptoError) {
        try self.init(pem: pem, source: .text)
    }

    /// Reads the PEM private key file at `path`.
    public static func read(from path: String) throws(CryptoError) -> Ed25519PrivateKey {
        try Ed25519PrivateKey(pem: KeyFile.read(path), source: .file(path))
    }

    private init(pem: String, source: KeySource) throws(CryptoError) {
        if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") { throw .encryptedKey(source: source) }
        guard pem.contains("-----BEGIN "), pem.contains("PRIVATE KEY-----") else {
            throw .notPEM(source: source, expected: "PRIVATE KEY")
        }
        try KeyFile.requireSingleBlock(pem, label: "PRIVATE KEY", source: source)
        ERR_clear_error()
        let loaded = MemoryBIO.reading(pem) { bio in
            // A callback that supplies no password, so OpenSSL never prompts.
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let loaded, let pointer = loaded else {
            throw .invalidKey(source: source, detail: OpenSSLError.drain())
        }
        let key = PKey(owning: pointer)
        guard key.isEd25519 else { throw .wrongKeyType(source: source, found: key.algorithmName) }
        guard let seed = key.rawPrivateKey() else {
            throw .invalidKey(source: source, detail: OpenSSLError.drain())
        }
        try self.init(rawRepresentation: seed)
    }

    /// The key as unencrypted PKCS#8 PEM text.
    public var pemRepresentation: String {
        guard let key = PKey.ed25519(privateSeed: rawRepresentation),
            let text = MemoryBIO.writing({ PEM_write_bio_PrivateKey($0, key.pointer, nil, nil, 0, nil, nil) == 1 })
        else { fatalError("openssl could not encode a private key: \(OpenSSLError.drain())") }
        return text
    }

    /// Writes the key as PEM to `path` (mode 0600, through a temp file and a
    /// rename, replacing any file there).
    public func write(to path: String) throws(CryptoError) {
        try KeyFile.write(pemRepresentation, to: path, mode: 0o600)
    }

    /// Writes the key to `keyPath` (mode 0600) and its public key to
    /// `pubPath` (0644) as a pair: both are written to temporary files
    /// first, and only when both are on disk are they renamed into place,
    /// so a failure leaves the files that were there before.
    public func writePair(keyPath: String, pubPath: String) throws(CryptoError) {
        let pub = try KeyFile.stage(publicKey.pemRepresentation, for: pubPath, mode: 0o644)
        let key: String
        do { key = try KeyFile.stage(pemRepresentation, for: keyPath, mode: 0o600) } catch {
            KeyFile.discard(pub)
            throw error
        }
        do { try KeyFile.commit(pub, to: pubPath) } catch {
            KeyFile.discard(key)
            throw error
        }
        try KeyFile.commit(key, to: keyPath)
    }

    /// The 64-byte Ed25519 signature of `message`.
    public func sign<C: Collection>(_ message: C) -> [UInt8] where C.Element == UInt8 {
        let bytes = Array(message)
        guard let key = PKey.ed25519(privateSeed: rawRepresentation), let ctx = EVP_MD_CTX_new() else {
            fatalError("openssl could not load a signing key: \(OpenSSLError.drain())")
        }
        defer { EVP_MD_CTX_free(ctx) }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = signature.count
        guard EVP_DigestSignInit(ctx, nil, nil, nil, key.pointer) == 1,
            EVP_DigestSign(ctx, &signature, &length, bytes, bytes.count) == 1, length == 64
        else { fatalError("openssl could not sign: \(OpenSSLError.drain())") }
        return signature
    }

    /// `Ed25519PrivateKey(<key id>)`.
    public var description: String { "Ed25519PrivateKey(\(publicKey.keyID))" }
}
