/// What each report format needs of its fields: for every `schema` a report
/// definition may name (RTS 22's `auth.016.001.01`, CAT's order events, the
/// CSV order and trade reports), the target fields it knows, the class of
/// value each takes, and which are required. The checker types every
/// `field` of a report against its target (docs/reports.md, "Report
/// definitions").

/// The class of value a target field takes.
public enum ReportTargetClass: String, Sendable, Hashable, CaseIterable {
    /// Any text: `string` or `symbol`.
    case text
    /// An identifier written in capitals and digits only (`[A-Z0-9]{1,52}` once rendered): text.
    case identifier
    /// An ISO 17442 LEI: text; a constant must have 20 letters or digits.
    case lei
    /// An ISO 6166 ISIN: text; a constant must have 12 letters or digits.
    case isin
    /// An ISO 10383 MIC: text; a constant must have 4 letters or digits.
    case mic
    /// An ISO 3166 alpha-2 country code: text; a constant must have 2 letters.
    case country
    /// A code from a closed list (capacities, time in force): text, `symbol` or an enum value.
    case code
    /// A decimal: `decimal` or `int`.
    case decimal
    /// An amount with its currency: `money`.
    case money
    /// An instant: `timestamp`.
    case timestamp
    /// A case of a given enumeration (its name is in `ReportTarget.enumName`).
    case enumeration
    /// Any scalar, written with its documented rendering.
    case scalar

    /// How a message names the class.
    public var title: String {
        switch self {
        case .text: "text (a string or a symbol)"
        case .identifier: "an identifier (a string or a symbol)"
        case .lei: "an LEI (a string or a symbol of 20 letters or digits)"
        case .isin: "an ISIN (a string or a symbol of 12 letters or digits)"
        case .mic: "a MIC (a string or a symbol of 4 letters or digits)"
        case .country: "a country code (a string or a symbol of 2 letters)"
        case .code: "a code (a string, a symbol or an enum value)"
        case .decimal: "a decimal"
        case .money: "money"
        case .timestamp: "a timestamp"
        case .enumeration: "an enum value"
        case .scalar: "a single value"
        }
    }

    /// The length a constant of this class must have, if fixed.
    var constantLength: Int? {
        switch self {
        case .lei: 20
        case .isin: 12
        case .mic: 4
        case .country: 2
        default: nil
        }
    }

    /// Whether a value of type `t` fits (`t` without `?`).
    func accepts(_ t: WType, enumName: String?) -> Bool {
        switch self {
        case .text, .identifier, .lei, .isin, .mic, .country:
            return t == .string || t == .symbol || t == .currency
        case .code:
            if case .enumeration = t { return true }
            return t == .string || t == .symbol
        case .decimal: return t == .decimal || t == .int
        case .money:
            if case .money = t { return true }
            return false
        case .timestamp: return t == .timestamp
        case .enumeration:
            if case .enumeration(let n) = t { return enumName == nil || n == enumName }
            return false
        case .scalar: return t.isScalar
        }
    }
}

/// One field a report format knows.
public struct ReportTarget: Sendable, Hashable {
    /// Its name in the report definition (`TxId`, `eventTimestamp`, `quantity`).
    public var name: String
    /// The value it takes.
    public var valueClass: ReportTargetClass
    /// Whether every definition for this format must give it.
    public var required: Bool
    /// For `.enumeration`: the enumeration it takes.
    public var enumName: String?
    /// What it is, for messages and documentation.
    public var meaning: String

    init(_ name: String, _ c: ReportTargetClass, required: Bool = false, enumName: String? = nil, _ meaning: String) {
        self.name = name
        self.valueClass = c
        self.required = required
        self.enumName = enumName
        self.meaning = meaning
    }
}

/// The formats whose fields the checker knows, by the `schema` a report names.
public enum ReportTargets {
    /// The schema names with a known field list.
    public static var schemas: [String] { catalogue.map(\.schema) }

    /// The targets of `schema`, or nil when the checker does not know it (its fields may then be any scalar).
    public static func targets(of schema: String) -> [ReportTarget]? {
        catalogue.first { $0.schema == schema }?.targets
    }

    static let rts22: [ReportTarget] = [
        ReportTarget("TxId", .identifier, required: true, "`TxId`: the transaction id (capitals and digits kept)"),
        ReportTarget("order_id", .text, required: true, "the order filled (joins the order: its side gives `ShrtSellgInd`)"),
        ReportTarget("TradDt", .timestamp, required: true, "`Tx/TradDt`: the trading time"),
        ReportTarget("TradgCpcty", .code, "`Tx/TradgCpcty`: `DEAL`, `MTCH` or `AOTC`"),
        ReportTarget("Qty", .decimal, required: true, "`Tx/Qty/Unit`"),
        ReportTarget("Pric", .money, required: true, "`Tx/Pric/Pric/MntryVal/Amt` and its `Ccy`"),
        ReportTarget("TradVn", .mic, required: true, "`Tx/TradVn`: the venue's MIC"),
        ReportTarget("TradPlcMtchgId", .text, "`Tx/TradPlcMtchgId`: the venue's transaction id"),
        ReportTarget("CtryOfBrnch", .country, "`Tx/CtryOfBrnch`"),
        ReportTarget("FinInstrm", .isin, "`FinInstrm/Id`: the ISIN (else the order's)"),
        ReportTarget("Buyr", .text, "`Buyr/AcctOwnr`: an LEI, a client code, `INTC` or the venue's MIC"),
        ReportTarget("Sellr", .text, "`Sellr/AcctOwnr`: an LEI, a client code, `INTC` or the venue's MIC"),
        ReportTarget("InvstmtDcsnPrsn", .text, "`InvstmtDcsnPrsn`: a person code or an algorithm id"),
        ReportTarget("ExctgPrsn", .text, "`ExctgPrsn`: a person code or an algorithm id (absent: `NORE`)"),
    ]

