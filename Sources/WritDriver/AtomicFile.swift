/// Writes files so that a reader sees either the old content or the new,
/// never half of it: write to a temporary file in the same directory, flush
/// it to disk, then rename it over the target. A symbolic link is followed
/// (the file it names is replaced, the link stays); an existing file keeps
/// its permission bits; a device or a FIFO (`-o /dev/null`) is written in
/// place, since renaming over it would replace it with a regular file.
import Foundation

/// Atomic file replacement.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically, creating parent directories.
    /// - Parameter mode: POSIX permissions of a new file (default 0644); a
    ///   file that exists keeps its own.
    public static func write(_ bytes: [UInt8], to target: String, mode newMode: mode_t = 0o644) throws(UsageError) {
        guard !target.isEmpty else { throw UsageError("the output path is empty; give the path of a file") }
        var path = target
        var st = stat()
        if lstat(target, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK {
            // Follow the link: the file it names is what is written.
            guard let real = realpath(target, nil) else {
                throw UsageError("cannot write `\(target)`: it is a symbolic link to a missing file; fix or remove the link")
            }
            path = String(cString: real)
            free(real)
        }
        var mode = newMode
        if stat(path, &st) == 0 {
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                throw UsageError("cannot write `\(target)`: it is a directory; give the path of a file")
            case S_IFREG:
                mode = st.st_mode & 0o7777
            default:
                try writeInPlace(bytes, to: path, shown: target)
                return
            }
        }
        let dir = OutputPath.directory(of: path)
        if !dir.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw UsageError("cannot create directory `\(dir)`: \(error.localizedDescription)")
            }
        }
        let base = OutputPath.lastComponent(of: path)
        let tmp = (dir.isEmpty ? "" : dir + "/") + ".\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else {
            throw UsageError("cannot write `\(path)`: \(String(cString: strerror(errno))); check the directory's permissions")
        }
        var ok = writeAll(fd, bytes)
        // The exact bits (open applied the umask), before the file has its name.
        if ok { ok = fchmod(fd, mode) == 0 }
        if ok { ok = fsync(fd) == 0 }
        let err = errno
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            let why = String(cString: strerror(ok ? errno : err))
            unlink(tmp)
            throw UsageError("cannot write `\(path)`: \(why)")
        }
    }

    /// Writes to a device or a FIFO as it is (it cannot be replaced).
    private static func writeInPlace(_ bytes: [UInt8], to path: String, shown: String) throws(UsageError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw UsageError("cannot write `\(shown)`: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard writeAll(fd, bytes) else { throw UsageError("cannot write `\(shown)`: \(String(cString: strerror(errno)))") }
    }

    /// Writes all of `bytes` to `fd` (again after an interruption); false on an error, `errno` saying which.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                off += n
            }
            return true
        }
    }

    /// Writes a string as UTF-8, atomically.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(UsageError) {
        try write(Array(text.utf8), to: path, mode: mode)
    }
}
