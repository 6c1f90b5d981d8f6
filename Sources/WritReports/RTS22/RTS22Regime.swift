/// Who receives an RTS 22 report: an EU national competent authority (under
/// MiFIR Art. 26) or the UK's FCA (UK MiFIR), and the limits of one file.

/// The recipient of an RTS 22 report.
public enum RTS22Regime: Sendable, Hashable {
    /// An EU authority, by its ISO 3166 country code (`DE` for BaFin).
    case eu(authority: String)
    /// The UK's Financial Conduct Authority.
    case uk

    /// The EU authority of the firm's configuration.
    public static func eu(_ firm: FirmConfig) -> RTS22Regime { .eu(authority: firm.euRecipient) }

    /// The code the application header names as recipient (`To`): the
    /// authority's country code (`DE`; `GB` for the FCA).
    public func recipient(_ firm: FirmConfig) -> String {
        switch self {
        case .eu(let authority): authority
        case .uk: firm.ukRecipient
        }
    }

    /// A short name for messages and report names: `EU (DE)`, `UK (FCA)`.
    public var displayName: String {
        switch self {
        case .eu(let authority): "EU (\(authority))"
        case .uk: "UK (FCA)"
        }
    }
}

/// Limits of RTS 22 files.
public enum RTS22Limits {
    /// The most transactions one file may hold here. The ESMA schema sets no
    /// maximum (`Tx` is `maxOccurs="unbounded"`, `minOccurs="1"`); authorities
    /// set their own (BaFin's portal: fewer than 500,000 reports and 200 MB
    /// per file). 100,000 (the default) stays well under both.
    public static let maxTransactionsPerFile = 500_000

    /// The ISO 20022 message the payload carries.
    public static let messageDefinition = "auth.016.001.01"
}
