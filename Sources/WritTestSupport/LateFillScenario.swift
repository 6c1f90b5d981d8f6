/// One stream of orders, cancels and fills for the closed orders
/// (docs/engine-semantics.md, "Closed orders"), run alike by the engine's
/// and the oracle's tests: a fill of an order no longer live counts; with
/// room for `closedOrders` of them, the one closed first is forgotten
/// first, and closing an id again keeps its place. Probes are new orders
/// whose decision shows whether the account's position in their
/// instrument is above 50 (a rule `S.long` of `position(order.account,
/// order.symbol) > 50`).
public enum LateFillScenario {
    /// The closed orders the stream is made for.
    public static let closedOrders = 2

    /// One step of the stream.
    public enum Step: Sendable {
        /// An input line to process.
        case line(String)
        /// A new order of `symbol` (quantity 1) whose decision lists `S.long` exactly when `long`.
        case probe(line: String, long: Bool)
        /// Where an engine may be snapshot and restored: what follows must decide alike.
        case snapshot
    }

    /// The stream, one event a second from 14:30:01 UTC on 2026-11-27.
    public static func steps() -> [Step] {
        var second = 0
        func at() -> String {
            second += 1
            let s = second % 60
            return "2026-11-27T14:\(30 + second / 60):\(s < 10 ? "0" : "")\(s)Z"
        }
        func order(_ id: String, _ symbol: String, qty: String = "10", event: String = "new") -> Step {
            .line(
                #"{"event":"\#(event)","id":"\#(id)","ts":"\#(at())","account":"A-1","client":"C-1","client_country":"DE","trader":"T-1","desk":"EQ-EU","symbol":"\#(symbol)","venue":"XETR","side":"buy","qty":"\#(qty)","price":"123.45","ord_type":"limit","currency":"EUR"}"#
            )
        }
        func cancel(_ id: String) -> Step { .line(#"{"event":"cancel","id":"\#(id)","ts":"\#(at())"}"#) }
        func fill(_ id: String, _ qty: String = "60") -> Step {
            .line(
                #"{"event":"fill","id":"\#(id)","exec_id":"E-\#(second)","ts":"\#(at())","qty":"\#(qty)","price":"123","currency":"EUR","venue":"XETR"}"#
            )
        }
        func probe(_ symbol: String, long: Bool) -> Step {
            guard case .line(let l) = order("P-\(second)", symbol, qty: "1") else { return .snapshot }
            return .probe(line: l, long: long)
        }
        var steps: [Step] = [order("O-1", "S1"), cancel("O-1"), fill("O-1"), probe("S1", long: true)]
        // O-1, O-2, O-3, O-4 closed in turn: two are kept, O-3 and O-4.
        for n in 2...4 { steps += [order("O-\(n)", "S\(n)"), cancel("O-\(n)")] }
        steps += [fill("O-2"), probe("S2", long: false)]
        // O-3 again (another order of the same id), closed again: it keeps its place, the first.
        steps += [order("O-3", "S5"), cancel("O-3"), .snapshot]
        // O-6 pushes O-3 out: its fill counts nowhere.
        steps += [order("O-6", "S6"), cancel("O-6"), fill("O-3"), fill("O-4"), fill("O-6")]
        // Filled in full, then a fill past its quantity; filled 5, then modified to 5.
        steps += [order("O-7", "S7"), fill("O-7", "10"), fill("O-7", "50")]
        steps += [order("O-8", "S8"), fill("O-8", "5"), order("O-8", "S8", qty: "5", event: "modify"), fill("O-8", "50")]
        for (symbol, long) in [("S3", false), ("S5", false), ("S4", true), ("S6", true), ("S7", true), ("S8", true)] {
            steps.append(probe(symbol, long: long))
        }
        return steps
    }
}
