/// `writ check [paths]`: parse and type-check rule files.
import ArgumentParser
import WritDriver

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and type-check rule files.",
        discussion: """
            Exit status: 0 when there are no errors (warnings allowed), 1 when errors were found, \
            2 for usage or I/O problems (missing path, unreadable or non-UTF-8 file, directory \
            without .writ files).
            """)

    @Argument(help: "Rule files or directories (default: rules).")
    var paths: [String] = []

    @Option(help: "Diagnostics as human-readable text or as JSON for tools.")
    var format: OutputFormat = .text

    @Flag(help: "Print the worst-case cost per order of each jurisdiction.")
    var cost = false

    func run() throws {
        var c = try Compilation.check(paths: paths.isEmpty ? ["rules"] : paths, computeCost: cost)
        c.compileForEngine()
        switch format {
        case .json:
            var diagnostics = c.renderer.renderJSON(c.diagnostics)
            while diagnostics.last == "\n" { diagnostics.removeLast() }
            // With --cost: one object holding both (without it, the array of diagnostics as before).
            Console.out(cost ? "{\"diagnostics\":\(diagnostics),\"costs\":\(CostTable.json(c))}" : diagnostics)
        case .text:
            let text = c.renderer.renderAll(c.diagnostics)
            if !text.isEmpty { Console.error(text) }
            if cost { Console.out(CostTable.render(c)) }
            if !c.hasErrors {
                Console.error("checked \(c.files.count) file\(c.files.count == 1 ? "" : "s"): no errors")
            }
        }
        if c.hasErrors { throw ExitCode(1) }
    }
}
