/// Records built from the values of report definitions (`rules/reports/`):
/// the generators take each value by the target name of the definition's
/// `field` — RTS 22 element names, CAT field names, CSV column names —
/// instead of reading the input's JSON themselves. The host (the driver)
/// evaluates the definitions on each stored event with the engine and hands
/// the values here (docs/reports.md, "Report definitions").
import WritValue

/// A value of a report definition's field.
public enum ReportFieldValue: Sendable, Hashable {
    /// Text (`string`, `symbol`, `currency`).
    case text(String)
    /// A decimal (an `int` too).
    case decimal(Fixed)
    /// Money: the amount and its currency.
    case money(Fixed, currency: String)
    /// An instant, in nanoseconds since the epoch.
    case timestamp(Int64)
    /// An enum value's case name.
    case enumCase(String)
    /// A bool.
    case bool(Bool)
    /// Any other value, as text.
    case other(String)

    /// The value as text, as a CSV cell would hold it.
    public var text: String {
        switch self {
        case .text(let s), .enumCase(let s), .other(let s): s
        case .decimal(let d): d.description
        case .money(let a, _): a.description
        case .timestamp(let t): Value.rfc3339(t)
        case .bool(let b): b ? "true" : "false"
        }
    }
}

/// Which target of a definition feeds which property of a record.
public struct DefinedRecordLayout: Sendable, Hashable {
    /// The kind of definition, for messages (`RTS 22`).
    public var what: String
    /// Target names by record property.
    var names: [String: String]

    /// The target feeding `property`, or the property's own name.
    func name(_ property: String) -> String { names[property] ?? property }

    /// RTS 22 (`auth.016.001.01`): `TxId`, `order_id`, `TradDt`, `TradgCpcty`, `Qty`, `Pric`, `TradVn`,
    /// `TradPlcMtchgId`, `CtryOfBrnch`, `FinInstrm`, `Buyr`, `Sellr`, `InvstmtDcsnPrsn`, `ExctgPrsn`.
    public static let rts22 = DefinedRecordLayout(
        what: "RTS 22",
        names: [
            "execID": "TxId", "orderID": "order_id", "timestamp": "TradDt", "capacity": "TradgCpcty",
            "quantity": "Qty", "price": "Pric", "venue": "TradVn", "venueTransactionID": "TradPlcMtchgId",
            "countryOfBranch": "CtryOfBrnch", "isin": "FinInstrm", "buyer": "Buyr", "seller": "Sellr",
            "decisionMaker": "InvstmtDcsnPrsn", "executor": "ExctgPrsn",
        ])

    /// CAT trade events: `tradeID`, `orderID`, `eventTimestamp`, `quantity`, `price`, `capacity`, `tapeTradeID`, `venue`.
    public static let catTrades = DefinedRecordLayout(
        what: "CAT trade events",
        names: [
            "execID": "tradeID", "orderID": "orderID", "timestamp": "eventTimestamp", "quantity": "quantity",
            "price": "price", "capacity": "capacity", "venueTransactionID": "tapeTradeID", "venue": "venue",
        ])

    /// CAT order events: `type`, `orderID`, `eventTimestamp`, `symbol`, `side`, `price`, `quantity`,
    /// `orderType`, `timeInForce`, `firmDesignatedID`, `destination`.
    public static let catOrders = DefinedRecordLayout(
        what: "CAT order events",
        names: [
            "event": "type", "id": "orderID", "timestamp": "eventTimestamp", "symbol": "symbol", "side": "side",
            "price": "price", "quantity": "quantity", "orderType": "orderType", "timeInForce": "timeInForce",
            "account": "firmDesignatedID", "venue": "destination",
        ])

    /// CSV trade reports: the column names.
    public static let csvTrades = DefinedRecordLayout(
        what: "CSV trades",
        names: [
            "timestamp": "time", "execID": "exec_id", "orderID": "order_id", "isin": "isin", "venue": "venue",
            "venueTransactionID": "venue_tx_id", "quantity": "quantity", "price": "price", "capacity": "capacity",
            "buyer": "buyer", "seller": "seller", "decisionMaker": "decision_maker", "executor": "executor",
            "countryOfBranch": "country_of_branch",
        ])

