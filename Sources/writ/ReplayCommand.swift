/// `writ replay --bundle B EVENTS.jsonl -o DECISIONS.jsonl`: decide a file
/// of events and summarise.
import ArgumentParser
import Foundation
import WritDriver
import WritEngine

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Decide every event of a JSON-lines file; write the decision lines; print a summary.",
        discussion: "Exit status 0 whatever the verdicts; 2 when it cannot run (bundle refused, unreadable input).")

    @OptionGroup var bundleOptions: BundleOptions

    @Argument(help: "The events file (one JSON object per line).")
    var events: String

    @Option(name: .shortAndLong, help: "Where to write the decision lines.")
    var output: String?

    @Option(help: "Record the replay in this audit trail (SQLite; created if needed).")
    var audit: String?

    // `.unconditional`: a negative count is read as a value (and refused below), not as an unknown option.
    @Option(
        parsing: .unconditional,
        help: "With --audit: wait until the trail is durable every N lines and print `durable SEQ LINES`.")
    var ackEvery = 1_000

    func validate() throws {
        guard ackEvery >= 1 else { throw ValidationError("`--ack-every \(ackEvery)` must be at least 1 (lines between acknowledgements)") }
    }

    func run() throws {
        // Before anything is loaded or recorded: the events can be read, and
        // neither the decisions nor the trail would overwrite an input.
        try ReplayRun.preflight(
            eventsPath: events, outputPath: output, auditPath: audit, inputs: bundleOptions.inputFiles)
        let (program, _) = try BundleLoad.program(bundleOptions.trustOptions)
        let engine = Engine(program: program)
        try bundleOptions.bindLists(into: engine)
        let bar = ProgressBar(label: "replay")
        var recorder: AuditRecorder?
        if let audit {
            recorder = try AuditRecorder(
                path: audit, bundlePath: bundleOptions.bundle, program: program, ackEvery: ackEvery
            ) { seq, lines in Console.out("durable \(seq) \(lines)\n") }
        }
        let summary = try ReplayRun.run(engine: engine, eventsPath: events, outputPath: output, audit: recorder) {
            bar.update($0)
        }
        bar.finish()
        Console.out(summary.text)
        if let output { Console.error("wrote \(summary.decisions) decisions to \(output)") }
        Console.error("rules run by: \(program.executionMode)")
    }
}
