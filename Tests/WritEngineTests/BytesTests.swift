/// The byte helpers the engine copies and scans texts with, against the
/// byte-by-byte definition: every length up to 40, the byte looked for
/// at every place (or nowhere), among bytes one away from it and bytes
/// with the top bit set.

import Testing

@testable import WritEngine

@Suite struct BytesTests {
    @Test func containsAndCopyAgreeWithByteByByte() {
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt8 {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return UInt8(truncatingIfNeeded: seed)
        }
        let neighbours: [UInt8] = [0x1E, 0x20, 0x9F, 0x80, 0xFF, 0x00, 0x3E, 0x1F ^ 0x80]
        var found = 0
        for byte: UInt8 in [0x1F, 0x00, 0x80, 0xFF] {
            for n in 0...40 {
                for at in -1..<n {
                    // Bytes other than `byte`, then `byte` at `at` (none for -1), at an odd offset.
                    var bytes = [UInt8](repeating: 0, count: n + 1)
                    for k in 1..<(n + 1) {
                        var b = next() % 2 == 0 ? neighbours[Int(next()) % neighbours.count] : next()
                        if b == byte { b = byte &+ 1 }
                        bytes[k] = b
                    }
                    if at >= 0 { bytes[at + 1] = byte }
                    let expected = bytes[1...].contains(byte)
                    let (contained, copied) = bytes.withUnsafeBytes { raw in
                        let p = raw.baseAddress! + 1
                        var out = [UInt8](repeating: 0xAA, count: n + 2)
                        out.withUnsafeMutableBytes { Bytes.copy($0.baseAddress! + 1, p, n) }
                        return (Bytes.contains(p, n, byte), out)
                    }
                    #expect(contained == expected, "byte \(byte), length \(n), at \(at): \(bytes)")
                    #expect(copied[0] == 0xAA && copied[n + 1] == 0xAA && Array(copied[1..<(n + 1)]) == Array(bytes[1...]))
                    if expected { found += 1 }
                }
            }
        }
        #expect(found > 1000)
    }
}
