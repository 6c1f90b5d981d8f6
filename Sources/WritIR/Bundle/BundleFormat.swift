/// The constants of the bundle byte layout (docs/bundle-format.md): magic,
/// format version, header and trailer sizes, signature kinds, section tags.

/// Sizes and values of the bundle format, version 1.
public enum BundleFormat {
    /// The first eight bytes of every bundle: `WRITBNDL`.
    public static let magic: [UInt8] = Array("WRITBNDL".utf8)
    /// The format version this writ writes and reads.
    public static let currentVersion: UInt16 = 1
    /// The flags this writ understands (none are defined yet).
    public static let knownFlags: UInt16 = 0
    /// magic (8) + version (2) + flags (2) + section count (4) + total length (8).
    public static let headerSize = 24
    /// tag (4) + length (8).
    public static let sectionHeaderSize = 12
    /// hash (32) + signature kind (1) + signer public key (32) + signature (64).
    public static let trailerSize = 32 + 1 + 32 + 64
    /// The tag of the section that holds the metadata.
    public static let metadataTag = "META"

    /// Offsets of the header fields.
    enum Offset {
        static let version = 8
        static let flags = 10
        static let sectionCount = 12
        static let totalLength = 16
    }

    /// Whether `tag` can name a section: exactly four printable ASCII
    /// characters (space allowed, as in `IR  `).
    public static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        return bytes.count == 4 && bytes.allSatisfy { (0x20...0x7e).contains($0) }
    }
}

/// How a bundle is signed (the byte after the content hash in the trailer).
public enum BundleSignatureKind: UInt8, Sendable {
    /// No signature; the key and signature fields are all zero.
    case unsigned = 0
    /// Ed25519 over the 32-byte content hash.
    case ed25519 = 1
}
