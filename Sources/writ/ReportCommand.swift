/// `writ report NAME|--all --db audit.sqlite --date YYYY-MM-DD -o out/`.
import ArgumentParser
import Foundation
import WritDriver
import WritEngine

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write regulators' reports for a day from the audit trail (RTS 22 XML, CAT JSON, CSV, summary).",
        discussion: """
            Reports: \(ReportRun.names.joined(separator: ", ")). The trail is verified first. RTS 22 \
            files are validated against ESMA's schemas before they are written; a report that fails \
            lists every violation with its transaction id and leaves no file. Exit status: 0 all \
            written, 1 a report failed, 2 usage or I/O problems.
            """)

    @Argument(help: "The report to write (or --all).")
    var name: String?

    @Flag(help: "Write every report.")
    var all = false

    @Option(help: "The audit trail (SQLite) recorded by `writ replay --audit`.")
    var db: String

    @Option(help: "The trading day, YYYY-MM-DD.")
    var date: String

    @Option(name: .shortAndLong, help: "The output folder.")
    var output: String

    @Option(help: "The firm's configuration (LEI, CAT ids, clients, people).")
    var firm = "samples/firm.json"

    @Option(help: "The rules whose report definitions are used when no --bundle is given.")
    var rules = "rules"

    @Option(help: "A bundle whose report definitions select the records and give the values.")
    var bundle: String?

    @Option(help: "A trusted public key for --bundle; repeatable.")
    var trust: [String] = []

    @Flag(help: "Load an unsigned --bundle (development only).")
    var allowUnsigned = false

    @Flag(
        help: "Report with a --bundle other than the one the day's orders were decided with (a corrected re-report).")
    var allowOtherBundle = false

    func validate() throws {
        if all == (name != nil) { throw ValidationError("name one report or pass --all") }
        if output.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("`--output` is empty; name the folder to write the reports in, e.g. `-o out/reports`")
        }
    }

    func run() throws {
        var program: EngineProgram?
        if let bundle {
            program = try BundleLoad.program(TrustOptions(bundle: bundle, trust: trust, allowUnsigned: allowUnsigned)).0
        }
        let bar = ProgressBar(label: "report")
        let request = ReportRequest(
            names: name.map { [$0] }, db: db, date: date, output: output, firm: firm, rules: rules,
            allowOtherBundle: allowOtherBundle)
        let results = try ReportRun.run(request, program: program) { _, done, total in
            bar.update(Double(done) / Double(max(1, total)))
        }
        bar.finish()
        var failed = false
        for (n, r) in results {
            switch r {
            case .success(let g):
                let files = g.files.map { "\($0.path) (\($0.records) records)" }
                Console.out("\(n): " + (files.isEmpty ? "no file" : files.joined(separator: ", ")) + "\n")
                for note in g.notes { Console.out("  note: \(note)\n") }
            case .failure(let e):
                failed = true
                Console.error("error: \(n): \(e.description)")
            }
        }
        if failed { throw ExitCode(1) }
    }
}
