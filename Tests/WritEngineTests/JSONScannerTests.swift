/// The JSON scanner's string scanning (eight bytes at a time) finds the same
/// closing quote, escapes and invalid control characters as a byte-by-byte
/// reading, wherever they fall in the eight-byte words.

import Testing

@testable import WritEngine

@Suite struct JSONScannerTests {
    /// Where the string value starting at `start` (after its quote) ends, and
    /// whether it is escaped; nil when it is not a valid JSON string.
    static func reference(_ b: [UInt8], _ start: Int) -> (end: Int, escaped: Bool)? {
        var i = start
        var escaped = false
        while i < b.count {
            let c = b[i]
            if c == 0x22 { return (i, escaped) }
            if c < 0x20 { return nil }
            if c == 0x5C {
                escaped = true
                guard i + 1 < b.count, [0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74].contains(b[i + 1]) else {
                    return nil
                }
                i += 2
                continue
            }
            i += 1
        }
        return nil
    }

    @Test func stringsEndWhereAByteByByteReadingEndsThem() {
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("é".utf8), Array("€".utf8), [0x5C, 0x22], [0x5C, 0x5C], [0x5C, 0x6E], [0x0A], [0x09],
            [0x1F], [0x7F], [0x20], [0x22], [0x5C, 0x71],
        ]
        var state: UInt64 = 12_345
        var scanner = JSONScanner()
        defer { scanner.free() }
        for _ in 0..<20_000 {
            var value: [UInt8] = []
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 59)  // 0…31 pieces
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Mostly plain letters, so runs of eight bytes occur.
                let pick = Int(state >> 60)
                value += pick < 3 ? pieces[Int(state >> 33) % pieces.count] : Array("abcdefgh".utf8.prefix(pick - 2))
            }
            let line = Array("{\"id\":\"".utf8) + value + Array("\"}".utf8)
            let start = 7
            let expected = Self.reference(line, start)
            let result = line.withUnsafeBytes { scanner.scan($0) }
            switch result {
            case .object(let count):
                // Valid as a whole: the value must be a valid string ending just before `"}`.
                #expect(expected?.end == line.count - 2, "\(line)")
                #expect(count == 1)
                #expect(Int(scanner.members[0].valueEnd) == line.count - 2)
                #expect(scanner.members[0].valueEscaped == expected?.escaped)
            default:
                // Invalid: either the string is, or it ends early (a bare quote inside).
                #expect(expected == nil || expected?.end != line.count - 2, "\(line)")
            }
        }
    }
}
