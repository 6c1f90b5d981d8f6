/// Helpers for the checker's tests: check a whole program from source, or
/// type one expression against a fixed prelude of declarations.
import Foundation
import Testing
import WritSyntax
import WritValue

@testable import WritSema

/// Checks sources without the driver (no imports followed).
enum SemaHarness {
    /// A prelude of declarations the expression tests run against.
    static let prelude = """
        enum Side { buy, sell, short, short_exempt }
        enum OrdType { limit, market }
        schema order {
          id: symbol
          qty: decimal
          n: int
          price: money(currency)?
          currency: currency
          eur: money(EUR)
          usd: money(USD)
          notional: money
          venue: symbol
          account: symbol
          trader: symbol
          note: string
          side: Side
          ord_type: OrdType
          ts: timestamp
          age: duration
          pct: percent
          legs: list<decimal>
          tags: set<symbol>
          attrs: map<symbol, int>
          flag: bool
          open: timeofday
          algo: symbol?
        }
        schema market { reference: money(currency)?, currency: currency }
        const MAX = 100
        const RATE = 1.5
        const NAMES = ["a", "b"]
        set VENUES: symbol = ["XETR", "XPAR"]
        data venues from "venues.csv" key mic { mic: symbol, tick: decimal, currency: currency }
        data blocked: set<symbol> bound
        jurisdiction J {
          applies when true
          limits { cap = 1_000 EUR, collar = 5%, burst = MAX * 2 }
          rule r alert "m" when order.flag
        }
        """

    static let venuesCSV = "mic,tick,currency\nXETR,0.01,EUR\nXNYS,0.01,USD\n"

    /// The options used by the harness: `venues.csv` is `venuesCSV`, other files are missing.
    static func options(files: [String: String] = [:]) -> CheckOptions {
        var table = files
        if table["venues.csv"] == nil { table["venues.csv"] = venuesCSV }
        let snapshot = table
        return CheckOptions(
            readDataFile: { path, _ in
                snapshot[path].map { .success($0) } ?? .failure(DataFileError("no such file `\(path)`"))
            }, computeCost: true)
    }

    /// Parses and checks `sources` as one program.
    static func check(_ sources: [String], files: [String: String] = [:]) -> (
        result: CheckResult, parse: [Diagnostic], files: [SourceFile], units: [SourceUnit]
    ) {
        var ids = NodeIDAllocator()
        var sfs: [SourceFile] = []
        var units: [SourceUnit] = []
        var parse: [Diagnostic] = []
        for (i, s) in sources.enumerated() {
            let f = SourceFile(path: "test\(i).writ", text: s)
            let r = Parser.parse(f, fileIndex: i, ids: &ids)
            sfs.append(f)
            units.append(r.unit)
            parse += r.diagnostics
        }
        let result = Checker.check(units: units, files: sfs, options: options(files: files))
        return (result, parse, sfs, units)
    }

    /// The codes and `line:col` positions a single-file program reports (parse and check).
    static func codes(_ source: String, files: [String: String] = [:]) -> [String] {
        let c = check([source], files: files)
        #expect(c.parse.isEmpty, "unexpected syntax errors: \(c.parse.map(\.message))")
        return c.result.diagnostics.map(\.code.id)
    }

    /// What checking one expression in a rule of `J` (over the prelude) gives.
    struct Typed {
        var type: WType
        var codes: [String]
        var messages: [String]
        var value: Value?
        var program: CheckedProgram
        var expr: Expr
    }

    /// Types `text` as the condition-position expression of a rule of `J`.
    static func type(_ text: String, scope: Scope? = nil) -> Typed {
        var ids = NodeIDAllocator()
        let pf = SourceFile(path: "prelude.writ", text: prelude)
        let parsed = Parser.parse(pf, fileIndex: 0, ids: &ids)
        precondition(parsed.diagnostics.isEmpty, "prelude: \(parsed.diagnostics.map(\.message))")
        let ef = SourceFile(path: "expr.writ", text: text)
        let (expr, pd) = Parser.parseExpression(ef, fileIndex: 1, ids: &ids)
        precondition(pd.isEmpty, "\(text): \(pd.map(\.message))")
        let a = Analyzer(units: [parsed.unit], files: [pf, ef], options: options())
        a.run()
        let before = a.diagnostics.count
        let s = scope ?? Scope(place: "a rule", inputs: .all, jurisdiction: "J", stateful: true)
        let t = a.check(expr, s)
        let new = Array(a.diagnostics[before...])
        return Typed(
            type: t, codes: new.map(\.code.id), messages: new.map(\.message), value: a.program.constants[expr.id],
            program: a.program, expr: expr)
    }
}
