/// The signed bundle container: a versioned binary envelope of tagged
/// sections (schema, IR, data, metadata) with a SHA-256 content hash and an
/// optional Ed25519 signature. The byte layout is in docs/bundle-format.md.
import WritCrypto

/// One tagged section of a bundle.
public struct BundleSection: Sendable, Hashable {
    /// Four printable ASCII characters, e.g. `SCHM`, `IR  `, `DATA`.
    public var tag: String
    /// The section's bytes, opaque to the container.
    public var bytes: [UInt8]

    /// Creates a section.
    public init(tag: String, bytes: [UInt8]) {
        self.tag = tag
        self.bytes = bytes
    }
}

/// Where a decoded bundle came from: its content hash and its signer.
public struct BundleProvenance: Sendable, Hashable {
    /// SHA-256 of every byte before the trailer (the bundle's identity).
    public var contentHash: [UInt8]
    /// The trusted key that signed it; `nil` for an unsigned bundle.
    public var signer: Ed25519PublicKey?
    /// The format version it was written in.
    public var formatVersion: UInt16
}

/// A bundle: sections in order plus string metadata (stored in a `META`
/// section). Build one and `encode` it, or `decode` bytes, which checks the
/// layout, the content hash and the signature before returning anything.
public struct BundleContainer: Sendable {
    /// The sections in file order, without `META`.
    public var sections: [BundleSection]
    /// Metadata such as the compiler version or build time.
    public var metadata: [String: String]
    /// Set by `decode`: the content hash and signer; `nil` for a bundle built in memory.
    public private(set) var provenance: BundleProvenance?

    /// Creates a bundle.
    /// - Precondition: each tag is four printable ASCII characters, tags are
    ///   unique, and none is `META` (pass metadata through `metadata`).
    public init(sections: [(tag: String, bytes: [UInt8])], metadata: [String: String] = [:]) {
        var seen = Set<String>()
        for s in sections {
            precondition(
                BundleFormat.isValidTag(s.tag), "bundle section tag `\(s.tag)` is not four printable ASCII characters")
            precondition(
                s.tag != BundleFormat.metadataTag, "pass bundle metadata through `metadata`, not as a `META` section")
            precondition(seen.insert(s.tag).inserted, "bundle section `\(s.tag)` appears twice")
        }
        self.sections = sections.map { BundleSection(tag: $0.tag, bytes: $0.bytes) }
        self.metadata = metadata
        self.provenance = nil
    }

    /// The bytes of the section tagged `tag`, if there is one.
    public func section(_ tag: String) -> [UInt8]? {
        sections.first { $0.tag == tag }?.bytes
    }

    // MARK: - Encoding

    /// The bundle's bytes, signed with `signingKey` or unsigned when it is `nil`.
    public func encode(signingKey: Ed25519PrivateKey?) -> [UInt8] {
        var all = sections
        if !metadata.isEmpty {
            all.append(BundleSection(tag: BundleFormat.metadataTag, bytes: BundleMetadata.encode(metadata)))
        }
        var w = ByteWriter()
        w.append(BundleFormat.magic)
        w.append(BundleFormat.currentVersion)
        w.append(BundleFormat.knownFlags)
        w.append(UInt32(all.count))
        w.append(UInt64(0))  // total length, patched below
        for s in all {
            w.append(Array(s.tag.utf8))
            w.append(UInt64(s.bytes.count))
            w.append(s.bytes)
        }
        w.patch(UInt64(w.bytes.count + BundleFormat.trailerSize), at: BundleFormat.Offset.totalLength)
        let hash = SHA256.hash(w.bytes)
        w.append(hash)
        if let signingKey {
            w.append(BundleSignatureKind.ed25519.rawValue)
            w.append(signingKey.publicKey.rawRepresentation)
            w.append(signingKey.sign(hash))
        } else {
            w.append(BundleSignatureKind.unsigned.rawValue)
            w.append([UInt8](repeating: 0, count: 32 + 64))
        }
        return w.bytes
    }

    // MARK: - Decoding

