/// Little-endian byte writing and bounds-checked reading for the bundle
/// codec. The reader never traps: every read checks the bounds first.

/// Appends little-endian integers and raw bytes.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }
    mutating func append(_ value: UInt8) { bytes.append(value) }
    mutating func append(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }

    /// Overwrites 8 bytes at `offset` with `value`.
    mutating func patch(_ value: UInt64, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (i, b) in raw.enumerated() { bytes[offset + i] = b }
        }
    }
}

/// Reads little-endian integers from `bytes[offset..<end]`.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ bytes: [UInt8], from offset: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
    }

    /// Bytes left before `end`.
    var remaining: Int { end - offset }

    /// The next `count` bytes, or `nil` (and no move) if fewer remain.
    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, count <= remaining else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func u8() -> UInt8? { take(1).map { $0[$0.startIndex] } }
    mutating func u16() -> UInt16? { take(2).map { UInt16(truncatingIfNeeded: Self.value($0)) } }
    mutating func u32() -> UInt32? { take(4).map { UInt32(truncatingIfNeeded: Self.value($0)) } }
    mutating func u64() -> UInt64? { take(8).map { Self.value($0) } }

    private static func value(_ slice: ArraySlice<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for (shift, b) in slice.enumerated() { v |= UInt64(b) << (8 * UInt64(shift)) }
        return v
    }
}
