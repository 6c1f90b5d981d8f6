/// Why a bundle was refused: each case names the reason, with the offset or
/// key id where there is one, in the house message style plus a `help` line.

/// A bundle that cannot be loaded.
public enum BundleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes end at `offset` but `expected` more were needed.
    case truncated(offset: Int, expected: Int)
    /// The bytes do not start with `WRITBNDL`.
    case badMagic
    /// A format version newer than `BundleFormat.currentVersion`.
    case newerFormat(version: UInt16)
    /// A format version that no writ ever wrote (0).
    case unsupportedFormat(version: UInt16)
    /// Header flags this writ does not know.
    case unknownFlags(UInt16)
    /// The content hash in the trailer does not match the content.
    case corrupted(stored: [UInt8], computed: [UInt8])
    /// The bundle is unsigned and unsigned bundles were not allowed.
    case unsigned
    /// Signed by a key not among the trusted keys.
    case untrustedKey(keyID: String)
    /// Signed by a trusted key, but the signature does not verify.
    case badSignature(keyID: String)
    /// A signature kind this writ does not know.
    case unknownSignatureKind(UInt8)
    /// The header, section table or trailer is not well formed.
    case malformed(offset: Int, problem: BundleLayoutProblem)

    /// One sentence, no capital, no final period; user text in backticks.
    public var description: String {
        switch self {
        case .truncated(let offset, let expected):
            "bundle is truncated: it ends at byte \(offset) but \(expected) more "
                + (expected == 1 ? "byte was expected" : "bytes were expected")
        case .badMagic:
            "not a Writ bundle"
        case .newerFormat(let version):
            "format version \(version) is newer than this writ's (\(BundleFormat.currentVersion))"
        case .unsupportedFormat(let version):
            "format version \(version) is not a bundle format"
        case .unknownFlags(let flags):
            "bundle has unknown flags `0x\(String(flags, radix: 16))`"
        case .corrupted:
            "bundle is corrupted: its content does not match its hash"
        case .unsigned:
            "bundle is unsigned and signed bundles are required"
        case .untrustedKey(let keyID):
            "bundle is signed by key `\(keyID)`, which is not trusted"
        case .badSignature(let keyID):
            "bundle signature by key `\(keyID)` is not valid"
        case .unknownSignatureKind(let kind):
            "bundle has unknown signature kind \(kind)"
        case .malformed(let offset, let problem):
            "bundle is malformed at byte \(offset): \(problem)"
        }
    }

    /// A one-line hint saying how to fix it, shown as `help:`; `nil` when there is none.
    public var help: String? {
        switch self {
        case .truncated, .corrupted:
            "the file was damaged in transit or on disk; fetch or build the bundle again"
        case .badMagic:
            "a bundle is the output of `writ build`; check the path"
        case .newerFormat, .unknownFlags, .unknownSignatureKind:
            "this bundle was built by a newer writ; upgrade writ"
        case .unsigned:
            "pass --allow-unsigned for development"
        case .untrustedKey:
            "add the signer's public key to the trusted keys, or sign the bundle with a trusted key"
        case .badSignature:
            "the bundle was altered after signing or signed wrongly; build and sign it again"
        case .unsupportedFormat, .malformed:
            nil
        }
    }
}

/// What is wrong with the layout of a bundle.
public enum BundleLayoutProblem: Sendable, Hashable, CustomStringConvertible {
    /// The header's total length is smaller than a header plus a trailer.
    case totalLengthTooSmall(declared: UInt64)
    /// The header's total length is beyond what a file can hold.
    case totalLengthTooLarge(declared: UInt64)
    /// Bytes after the declared end of the bundle.
    case trailingBytes(count: Int)
    /// A section whose length runs past the section table.
    case sectionBeyondEnd(tag: String, length: UInt64, available: Int)
    /// A section header that does not fit in the section table.
    case sectionHeaderBeyondEnd(index: Int)
    /// A tag that is not four printable ASCII characters (shown in hex).
    case invalidTag(hex: String)
    /// Two sections with the same tag.
    case duplicateTag(String)
    /// Bytes between the last section and the trailer.
    case bytesAfterSections(count: Int)
    /// An unsigned bundle whose key or signature field is not zero.
    case unsignedTrailerNotZero
    /// The `META` section cannot be read.
    case metadata(String)

    /// The problem as a sentence fragment.
    public var description: String {
        switch self {
        case .totalLengthTooSmall(let declared):
            "the declared length \(declared) is shorter than a header and a trailer"
        case .totalLengthTooLarge(let declared):
            "the declared length \(declared) is more than a file can hold"
        case .trailingBytes(let count):
            "\(count) bytes follow the end of the bundle"
        case .sectionBeyondEnd(let tag, let length, let available):
            "section `\(tag)` is \(length) bytes long but only \(available) remain in the section table"
        case .sectionHeaderBeyondEnd(let index):
            "section \(index) does not fit in the section table"
        case .invalidTag(let hex):
            "section tag `\(hex)` (hex) is not four printable ASCII characters"
        case .duplicateTag(let tag):
            "section `\(tag)` appears twice"
        case .bytesAfterSections(let count):
            "\(count) bytes follow the last section"
        case .unsignedTrailerNotZero:
            "an unsigned bundle has a non-zero key or signature"
        case .metadata(let reason):
            "the `META` section \(reason)"
        }
    }
}