    static let catOrders: [ReportTarget] = [
        ReportTarget("type", .enumeration, required: true, enumName: "OrderEvent", "new → MENO (and MEOR), modify → MEOM, cancel → MEOC"),
        ReportTarget("orderID", .text, required: true, "`orderID`"),
        ReportTarget("eventTimestamp", .timestamp, required: true, "`eventTimestamp` (and `orderKeyDate` of a new order)"),
        ReportTarget("symbol", .text, "`symbol`"),
        ReportTarget("side", .enumeration, enumName: "Side", "`side`: `B`, `SL`, `SS`, `SX`"),
        ReportTarget("price", .money, "`price` (limit orders)"),
        ReportTarget("quantity", .decimal, "`quantity`"),
        ReportTarget("orderType", .enumeration, enumName: "OrdType", "`orderType`: `LMT`, `MKT`"),
        ReportTarget("timeInForce", .code, "`timeInForce`: `day`, `ioc`, `fok`, `gtc`"),
        ReportTarget("firmDesignatedID", .text, "`firmDesignatedID`: the account"),
        ReportTarget("destination", .mic, "the venue routed to (`destination` through its CAT exchange id)"),
    ]

    static let catTrades: [ReportTarget] = [
        ReportTarget("tradeID", .text, required: true, "`tradeID`"),
        ReportTarget("orderID", .text, required: true, "the order of the buy or sell details"),
        ReportTarget("eventTimestamp", .timestamp, required: true, "`eventTimestamp` and `tradeKeyDate`"),
        ReportTarget("quantity", .decimal, required: true, "`quantity`"),
        ReportTarget("price", .money, required: true, "`price`"),
        ReportTarget("capacity", .code, "`capacity`: `DEAL` → `P`, `MTCH` → `R`, `AOTC` → `A`"),
        ReportTarget("tapeTradeID", .text, "`tapeTradeID`"),
        ReportTarget("venue", .mic, required: true, "the venue of the trade"),
    ]

    static let csvOrders: [ReportTarget] = [
        ReportTarget("time", .timestamp, required: true, "columns `date` and `time`"),
        ReportTarget("order_id", .text, required: true, "column `order_id`"),
        ReportTarget("event", .enumeration, required: true, enumName: "OrderEvent", "column `event`"),
        ReportTarget("account", .text, "column `account`"),
        ReportTarget("client", .text, "column `client`"),
        ReportTarget("client_country", .text, "column `client_country`"),
        ReportTarget("trader", .text, "column `trader`"),
        ReportTarget("desk", .text, "column `desk`"),
        ReportTarget("algo", .text, "column `algo` (and SEBI's `algo_order`)"),
        ReportTarget("symbol", .text, "column `symbol`"),
        ReportTarget("isin", .text, "column `isin`"),
        ReportTarget("venue", .text, "column `venue`"),
        ReportTarget("side", .enumeration, enumName: "Side", "column `side` (and CSA's `short_marking`)"),
        ReportTarget("quantity", .decimal, "column `quantity`"),
        ReportTarget("price", .money, "column `price`"),
        ReportTarget("currency", .text, "column `currency`"),
        ReportTarget("order_type", .enumeration, enumName: "OrdType", "column `order_type`"),
        ReportTarget("time_in_force", .text, "column `time_in_force`"),
    ]

    static let csvTrades: [ReportTarget] = [
        ReportTarget("time", .timestamp, required: true, "columns `date` and `time`"),
        ReportTarget("exec_id", .text, required: true, "column `exec_id`"),
        ReportTarget("order_id", .text, required: true, "column `order_id` (joins the order: `symbol`, `side`)"),
        ReportTarget("isin", .text, "column `isin` (else the order's)"),
        ReportTarget("venue", .text, required: true, "column `venue`"),
        ReportTarget("venue_tx_id", .text, "column `venue_tx_id`"),
        ReportTarget("quantity", .decimal, required: true, "column `quantity` (and `notional`)"),
        ReportTarget("price", .money, required: true, "columns `price` and `currency` (and `notional`)"),
        ReportTarget("capacity", .code, "column `capacity`"),
        ReportTarget("buyer", .text, "column `buyer`"),
        ReportTarget("seller", .text, "column `seller`"),
        ReportTarget("decision_maker", .text, "column `decision_maker`"),
        ReportTarget("executor", .text, "column `executor`"),
        ReportTarget("country_of_branch", .text, "column `country_of_branch`"),
    ]

    static let catalogue: [(schema: String, targets: [ReportTarget])] = [
        ("auth.016.001.01", rts22),
        ("CAT 4.0.0 order events", catOrders),
        ("CAT 4.0.0 trade events", catTrades),
        ("RFC 4180 orders", csvOrders),
        ("RFC 4180 trades", csvTrades),
    ]
}
