/// A one-line progress bar on standard error, shown only when standard
/// error is a terminal (so logs and pipes stay clean).
import Foundation

// @unchecked: `last` is only touched under `lock`; reports call `update`
// from several threads.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private var last = -1
    private let lock = NSLock()

    init(label: String) { self.label = label }

    /// Shows `fraction` (0…1) done.
    func update(_ fraction: Double) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let pct = Int(max(0, min(1, fraction)) * 100)
        guard pct != last else { return }
        last = pct
        let width = 30
        let filled = width * pct / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(pct)%".utf8))
    }

    /// Clears the bar.
    func finish() {
        guard enabled, last >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
