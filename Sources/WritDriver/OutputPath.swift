/// Checks made on an output path before a command does any work, so that a
/// command never writes over one of its own inputs (an audit trail, the
/// events it replays, its bundle, a rule file), never writes over a
/// directory, and finds out that it cannot write before it has recorded
/// anything anywhere else. Path text is split here rather than with
/// Foundation's `NSString` path methods: `deletingLastPathComponent` traps
/// on one-character relative paths (`-o x`) in swift-corelibs-foundation.
import Foundation

/// Output paths: splitting, identity, and the checks made up front.
public enum OutputPath {
    /// The directory part of `path`: `""` for a bare name, `"/"` for a file
    /// at the root; trailing slashes are ignored (`a/b/` → `a`).
    public static func directory(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        if slash == p.startIndex { return "/" }
        return String(p[..<slash])
    }

    /// The last component of `path` (`a/b` → `b`, `a` → `a`); trailing slashes are ignored.
    public static func lastComponent(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/"), p.count > 1 else { return String(p) }
        return String(p[p.index(after: slash)...])
    }

    /// Whether `a` and `b` name the same file: the same device and inode when
    /// both exist, else the same absolute path once `.`, `..` and the
    /// existing directories' symbolic links are resolved.
    public static func same(_ a: String, _ b: String) -> Bool {
        var sa = stat()
        var sb = stat()
        if stat(a, &sa) == 0, stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        return canonical(a) == canonical(b)
    }

    /// `path` made absolute, its directory resolved with `realpath` when it exists.
    static func canonical(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = SourceLoader.fold(path.hasPrefix("/") ? path : SourceLoader.join(cwd, path))
        let dir = directory(of: absolute)
        guard !dir.isEmpty, let resolved = realpath(dir, nil) else { return absolute }
        defer { free(resolved) }
        return SourceLoader.join(String(cString: resolved), lastComponent(of: absolute))
    }

    /// Refuses `output` (given with `option`, e.g. `-o`) when it is empty, a
    /// directory, the same file as one of `inputs` (`what` names each, e.g.
    /// "the events file"), or in a place where no file can be created. An
    /// existing file at `output` is fine (it is replaced, or appended to).
    public static func check(_ output: String, option: String, inputs: [(path: String, what: String)]) throws(UsageError) {
        guard !output.isEmpty else { throw UsageError("`\(option)` is empty; give the path of a file") }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDir), isDir.boolValue {
            throw UsageError("cannot write `\(output)`: it is a directory; give the path of a file in it, e.g. `\(SourceLoader.join(output, "out"))`")
        }
        for input in inputs where same(output, input.path) {
            throw UsageError(
                "`\(option) \(output)` is \(input.what) (`\(input.path)`): writing it would destroy it; give another path")
        }
        // A device or a FIFO (`/dev/null`) is written in place: nothing is created beside it.
        var st = stat()
        if stat(output, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG { return }
        try checkCreatable(output)
    }

    /// Refuses `folder` as the place to write `what` into when it is a file,
    /// or when it (or the folders to be made for it) could not take a file.
    public static func checkFolder(_ folder: String, what: String) throws(UsageError) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), !isDir.boolValue {
            throw UsageError("cannot write \(what) to `\(folder)`: it is a file; give a folder (created if missing)")
        }
        try checkCreatable(SourceLoader.join(folder.isEmpty ? "." : folder, "probe"))
    }

    /// Refuses a path whose directory (or its first existing ancestor, the
    /// rest being created when written) cannot take a new file: a file
    /// named like a directory on the way, a read-only file system, missing
    /// permissions. A probe file is created there and removed.
    static func checkCreatable(_ path: String) throws(UsageError) {
        var dir = directory(of: path)
        if dir.isEmpty { dir = "." }
        var isDir: ObjCBool = false
        while !FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            let up = directory(of: dir)
            dir = up.isEmpty ? "." : up
        }
        guard isDir.boolValue else {
            throw UsageError("cannot write `\(path)`: `\(dir)` is a file, not a directory; check the path")
        }
        let probe = SourceLoader.join(dir, ".writ-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw UsageError("cannot write `\(path)`: \(String(cString: strerror(errno))) in `\(dir)`; check the directory's permissions")
        }
        close(fd)
        unlink(probe)
    }
}
