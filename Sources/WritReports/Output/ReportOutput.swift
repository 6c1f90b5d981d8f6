/// Writing report files so that a reader never sees half of one: every file
/// of a report is first written in full to a hidden temporary name in the
/// output folder and flushed to disk; only when all of them are complete
/// are they renamed to their real names. On any failure the temporary
/// files are removed, so a failed report leaves nothing behind.
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A set of files being written into one folder, committed together. Files
/// may be staged from several threads at once.
final class ReportOutput: Sendable {
    private struct Staged {
        var temp: String
        var final: String
        var file: ReportFile
    }

    private struct State {
        var staged: [Staged] = []
        var finished = false
        var next = 0
    }

    /// The folder.
    let folder: String
    private let state = Mutex(State())

    /// Opens `folder` for writing, creating it (and its parents) if needed.
    /// Fails with `cannotWrite` if it is not a folder this process may write.
    init(folder: String) throws(ReportError) {
        self.folder = folder.isEmpty ? "." : folder
        try ReportOutput.ensureFolder(self.folder)
    }

    deinit { abort() }

    /// Opens a temporary file that becomes `name` on `commit`, once it is finished.
    func open(name: String) throws(ReportError) -> StagedFile {
        let final = folder + "/" + name
        let n = state.withLock {
            $0.next += 1
            return $0.next
        }
        let temp = folder + "/." + name + ".tmp-\(getpid())-\(n)"
        let fd = openForWriting(temp)
        guard fd >= 0 else { throw ReportError.cannotWrite(path: final, reason: ReportOutput.lastError()) }
        return StagedFile(output: self, fd: fd, temp: temp, final: final, name: name)
    }

    /// Registers a finished temporary file; false if the output was already
    /// committed or aborted (the caller then removes the file).
    fileprivate func register(temp: String, final: String, file: ReportFile) -> Bool {
        state.withLock { s in
            if s.finished { return false }
            s.staged.append(Staged(temp: temp, final: final, file: file))
            return true
        }
    }

    /// Writes `bytes` to a temporary file that becomes `name` on `commit`.
    func stage(name: String, records: Int, bytes: UnsafeRawBufferPointer) throws(ReportError) {
        let f = try open(name: name)
        try f.write(bytes)
        try f.finish(records: records)
    }

    /// Writes `bytes` to a temporary file that becomes `name` on `commit`.
    func stage(name: String, records: Int, bytes: [UInt8]) throws(ReportError) {
        let failure: ReportError? = bytes.withUnsafeBytes { raw in
            do throws(ReportError) {
                try stage(name: name, records: records, bytes: raw)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Renames every staged file to its name and returns them in name order.
    func commit() throws(ReportError) -> [ReportFile] {
        let staged = state.withLock { s in
            let all = s.staged
            s.staged = []
            s.finished = true
            return all
        }
        // Anything in the way that is not a file (a folder, say) fails the
        // run before any file is replaced.
        for s in staged {
            var st = stat()
            if lstat(s.final, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG {
                for rest in staged { unlink(rest.temp) }
                throw ReportError.cannotWrite(path: s.final, reason: "it exists and is not a file")
            }
        }
        // The files of an earlier run are moved aside first, so that a
        // failure part-way puts them back: a failed run leaves the folder as
        // it found it.
        var aside: [(final: String, backup: String)] = []
        for i in staged.indices {
            let backup = "\(staged[i].final).writ-old-\(getpid())"
            if access(staged[i].final, F_OK) == 0 {
                if rename(staged[i].final, backup) == 0 { aside.append((staged[i].final, backup)) }
            }
            guard rename(staged[i].temp, staged[i].final) != 0 else { continue }
            let why = ReportOutput.lastError()
            // Undo: the files already renamed, the rest of the temporaries, then the earlier files back.
            for done in staged[..<i] { unlink(done.final) }
            for rest in staged[i...] { unlink(rest.temp) }
            for a in aside { rename(a.backup, a.final) }
            throw ReportError.cannotWrite(path: staged[i].final, reason: why)
        }
        for a in aside { unlink(a.backup) }
        syncFolder(folder)
        return staged.map(\.file).sorted { $0.name < $1.name }
    }

    /// Removes the files of the folder whose names start with `prefix` and end
    /// with `suffix` but are not in `keeping` (the files of an earlier run of
    /// the same report that this run did not write again); returns their names.
    func removeStale(prefix: String, suffix: String, keeping: Set<String>) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(prefix) && name.hasSuffix(suffix) && !keeping.contains(name) { names.append(name) }
        }
        closedir(dir)
        return names.sorted().filter { unlink(folder + "/" + $0) == 0 }
    }

    /// Removes every staged file.
    func abort() {
        let staged = state.withLock { s in
            let all = s.staged
            s.staged = []
            s.finished = true
            return all
        }
        for s in staged { unlink(s.temp) }
    }

    fileprivate static func lastError() -> String { String(cString: strerror(errno)) }

    /// Creates `path` and its parents if missing; checks it is a writable folder.
    static func ensureFolder(_ path: String) throws(ReportError) {
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw ReportError.cannotWrite(path: path, reason: "it is not a folder")
            }
        } else {
            let parent = parentFolder(path)
            if parent != path && !parent.isEmpty { try ensureFolder(parent) }
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw ReportError.cannotWrite(path: path, reason: lastError())
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw ReportError.cannotWrite(path: path, reason: lastError())
        }
    }

    private static func parentFolder(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "." }
        return slash == p.startIndex ? "/" : String(p[..<slash])
    }
}

/// A file being written to its temporary name: written in pieces, then
/// flushed to disk and registered with its output (`finish`), or removed.
final class StagedFile {
    private let output: ReportOutput
    private var fd: Int32
    private let temp: String
    private let final: String
    private let name: String
    private var written = 0

    fileprivate init(output: ReportOutput, fd: Int32, temp: String, final: String, name: String) {
        self.output = output
        self.fd = fd
        self.temp = temp
        self.final = final
        self.name = name
    }

    deinit { discard() }

    /// Appends `bytes`; on failure the file is removed.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ReportError) {
        guard fd >= 0 else { throw ReportError.cannotWrite(path: final, reason: "the file is already closed") }
        var offset = 0
        while offset < bytes.count {
            let n = writeSome(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let why = ReportOutput.lastError()
                discard()
                throw ReportError.cannotWrite(path: final, reason: why)
            }
            offset += n
        }
        written += bytes.count
    }

    /// Flushes the file to disk, closes it and hands it to the output.
    func finish(records: Int) throws(ReportError) {
        guard fd >= 0 else { throw ReportError.cannotWrite(path: final, reason: "the file is already closed") }
        var failure: String?
        if fsync(fd) != 0 { failure = ReportOutput.lastError() }
        if close(fd) != 0 && failure == nil { failure = ReportOutput.lastError() }
        fd = -1
        if let failure {
            unlink(temp)
            throw ReportError.cannotWrite(path: final, reason: failure)
        }
        let file = ReportFile(name: name, path: final, bytes: written, records: records)
        if !output.register(temp: temp, final: final, file: file) { unlink(temp) }
    }

    /// Closes and removes the file if it is not finished.
    func discard() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temp)
    }
}

/// `open(2)` of a new file for writing (outside the classes, whose `open` and
/// `write` methods would hide the system's).
private func openForWriting(_ path: String) -> Int32 { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }

/// `write(2)`.
private func writeSome(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }

/// Flushes a folder's entries (the renames) to disk.
private func syncFolder(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 {
        _ = fsync(fd)
        close(fd)
    }
}