    /// CSV order reports: the column names.
    public static let csvOrders = DefinedRecordLayout(
        what: "CSV orders",
        names: [
            "timestamp": "time", "id": "order_id", "event": "event", "account": "account", "client": "client",
            "clientCountry": "client_country", "trader": "trader", "desk": "desk", "algo": "algo",
            "symbol": "symbol", "isin": "isin", "venue": "venue", "side": "side", "quantity": "quantity",
            "price": "price", "currency": "currency", "orderType": "order_type", "timeInForce": "time_in_force",
        ])
}

/// Reads the values of one event by record property, with messages that name the target.
struct DefinedValues {
    let values: [String: ReportFieldValue]
    let layout: DefinedRecordLayout

    func fail(_ message: String) -> ReportError { .badInput(what: "report definition (\(layout.what))", message: message) }

    func value(_ p: String) -> ReportFieldValue? { values[layout.name(p)] }

    func text(_ p: String) -> String? { value(p)?.text }

    func required(_ p: String) throws(ReportError) -> String {
        guard let s = text(p) else { throw fail("the field `\(layout.name(p))` has no value") }
        return s
    }

    func decimal(_ p: String) throws(ReportError) -> Fixed? {
        switch value(p) {
        case nil: return nil
        case .decimal(let d)?, .money(let d, _)?: return d
        case let v?: throw fail("the field `\(layout.name(p))` is not a decimal: `\(v.text)`")
        }
    }

    func requiredDecimal(_ p: String) throws(ReportError) -> Fixed {
        guard let d = try decimal(p) else { throw fail("the field `\(layout.name(p))` has no value") }
        return d
    }

    func currency(_ p: String) -> String? {
        if case .money(_, let c)? = value(p) { return c }
        return nil
    }

    func timestamp(_ p: String) throws(ReportError) -> Int64 {
        switch value(p) {
        case .timestamp(let t)?: return t
        case nil: throw fail("the field `\(layout.name(p))` has no value")
        case let v?: throw fail("the field `\(layout.name(p))` is not a timestamp: `\(v.text)`")
        }
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ p: String, _: E.Type) throws(ReportError) -> E?
    where E.RawValue == String {
        guard let s = text(p) else { return nil }
        guard let e = E(rawValue: s) else {
            let cases = E.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            throw fail("the field `\(layout.name(p))` is not one of \(cases): `\(s)`")
        }
        return e
    }
}

extension FillRecord {
    /// A fill from the values of a report definition on a `fill` event, by
    /// the target names of `layout`.
    public init(fields: [String: ReportFieldValue], layout: DefinedRecordLayout) throws(ReportError) {
        let v = DefinedValues(values: fields, layout: layout)
        let price = try v.requiredDecimal("price")
        guard let currency = v.currency("price") ?? v.text("currency") else {
            throw v.fail("the field `\(layout.name("price"))` has no currency")
        }
        self.init(
            orderID: try v.required("orderID"), execID: try v.required("execID"), timestamp: try v.timestamp("timestamp"),
            quantity: try v.requiredDecimal("quantity"), price: price, currency: currency,
            venue: try v.required("venue"), venueTransactionID: v.text("venueTransactionID"), isin: v.text("isin"),
            buyer: v.text("buyer"), seller: v.text("seller"),
            capacity: try v.enumeration("capacity", TradingCapacity.self), decisionMaker: v.text("decisionMaker"),
            executor: v.text("executor"), countryOfBranch: v.text("countryOfBranch"))
    }
}

extension OrderRecord {
    /// An order event from the values of a report definition on an `order`
    /// event, by the target names of `layout`.
    public init(fields: [String: ReportFieldValue], layout: DefinedRecordLayout) throws(ReportError) {
        let v = DefinedValues(values: fields, layout: layout)
        guard let event = try v.enumeration("event", OrderEventKind.self) else {
            throw v.fail("the field `\(layout.name("event"))` has no value")
        }
        self.init(
            event: event, id: try v.required("id"), timestamp: try v.timestamp("timestamp"), account: v.text("account"),
            client: v.text("client"), clientCountry: v.text("clientCountry"), trader: v.text("trader"),
            desk: v.text("desk"), algo: v.text("algo"), symbol: v.text("symbol"), isin: v.text("isin"),
            venue: v.text("venue"), side: try v.enumeration("side", OrderSide.self),
            quantity: try v.decimal("quantity"), price: try v.decimal("price"),
            orderType: try v.enumeration("orderType", OrderType.self),
            currency: v.text("currency") ?? v.currency("price"), timeInForce: v.text("timeInForce"))
    }
}
