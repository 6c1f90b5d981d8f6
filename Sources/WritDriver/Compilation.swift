/// One run of the front end: read the files (following imports), parse them,
/// check them as one program, and keep everything a command needs to report.
import Foundation
import Synchronization
import WritIR
import WritSema
import WritSyntax

/// Diagnostic codes of the driver (file-level problems that have a location).
extension DiagnosticCode {
    /// An `import` names a file that cannot be read.
    public static let importNotFound = DiagnosticCode("E0701", .error, "imported file not found")
    /// A program that checks but that the IR compiler refuses (what the
    /// engine cannot evaluate, such as a route reading `order.qty`).
    public static let engineRefusal = DiagnosticCode("E0702", .error, "the engine cannot run this")
    /// The driver's codes.
    public static var driverCodes: [DiagnosticCode] { [importNotFound, engineRefusal] }
}

/// The result of checking a set of rule files.
public struct Compilation: Sendable {
    /// Every file read, in order; `Span.file` indexes this array.
    public private(set) var files: [SourceFile] = []
    /// The parse of each file, same order as `files`.
    public private(set) var parses: [ParseResult] = []
    /// The checker's result (nil only if no file could be parsed at all).
    public private(set) var checked: CheckResult?
    /// All diagnostics, sorted by file and position.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    /// A renderer over this compilation's files.
    public var renderer: DiagnosticRenderer { DiagnosticRenderer(files: files) }

    private var ids = NodeIDAllocator()
    /// The data files the rules' `data` declarations named (read from disk by `check(paths:)`).
    public private(set) var dataFiles: [String] = []
    private var indexByPath: [String: Int] = [:]
    private var extra: [Diagnostic] = []

    /// Checks the files and directories at `paths` from disk.
    /// - Throws: `UsageError` for a missing path, an unreadable or non-UTF-8
    ///   file, or a directory without `.writ` files.
    public static func check(paths: [String], computeCost: Bool = false) throws(UsageError) -> Compilation {
        var c = Compilation()
        let list = try SourceLoader.expand(paths)
        for p in list {
            let text = try SourceLoader.read(p)
            c.add(path: p, text: text)
        }
        c.followImports { path in
            guard FileManager.default.fileExists(atPath: path) else { return .failure(UsageError("no such file")) }
            do throws(UsageError) { return .success(try SourceLoader.read(path)) } catch { return .failure(error) }
        }
        let paths = c.files.map(\.path)
        let read = PathLog()
        c.runChecker(computeCost: computeCost) { path, from in
            let full = SourceLoader.resolve(path, from: paths[from])
            read.add(full)
            guard FileManager.default.fileExists(atPath: full) else {
                return .failure(DataFileError("no such file `\(full)`"))
            }
            do throws(UsageError) { return .success(try SourceLoader.read(full)) } catch {
                return .failure(DataFileError(error.message))
            }
        }
        c.dataFiles = read.paths
        return c
    }

    /// Checks in-memory sources (tests, tools). Imports and data files are
    /// looked up among `sources` by path relative to the importing file.
    public static func check(sources: [(path: String, text: String)], computeCost: Bool = false) -> Compilation {
        var c = Compilation()
        var byPath: [String: String] = [:]
        for s in sources { byPath[SourceLoader.resolve(s.path, from: "")] = s.text }
        let table = byPath
        for s in sources where s.path.hasSuffix(".writ") { c.add(path: s.path, text: s.text) }
        c.followImports { path in table[path].map { .success($0) } ?? .failure(UsageError("no such file")) }
        let snapshot = c.files
        c.runChecker(computeCost: computeCost) { path, from in
            let full = SourceLoader.resolve(path, from: snapshot[from].path)
            return table[full].map { .success($0) } ?? .failure(DataFileError("no such file `\(full)`"))
        }
        return c
    }

    /// Compiles the checked program to IR as `writ build` does and reports
    /// the compiler's refusal as an `E0702` error, so that `writ check`
    /// fails on everything `writ build` refuses. Nothing to do when the
    /// program has errors already.
    public mutating func compileForEngine() {
        guard !hasErrors, let program = checked?.program, !files.isEmpty else { return }
        do {
            _ = try IRCompiler.compile(program, files: files)
        } catch {
            let span = error.span ?? Span(file: 0, start: 0, end: 0)
            // Without a span the limit is the program's as a whole (frame slots, constants…):
            // the diagnostic sits at the first file's start, and says so.
            let help =
                error.help
                ?? (error.span == nil
                    ? "this is a limit of the whole program, not of one rule: reduce the rules or split them into several bundles"
                    : nil)
            diagnostics.append(Diagnostic(.engineRefusal, error.message, at: span, help: help))
        }
    }

    private mutating func add(path: String, text: String) {
        let name = SourceLoader.resolve(path, from: "")
        let key = Self.identity(name)
        if indexByPath[key] != nil { return }
        let file = SourceFile(path: name, text: text)
        let index = files.count
        files.append(file)
        indexByPath[key] = index
        parses.append(Parser.parse(file, fileIndex: index, ids: &ids))
    }

    /// What makes two paths one file: the file's real path when it exists
    /// (`/abs/rules/a.writ`, `rules/a.writ` and a symbolic link to it are
    /// one file, read once), else the path made absolute.
    private static func identity(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        return OutputPath.canonical(path)
    }

    private mutating func followImports(_ read: (String) -> Result<String, UsageError>) {
        var i = 0
        while i < parses.count {  // grows as imports are found; each path is added once
            let importer = files[i].path
            for imp in parses[i].unit.imports {
                let target = SourceLoader.resolve(imp.path, from: importer)
                if indexByPath[Self.identity(SourceLoader.resolve(target, from: ""))] != nil { continue }
                switch read(target) {
                case .success(let text):
                    add(path: target, text: text)
                case .failure(let why):
                    extra.append(
                        Diagnostic(
                            .importNotFound, "cannot import `\(imp.path)`: \(why.message)", at: imp.pathSpan,
                            help: "import paths are relative to the importing file (`\(target)` was tried)"))
                }
            }
            i += 1
        }
    }

    private mutating func runChecker(
        computeCost: Bool, readData: @escaping @Sendable (String, Int) -> Result<String, DataFileError>
    ) {
        var options = CheckOptions(readDataFile: readData)
        options.computeCost = computeCost
        options.firstFreeNodeID = ids.upcoming.raw
        let result = Checker.check(units: parses.map(\.unit), files: files, options: options)
        checked = result
        var bag = DiagnosticBag()
        for p in parses { bag.add(contentsOf: p.diagnostics) }
        bag.add(contentsOf: extra)
        bag.add(contentsOf: result.diagnostics)
        diagnostics = bag.sorted
    }
}

/// The paths a checker's data-file reader was asked for (it may run on any thread).
private final class PathLog: Sendable {
    private let list = Mutex<[String]>([])
    func add(_ path: String) { list.withLock { $0.append(path) } }
    var paths: [String] { list.withLock { $0 } }
}
