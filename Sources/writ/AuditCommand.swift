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

        @Option(
            help: """
                An anchor kept outside the store, SEQ:HASH (a record's number and hash as an earlier \
                verify printed them): the store must still hold that exact record, so that a chain \
                rewritten or cut after it is found.
                """)
        var anchor: String?

        func run() throws {
            let a = try anchor.map(AuditRun.anchor)
            let result = try AuditRun.verify(path: db, anchor: a)
            if result.isIntact {
                Console.out(result.description + (a.map { "; record \($0.seq) matches the anchor" } ?? "") + "\n")
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
