/// The regulators that receive Writ's daily CSV reports, and the columns
/// each adds to the common ones (docs/reports.md lists them all).

/// A regulator of the CSV reports.
public enum CSVRegulator: String, Sendable, Hashable, CaseIterable {
    /// Australia: ASIC Market Integrity Rules (Securities Markets) 2017, Part 5.6.
    case asic = "ASIC"
    /// Singapore: MAS / SGX Rule 4.10.
    case mas = "MAS"
    /// Japan: JFSA / TSE.
    case jfsa = "JFSA"
    /// India: SEBI.
    case sebi = "SEBI"
    /// Canada: CSA NI 23-103 / CIRO UMIR.
    case csa = "CSA"

    /// Columns this regulator adds to the order report.
    var extraOrderColumns: [String] {
        switch self {
        case .sebi: ["algo_order"]
        case .csa: ["short_marking"]
        case .asic, .mas, .jfsa: []
        }
    }

    /// Columns this regulator adds to the trade report.
    var extraTradeColumns: [String] {
        switch self {
        case .csa: ["short_marking"]
        case .asic, .mas, .jfsa, .sebi: []
        }
    }

    /// UMIR 6.2 marking of a side: `SS` short, `SME` short-marking exempt, empty otherwise.
    static func shortMarking(_ side: OrderSide?) -> String {
        switch side {
        case .short: "SS"
        case .shortExempt: "SME"
        default: ""
        }
    }
}
