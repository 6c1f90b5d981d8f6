/// `writ simulate SCENARIO --bundle B`: replay a scenario of timed platform
/// events and orders; print the DR level timeline, the routes in force
/// after each change, RTO, RPO per tier and the gated orders.
import ArgumentParser
import WritDriver
import WritEngine

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay a scenario of timed platform events and orders; report DR levels, routes, RTO, RPO and gated orders.",
        discussion: """
            A scenario is JSON lines: platform events and orders of the input contract with "at" (the time since \
            the scenario's start, such as "90s") instead of "ts"; {"at":"300s","event":"end"} lets time pass to its \
            end. Exit status 0 whatever the outcome; 2 when it cannot run (bundle refused, a bad scenario line).
            """)

    @OptionGroup var bundleOptions: BundleOptions

    @Argument(help: "The scenario (JSON lines).")
    var scenario: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(parsing: .unconditional, help: "Detection delay added to the RTO (a duration such as 5s).")
    var detection: String = "0s"

    func run() throws {
        guard let delay = SimulateRun.duration(detection) else {
            throw UsageError("`--detection \(detection)` is not a duration such as `5s`")
        }
        guard delay <= SimulateRun.longest else {
            throw UsageError("`--detection \(detection)` is longer than a year; give the delay to detect a failure, such as `5s`")
        }
        let (program, _) = try BundleLoad.program(bundleOptions.trustOptions)
        let engine = Engine(program: program)
        try bundleOptions.bindLists(into: engine)
        guard engine.platform != nil else {
            throw UsageError("the bundle declares no route and no DR policy: there is nothing to simulate")
        }
        let report = try SimulateRun.run(engine: engine, path: scenario, detection: delay)
        Console.out(format == .json ? report.json + "\n" : report.text)
    }
}
