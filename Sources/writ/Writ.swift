/// The `writ` command-line tool: a thin layer over the libraries. Each
/// command parses its options, calls one library entry point and maps the
/// outcome to an exit code (0 success, 1 findings, 2 usage or I/O problems).
import ArgumentParser
import Foundation
import WritDriver

@main
struct Writ: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "writ",
        abstract: "Rule language, compiler and policy engine for pre-trade compliance.",
        version: WritVersion.string,
        subcommands: [
            CheckCommand.self, FmtCommand.self, BuildCommand.self, EvalCommand.self, ReplayCommand.self,
            TestCommand.self, BenchCommand.self, ReportCommand.self, KeygenCommand.self, AuditCommand.self,
            GenerateEventsCommand.self,
            GenerateRulesCommand.self, PlanCommand.self, SimulateCommand.self,
        ])

    /// Runs the tool, mapping argument errors to exit code 2 (usage).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let e as UsageError {
            Console.error("error: \(e.message)")
            Foundation.exit(2)
        } catch let e as ExitCode {
            Foundation.exit(e.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            Console.error(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}