    /// Reads a bundle, refusing it unless it is intact and signed by one of
    /// `trust` (or unsigned, when `allowUnsigned`). Never traps on any input.
    ///
    /// Checks, in order: magic, format version, header, length, content hash,
    /// signature, then the section table — so sections are only parsed once
    /// the bytes are known to be the ones that were signed.
    public static func decode(
        _ bytes: [UInt8], trust: [Ed25519PublicKey], allowUnsigned: Bool
    ) throws(BundleError) -> BundleContainer {
        let n = bytes.count
        // Magic: a short prefix of the magic is a truncated bundle, anything else is not a bundle.
        let magicPart = min(n, BundleFormat.magic.count)
        guard bytes[0..<magicPart].elementsEqual(BundleFormat.magic[0..<magicPart]) else { throw .badMagic }
        // Version first: a newer format may lay out everything after it differently.
        var header = ByteReader(bytes, from: BundleFormat.Offset.version)
        if let version = header.u16() {
            if version > BundleFormat.currentVersion { throw .newerFormat(version: version) }
            if version == 0 { throw .unsupportedFormat(version: version) }
        }
        guard n >= BundleFormat.headerSize else { throw .truncated(offset: n, expected: BundleFormat.headerSize - n) }
        let flags = header.u16() ?? 0
        guard flags & ~BundleFormat.knownFlags == 0 else { throw .unknownFlags(flags) }
        let sectionCount = header.u32() ?? 0
        let declared = header.u64() ?? 0
        let minimum = UInt64(BundleFormat.headerSize + BundleFormat.trailerSize)
        guard declared >= minimum else {
            throw .malformed(offset: BundleFormat.Offset.totalLength, problem: .totalLengthTooSmall(declared: declared))
        }
        guard declared <= UInt64(Int.max) else {
            throw .malformed(offset: BundleFormat.Offset.totalLength, problem: .totalLengthTooLarge(declared: declared))
        }
        guard declared <= UInt64(n) else { throw .truncated(offset: n, expected: Int(declared) - n) }
        let total = Int(declared)
        guard total == n else { throw .malformed(offset: total, problem: .trailingBytes(count: n - total)) }

        // Trailer: hash, signature kind, key, signature.
        let bodyEnd = total - BundleFormat.trailerSize
        var trailer = ByteReader(bytes, from: bodyEnd)
        let storedHash = Array(trailer.take(32) ?? [])
        let kindByte = trailer.u8() ?? 0
        let keyBytes = Array(trailer.take(32) ?? [])
        let signature = Array(trailer.take(64) ?? [])
        let computed = bytes.withUnsafeBytes { SHA256.hash(UnsafeRawBufferPointer(rebasing: $0[0..<bodyEnd])) }
        guard computed == storedHash else { throw .corrupted(stored: storedHash, computed: computed) }

        var signer: Ed25519PublicKey?
        switch BundleSignatureKind(rawValue: kindByte) {
        case .unsigned:
            guard allowUnsigned else { throw .unsigned }
            guard keyBytes.allSatisfy({ $0 == 0 }), signature.allSatisfy({ $0 == 0 }) else {
                throw .malformed(offset: bodyEnd + 33, problem: .unsignedTrailerNotZero)
            }
        case .ed25519:
            // 32 bytes were read, so this cannot fail; a failure is refused like a foreign key.
            guard let key = try? Ed25519PublicKey(rawRepresentation: keyBytes) else {
                throw .untrustedKey(keyID: Hex.encode(SHA256.hash(keyBytes).prefix(8)))
            }
            guard trust.contains(key) else { throw .untrustedKey(keyID: key.keyID) }
            guard key.verify(signature: signature, message: storedHash) else { throw .badSignature(keyID: key.keyID) }
            signer = key
        case nil:
            throw .unknownSignatureKind(kindByte)
        }

        var container = try parseSections(bytes, count: sectionCount, end: bodyEnd)
        container.provenance = BundleProvenance(
            contentHash: storedHash, signer: signer, formatVersion: BundleFormat.currentVersion)
        return container
    }

    /// Parses the section table in `bytes[headerSize..<end]`.
    private static func parseSections(_ bytes: [UInt8], count: UInt32, end: Int) throws(BundleError) -> BundleContainer
    {
        var r = ByteReader(bytes, from: BundleFormat.headerSize, to: end)
        var sections: [BundleSection] = []
        var metadata: [String: String] = [:]
        var seen = Set<String>()
        var index = 0
        while index < Int(count) {
            let start = r.offset
            guard let tagBytes = r.take(4), let length = r.u64() else {
                throw .malformed(offset: start, problem: .sectionHeaderBeyondEnd(index: index))
            }
            guard tagBytes.allSatisfy({ (0x20...0x7e).contains($0) }) else {
                throw .malformed(offset: start, problem: .invalidTag(hex: Hex.encode(tagBytes)))
            }
            let tag = String(decoding: tagBytes, as: UTF8.self)
            guard length <= UInt64(r.remaining), let body = r.take(Int(length)) else {
                throw .malformed(
                    offset: start, problem: .sectionBeyondEnd(tag: tag, length: length, available: r.remaining))
            }
            guard seen.insert(tag).inserted else { throw .malformed(offset: start, problem: .duplicateTag(tag)) }
            if tag == BundleFormat.metadataTag {
                metadata = try BundleMetadata.decode(Array(body), sectionOffset: start)
            } else {
                sections.append(BundleSection(tag: tag, bytes: Array(body)))
            }
            index += 1
        }
        guard r.remaining == 0 else {
            throw .malformed(offset: r.offset, problem: .bytesAfterSections(count: r.remaining))
        }
        var container = BundleContainer(sections: [], metadata: metadata)
        container.sections = sections
        return container
    }
}
