/// The side of an order (`Side` in rules/schema.writ) and the marks each
/// report derives from it: RTS 22 short-selling indicator, CAT side, UMIR
/// short marking.

/// The side of an order, as the input contract writes it.
public enum OrderSide: String, Sendable, Hashable, CaseIterable {
    /// A purchase.
    case buy
    /// A sale of securities the seller owns (long sale).
    case sell
    /// A short sale.
    case short
    /// A short sale exempt from the short-sale rules.
    case shortExempt = "short_exempt"

    /// Whether the order sells (long, short or short exempt).
    public var isSale: Bool { self != .buy }

    /// The CAT `side` choice: `B`, `SL` (sell long), `SS`, `SX`.
    public var catCode: String {
        switch self {
        case .buy: "B"
        case .sell: "SL"
        case .short: "SS"
        case .shortExempt: "SX"
        }
    }
}

/// The short-selling indicator of an RTS 22 transaction (field 62).
public enum ShortSellingIndicator: String, Sendable, Hashable, CaseIterable {
    /// A short sale with no exemption.
    case shortSale = "SESH"
    /// A short sale with an exemption.
    case shortSaleExempt = "SSEX"
    /// No short sale.
    case noShortSale = "SELL"
    /// Information not available.
    case undisclosed = "UNDI"

    /// The indicator of a fill on `side`: nil for a purchase, `UNDI` when the
    /// side is unknown.
    public init?(side: OrderSide?) {
        switch side {
        case .buy: return nil
        case .sell: self = .noShortSale
        case .short: self = .shortSale
        case .shortExempt: self = .shortSaleExempt
        case nil: self = .undisclosed
        }
    }
}
