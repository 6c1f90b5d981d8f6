/// The daily CSV reports of one regulator: every order event with the
/// engine's decision on it (`{REG}_ORDERS_{YYYYMMDD}.csv`), and every fill
/// (`{REG}_TRADES_{YYYYMMDD}.csv`). Both files are written together; a day
/// without records gives files with only the header row.
import WritValue

/// Generates the CSV reports.
public struct CSVGenerator: Sendable {
    /// The regulator.
    public var regulator: CSVRegulator

    /// Creates a generator.
    public init(regulator: CSVRegulator) { self.regulator = regulator }

    /// The header of the order report.
    public var orderHeader: [String] {
        [
            "date", "time", "order_id", "event", "account", "client", "client_country", "trader", "desk", "algo",
            "symbol", "isin", "venue", "side", "quantity", "price", "currency", "order_type", "time_in_force",
            "verdict", "rules", "reasons",
        ] + regulator.extraOrderColumns
    }

    /// The header of the trade report.
    public var tradeHeader: [String] {
        [
            "date", "time", "exec_id", "order_id", "symbol", "isin", "venue", "venue_tx_id", "side", "quantity",
            "price", "currency", "notional", "capacity", "buyer", "seller", "decision_maker", "executor",
            "country_of_branch",
        ] + regulator.extraTradeColumns
    }

    /// `ASIC_ORDERS_20261127.csv`.
    public func orderFileName(_ date: ReportDate) -> String { "\(regulator.rawValue)_ORDERS_\(date.compact).csv" }

    /// `ASIC_TRADES_20261127.csv`.
    public func tradeFileName(_ date: ReportDate) -> String { "\(regulator.rawValue)_TRADES_\(date.compact).csv" }

    /// Writes both reports into `folder`.
    public func generate(_ inputs: ReportInputs, date: ReportDate, to folder: String) throws(ReportError)
        -> GeneratedReport
    {
        let output = try ReportOutput(folder: folder)
        let orders = orderRows(inputs)
        let trades = try tradeRows(inputs)
        try output.stage(
            name: orderFileName(date), records: orders.count, bytes: CSVWriter.encode(header: orderHeader, rows: orders)
        )
        try output.stage(
            name: tradeFileName(date), records: trades.count, bytes: CSVWriter.encode(header: tradeHeader, rows: trades)
        )
        let files = try output.commit()
        var notes: [String] = []
        if orders.isEmpty && trades.isEmpty {
            notes.append("no orders or trades on \(date): both files hold only their header")
        }
        return GeneratedReport(report: "\(regulator.rawValue) CSV \(date)", files: files, notes: notes)
    }

    /// The order report's rows, in time order.
    public func orderRows(_ inputs: ReportInputs) -> [[String]] {
        let decisions = DecisionMatcher(inputs)
        let order = inputs.orders.indices.sorted {
            let a = inputs.orders[$0]
            let b = inputs.orders[$1]
            return (a.timestamp, a.id, $0) < (b.timestamp, b.id, $1)
        }
        return order.map { i in
            let o = inputs.orders[i]
            let d = decisions.decision(of: i)
            let rules: String = d?.rules.map(\.rule).joined(separator: "; ") ?? ""
            var reasons = ""
            if let d { reasons = d.problem ?? d.rules.map(\.reason).joined(separator: "; ") }
            var row: [String] = [ReportDate(containing: o.timestamp).description, TextFormat.timestamp(o.timestamp)]
            row += [o.id, o.event.rawValue, o.account ?? "", o.client ?? "", o.clientCountry ?? ""]
            row += [o.trader ?? "", o.desk ?? "", o.algo ?? "", o.symbol ?? "", o.isin ?? "", o.venue ?? ""]
            row += [o.side?.rawValue ?? "", o.quantity.map(TextFormat.decimal) ?? ""]
            row += [o.price.map(TextFormat.decimal) ?? "", o.currency ?? "", o.orderType?.rawValue ?? ""]
            row += [o.timeInForce ?? "", d?.verdict.rawValue ?? "", rules, reasons]
            switch regulator {
            case .sebi: row.append(o.event == .cancel ? "" : (o.algo == nil ? "N" : "Y"))
            case .csa: row.append(CSVRegulator.shortMarking(o.side))
            case .asic, .mas, .jfsa: break
            }
            return row
        }
    }

    /// The trade report's rows, in time order; fails if a notional overflows.
    public func tradeRows(_ inputs: ReportInputs) throws(ReportError) -> [[String]] {
        let fills = inputs.joinedFills().sorted { ($0.timestamp, $0.execID) < ($1.timestamp, $1.execID) }
        var rows: [[String]] = []
        var violations: [ReportViolation] = []
        for f in fills {
            guard let notional = f.quantity.multiplied(by: f.price) else {
                violations.append(ReportViolation(kind: "fill", record: f.execID, message: "its notional overflows"))
                continue
            }
            var row: [String] = [ReportDate(containing: f.timestamp).description, TextFormat.timestamp(f.timestamp)]
            row += [f.execID, f.orderID, f.symbol ?? "", f.isin ?? "", f.venue, f.venueTransactionID ?? ""]
            row += [f.side?.rawValue ?? "", TextFormat.decimal(f.quantity), TextFormat.decimal(f.price), f.currency]
            row += [TextFormat.decimal(notional), f.capacity?.rawValue ?? "", f.buyer ?? "", f.seller ?? ""]
            row += [f.decisionMaker ?? "", f.executor ?? "", f.countryOfBranch ?? ""]
            if regulator == .csa { row.append(CSVRegulator.shortMarking(f.side)) }
            rows.append(row)
        }
        guard violations.isEmpty else {
            throw ReportError.invalidReport(report: "\(regulator.rawValue) trades", violations: violations)
        }
        return rows
    }
}
