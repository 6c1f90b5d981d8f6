/// The checker's public entry point: parsed units in, a `CheckedProgram`,
/// diagnostics and per-jurisdiction costs out.

import WritSyntax

/// Why a data file could not be read.
public struct DataFileError: Error, Sendable, Hashable {
    /// One sentence in the style of diagnostics (`no such file `x.csv``).
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
}

/// How to check a program.
public struct CheckOptions: Sendable {
    /// Reads a data file named by a `data … from "path"` declaration; `path`
    /// is as written, `fromFile` the declaring file's index.
    public var readDataFile: @Sendable (_ path: String, _ fromFile: Int) -> Result<String, DataFileError>
    /// Whether to return the worst-case cost of each jurisdiction in
    /// `CheckResult.costs`. The cost analysis itself always runs: an
    /// unbounded macro and an exceeded `budget` are errors either way.
    public var computeCost: Bool
    /// The first node id no parsed expression has: the checker numbers the
    /// copies of inlined `let`s from here, so that ids stay dense (the
    /// oracle indexes arrays by id). nil: from 2^30.
    public var firstFreeNodeID: Int32? = nil

    /// Creates options; by default no data file can be read and costs are not returned.
    public init(
        readDataFile: @escaping @Sendable (_ path: String, _ fromFile: Int) -> Result<String, DataFileError> = {
            path, _ in .failure(DataFileError("no such file `\(path)`"))
        },
        computeCost: Bool = false
    ) {
        self.readDataFile = readDataFile
        self.computeCost = computeCost
    }
}

/// What the checker produces.
public struct CheckResult: Sendable {
    /// The checked program (complete for every declaration that checked;
    /// do not lower it when `diagnostics` has errors).
    public var program: CheckedProgram
    /// The checker's diagnostics (not the parser's), sorted by position.
    public var diagnostics: [Diagnostic]
    /// Worst-case cost per order of each jurisdiction (empty unless
    /// `CheckOptions.computeCost`).
    public var costs: [JurisdictionCost]
    /// Creates a result.
    public init(program: CheckedProgram, diagnostics: [Diagnostic], costs: [JurisdictionCost]) {
        self.program = program
        self.diagnostics = diagnostics
        self.costs = costs
    }
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// The type checker.
public enum Checker {
    /// Checks the units of one program together (one namespace across all
    /// files). `files[i]` is the source of the unit whose `fileIndex` is `i`.
    public static func check(units: [SourceUnit], files: [SourceFile], options: CheckOptions) -> CheckResult {
        let a = Analyzer(units: units, files: files, options: options)
        a.run()
        var bag = DiagnosticBag()
        bag.add(contentsOf: a.diagnostics)
        return CheckResult(program: a.program, diagnostics: bag.sorted, costs: options.computeCost ? a.costs : [])
    }
}
