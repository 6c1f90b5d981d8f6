/// `writ eval --bundle B --event JSON [--explain]`: decide one event.
import ArgumentParser
import WritDriver
import WritEngine

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Decide one event (a JSON line of the input contract) and print the decision line.",
        discussion: "Exit status 0 whatever the verdict; 2 when it cannot run (bundle refused, bad arguments).")

    @OptionGroup var bundleOptions: BundleOptions

    @Option(help: "The event, one JSON object (repeatable: earlier events set up state, e.g. market data).")
    var event: [String]

    @Flag(help: "Explain the decision of the last event: jurisdictions, rules visited and skipped, operand values, citations.")
    var explain = false

    func validate() throws {
        // A blank line is skipped by the engine (no decision): as an argument it is a mistake.
        for (i, e) in event.enumerated() where e.allSatisfy(\.isWhitespace) {
            throw ValidationError("`--event` number \(i + 1) is blank; give one JSON object, e.g. `--event '{\"event\":\"new\",…}'`")
        }
    }

    func run() throws {
        let (program, _) = try BundleLoad.program(bundleOptions.trustOptions)
        let engine = Engine(program: program)
        try bundleOptions.bindLists(into: engine)
        for (i, e) in event.enumerated() {
            if explain && i == event.count - 1 {
                Console.out(engine.explain(line: e).text)
            } else if let d = engine.processLine(e), i == event.count - 1 {
                Console.out(d + "\n")
            }
        }
    }
}
