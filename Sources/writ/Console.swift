/// Writing to the terminal: standard error for messages, and whether a
/// stream is a terminal (for progress bars and colour).
import Foundation

enum Console {
    /// Writes a line to standard error.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }
    /// Writes text to standard output without adding a newline.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
