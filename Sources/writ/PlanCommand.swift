/// `writ plan replication [--format json] [paths]`: the replica placement
/// of every data class, from the rule files (thin: the work is in
/// WritDriver's `PlanRun`).
import ArgumentParser
import WritDriver

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print what the rules plan for the platform.",
        subcommands: [ReplicationPlanCommand.self])
}

struct ReplicationPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replication",
        abstract: "Print the replica placement of every data class.",
        discussion: """
            For each data class: its tier, strategy and budget, its residency, its replicas (cluster, \
            title, jurisdictions, region) and the worst round trip between them over the topology's \
            shortest paths. Exit status: 0 with a plan, 1 when the rules have errors (printed as \
            `writ check` prints them), 2 for usage or I/O problems.
            """)

    @Argument(help: "Rule files or directories (default: rules).")
    var paths: [String] = []

    @Option(help: "The plan as a text table or as one JSON object.")
    var format: OutputFormat = .text

    func run() throws {
        let (c, plan) = try PlanRun.replication(paths: paths.isEmpty ? ["rules"] : paths)
        let diagnostics = c.renderer.renderAll(c.diagnostics)
        if !diagnostics.isEmpty { Console.error(diagnostics) }
        guard let plan else { throw ExitCode(1) }
        Console.out(format == .json ? PlanRun.json(plan) : PlanRun.text(plan))
    }
}
