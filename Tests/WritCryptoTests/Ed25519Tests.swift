/// Ed25519: RFC 8032 vectors, sign/verify, PEM round trips, key files (mode
/// 0600, atomic write) and the messages of refused keys.
import Foundation
import Testing
import WritCrypto

@Suite struct Ed25519Tests {
    @Test func rfc8032Vector1() throws {
        let key = try Ed25519PrivateKey(rawRepresentation: Hex.decode(KeyFixtures.rfc8032Test1Secret))
        #expect(Hex.encode(key.publicKey.rawRepresentation) == KeyFixtures.rfc8032Test1Public)
        let signature = key.sign([UInt8]())
        #expect(Hex.encode(signature) == KeyFixtures.rfc8032Test1Signature)
        #expect(key.publicKey.verify(signature: signature, message: [UInt8]()))
    }

    @Test func rfc8032Vector2() throws {
        let key = try Ed25519PrivateKey(rawRepresentation: Hex.decode(KeyFixtures.rfc8032Test2Secret))
        #expect(Hex.encode(key.publicKey.rawRepresentation) == KeyFixtures.rfc8032Test2Public)
        #expect(Hex.encode(key.sign([0x72])) == KeyFixtures.rfc8032Test2Signature)
        let publicKey = try Ed25519PublicKey(rawRepresentation: Hex.decode(KeyFixtures.rfc8032Test2Public))
        #expect(publicKey.verify(signature: try Hex.decode(KeyFixtures.rfc8032Test2Signature), message: [0x72]))
    }

    @Test func verifyRefusesAnyChange() throws {
        let key = try Ed25519PrivateKey.generate()
        let message = Array("limit 100 shares".utf8)
        let signature = key.sign(message)
        #expect(key.publicKey.verify(signature: signature, message: message))
        #expect(!key.publicKey.verify(signature: signature, message: message + [0]))
        #expect(!key.publicKey.verify(signature: signature.dropLast(), message: message))
        #expect(!key.publicKey.verify(signature: signature + [0], message: message))
        for i in signature.indices {
            var bad = signature
            bad[i] ^= 0x01
            #expect(!key.publicKey.verify(signature: bad, message: message), "flipped signature byte \(i)")
        }
        let other = try Ed25519PrivateKey.generate()
        #expect(!other.publicKey.verify(signature: signature, message: message))
    }

    @Test func generatedKeysDiffer() throws {
        let a = try Ed25519PrivateKey.generate()
        let b = try Ed25519PrivateKey.generate()
        #expect(a.rawRepresentation != b.rawRepresentation)
        #expect(a.publicKey != b.publicKey)
        #expect(a.rawRepresentation.count == 32 && a.publicKey.rawRepresentation.count == 32)
    }

    @Test func keyIDIsHexOfFirstEightBytesOfHash() throws {
        let publicKey = try Ed25519PublicKey(rawRepresentation: Hex.decode(KeyFixtures.rfc8032Test1Public))
        let expected = Hex.encode(SHA256.hash(publicKey.rawRepresentation).prefix(8))
        #expect(publicKey.keyID == expected)
        #expect(publicKey.keyID.count == 16)
        #expect("\(publicKey)" == "Ed25519PublicKey(\(expected))")
    }

    @Test func privateKeyDescriptionHidesTheSecret() throws {
        let key = try Ed25519PrivateKey(rawRepresentation: Hex.decode(KeyFixtures.rfc8032Test1Secret))
        #expect(!"\(key)".contains(KeyFixtures.rfc8032Test1Secret))
        #expect("\(key)" == "Ed25519PrivateKey(\(key.publicKey.keyID))")
    }

