/// `writ test PATH...`: run the `test` blocks and report rule coverage.
import ArgumentParser
import WritDriver

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the test blocks of rule files through the engine; report failures and rule coverage.",
        discussion: """
            Each test runs on a fresh engine (empty state). The output ends with \
            `rule coverage: P% (R of T rules)` and `N passed, N failed`. Exit status: 0 all passed, \
            1 a test failed or the rules have errors, 2 usage or I/O problems.
            """)

    @Argument(help: "Rule files or directories (default: rules).")
    var paths: [String] = []

    func run() throws {
        let (c, report) = try TestRun.run(paths: paths.isEmpty ? ["rules"] : paths)
        let diags = c.renderer.renderAll(c.diagnostics.filter { $0.severity == .error })
        guard let report else {
            Console.error(diags)
            throw ExitCode(1)
        }
        Console.out(report.text)
        if report.failedCount > 0 { throw ExitCode(1) }
    }
}
