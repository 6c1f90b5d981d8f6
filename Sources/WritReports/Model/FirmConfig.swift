/// The reporting firm: its identity for each regulator (LEI, CAT submitter
/// id, CRD and IMID), the recipients of its RTS 22 reports, and the parties
/// and people its fills name by code. Loaded from a JSON file
/// (`FirmConfig.load(path:)`, format in docs/reports.md).

/// A natural person as RTS 22 identifies one: name, birth date and a
/// national identifier with its scheme.
public struct PersonIdentity: Sendable, Hashable {
    /// First names (`FrstNm`).
    public var firstName: String?
    /// Surnames (`Nm`).
    public var surname: String?
    /// `YYYY-MM-DD` (`BirthDt`).
    public var birthDate: String?
    /// The national identifier (`Othr/Id`), e.g. `DE19800101JOHN#SMITH`.
    public var id: String
    /// `NIDN` (national id), `CCPT` (passport) or `CONCAT` (the ESMA concatenation).
    public var scheme: String
    /// ISO 3166 country of the branch that supervises the person.
    public var countryOfBranch: String?

    /// Creates a person.
    public init(
        firstName: String? = nil, surname: String? = nil, birthDate: String? = nil, id: String, scheme: String,
        countryOfBranch: String? = nil
    ) {
        self.firstName = firstName
        self.surname = surname
        self.birthDate = birthDate
        self.id = id
        self.scheme = scheme
        self.countryOfBranch = countryOfBranch
    }
}

/// A client of the firm named by a code in fills (`buyer`, `seller`).
public enum ClientIdentity: Sendable, Hashable {
    /// A legal entity.
    case lei(String)
    /// A natural person.
    case person(PersonIdentity)
}

/// The firm's identity towards FINRA CAT.
public struct CATIdentity: Sendable, Hashable {
    /// The CAT submitter id (file names).
    public var submitterID: String
    /// The firm's CRD number.
    public var crd: String
    /// The firm's SRO-assigned IMID.
    public var imid: String
    /// The file group of the file names (letters and digits).
    public var fileGroup: String
    /// The `deptType` of new orders: `A` agency, `T` trading, `O` other, ….
    public var departmentType: String
    /// The `accountHolderType` of accounts not listed in `accountHolderTypes`.
    public var defaultAccountHolderType: String
    /// The `accountHolderType` of particular accounts.
    public var accountHolderTypes: [String: String]
    /// CAT exchange ids of venue MICs, added to (or replacing) the built-in table.
    public var exchangeIDs: [String: String]

    /// Creates an identity.
    public init(
        submitterID: String, crd: String, imid: String, fileGroup: String = "WRIT", departmentType: String = "T",
        defaultAccountHolderType: String = "A", accountHolderTypes: [String: String] = [:],
        exchangeIDs: [String: String] = [:]
    ) {
        self.submitterID = submitterID
        self.crd = crd
        self.imid = imid
        self.fileGroup = fileGroup
        self.departmentType = departmentType
        self.defaultAccountHolderType = defaultAccountHolderType
        self.accountHolderTypes = accountHolderTypes
        self.exchangeIDs = exchangeIDs
    }

    /// `CRD:IMID`, CAT's Industry Member ID.
    public var industryMemberID: String { "\(crd):\(imid)" }
}

/// The firm that reports.
public struct FirmConfig: Sendable, Hashable {
    /// The firm's LEI (executing entity of RTS 22).
    public var lei: String
    /// The firm's legal name.
    public var name: String
    /// The firm's home country (ISO 3166).
    public var country: String
    /// The LEI of whoever submits its RTS 22 reports (an ARM); the firm's own by default.
    public var submittingLEI: String
    /// Whether the firm is an investment firm under MiFID II (`InvstmtPtyInd`).
    public var investmentFirm: Bool
    /// The RTS 22 recipient of EU reports: the ISO 3166 code of the competent authority (`DE` for BaFin).
    public var euRecipient: String
    /// The RTS 22 recipient of UK reports (`GB`, the FCA).
    public var ukRecipient: String
    /// The most transactions an RTS 22 file holds before the report is split.
    public var maxTransactionsPerFile: Int
    /// The firm's CAT identity, if it reports to CAT.
    public var cat: CATIdentity?
    /// Clients named by code in fills.
    public var clients: [String: ClientIdentity]
    /// People (traders, decision makers) named by code in fills; other codes are algorithms.
    public var people: [String: PersonIdentity]

    /// Creates a configuration.
    public init(
        lei: String, name: String, country: String, submittingLEI: String? = nil, investmentFirm: Bool = true,
        euRecipient: String? = nil, ukRecipient: String = "GB", maxTransactionsPerFile: Int = 100_000,
        cat: CATIdentity? = nil, clients: [String: ClientIdentity] = [:], people: [String: PersonIdentity] = [:]
    ) {
        self.lei = lei
        self.name = name
        self.country = country
        self.submittingLEI = submittingLEI ?? lei
        self.investmentFirm = investmentFirm
        self.euRecipient = euRecipient ?? country
        self.ukRecipient = ukRecipient
        self.maxTransactionsPerFile = maxTransactionsPerFile
        self.cat = cat
        self.clients = clients
        self.people = people
    }
}
