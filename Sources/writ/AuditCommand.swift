/// `writ audit verify DB`: check the audit trail's hash chain.
import ArgumentParser
import WritDriver

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Inspect the tamper-evident audit trail.",
        subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain; exit 0 when it holds, 1 naming the first broken record.")

        @Argument(help: "The audit store (SQLite file).")
        var db: String

        func run() throws {
            let result = try AuditRun.verify(path: db)
            if result.isIntact {
                Console.out(result.description + "\n")
            } else {
                Console.error("error: " + result.description)
                if let h = result.help { Console.error("  help: " + h) }
                throw ExitCode(1)
            }
        }
    }
}
