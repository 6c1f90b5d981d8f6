/// The trading capacity of a fill (MiFIR RTS 22 field 29), and what it
/// becomes in a CAT trade event.

/// The capacity in which the firm traded.
public enum TradingCapacity: String, Sendable, Hashable, CaseIterable {
    /// Dealing on own account.
    case dealing = "DEAL"
    /// Matched principal.
    case matchedPrincipal = "MTCH"
    /// Any other capacity (agency).
    case anyOther = "AOTC"

    /// Parses `DEAL`, `MTCH` or `AOTC`.
    public init?(code: String) { self.init(rawValue: code) }

    /// The CAT `capacity` choice: `P` principal, `R` riskless principal, `A` agency.
    public var catCode: String {
        switch self {
        case .dealing: "P"
        case .matchedPrincipal: "R"
        case .anyOther: "A"
        }
    }
}
