/// `writ fmt [paths]`: rewrite rule files in the canonical layout, or with
/// `--check` list the files that are not formatted.
import ArgumentParser
import WritDriver

struct FmtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Format rule files in the canonical layout (comments are kept).",
        discussion: """
            With --check nothing is written: the command exits 1 and names every file that is \
            not formatted. A file with syntax errors is never rewritten; its errors are printed \
            and the exit status is 1. Exit status 2: usage or I/O problems.
            """)

    @Argument(help: "Rule files or directories (default: rules).")
    var paths: [String] = []

    @Flag(help: "Do not write; exit 1 if any file would change.")
    var check = false

    func run() throws {
        let outcome = try FormatRun.run(paths: paths.isEmpty ? ["rules"] : paths, write: !check)
        for f in outcome.failed {
            Console.error(f.report)
        }
        if check {
            for p in outcome.changed {
                Console.error("\(p): not formatted; run `writ fmt \(p)`")
            }
            if !outcome.changed.isEmpty || !outcome.failed.isEmpty { throw ExitCode(1) }
            Console.error("\(outcome.checked) file\(outcome.checked == 1 ? "" : "s") formatted")
        } else {
            for p in outcome.changed { Console.error("formatted \(p)") }
            if !outcome.failed.isEmpty { throw ExitCode(1) }
        }
    }
}
