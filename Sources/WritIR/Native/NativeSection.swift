/// The `NATV` section of a bundle: native code compiled from the bundle's
/// own IR at `writ build --native` (docs/bundle-format.md, docs/native.md).
/// It is covered by the bundle's hash and signature like every section;
/// an engine runs it only on the platform and interface it was built for.

/// Native code for one platform.
public struct NativeSection: Sendable, Hashable {
    /// The section's tag.
    public static let tag = "NATV"
    /// The layout version of the section.
    public static let layoutVersion: UInt32 = 2

    /// The platform, as `x86_64-unknown-linux-gnu`.
    public var target: String
    /// The interface version (`NativeABI.version`) the code was built for.
    public var abi: UInt32
    /// The C compiler's version line, for the record.
    public var compiler: String
    /// The code's identity (`NativeEmitter.source`): the loader refuses an
    /// object that does not carry the same.
    public var id: [UInt8]
    /// The shared object's bytes.
    public var object: [UInt8]

    /// Creates a section.
    public init(target: String, abi: UInt32, compiler: String, id: [UInt8], object: [UInt8]) {
        self.target = target
        self.abi = abi
        self.compiler = compiler
        self.id = id
        self.object = object
    }

    /// The platform this writ runs on, in the form `target` uses.
    public static var hostTarget: String {
        #if arch(x86_64) && os(Linux)
            "x86_64-unknown-linux-gnu"
        #elseif arch(arm64) && os(Linux)
            "aarch64-unknown-linux-gnu"
        #elseif arch(arm64) && os(macOS)
            "arm64-apple-macosx"
        #else
            "unknown"
        #endif
    }

    /// The section's bytes: layout version, interface version, target and
    /// compiler (each a 16-bit length and UTF-8), identity (32 bytes),
    /// object (64-bit length, bytes).
    public func encode() -> [UInt8] {
        var out: [UInt8] = []
        func u(_ v: UInt64, _ n: Int) { for k in 0..<n { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
        u(UInt64(Self.layoutVersion), 4)
        u(UInt64(abi), 4)
        for s in [target, compiler] {
            let b = Array(s.utf8.prefix(Int(UInt16.max)))
            u(UInt64(b.count), 2)
            out += b
        }
        out += id.count == 32 ? id : [UInt8](repeating: 0, count: 32)
        u(UInt64(object.count), 8)
        out += object
        return out
    }

    /// Decodes a section; nil (with the reason) when it is not one this writ reads.
    public static func decode(_ bytes: [UInt8]) -> Result<NativeSection, NativeSectionError> {
        var at = 0
        func u(_ n: Int) -> UInt64? {
            guard at + n <= bytes.count else { return nil }
            var v: UInt64 = 0
            for k in 0..<n { v |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
            at += n
            return v
        }
        func text() -> String? {
            guard let n = u(2), at + Int(n) <= bytes.count else { return nil }
            defer { at += Int(n) }
            return String(decoding: bytes[at..<at + Int(n)], as: UTF8.self)
        }
        guard let layout = u(4) else { return .failure(.truncated) }
        guard layout == UInt64(layoutVersion) else { return .failure(.layout(UInt32(truncatingIfNeeded: layout))) }
        guard let abi = u(4), let target = text(), let compiler = text(), at + 32 <= bytes.count else {
            return .failure(.truncated)
        }
        let id = Array(bytes[at..<at + 32])
        at += 32
        guard let n = u(8), n <= UInt64(bytes.count - at) else { return .failure(.truncated) }
        guard at + Int(n) == bytes.count else { return .failure(.trailingBytes) }
        return .success(
            NativeSection(target: target, abi: UInt32(abi), compiler: compiler, id: id, object: Array(bytes[at...])))
    }
}

/// Why a `NATV` section could not be read.
public enum NativeSectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// It ends before its fields do.
    case truncated
    /// Bytes follow the object.
    case trailingBytes
    /// A layout version this writ does not read.
    case layout(UInt32)

    /// One sentence.
    public var description: String {
        switch self {
        case .truncated: "the native code section ends early"
        case .trailingBytes: "the native code section has bytes after its object"
        case .layout(let v):
            "the native code section has layout version \(v); this writ reads version \(NativeSection.layoutVersion)"
        }
    }
}
