/// `writ generate-events`: a seeded stream of realistic input lines for a
/// program (tests, benchmarks, demos).
import ArgumentParser
import WritDriver

struct GenerateEventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-events",
        abstract: "Write a seeded stream of input lines for the rules (orders, fills, market data, controls).",
        shouldDisplay: false)

    @Argument(help: "Rule files or directories (default: rules).")
    var paths: [String] = []

    @Option(help: "Number of lines.")
    var count = 10_000

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 1

    @Option(name: .shortAndLong, help: "Output file.")
    var output: String

    func run() throws {
        let c = try Compilation.check(paths: paths.isEmpty ? ["rules"] : paths)
        guard !c.hasErrors, let checked = c.checked else {
            Console.error(c.renderer.renderAll(c.diagnostics))
            throw ExitCode(1)
        }
        var g = EventGenerator(program: checked.program, seed: seed)
        try AtomicFile.write(g.generate(count: count).joined(separator: "\n") + "\n", to: output)
    }
}
