/// Finds and reads rule files: expands directories, checks that files are
/// readable UTF-8, and follows `import`s. Problems here are usage or I/O
/// problems (exit 2), except an import that cannot be found, which is a
/// diagnostic at the import.
import Foundation
import WritSyntax

/// A usage or I/O problem: the command cannot run (exit code 2). The message
/// is one line saying what is wrong and what to do.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    /// The one-line message.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// A textual form for messages and dumps.
    public var description: String { message }
}

/// Reads files from disk for the driver.
public enum SourceLoader {
    /// Expands `paths` into `.writ` files: a file is taken as is (whatever
    /// its extension), a directory recursively, sorted by path so that the
    /// order is deterministic. Hidden folders and `.build*` are skipped.
    public static func expand(_ paths: [String]) throws(UsageError) -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
                throw UsageError("no such file or directory `\(p)`; check the path")
            }
            if isDir.boolValue {
                guard let e = fm.enumerator(atPath: p) else {
                    throw UsageError("cannot read directory `\(p)`; check its permissions")
                }
                var found: [String] = []
                while let rel = e.nextObject() as? String {
                    let last = (rel as NSString).lastPathComponent
                    if last.hasPrefix(".") || last.hasPrefix(".build") {
                        e.skipDescendants()
                        continue
                    }
                    // A directory named `x.writ` is walked, not read.
                    if rel.hasSuffix(".writ"), (e.fileAttributes?[.type] as? FileAttributeType) != .typeDirectory {
                        found.append(join(p, rel))
                    }
                }
                if found.isEmpty {
                    throw UsageError("directory `\(p)` contains no `.writ` files; pass a directory of rules or a file")
                }
                out.append(contentsOf: found.sorted())
            } else {
                out.append(p)
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert(normalize($0)).inserted }
    }

    /// Reads a file as UTF-8 text.
    public static func read(_ path: String) throws(UsageError) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw UsageError("`\(path)` is a directory; give a file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("cannot read `\(path)`; check that it exists and is readable")
        }
        guard let text = String(validatingUTF8Bytes: [UInt8](data)) else {
            throw UsageError("`\(path)` is not valid UTF-8; save it as UTF-8")
        }
        return text
    }

    /// `base/rel` without doubling the separator.
    static func join(_ base: String, _ rel: String) -> String {
        base.hasSuffix("/") ? base + rel : base + "/" + rel
    }

    /// A canonical form of a path for de-duplication.
    static func normalize(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The path of `imported` as written in a file at `importer`, with `.`
    /// and `..` folded lexically (`rules/jurisdictions/../schema.writ` →
    /// `rules/schema.writ`), so each file is read once and named simply.
    static func resolve(_ imported: String, from importer: String) -> String {
        if imported.hasPrefix("/") { return fold(imported) }
        let dir = OutputPath.directory(of: importer)
        return fold(dir.isEmpty ? imported : join(dir, imported))
    }

    /// Folds `.` and `..` components without touching the file system.
    static func fold(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for c in path.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if c == "..", absolute { continue }
            parts.append(c)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}

extension String {
    /// Decodes UTF-8, returning nil (instead of repairing) when it is invalid.
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): scalars.append(s)
            case .emptyInput: self = String(scalars); return
            case .error: return nil
            }
        }
    }
}