    @Test func readsRFC8410Keys() throws {
        let key = try Ed25519PrivateKey(pem: KeyFixtures.rfc8410PrivatePEM)
        #expect(Hex.encode(key.rawRepresentation) == KeyFixtures.rfc8410Seed)
        #expect(Hex.encode(key.publicKey.rawRepresentation) == KeyFixtures.rfc8410Public)
        let publicKey = try Ed25519PublicKey(pem: KeyFixtures.rfc8410PublicPEM)
        #expect(publicKey == key.publicKey)
        // OpenSSL writes the same canonical text.
        #expect(key.pemRepresentation == KeyFixtures.rfc8410PrivatePEM)
        #expect(publicKey.pemRepresentation == KeyFixtures.rfc8410PublicPEM)
    }

    @Test func pemRoundTrip() throws {
        let key = try Ed25519PrivateKey.generate()
        let pem = key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let again = try Ed25519PrivateKey(pem: pem)
        #expect(again.rawRepresentation == key.rawRepresentation)
        #expect(again.publicKey == key.publicKey)
        let publicPEM = key.publicKey.pemRepresentation
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try Ed25519PublicKey(pem: publicPEM) == key.publicKey)
    }

    @Test func keyFilesRoundTripWithModes() throws {
        let dir = try TempDir()
        let key = try Ed25519PrivateKey.generate()
        let privatePath = dir.path("signing.pem")
        let publicPath = dir.path("signing.pub.pem")
        try key.write(to: privatePath)
        try key.publicKey.write(to: publicPath)
        #expect(try dir.mode(of: privatePath) == 0o600)
        #expect(try dir.mode(of: publicPath) == 0o644)
        #expect(try Ed25519PrivateKey.read(from: privatePath).rawRepresentation == key.rawRepresentation)
        #expect(try Ed25519PublicKey.read(from: publicPath) == key.publicKey)
        // Overwriting keeps the mode, and no temp files are left behind.
        let other = try Ed25519PrivateKey.generate()
        try other.write(to: privatePath)
        #expect(try dir.mode(of: privatePath) == 0o600)
        #expect(try Ed25519PrivateKey.read(from: privatePath).publicKey == other.publicKey)
        #expect(try dir.names() == ["signing.pem", "signing.pub.pem"])
    }

    /// A key file holds one key: a second key would be ignored (a trust file
    /// of two keys trusted only the first), a private key beside a public
    /// one or any other text is refused, naming what was found.
    @Test func keyFilesHoldOneKeyAlone() throws {
        let other = try Ed25519PrivateKey.generate()
        let two = KeyFixtures.rfc8410PublicPEM + other.publicKey.pemRepresentation
        #expect(throws: CryptoError.extraContent(source: .text, detail: "2 PEM blocks (`PUBLIC KEY`, `PUBLIC KEY`)")) {
            try Ed25519PublicKey(pem: two)
        }
        let privateAndPublic = KeyFixtures.rfc8410PrivatePEM + KeyFixtures.rfc8410PublicPEM
        #expect(throws: CryptoError.extraContent(source: .text, detail: "2 PEM blocks (`PRIVATE KEY`, `PUBLIC KEY`)")) {
            try Ed25519PublicKey(pem: privateAndPublic)
        }
        #expect(throws: CryptoError.self) { try Ed25519PrivateKey(pem: privateAndPublic) }
        let trailing = KeyFixtures.rfc8410PublicPEM + "garbage\n"
        #expect(throws: CryptoError.extraContent(source: .text, detail: "1 line of text outside its `PUBLIC KEY` block")) {
            try Ed25519PublicKey(pem: trailing)
        }
        // Blank lines, CRLF line ends and a byte-order mark are not content.
        let crlf = "\u{FEFF}" + KeyFixtures.rfc8410PublicPEM.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n  \n"
        #expect(try Ed25519PublicKey(pem: crlf) == Ed25519PublicKey(pem: KeyFixtures.rfc8410PublicPEM))
    }

    /// `writePair` writes both files or neither: a public key path that
    /// cannot be written leaves no private key behind, and an existing pair
    /// stays as it was.
    @Test func keyPairsAreWrittenTogether() throws {
        let dir = try TempDir()
        let old = try Ed25519PrivateKey.generate()
        try old.writePair(keyPath: dir.path("writ.key"), pubPath: dir.path("writ.pub"))
        #expect(try Ed25519PublicKey.read(from: dir.path("writ.pub")) == old.publicKey)
        #expect(try dir.mode(of: dir.path("writ.key")) == 0o600)
        let new = try Ed25519PrivateKey.generate()
        #expect(throws: CryptoError.self) {
            try new.writePair(keyPath: dir.path("writ.key"), pubPath: dir.path("missing/writ.pub"))
        }
        #expect(try Ed25519PrivateKey.read(from: dir.path("writ.key")).publicKey == old.publicKey)
        #expect(try dir.names() == ["writ.key", "writ.pub"])
    }

    @Test func missingFileIsNamed() throws {
        let dir = try TempDir()
        let path = dir.path("nope.pem")
        do {
            _ = try Ed25519PrivateKey.read(from: path)
            Issue.record("read a missing file")
        } catch {
            #expect(error == .cannotRead(path: path, reason: "no such file or directory"))
            #expect(error.description == "cannot read key file `\(path)`: no such file or directory")
        }
    }

    @Test func unwritableDirectoryIsNamed() throws {
        let key = try Ed25519PrivateKey.generate()
        let path = "/nonexistent-writ-dir/key.pem"
        #expect(throws: CryptoError.cannotWrite(path: path, reason: "no such file or directory")) {
            try key.write(to: path)
        }
    }

    @Test func wrongKeyTypeIsNamed() throws {
        let dir = try TempDir()
        let path = dir.path("ec.pem")
        try KeyFixtures.p256PrivatePEM.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Ed25519PrivateKey.read(from: path)
            Issue.record("accepted an EC key")
        } catch {
            #expect(error == .wrongKeyType(source: .file(path), found: "EC"))
            #expect(error.description == "key file `\(path)` holds a key of type `EC`, not Ed25519")
            #expect(error.help != nil)
        }
    }

    @Test func encryptedKeyIsRefusedWithoutPrompting() {
        #expect(throws: CryptoError.encryptedKey(source: .text)) {
            try Ed25519PrivateKey(pem: KeyFixtures.encryptedPEM)
        }
    }

    @Test func notPEMIsRefused() {
        #expect(throws: CryptoError.notPEM(source: .text, expected: "PRIVATE KEY")) {
            try Ed25519PrivateKey(pem: "hello")
        }
        #expect(throws: CryptoError.notPEM(source: .text, expected: "PUBLIC KEY")) {
            try Ed25519PublicKey(pem: KeyFixtures.rfc8410PrivatePEM)
        }
    }

    @Test func damagedPEMIsRefusedWithADetail() {
        let damaged = KeyFixtures.rfc8410PrivatePEM.replacingOccurrences(of: "MC4CAQAw", with: "MC4CAQBw")
        do {
            _ = try Ed25519PrivateKey(pem: damaged)
            Issue.record("accepted a damaged key")
        } catch {
            guard case .invalidKey(.text, let detail) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(!detail.isEmpty)
            #expect(error.description.hasPrefix("the key text does not hold a valid key: "))
        }
    }

    @Test(arguments: [0, 31, 33, 64])
    func rawKeysOfTheWrongLengthAreRefused(_ count: Int) {
        let bytes = [UInt8](repeating: 7, count: count)
        #expect(throws: CryptoError.invalidLength(what: "an Ed25519 public key", expected: 32, actual: count)) {
            try Ed25519PublicKey(rawRepresentation: bytes)
        }
        #expect(throws: CryptoError.invalidLength(what: "an Ed25519 private key", expected: 32, actual: count)) {
            try Ed25519PrivateKey(rawRepresentation: bytes)
        }
    }
}

/// A fresh temporary directory, removed when the value goes away.
final class TempDir {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("writ-crypto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
}
