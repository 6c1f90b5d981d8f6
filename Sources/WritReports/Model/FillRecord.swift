/// A fill as the reports read it: every field of the input contract's `fill`
/// event, plus the side and symbol of the order it fills.
import WritValue

/// One execution. Decimals are exact (`Fixed`); times are nanoseconds since
/// 1970-01-01T00:00:00Z.
public struct FillRecord: Sendable, Hashable {
    /// The id of the order filled (`id`).
    public var orderID: String
    /// The execution's id (`exec_id`); unique per fill.
    public var execID: String
    /// When it executed (`ts`), in nanoseconds since the epoch (UTC).
    public var timestamp: Int64
    /// The quantity executed (`qty`).
    public var quantity: Fixed
    /// The price per unit (`price`), in `currency`.
    public var price: Fixed
    /// ISO 4217 code of the price (`currency`).
    public var currency: String
    /// ISO 10383 MIC of the venue (`venue`); `XOFF` off venue.
    public var venue: String
    /// The venue's own transaction id (`venue_tx_id`).
    public var venueTransactionID: String?
    /// ISO 6166 instrument id (`isin`).
    public var isin: String?
    /// The buyer: an LEI or a client code of the firm's configuration (`buyer`).
    public var buyer: String?
    /// The seller: an LEI or a client code (`seller`).
    public var seller: String?
    /// The firm's trading capacity (`capacity`).
    public var capacity: TradingCapacity?
    /// Who decided to invest: a person code or an algorithm id (`decision_maker`).
    public var decisionMaker: String?
    /// Who executed: a person code or an algorithm id (`executor`).
    public var executor: String?
    /// ISO 3166 country of the branch responsible (`country_of_branch`).
    public var countryOfBranch: String?
    /// The side of the order (from the order, not the fill event).
    public var side: OrderSide?
    /// The order's symbol (from the order).
    public var symbol: String?
    /// Whether this is a busted fill (`fill_cancel`) to report as the
    /// cancellation of its transaction; `timestamp` is then the bust's time.
    public var isCancellation = false

    /// Creates a fill; the optional fields default to absent.
    public init(
        orderID: String, execID: String, timestamp: Int64, quantity: Fixed, price: Fixed, currency: String,
        venue: String, venueTransactionID: String? = nil, isin: String? = nil, buyer: String? = nil,
        seller: String? = nil, capacity: TradingCapacity? = nil, decisionMaker: String? = nil,
        executor: String? = nil, countryOfBranch: String? = nil, side: OrderSide? = nil, symbol: String? = nil
    ) {
        self.orderID = orderID
        self.execID = execID
        self.timestamp = timestamp
        self.quantity = quantity
        self.price = price
        self.currency = currency
        self.venue = venue
        self.venueTransactionID = venueTransactionID
        self.isin = isin
        self.buyer = buyer
        self.seller = seller
        self.capacity = capacity
        self.decisionMaker = decisionMaker
        self.executor = executor
        self.countryOfBranch = countryOfBranch
        self.side = side
        self.symbol = symbol
    }

    /// This fill with the side and symbol (and, if the fill lacks it, the
    /// ISIN) of its order.
    public func joined(with order: OrderRecord) -> FillRecord {
        var f = self
        if f.side == nil { f.side = order.side }
        if f.symbol == nil { f.symbol = order.symbol }
        if f.isin == nil { f.isin = order.isin }
        return f
    }
}
