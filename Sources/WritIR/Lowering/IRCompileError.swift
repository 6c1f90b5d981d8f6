/// Why a checked program cannot be compiled to IR (a construct the engine
/// does not evaluate, or a limit of the frame), in the house message style.

import WritSyntax

/// A program the IR compiler refuses.
public struct IRCompileError: Error, Sendable, CustomStringConvertible {
    /// One sentence, no capital, no final period.
    public var message: String
    /// Where, when known.
    public var span: Span?
    /// How to fix it, when there is a way.
    public var help: String?

    /// Creates an error.
    public init(_ message: String, at span: Span? = nil, help: String? = nil) {
        self.message = message
        self.span = span
        self.help = help
    }

    /// The message.
    public var description: String { message }
}
