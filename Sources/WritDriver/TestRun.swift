/// The work behind `writ test`: compile the rules, run every `test` block
/// through the engine (each test on a fresh engine: empty state), compare
/// each `expect` with the decision of the event before it, and measure rule
/// coverage (the share of rules that fired in some test).
import Foundation
import WritEngine
import WritIR
import WritSema
import WritSyntax

/// The result of one test.
public struct TestOutcome: Sendable {
    /// The test's title.
    public var name: String
    /// `file:line` of the test.
    public var location: String
    /// Failed expectations, each a readable paragraph (empty = passed).
    public var failures: [String]
    /// Whether every expectation held.
    public var passed: Bool { failures.isEmpty }
}

/// The result of `writ test`.
public struct TestReport: Sendable {
    /// One outcome per test, in declaration order.
    public var outcomes: [TestOutcome] = []
    /// Every rule of the program, in declaration order.
    public var rules: [RuleID] = []
    /// Rules that fired (or failed to evaluate) in at least one test.
    public var fired: Set<String> = []
    /// An empty report (no tests, no rules).
    public init() {}
    /// Tests that passed.
    public var passedCount: Int { outcomes.filter(\.passed).count }
    /// Tests that failed.
    public var failedCount: Int { outcomes.count - passedCount }
    /// Rules no test fired, in declaration order.
    public var untested: [RuleID] { rules.filter { !fired.contains($0.description) } }
    /// Coverage in percent (100 when there are no rules).
    public var coverage: Double {
        rules.isEmpty ? 100 : Double(rules.count - untested.count) * 100 / Double(rules.count)
    }

