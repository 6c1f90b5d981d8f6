/// The errors of WritCrypto: key files that cannot be read or written, text
/// that is not a key, keys of the wrong type or size, bad hex. Each message
/// names the file (when there is one) and the problem, in the house style.

/// Something went wrong reading, writing or using a key.
public enum CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A key file could not be read (`reason` is the system's explanation).
    case cannotRead(path: String, reason: String)
    /// A key file could not be written (`reason` is the system's explanation).
    case cannotWrite(path: String, reason: String)
    /// The text holds no PEM block of the expected kind (`expected` is its label,
    /// e.g. `PRIVATE KEY`).
    case notPEM(source: KeySource, expected: String)
    /// The text holds more than the one PEM block of a key (`detail` says what).
    case extraContent(source: KeySource, detail: String)
    /// The PEM block is encrypted; writ reads unencrypted keys only.
    case encryptedKey(source: KeySource)
    /// The PEM block could not be decoded as a key (`detail` comes from OpenSSL).
    case invalidKey(source: KeySource, detail: String)
    /// The key is valid but not an Ed25519 key (`found` names its algorithm).
    case wrongKeyType(source: KeySource, found: String)
    /// Raw key material of the wrong size.
    case invalidLength(what: String, expected: Int, actual: Int)
    /// A string that is not an even number of hex digits.
    case invalidHex(String)
    /// OpenSSL failed where it should not (`operation` says what was attempted).
    case library(operation: String, detail: String)

    /// One sentence, no capital, no final period; user text in backticks.
    public var description: String {
        switch self {
        case .cannotRead(let path, let reason):
            "cannot read key file `\(path)`: \(reason)"
        case .cannotWrite(let path, let reason):
            "cannot write key file `\(path)`: \(reason)"
        case .notPEM(let source, let expected):
            "\(source) holds no `-----BEGIN \(expected)-----` block"
        case .extraContent(let source, let detail):
            "\(source) holds \(detail), not one key alone"
        case .encryptedKey(let source):
            "\(source) holds an encrypted private key"
        case .invalidKey(let source, let detail):
            "\(source) does not hold a valid key: \(detail)"
        case .wrongKeyType(let source, let found):
            "\(source) holds a key of type `\(found)`, not Ed25519"
        case .invalidLength(let what, let expected, let actual):
            "\(what) must be \(expected) bytes, not \(actual)"
        case .invalidHex(let text):
            "`\(text.count > 40 ? String(text.prefix(40)) + "…" : text)` is not a hex string"
        case .library(let operation, let detail):
            "openssl failed to \(operation): \(detail)"
        }
    }

    /// A one-line hint saying how to fix it, shown as `help:`; `nil` when there is none.
    public var help: String? {
        switch self {
        case .notPEM(_, let expected) where expected == "PRIVATE KEY":
            "create a key with `writ keygen` or `openssl genpkey -algorithm ed25519`"
        case .notPEM:
            "export the public key with `openssl pkey -pubout` or `writ keygen`"
        case .encryptedKey:
            "decrypt it with `openssl pkey -in KEY -out PLAIN` and keep the plain file mode 0600"
        case .wrongKeyType:
            "writ signs bundles with Ed25519 keys only; create one with `openssl genpkey -algorithm ed25519`"
        case .invalidHex:
            "use two hex digits per byte, e.g. `0a1b`"
        case .extraContent:
            "keep one key per file, and nothing else in it (pass `--trust` once for each trusted key)"
        case .cannotRead, .cannotWrite, .invalidKey, .invalidLength, .library:
            nil
        }
    }
}

/// Where key text came from, for error messages.
public enum KeySource: Sendable, Hashable, CustomStringConvertible {
    /// A file at this path.
    case file(String)
    /// Text given in memory.
    case text

    /// `key file `path`` or `the key text`.
    public var description: String {
        switch self {
        case .file(let path): "key file `\(path)`"
        case .text: "the key text"
        }
    }
}
