/// Little-endian writing and bounds-checked reading of IR section bodies.
/// Every read checks the remaining length first, and every count is checked
/// against the bytes left, so a damaged section is refused, never trusted.

/// Why IR sections are refused: which section, where, and what is wrong.
public struct IRCodecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The section's tag (`CODE`).
    public var section: String
    /// Byte offset within the section, when known.
    public var offset: Int?
    /// What is wrong, as a sentence fragment.
    public var problem: String

    /// Creates an error.
    public init(section: String, offset: Int? = nil, _ problem: String) {
        self.section = section
        self.offset = offset
        self.problem = problem
    }

    /// One sentence, no capital, no final period.
    public var description: String {
        if let offset { return "bundle section `\(section)` is invalid at byte \(offset): \(problem)" }
        return "bundle section `\(section)` is invalid: \(problem)"
    }
}

extension ByteWriter {
    mutating func i32(_ v: Int) { append(UInt32(bitPattern: Int32(truncatingIfNeeded: v))) }
    mutating func u32(_ v: Int) { append(UInt32(truncatingIfNeeded: v)) }
    mutating func i64(_ v: Int64) { append(UInt64(bitPattern: v)) }
    mutating func i128(_ v: Int128) {
        append(UInt64(truncatingIfNeeded: v))
        append(UInt64(truncatingIfNeeded: v >> 64))
    }
    mutating func string(_ s: String) {
        let b = Array(s.utf8)
        u32(b.count)
        append(b)
    }
    mutating func optionalBool(_ b: Bool?) { append(UInt8(b == nil ? 2 : (b! ? 1 : 0))) }
    mutating func optionalIndex(_ i: Int?) { i32(i ?? -1) }
}

/// Reads one section's body.
struct SectionReader {
    let tag: String
    private var r: ByteReader

    init(_ tag: String, _ bytes: [UInt8]) {
        self.tag = tag
        r = ByteReader(bytes)
    }

    func fail(_ problem: String) -> IRCodecError { IRCodecError(section: tag, offset: r.offset, problem) }

    var remaining: Int { r.remaining }

    mutating func u8() throws(IRCodecError) -> UInt8 {
        guard let v = r.u8() else { throw fail("it ends early") }
        return v
    }
    mutating func u16() throws(IRCodecError) -> UInt16 {
        guard let v = r.u16() else { throw fail("it ends early") }
        return v
    }
    mutating func u32() throws(IRCodecError) -> Int {
        guard let v = r.u32() else { throw fail("it ends early") }
        return Int(v)
    }
    mutating func i32() throws(IRCodecError) -> Int {
        guard let v = r.u32() else { throw fail("it ends early") }
        return Int(Int32(bitPattern: v))
    }
    mutating func i64() throws(IRCodecError) -> Int64 {
        guard let v = r.u64() else { throw fail("it ends early") }
        return Int64(bitPattern: v)
    }
    mutating func i128() throws(IRCodecError) -> Int128 {
        guard let lo = r.u64(), let hi = r.u64() else { throw fail("it ends early") }
        return Int128(Int64(bitPattern: hi)) << 64 | Int128(lo)
    }
    /// A count of items of at least `size` bytes each, checked against what remains.
    mutating func count(_ size: Int) throws(IRCodecError) -> Int {
        let n = try u32()
        guard n <= remaining / Swift.max(1, size) else { throw fail("a count of \(n) is larger than the section") }
        return n
    }
    mutating func string() throws(IRCodecError) -> String {
        let n = try count(1)
        guard let b = r.take(n) else { throw fail("it ends early") }
        guard let s = String(validating: b, as: UTF8.self) else { throw fail("a text is not UTF-8") }
        return s
    }
    mutating func index() throws(IRCodecError) -> Int? {
        let v = try i32()
        guard v >= -1 else { throw fail("an index is negative") }
        return v == -1 ? nil : v
    }
    mutating func optionalBool() throws(IRCodecError) -> Bool? {
        switch try u8() {
        case 0: return false
        case 1: return true
        case 2: return nil
        default: throw fail("a flag is not 0, 1 or 2")
        }
    }
    mutating func kind() throws(IRCodecError) -> ValueKind {
        guard let k = ValueKind(rawValue: try u8()) else { throw fail("a value kind is unknown") }
        return k
    }
    /// Reads and checks the section's format version.
    mutating func version(_ expected: UInt16) throws(IRCodecError) {
        let v = try u16()
        guard v == expected else {
            throw fail(v > expected ? "its format version \(v) is newer than this writ (\(expected))" : "its format version \(v) is unknown")
        }
    }
    /// Checks that nothing follows.
    func end() throws(IRCodecError) {
        guard r.remaining == 0 else { throw fail("\(r.remaining) bytes follow its end") }
    }
}
