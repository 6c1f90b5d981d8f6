/// `writ audit verify DB`: check the audit trail's hash chain;
/// `writ audit bench`: measure the audit writer.
import ArgumentParser
import WritDriver

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Inspect the tamper-evident audit trail.",
        subcommands: [Verify.self, Bench.self])

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

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the audit writer: append a replay's decision lines to a new store, durably.")

        @Argument(help: "Decision lines (JSON lines, as `writ replay -o` writes them).")
        var decisions: String

        @Option(help: "The new audit store to write (must not exist).")
        var db: String

        @Option(help: "Wait for a durable flush after this many decisions (as `--ack-every`).")
        var flushEvery: Int = 100_000

        func run() throws {
            Console.out(try AuditRun.benchmarkAppends(decisionsFile: decisions, db: db, flushEvery: flushEvery).description + "\n")
        }
    }
}
