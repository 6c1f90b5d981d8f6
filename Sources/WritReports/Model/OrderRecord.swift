/// An order event as the reports read it: the input contract's `new`,
/// `modify` and `cancel` events (schema `order` in rules/schema.writ).
import WritValue

/// What an order event does.
public enum OrderEventKind: String, Sendable, Hashable, CaseIterable {
    /// A new order.
    case new
    /// An amendment of a live order.
    case modify
    /// A cancellation of a live order.
    case cancel
}

/// The type of an order.
public enum OrderType: String, Sendable, Hashable, CaseIterable {
    /// A limit order (has a price).
    case limit
    /// A market order.
    case market
}

/// One order event. A `cancel` carries only `id` and `timestamp`; the other
/// fields are then absent.
public struct OrderRecord: Sendable, Hashable {
    /// `new`, `modify` or `cancel`.
    public var event: OrderEventKind
    /// The order's id (`id`).
    public var id: String
    /// When (`ts`), in nanoseconds since the epoch (UTC).
    public var timestamp: Int64
    /// The account (`account`).
    public var account: String?
    /// The client (`client`).
    public var client: String?
    /// The client's country (`client_country`).
    public var clientCountry: String?
    /// The trader (`trader`).
    public var trader: String?
    /// The desk (`desk`).
    public var desk: String?
    /// The algorithm, if any (`algo`).
    public var algo: String?
    /// The instrument's symbol (`symbol`).
    public var symbol: String?
    /// The instrument's ISIN (`isin`).
    public var isin: String?
    /// The venue's MIC (`venue`).
    public var venue: String?
    /// Buy, sell, short or short exempt (`side`).
    public var side: OrderSide?
    /// The quantity (`qty`).
    public var quantity: Fixed?
    /// The limit price (`price`), in `currency`.
    public var price: Fixed?
    /// Limit or market (`ord_type`).
    public var orderType: OrderType?
    /// The order's currency (`currency`).
    public var currency: String?
    /// The locate of a short sale (`locate_id`).
    public var locateID: String?
    /// The time in force, e.g. `day`, `ioc`, `gtc` (`tif`).
    public var timeInForce: String?

    /// Creates an order event; the optional fields default to absent.
    public init(
        event: OrderEventKind, id: String, timestamp: Int64, account: String? = nil, client: String? = nil,
        clientCountry: String? = nil, trader: String? = nil, desk: String? = nil, algo: String? = nil,
        symbol: String? = nil, isin: String? = nil, venue: String? = nil, side: OrderSide? = nil,
        quantity: Fixed? = nil, price: Fixed? = nil, orderType: OrderType? = nil, currency: String? = nil,
        locateID: String? = nil, timeInForce: String? = nil
    ) {
        self.event = event
        self.id = id
        self.timestamp = timestamp
        self.account = account
        self.client = client
        self.clientCountry = clientCountry
        self.trader = trader
        self.desk = desk
        self.algo = algo
        self.symbol = symbol
        self.isin = isin
        self.venue = venue
        self.side = side
        self.quantity = quantity
        self.price = price
        self.orderType = orderType
        self.currency = currency
        self.locateID = locateID
        self.timeInForce = timeInForce
    }
}
