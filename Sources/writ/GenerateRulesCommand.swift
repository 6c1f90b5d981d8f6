/// `writ generate-rules`: write a large synthetic rule file (benchmarks).
import ArgumentParser
import WritDriver

struct GenerateRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-rules",
        abstract: "Write a synthetic rule file for benchmarks of `writ check`.",
        shouldDisplay: false)

    @Option(help: "Number of rules.")
    var rules = 10_000

    @Option(name: .shortAndLong, help: "Output file.")
    var output: String

    func run() throws {
        try AtomicFile.write(RuleGenerator.generate(rules: rules), to: output)
    }
}
