/// Shared helpers of the oracle's tests: small programs over the test
/// schema, input lines in the contract's shape, and a way to feed them.

import Foundation
import Testing
import WritDriver
import WritOracle
import WritSema

enum OracleFixtures {
    /// The repository's root (three levels above this file).
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A path under the root.
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// A program made of the test schema (Fixtures/schema.writ, a copy of
    /// rules/schema.writ), its reference data (the venues table, a venue set,
    /// two bound lists) and `source`, which may `import "schema.writ"`.
    static func program(_ source: String) -> CheckedProgram {
        func read(_ p: String) -> String { (try? String(contentsOfFile: path(p), encoding: .utf8)) ?? "" }
        let c = Compilation.check(sources: [
            ("fixtures/schema.writ", read("Tests/WritOracleTests/Fixtures/schema.writ")),
            ("fixtures/reference.writ", read("Tests/WritOracleTests/Fixtures/reference.writ")),
            ("fixtures/data/venues.csv", read("Tests/WritOracleTests/Fixtures/data/venues.csv")),
            ("fixtures/test.writ", source),
        ])
        let errors = c.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty || c.checked == nil {
            Issue.record("program does not check: \(errors.map { c.renderer.render($0) }.joined(separator: "\n"))")
            return CheckedProgram()
        }
        return c.checked!.program
    }
}

/// Input lines for tests, in the input contract's shape.
enum Lines {
    /// The fields of an order that tests start from (a 100 @ 100.00 EUR buy
    /// limit order of A-1 on XETR), in the contract's order.
    static let orderKeys = [
        "event", "id", "ts", "account", "client", "client_country", "trader", "desk", "algo", "symbol", "isin", "venue",
        "side", "qty", "price", "ord_type", "currency", "locate_id", "tif",
    ]
    static let orderDefaults: [String: String] = [
        "account": "A-1", "client": "C-1", "client_country": "DE", "trader": "T-1", "desk": "D-1", "symbol": "SAP",
        "venue": "XETR", "side": "buy", "qty": "100", "price": "100.00", "ord_type": "limit", "currency": "EUR",
    ]

    /// A JSON object with string values, keys in `order` first, then the rest sorted.
    static func object(_ fields: [String: String], order: [String] = orderKeys) -> String {
        let keys = order.filter { fields[$0] != nil } + fields.keys.filter { !order.contains($0) }.sorted()
        return "{" + keys.map { "\"\($0)\":\"\(fields[$0]!)\"" }.joined(separator: ",") + "}"
    }

    /// A `new` (or `modify`) order; `set` overrides fields, `drop` removes them.
    static func order(
        _ event: String = "new", _ id: String, at ts: String, _ set: [String: String] = [:], drop: [String] = []
    ) -> String {
        var f = orderDefaults
        f["event"] = event
        f["id"] = id
        f["ts"] = ts
        for (k, v) in set { f[k] = v }
        for k in drop { f[k] = nil }
        return object(f)
    }

    static func cancel(_ id: String, at ts: String) -> String { "{\"event\":\"cancel\",\"id\":\"\(id)\",\"ts\":\"\(ts)\"}" }

    static func fill(_ id: String, at ts: String, qty: String, price: String = "100.00", currency: String = "EUR") -> String {
        object(
            ["event": "fill", "id": id, "exec_id": "E-\(id)-\(ts)", "ts": ts, "qty": qty, "price": price, "currency": currency,
             "venue": "XETR"],
            order: ["event", "id", "exec_id", "ts", "qty", "price", "currency", "venue"])
    }

    static func market(_ symbol: String = "SAP", _ venue: String = "XETR", at ts: String, _ set: [String: String] = [:])
        -> String
    {
        var f = ["event": "market", "symbol": symbol, "venue": venue, "ts": ts]
        for (k, v) in set { f[k] = v }
        return object(f, order: ["event", "symbol", "venue", "ts"])
    }

    static func control(_ action: String, _ scope: String, _ key: String, at ts: String) -> String {
        object(["event": "control", "action": action, "scope": scope, "key": key, "ts": ts], order: ["event", "action", "scope", "key", "ts"])
    }
}

/// A decision line's parts, for assertions that do not spell out the whole line.
struct ParsedDecision: Equatable {
    var id: String
    var verdict: String
    var rules: [String]
    var reasons: [String]

    init?(_ line: String?) {
        guard let line, let data = line.data(using: .utf8),
            let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let id = o["id"] as? String, let verdict = o["verdict"] as? String, let rules = o["rules"] as? [String],
            let reasons = o["reasons"] as? [String]
        else { return nil }
        self.id = id
        self.verdict = verdict
        self.rules = rules
        self.reasons = reasons
    }
}

extension Oracle {
    /// Processes lines; returns the decision of each (nil where none).
    func run(_ lines: [String]) -> [String?] { lines.map { process(line: $0) } }

    /// The parsed decision of one line.
    func decide(_ line: String) -> ParsedDecision? { ParsedDecision(process(line: line)) }
}
