/// Placeholder for the IR section codec.

/// Why IR sections are refused.
public struct IRCodecError: Error, Sendable, CustomStringConvertible {
    /// The message.
    public var description: String
}

/// Encodes and decodes IR programs as bundle sections.
public enum IRCodec {
    /// Decodes the IR sections of a bundle.
    public static func decode(_ c: BundleContainer) throws(IRCodecError) -> IRProgram {
        throw IRCodecError(description: "not implemented")
    }
}
