/// The bundle container: round trips, the exact byte layout, and refusal of
/// every damaged, truncated, foreign, unsigned, newer or malformed bundle.
import Testing
import WritCrypto

@testable import WritIR

@Suite struct BundleContainerTests {
    static let signer = try! Ed25519PrivateKey(rawRepresentation: Array(repeating: 0x11, count: 32))
    static let stranger = try! Ed25519PrivateKey(rawRepresentation: Array(repeating: 0x22, count: 32))

    static func sample() -> BundleContainer {
        BundleContainer(
            sections: [
                (tag: "SCHM", bytes: Array("schema".utf8)), (tag: "IR  ", bytes: [1, 2, 3]), (tag: "DATA", bytes: []),
            ],
            metadata: ["compiler": "writ 0.1", "built": "2026-11-28"])
    }

    // MARK: round trips

    @Test func signedRoundTrip() throws {
        let bytes = Self.sample().encode(signingKey: Self.signer)
        let decoded = try BundleContainer.decode(
            bytes, trust: [Self.stranger.publicKey, Self.signer.publicKey], allowUnsigned: false)
        #expect(decoded.sections == Self.sample().sections)
        #expect(decoded.metadata == Self.sample().metadata)
        #expect(decoded.section("IR  ") == [1, 2, 3])
        #expect(decoded.section("NOPE") == nil)
        #expect(decoded.provenance?.signer == Self.signer.publicKey)
        #expect(decoded.provenance?.contentHash == SHA256.hash(bytes.dropLast(BundleFormat.trailerSize)))
        #expect(decoded.provenance?.formatVersion == 1)
    }

    @Test func unsignedRoundTripWhenAllowed() throws {
        let bytes = Self.sample().encode(signingKey: nil)
        let decoded = try BundleContainer.decode(bytes, trust: [], allowUnsigned: true)
        #expect(decoded.sections == Self.sample().sections)
        #expect(decoded.metadata == Self.sample().metadata)
        #expect(decoded.provenance?.signer == nil)
    }

    @Test func unsignedIsRefusedUnlessAllowed() {
        let bytes = Self.sample().encode(signingKey: nil)
        do {
            _ = try BundleContainer.decode(bytes, trust: [Self.signer.publicKey], allowUnsigned: false)
            Issue.record("accepted an unsigned bundle")
        } catch {
            #expect(error == .unsigned)
            #expect(error.description == "bundle is unsigned and signed bundles are required")
            #expect(error.help == "pass --allow-unsigned for development")
        }
    }

    @Test func emptyBundleRoundTrip() throws {
        let bytes = BundleContainer(sections: []).encode(signingKey: Self.signer)
        #expect(bytes.count == BundleFormat.headerSize + BundleFormat.trailerSize)
        let decoded = try BundleContainer.decode(bytes, trust: [Self.signer.publicKey], allowUnsigned: false)
        #expect(decoded.sections.isEmpty && decoded.metadata.isEmpty)
    }

    @Test func encodingIsDeterministic() {
        let a = BundleContainer(sections: [(tag: "IR  ", bytes: [9])], metadata: ["b": "2", "a": "1", "c": "3"])
        var b = BundleContainer(sections: [(tag: "IR  ", bytes: [9])])
        b.metadata["c"] = "3"
        b.metadata["a"] = "1"
        b.metadata["b"] = "2"
        #expect(a.encode(signingKey: Self.signer) == b.encode(signingKey: Self.signer))
    }

    @Test func largeAndUnicodeContentRoundTrips() throws {
        let big = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let metadata = ["note": "prix € — 価格", "": ""]
        let bundle = BundleContainer(sections: [(tag: "DATA", bytes: big)], metadata: metadata)
        let decoded = try BundleContainer.decode(
            bundle.encode(signingKey: Self.signer), trust: [Self.signer.publicKey], allowUnsigned: false)
        #expect(decoded.section("DATA") == big)
        #expect(decoded.metadata == ["note": "prix € — 価格", "": ""])
    }

