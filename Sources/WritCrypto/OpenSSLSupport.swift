/// Internal glue for OpenSSL: draining the error queue into a message, memory
/// BIOs in and out, and Ed25519 EVP_PKEY objects built from raw bytes.
import COpenSSL

/// OpenSSL's thread-local error queue.
enum OpenSSLError {
    /// The queued errors as one line (oldest first), emptying the queue;
    /// `unknown error` when the queue was empty.
    static func drain() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            // "error:1E08010C:DECODER routines::unsupported" → "DECODER routines::unsupported"
            let fields = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            parts.append(fields.count == 3 ? String(fields[2]) : text)
        }
        return parts.isEmpty ? "unknown error" : parts.joined(separator: "; ")
    }
}

/// An owned EVP_PKEY, freed when the box goes away.
final class PKey {
    // INVARIANT: a live EVP_PKEY owned by this object.
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { EVP_PKEY_free(pointer) }

    /// An Ed25519 private key from its 32-byte seed.
    static func ed25519(privateSeed seed: [UInt8]) -> PKey? {
        guard seed.count == 32 else { return nil }
        return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, seed.count).map(PKey.init(owning:))
    }

    /// An Ed25519 public key from its 32 raw bytes.
    static func ed25519(publicKey raw: [UInt8]) -> PKey? {
        guard raw.count == 32 else { return nil }
        return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, raw.count).map(PKey.init(owning:))
    }

    /// The raw public key bytes.
    func rawPublicKey() -> [UInt8]? {
        var length = 0
        guard EVP_PKEY_get_raw_public_key(pointer, nil, &length) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_public_key(pointer, &out, &length) == 1 else { return nil }
        return Array(out.prefix(length))
    }

    /// The raw private key bytes (the seed for Ed25519).
    func rawPrivateKey() -> [UInt8]? {
        var length = 0
        guard EVP_PKEY_get_raw_private_key(pointer, nil, &length) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_private_key(pointer, &out, &length) == 1 else { return nil }
        return Array(out.prefix(length))
    }

    /// The algorithm name for messages, e.g. `ED25519`, `RSA`, `EC`.
    var algorithmName: String {
        if let name = EVP_PKEY_get0_type_name(pointer) { return String(cString: name) }
        if let short = OBJ_nid2sn(EVP_PKEY_get_id(pointer)) { return String(cString: short) }
        return "unknown"
    }

    var isEd25519: Bool { EVP_PKEY_get_id(pointer) == EVP_PKEY_ED25519 }
}

/// Memory BIOs.
enum MemoryBIO {
    /// Runs `body` with a read-only BIO over `text`'s bytes.
    static func reading<T>(_ text: String, _ body: (OpaquePointer) -> T) -> T? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw -> T? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    /// Runs `write` on a fresh memory BIO and returns what it wrote, or `nil`
    /// when `write` reports failure.
    static func writing(_ write: (OpaquePointer) -> Bool) -> String? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard write(bio) else { return nil }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = BIO_read(bio, &chunk, Int32(chunk.count))
            if n <= 0 { break }
            out.append(contentsOf: chunk.prefix(Int(n)))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
