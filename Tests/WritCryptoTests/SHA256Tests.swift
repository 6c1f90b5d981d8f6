/// SHA-256 against FIPS 180-2 / NIST known answers, one-shot and incremental,
/// and the hex helpers.
import Testing
import WritCrypto

@Suite struct SHA256Tests {
    @Test func emptyString() {
        #expect(
            Hex.encode(SHA256.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func abc() {
        #expect(
            Hex.encode(SHA256.hash(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoBlockMessage() {
        let text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(
            Hex.encode(SHA256.hash(Array(text.utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func oneContextHashesManyMessages() {
        var hasher = SHA256Hasher()
        var digest = [UInt8](repeating: 0, count: 32)
        for (text, expected) in [
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ] {
            hasher.update(Array(text.utf8))
            digest.withUnsafeMutableBytes { hasher.finalize(into: $0.baseAddress!) }
            #expect(Hex.encode(digest) == expected, "`\(text)`")
        }
    }

    @Test func oneMillionAIncrementally() {
        var hasher = SHA256Hasher()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(Hex.encode(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalMatchesOneShotAtEverySplit() {
        let message = Array("the quick brown fox jumps over the lazy dog, twice over".utf8)
        let expected = SHA256.hash(message)
        for split in 0...message.count {
            var hasher = SHA256Hasher()
            hasher.update(message[..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize() == expected, "split at \(split)")
        }
    }

    @Test func nonContiguousCollection() {
        let bytes = Array("abc".utf8)
        #expect(SHA256.hash(bytes.reversed().reversed()) == SHA256.hash(bytes))
        #expect(SHA256.hash(Set([UInt8(1)])) == SHA256.hash([UInt8(1)]))
    }

    @Test func littleEndianUpdate() {
        var hasher = SHA256Hasher()
        hasher.update(littleEndian: 0x0102_0304_0506_0708)
        #expect(hasher.finalize() == SHA256.hash([0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]))
    }

    @Test func hexRoundTrip() throws {
        let bytes: [UInt8] = [0x00, 0x01, 0x7f, 0x80, 0xab, 0xff]
        #expect(Hex.encode(bytes) == "00017f80abff")
        #expect(try Hex.decode("00017F80ABff") == bytes)
        #expect(try Hex.decode("") == [])
    }

    @Test(arguments: ["0", "0g", "zz", "abc", " 0a"])
    func badHexIsRefused(_ text: String) {
        #expect(throws: CryptoError.invalidHex(text)) { try Hex.decode(text) }
    }
}