    // MARK: the byte layout

    @Test func byteLayoutOfASmallBundle() {
        let bytes = BundleContainer(sections: [(tag: "IR  ", bytes: [0xaa, 0xbb])]).encode(signingKey: nil)
        let total = 24 + 12 + 2 + 129
        #expect(bytes.count == total)
        #expect(Array(bytes[0..<8]) == Array("WRITBNDL".utf8))
        #expect(Array(bytes[8..<10]) == [1, 0])  // version 1, little-endian
        #expect(Array(bytes[10..<12]) == [0, 0])  // flags
        #expect(Array(bytes[12..<16]) == [1, 0, 0, 0])  // one section
        #expect(Array(bytes[16..<24]) == [UInt8(total), 0, 0, 0, 0, 0, 0, 0])  // total length
        #expect(Array(bytes[24..<28]) == Array("IR  ".utf8))
        #expect(Array(bytes[28..<36]) == [2, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[36..<38]) == [0xaa, 0xbb])
        #expect(Array(bytes[38..<70]) == SHA256.hash(bytes[0..<38]))
        #expect(bytes[70] == 0)  // unsigned
        #expect(bytes[71..<bytes.count].allSatisfy { $0 == 0 })
    }

    @Test func signatureIsOverTheHash() {
        let bytes = BundleContainer(sections: [(tag: "IR  ", bytes: [7])]).encode(signingKey: Self.signer)
        let end = bytes.count - BundleFormat.trailerSize
        let hash = Array(bytes[end..<end + 32])
        #expect(bytes[end + 32] == 1)
        #expect(Array(bytes[end + 33..<end + 65]) == Self.signer.publicKey.rawRepresentation)
        #expect(Array(bytes[(end + 65)...]) == Self.signer.sign(hash))
    }

    // MARK: damage

    /// The reason expected when byte `offset` of a signed bundle is changed.
    static func expectedReason(flippedAt offset: Int, in bytes: [UInt8], to value: UInt8, allowUnsigned: Bool) -> String
    {
        let end = bytes.count - BundleFormat.trailerSize
        switch offset {
        case 0..<8: return "badMagic"
        case 8..<10: return "version"
        case 10..<12: return "unknownFlags"
        case 16..<24: return "length"
        case end + 32: return value == 0 ? (allowUnsigned ? "malformed" : "unsigned") : "unknownSignatureKind"
        case (end + 33)..<(end + 65): return "untrustedKey"
        case (end + 65)...: return "badSignature"
        default: return "corrupted"  // section count, sections, and the stored hash
        }
    }

    static func category(_ error: BundleError) -> String {
        switch error {
        case .badMagic: "badMagic"
        case .newerFormat, .unsupportedFormat: "version"
        case .unknownFlags: "unknownFlags"
        case .truncated, .malformed(_, .trailingBytes), .malformed(_, .totalLengthTooSmall),
            .malformed(_, .totalLengthTooLarge):
            "length"
        case .corrupted: "corrupted"
        case .unsigned: "unsigned"
        case .untrustedKey: "untrustedKey"
        case .badSignature: "badSignature"
        case .unknownSignatureKind: "unknownSignatureKind"
        case .malformed: "malformed"
        }
    }

