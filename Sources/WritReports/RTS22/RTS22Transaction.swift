/// One RTS 22 transaction as the XML writer reads it: the fields of an
/// `auth.016` `New` transaction report, typed. The mapper builds them from
/// fills and the firm's configuration; a report definition can build them
/// from its own field expressions.
import WritValue

/// A buyer or seller (`Buyr`/`Sellr` → `AcctOwnr`).
public enum RTS22Party: Sendable, Hashable {
    /// A legal entity by LEI.
    case lei(String)
    /// A venue by MIC (an anonymous counterparty of a venue without a CCP).
    case mic(String)
    /// A natural person.
    case person(PersonIdentity)
    /// The firm's aggregated client account (`INTC`).
    case internalAccount
}

/// Who decided or executed within the firm (`InvstmtDcsnPrsn`, `ExctgPrsn`).
public enum RTS22Actor: Sendable, Hashable {
    /// An algorithm, by its id (`[A-Z0-9]{1,50}`).
    case algorithm(String)
    /// A person, with the country of the branch that supervises them.
    case person(id: String, scheme: String, countryOfBranch: String)
    /// The client decided the execution (`ExctgPrsn/Clnt` = `NORE`).
    case client
}

/// One transaction report (`Tx/New`).
public struct RTS22Transaction: Sendable, Hashable {
    /// `TxId`: the firm's transaction reference, `[A-Z0-9]{1,52}`.
    public var transactionID: String
    /// The id of the input record it comes from (the fill's `exec_id`).
    public var sourceID: String
    /// `ExctgPty`: the executing entity's LEI.
    public var executingEntity: String
    /// `InvstmtPtyInd`: whether the executing entity is an investment firm.
    public var investmentFirm: Bool
    /// `SubmitgPty`: the submitting entity's LEI.
    public var submittingEntity: String
    /// `Buyr/AcctOwnr/Id`.
    public var buyer: RTS22Party
    /// `Buyr/AcctOwnr/CtryOfBrnch` (when the buyer is a client).
    public var buyerBranch: String?
    /// `Sellr/AcctOwnr/Id`.
    public var seller: RTS22Party
    /// `Sellr/AcctOwnr/CtryOfBrnch`.
    public var sellerBranch: String?
    /// `Tx/TradDt`: nanoseconds since the epoch (written in UTC with `Z`).
    public var tradingTime: Int64
    /// `Tx/TradgCpcty`.
    public var capacity: TradingCapacity
    /// `Tx/Qty/Unit`.
    public var quantity: Fixed
    /// `Tx/Pric/Pric/MntryVal/Amt`.
    public var price: Fixed
    /// The `Ccy` of the price.
    public var currency: String
    /// `Tx/TradVn`: the venue's MIC (`XOFF` off venue).
    public var venue: String
    /// `Tx/CtryOfBrnch`.
    public var countryOfBranch: String?
    /// `Tx/TradPlcMtchgId`: the venue's transaction id.
    public var venueTransactionID: String?
    /// `FinInstrm/Id`: the instrument's ISIN.
    public var isin: String
    /// `InvstmtDcsnPrsn`, when the firm made the investment decision.
    public var investmentDecision: RTS22Actor?
    /// `ExctgPrsn`.
    public var executor: RTS22Actor
    /// `AddtlAttrbts/ShrtSellgInd`.
    public var shortSelling: ShortSellingIndicator?
    /// Whether this is the cancellation (`Tx/Cxl`) of the transaction
    /// `transactionID` reported before; only the TxId, `ExctgPty` and
    /// `SubmitgPty` are then written.
    public var isCancellation = false

    /// Creates a transaction.
    public init(
        transactionID: String, sourceID: String, executingEntity: String, investmentFirm: Bool,
        submittingEntity: String, buyer: RTS22Party, buyerBranch: String? = nil, seller: RTS22Party,
        sellerBranch: String? = nil, tradingTime: Int64, capacity: TradingCapacity, quantity: Fixed, price: Fixed,
        currency: String, venue: String, countryOfBranch: String? = nil, venueTransactionID: String? = nil,
        isin: String, investmentDecision: RTS22Actor? = nil, executor: RTS22Actor,
        shortSelling: ShortSellingIndicator? = nil
    ) {
        self.transactionID = transactionID
        self.sourceID = sourceID
        self.executingEntity = executingEntity
        self.investmentFirm = investmentFirm
        self.submittingEntity = submittingEntity
        self.buyer = buyer
        self.buyerBranch = buyerBranch
        self.seller = seller
        self.sellerBranch = sellerBranch
        self.tradingTime = tradingTime
        self.capacity = capacity
        self.quantity = quantity
        self.price = price
        self.currency = currency
        self.venue = venue
        self.countryOfBranch = countryOfBranch
        self.venueTransactionID = venueTransactionID
        self.isin = isin
        self.investmentDecision = investmentDecision
        self.executor = executor
        self.shortSelling = shortSelling
    }
}
