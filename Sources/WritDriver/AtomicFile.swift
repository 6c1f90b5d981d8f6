/// Writes files so that a reader sees either the old content or the new,
/// never half of it: write to a temporary file in the same directory, flush
/// it to disk, then rename it over the target.
import Foundation

/// Atomic file replacement.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically, creating parent directories.
    /// - Parameter mode: POSIX permissions of the new file (default 0644).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(UsageError) {
        guard !path.isEmpty else { throw UsageError("the output path is empty; give the path of a file") }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw UsageError("cannot write `\(path)`: it is a directory; give the path of a file")
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
        var ok = true
        bytes.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + off, raw.count - off)
                if n <= 0 {
                    if errno == EINTR { continue }
                    ok = false
                    return
                }
                off += n
            }
        }
        if ok { ok = fsync(fd) == 0 }
        let err = errno
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            let why = String(cString: strerror(ok ? errno : err))
            unlink(tmp)
            throw UsageError("cannot write `\(path)`: \(why)")
        }
        fchmodIfNeeded(path, mode)
    }

    /// Writes a string as UTF-8, atomically.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(UsageError) {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    private static func fchmodIfNeeded(_ path: String, _ mode: mode_t) {
        _ = chmod(path, mode)
    }
}