    /// Coverage as printed: whole when it is whole, else in tenths rounded
    /// down, but never `0.0` when a rule fired nor `100.0` when one did not
    /// (2,999 of 3,000 rules is 99.9 %, 1 of 3,000 is 0.1 %).
    public var coverageText: String {
        let covered = rules.count - untested.count
        if rules.isEmpty || covered == rules.count { return "100" }
        if covered == 0 { return "0" }
        if covered * 100 % rules.count == 0 { return String(covered * 100 / rules.count) }
        let tenths = Swift.min(Swift.max(covered * 1000 / rules.count, 1), 999)
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// The text `writ test` prints: failures, coverage and the summary line
    /// `N passed, N failed` last.
    public var text: String {
        var out = ""
        for o in outcomes where !o.passed {
            out += "FAIL \(o.location): test \"\(o.name)\"\n"
            for f in o.failures { out += f.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n" }
        }
        if !untested.isEmpty {
            out += "untested rules: " + untested.map(\.description).joined(separator: ", ") + "\n"
        }
        out += "rule coverage: \(coverageText)% (\(rules.count - untested.count) of \(rules.count) rules)\n"
        out += "\(passedCount) passed, \(failedCount) failed\n"
        return out
    }
}

/// Runs `test` blocks.
public enum TestRun {
    /// Checks and compiles `paths`, then runs their tests. Returns the
    /// compilation (for its diagnostics) and the report (nil when the
    /// program has errors and could not be run).
    public static func run(paths: [String]) throws(UsageError) -> (Compilation, TestReport?) {
        let c = try Compilation.check(paths: paths)
        guard !c.hasErrors, let checked = c.checked else { return (c, nil) }
        let ir: IRProgram
        do {
            ir = try IRCompiler.compile(checked.program, files: c.files)
        } catch {
            // What the engine refuses is a finding in the rules, as `check` and `build` report it (E0702).
            var refused = c
            refused.compileForEngine()
            if refused.hasErrors { return (refused, nil) }
            throw UsageError("cannot compile the rules: \(error.description)")
        }
        return (c, run(checked.program, ir: ir, files: c.files))
    }

    /// Small state tables: a test feeds at most a few thousand events.
    static let testConfiguration = EngineConfiguration(
        keysPerSlot: 4_096, liveOrders: 16_384, idsPerDay: 16_384, marketRecords: 1_024, killSwitches: 256,
        runtimeSymbols: 65_536, closedOrders: 16_384)

    /// Runs the tests of `program` on engines built from `ir`.
    public static func run(_ program: CheckedProgram, ir: IRProgram, files: [SourceFile]) -> TestReport {
        var report = TestReport()
        for j in program.jurisdictions { for r in j.rules { report.rules.append(r.id) } }
        let ruleNames = Set(report.rules.map(\.description))
        let engineProgram = EngineProgram(ir: ir)
        let renderer = DiagnosticRenderer(files: files)
        for test in program.tests {
            let engine = Engine(program: engineProgram, configuration: testConfiguration)
            // Run-time lists (`data … bound`) start with their declared value,
            // or empty: a read of an unbound list would fail closed and hide
            // what is tested. `given bound` binds one from its step on.
            for b in ir.bindings where b.defaults == nil { engine.bind(b.name, symbols: []) }
            let (path, loc) = renderer.position(test.span)
            var outcome = TestOutcome(name: test.name, location: "\(path):\(loc.line)", failures: [])
            var last: (line: String, decision: String?)?
            for step in test.steps {
                switch step {
                case .given(let g):
                    for k in 1...max(1, g.repeatCount) {
                        let line = EventJSON.line(for: g, repetition: k)
                        let d = engine.processLine(line)
                        if let d { noteFired(d, into: &report.fired) }
                        last = (line, d)
                    }
                case .bind(let b):
                    if b.columns.isEmpty {
                        engine.bind(b.binding, symbols: b.values)
                    } else {
                        do { try engine.bind(b.binding, header: b.columns, rows: b.rows, file: "the test's rows") } catch {
                            outcome.failures.append("\(path):\(loc.line): cannot bind `\(b.binding)`: \(error.description)")
                        }
                    }
                case .expect(let e):
                    let (_, eloc) = renderer.position(e.span)
                    if let f = check(e, against: last, at: "\(path):\(eloc.line)", rules: ruleNames) {
                        outcome.failures.append(f)
                    }
                }
            }
            report.outcomes.append(outcome)
        }
        return report
    }

    /// Records the rules a decision line lists.
    static func noteFired(_ decisionLine: String, into fired: inout Set<String>) {
        guard let obj = parse(decisionLine), let rules = obj["rules"] as? [String] else { return }
        for r in rules { fired.insert(r) }
    }

    static func parse(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// nil when the expectation holds, else a readable failure. `expect`
    /// lists rules: the entries of a decision that are not rules of the
    /// program (the platform's route and DR-level gates) are not compared —
    /// the verdict still is, and scenarios test the gates.
    static func check(
        _ e: CheckedExpect, against last: (line: String, decision: String?)?, at location: String, rules ruleNames: Set<String>
    ) -> String? {
        let expected = e.verdict.rawValue + (e.rules.map { " [" + $0.map(\.description).joined(separator: ", ") + "]" } ?? "")
        guard let last else { return "\(location): expected \(expected), but no event came before `expect`" }
        guard let decision = last.decision, let obj = parse(decision) else {
            return "\(location): expected \(expected), but the event before `expect` has no decision\n  event:  \(last.line)"
        }
        let verdict = obj["verdict"] as? String ?? "?"
        let rules = obj["rules"] as? [String] ?? []
        var ok = verdict == e.verdict.rawValue
        if let want = e.rules?.map(\.description) {
            // A rule named twice is a mistake in the test, whatever fired.
            if Set(want).count != want.count {
                let twice = Set(want.filter { w in want.count { $0 == w } > 1 }).sorted()
                return "\(location): \(twice.map { "`\($0)`" }.joined(separator: ", ")) listed twice in `expect`; name each rule once"
            }
            // The rules that fired, in any order (decisions list them in declaration order).
            ok = ok && Set(want) == Set(rules.filter(ruleNames.contains)) && want.count == rules.filter(ruleNames.contains).count
        }
        if ok { return nil }
        let reasons = (obj["reasons"] as? [String] ?? []).joined(separator: "; ")
        return """
            \(location): expected \(expected)
            actual:   \(verdict) [\(rules.joined(separator: ", "))]\(reasons.isEmpty ? "" : " — " + reasons)
            event:    \(last.line)
            """
    }
}