    @Test(arguments: [UInt8(0x01), 0x80, 0xff], [false, true])
    func everyFlippedByteIsRefusedWithItsReason(mask: UInt8, allowUnsigned: Bool) {
        let bytes = Self.sample().encode(signingKey: Self.signer)
        for offset in bytes.indices {
            var damaged = bytes
            damaged[offset] ^= mask
            do {
                _ = try BundleContainer.decode(damaged, trust: [Self.signer.publicKey], allowUnsigned: allowUnsigned)
                Issue.record("accepted a bundle with byte \(offset) xor \(mask)")
            } catch {
                let want = Self.expectedReason(
                    flippedAt: offset, in: bytes, to: damaged[offset], allowUnsigned: allowUnsigned)
                #expect(Self.category(error) == want, "byte \(offset) xor \(mask): \(error)")
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func everyTruncationIsRefused() {
        let bytes = Self.sample().encode(signingKey: Self.signer)
        for length in 0..<bytes.count {
            let expected = length < 24 ? 24 - length : bytes.count - length
            #expect(throws: BundleError.truncated(offset: length, expected: expected), "length \(length)") {
                try BundleContainer.decode(Array(bytes[..<length]), trust: [Self.signer.publicKey], allowUnsigned: true)
            }
        }
    }

    @Test func truncationMessageNamesOffsetAndCount() {
        #expect(
            BundleError.truncated(offset: 200, expected: 129).description
                == "bundle is truncated: it ends at byte 200 but 129 more bytes were expected")
    }

    @Test func notABundle() {
        for text in ["hello world, this is not a bundle at all", "X", "WRITBNDX", "\u{0}", "WRITbndl"] {
            #expect(throws: BundleError.badMagic) {
                try BundleContainer.decode(Array(text.utf8), trust: [], allowUnsigned: true)
            }
        }
        #expect(BundleError.badMagic.description == "not a Writ bundle")
        // A short prefix of the magic is a truncated bundle, not a foreign file.
        #expect(throws: BundleError.truncated(offset: 1, expected: 23)) {
            try BundleContainer.decode(Array("W".utf8), trust: [], allowUnsigned: true)
        }
    }

    @Test func untrustedSignerIsNamed() {
        let bytes = Self.sample().encode(signingKey: Self.stranger)
        for trust in [[], [Self.signer.publicKey]] {
            do {
                _ = try BundleContainer.decode(bytes, trust: trust, allowUnsigned: true)
                Issue.record("accepted a bundle signed by an untrusted key")
            } catch {
                #expect(error == .untrustedKey(keyID: Self.stranger.publicKey.keyID))
                #expect(
                    error.description
                        == "bundle is signed by key `\(Self.stranger.publicKey.keyID)`, which is not trusted")
            }
        }
    }

    @Test func newerVersionIsRefusedWithThatReason() {
        var bytes = Self.sample().encode(signingKey: Self.signer)
        bytes[8] = 2
        do {
            _ = try BundleContainer.decode(bytes, trust: [Self.signer.publicKey], allowUnsigned: true)
            Issue.record("accepted a newer format")
        } catch {
            #expect(error == .newerFormat(version: 2))
            #expect(error.description == "format version 2 is newer than this writ's (1)")
        }
        // Even when only the header survived: the version is checked before the length.
        #expect(throws: BundleError.newerFormat(version: 2)) {
            try BundleContainer.decode(Array(bytes[0..<10]), trust: [], allowUnsigned: true)
        }
    }

    @Test func versionZeroAndUnknownFlags() {
        var bytes = Self.sample().encode(signingKey: nil)
        bytes[8] = 0
        #expect(throws: BundleError.unsupportedFormat(version: 0)) {
            try BundleContainer.decode(bytes, trust: [], allowUnsigned: true)
        }
        bytes = Self.sample().encode(signingKey: nil)
        bytes[11] = 0x80
        #expect(throws: BundleError.unknownFlags(0x8000)) {
            try BundleContainer.decode(bytes, trust: [], allowUnsigned: true)
        }
    }

    @Test func badSignatureByTrustedKey() {
        var bytes = Self.sample().encode(signingKey: Self.signer)
        bytes[bytes.count - 1] ^= 0x40
        #expect(throws: BundleError.badSignature(keyID: Self.signer.publicKey.keyID)) {
            try BundleContainer.decode(bytes, trust: [Self.signer.publicKey], allowUnsigned: true)
        }
    }

    @Test func swappedSignerKeyIsRefused() {
        // Replace the signer field by another trusted key: the signature does not verify under it.
        var bytes = Self.sample().encode(signingKey: Self.signer)
        let keyOffset = bytes.count - 64 - 32
        bytes.replaceSubrange(keyOffset..<keyOffset + 32, with: Self.stranger.publicKey.rawRepresentation)
        #expect(throws: BundleError.badSignature(keyID: Self.stranger.publicKey.keyID)) {
            try BundleContainer.decode(
                bytes, trust: [Self.signer.publicKey, Self.stranger.publicKey], allowUnsigned: false)
        }
    }

    // MARK: malformed but correctly hashed and signed

    /// Header + `body` + a valid trailer signed by `signer`, with the given section count.
    static func sealed(count: UInt32, body: [UInt8], extraLength: Int = 0) -> [UInt8] {
        var w = ByteWriter()
        w.append(BundleFormat.magic)
        w.append(UInt16(1))
        w.append(UInt16(0))
        w.append(count)
        w.append(UInt64(24 + body.count + 129 + extraLength))
        w.append(body)
        let hash = SHA256.hash(w.bytes)
        w.append(hash)
        w.append(UInt8(1))
        w.append(signer.publicKey.rawRepresentation)
        w.append(signer.sign(hash))
        return w.bytes
    }

    static func section(_ tag: String, length: UInt64, _ bytes: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.append(Array(tag.utf8))
        w.append(length)
        w.append(bytes)
        return w.bytes
    }

    static func decodeSealed(_ bytes: [UInt8]) throws(BundleError) -> BundleContainer {
        try BundleContainer.decode(bytes, trust: [signer.publicKey], allowUnsigned: false)
    }

    @Test func sealedHelperMakesValidBundles() throws {
        let bundle = try Self.decodeSealed(Self.sealed(count: 1, body: Self.section("IR  ", length: 1, [5])))
        #expect(bundle.section("IR  ") == [5])
    }

    @Test func sectionLengthBeyondTheEnd() {
        let body = Self.section("IR  ", length: 1000, [1, 2, 3])
        #expect(
            throws: BundleError.malformed(
                offset: 24, problem: .sectionBeyondEnd(tag: "IR  ", length: 1000, available: 3))
        ) {
            try Self.decodeSealed(Self.sealed(count: 1, body: body))
        }
        let huge = Self.section("IR  ", length: .max, [1])
        #expect(
            throws: BundleError.malformed(
                offset: 24, problem: .sectionBeyondEnd(tag: "IR  ", length: .max, available: 1))
        ) {
            try Self.decodeSealed(Self.sealed(count: 1, body: huge))
        }
    }

    @Test func duplicateTags() {
        let body = Self.section("DATA", length: 1, [1]) + Self.section("DATA", length: 1, [2])
        #expect(throws: BundleError.malformed(offset: 37, problem: .duplicateTag("DATA"))) {
            try Self.decodeSealed(Self.sealed(count: 2, body: body))
        }
    }

    @Test func moreSectionsDeclaredThanPresent() {
        let body = Self.section("DATA", length: 1, [1])
        #expect(throws: BundleError.malformed(offset: 37, problem: .sectionHeaderBeyondEnd(index: 1))) {
            try Self.decodeSealed(Self.sealed(count: .max, body: body))
        }
    }

    @Test func trailingBytesAfterTheSections() {
        let body = Self.section("DATA", length: 1, [1]) + [0, 0, 0]
        #expect(throws: BundleError.malformed(offset: 37, problem: .bytesAfterSections(count: 3))) {
            try Self.decodeSealed(Self.sealed(count: 1, body: body))
        }
    }

    @Test func trailingBytesAfterTheBundle() {
        let bytes = Self.sample().encode(signingKey: Self.signer)
        #expect(throws: BundleError.malformed(offset: bytes.count, problem: .trailingBytes(count: 1))) {
            try Self.decodeSealed(bytes + [0])
        }
    }

    @Test func invalidTag() {
        let body = [0x00, 0x49, 0x52, 0x20] + Self.section("", length: 0, [])
        #expect(throws: BundleError.malformed(offset: 24, problem: .invalidTag(hex: "00495220"))) {
            try Self.decodeSealed(Self.sealed(count: 1, body: body))
        }
    }

    @Test func totalLengthTooSmall() {
        var bytes = Self.sample().encode(signingKey: nil)
        bytes.replaceSubrange(16..<24, with: [10, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: BundleError.malformed(offset: 16, problem: .totalLengthTooSmall(declared: 10))) {
            try BundleContainer.decode(bytes, trust: [], allowUnsigned: true)
        }
    }

    /// A length no file can have is named as such, not as a truncation by a clamped count.
    @Test func totalLengthTooLarge() {
        var bytes = Self.sample().encode(signingKey: nil)
        bytes.replaceSubrange(16..<24, with: [UInt8](repeating: 0xFF, count: 8))
        #expect(throws: BundleError.malformed(offset: 16, problem: .totalLengthTooLarge(declared: UInt64.max))) {
            try BundleContainer.decode(bytes, trust: [], allowUnsigned: true)
        }
    }

    @Test func unsignedTrailerMustBeZero() {
        var bytes = Self.sample().encode(signingKey: Self.signer)
        bytes[bytes.count - 97] = 0  // signature kind → unsigned, key and signature left in place
        #expect(throws: BundleError.malformed(offset: bytes.count - 96, problem: .unsignedTrailerNotZero)) {
            try BundleContainer.decode(bytes, trust: [], allowUnsigned: true)
        }
    }

    @Test(
        arguments: [
            ([0, 0, 0], "has no entry count"),
            ([1, 0, 0, 0, 5, 0, 0, 0], "ends inside entry 0"),
            ([0, 0, 0, 0, 9], "has 1 bytes after its last entry"),
            ([1, 0, 0, 0, 1, 0, 0, 0, 0xff, 0, 0, 0, 0], "has text that is not UTF-8 at entry 0"),
            (
                [2, 0, 0, 0, 1, 0, 0, 0, 0x62, 0, 0, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0, 0],
                "has keys out of order or repeated at entry 1"
            ),
            (
                [2, 0, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0, 0],
                "has keys out of order or repeated at entry 1"
            ),
        ] as [([UInt8], String)])
    func malformedMetadata(_ meta: [UInt8], reason: String) {
        let body = Self.section("META", length: UInt64(meta.count), meta)
        #expect(throws: BundleError.malformed(offset: 24, problem: .metadata(reason))) {
            try Self.decodeSealed(Self.sealed(count: 1, body: body))
        }
    }

    // MARK: robustness

    @Test func randomInputsNeverCrashAndAreRefused() {
        var rng = SplitMix64(seed: 0x5752_4954)
        let valid = Self.sample().encode(signingKey: Self.signer)
        for round in 0..<3000 {
            var bytes: [UInt8]
            switch round % 3 {
            case 0:  // pure noise, sometimes with the right magic and version
                bytes = (0..<Int(rng.next() % 400)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if round % 2 == 0 && bytes.count > 10 {
                    bytes.replaceSubrange(0..<10, with: BundleFormat.magic + [1, 0])
                }
            case 1:  // a valid bundle with a few random bytes changed
                bytes = valid
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
                if bytes == valid { continue }
            default:  // a structurally random but correctly sealed body
                let body = (0..<Int(rng.next() % 120)).map { _ in UInt8(truncatingIfNeeded: rng.next() % 8) }
                bytes = Self.sealed(count: UInt32(rng.next() % 6), body: body)
            }
            do {
                let b = try BundleContainer.decode(bytes, trust: [Self.signer.publicKey], allowUnsigned: true)
                // Only a sealed body can be accepted, and then only if its table is exact.
                #expect(round % 3 == 2, "accepted damaged input in round \(round)")
                _ = b.sections.count
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }
}

/// A small deterministic random number generator for the robustness test.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
