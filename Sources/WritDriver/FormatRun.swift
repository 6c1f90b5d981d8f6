/// The work behind `writ fmt`: format each file, and write back the ones
/// that changed (atomically), or just report them with `--check`.
import WritSyntax

/// What a formatting run did.
public struct FormatOutcome: Sendable {
    /// Files examined.
    public var checked = 0
    /// Files that were (or, with `--check`, would be) changed.
    public var changed: [String] = []
    /// Files that could not be formatted, with the rendered reason.
    public var failed: [(path: String, report: String)] = []
}

/// Runs the formatter over files.
public enum FormatRun {
    /// Formats every `.writ` file under `paths`; writes changed files when `write` is true.
    public static func run(paths: [String], write: Bool) throws(UsageError) -> FormatOutcome {
        var outcome = FormatOutcome()
        // Every file is read before any is written: a file that cannot be read
        // stops the run with nothing rewritten.
        var texts: [(path: String, text: String)] = []
        for path in try SourceLoader.expand(paths) { texts.append((path, try SourceLoader.read(path))) }
        for (path, text) in texts {
            let file = SourceFile(path: path, text: text)
            outcome.checked += 1
            do {
                let formatted = try Formatter.format(file)
                if formatted != text {
                    outcome.changed.append(path)
                    if write { try AtomicFile.write(formatted, to: path) }
                }
            } catch let e as UsageError {
                throw e
            } catch {
                let ds: [Diagnostic]
                if case .syntaxErrors(let list) = error as? FormatError { ds = list } else { ds = [] }
                let report = DiagnosticRenderer(files: [file]).renderAll(ds)
                outcome.failed.append((path, report + "\(path): not formatted because of the errors above"))
            }
        }
        return outcome
    }
}
