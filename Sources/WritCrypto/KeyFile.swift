/// Reading and writing key files: a whole-file read, and an atomic write
/// (temp file in the same directory, fsync, rename) with an exact mode, so a
/// private key is never visible with looser permissions or half written.
import Glibc

/// Key files on disk.
enum KeyFile {
    /// The largest key file read (a PEM Ed25519 key is about 120 bytes).
    static let maximumSize = 64 * 1024

    /// The text of the file at `path`.
    static func read(_ path: String) throws(CryptoError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotRead(path: path, reason: systemError()) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, reason: systemError())
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk.prefix(n))
            if bytes.count > maximumSize {
                throw .cannotRead(path: path, reason: "larger than \(maximumSize) bytes, so not a key file")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to `path` atomically with permission bits `mode`,
    /// replacing any file there.
    static func write(_ text: String, to path: String, mode: mode_t) throws(CryptoError) {
        let temp = try stage(text, for: path, mode: mode)
        try commit(temp, to: path)
    }

    /// Writes `text` with permission bits `mode` to a new temporary file
    /// beside `path`, flushed to disk; returns its path (`commit` renames
    /// it over `path`, `discard` removes it).
    static func stage(_ text: String, for path: String, mode: mode_t) throws(CryptoError) -> String {
        let (directory, name) = split(path)
        let temp = "\(directory)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: systemError()) }
        var done = false
        defer { if !done { unlink(temp) } }
        do {
            defer { close(fd) }
            // open() applies the umask; set the exact bits (0600 stays 0600).
            guard fchmod(fd, mode) == 0 else { throw CryptoError.cannotWrite(path: path, reason: systemError()) }
            let bytes = Array(text.utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CryptoError.cannotWrite(path: path, reason: systemError())
                }
                written += n
            }
            guard fsync(fd) == 0 else { throw CryptoError.cannotWrite(path: path, reason: systemError()) }
        }
        done = true
        return temp
    }

    /// Renames the staged file `temp` over `path` and makes the rename durable.
    static func commit(_ temp: String, to path: String) throws(CryptoError) {
        guard rename(temp, path) == 0 else {
            let reason = systemError()
            unlink(temp)
            throw .cannotWrite(path: path, reason: reason)
        }
        let dirFD = open(split(path).0, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }

    /// Removes a staged file that will not be committed.
    static func discard(_ temp: String) { unlink(temp) }

    /// Refuses key text that holds anything but one PEM block labelled
    /// `label` and blank lines: a second key (only the first would be
    /// used), a private key next to a public one, or other text.
    static func requireSingleBlock(_ pem: String, label: String, source: KeySource) throws(CryptoError) {
        var labels: [String] = []
        var inside = false
        var stray = 0
        for raw in pem.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            // Blanks and a byte-order mark around a line are not content.
            let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }
            guard let first = raw.firstIndex(where: { !blank($0) }), let last = raw.lastIndex(where: { !blank($0) }) else {
                continue
            }
            let line = raw[first...last]
            if line.hasPrefix("-----BEGIN ") && line.hasSuffix("-----") {
                labels.append(String(line.dropFirst(11).dropLast(5)))
                inside = true
            } else if line.hasPrefix("-----END ") && line.hasSuffix("-----") {
                inside = false
            } else if !inside && !line.isEmpty {
                stray += 1
            }
        }
        if labels.count > 1 {
            throw .extraContent(source: source, detail: "\(labels.count) PEM blocks (\(labels.map { "`\($0)`" }.joined(separator: ", ")))")
        }
        if stray > 0 {
            throw .extraContent(source: source, detail: "\(stray) line\(stray == 1 ? "" : "s") of text outside its `\(label)` block")
        }
    }

    /// `("dir", "name")` for `dir/name`; `(".", "name")` for a bare name.
    private static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// The text of the current `errno`, lowercased at its start as messages are.
    private static func systemError() -> String {
        let text = String(cString: strerror(errno))
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
