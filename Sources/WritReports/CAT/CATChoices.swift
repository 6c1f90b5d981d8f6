/// The allowed values of the CAT fields Writ fills in, as
/// reports/schemas/CAT_2d_schema.json lists them (the tests check that they
/// agree), and the CAT exchange ids of US venues' MICs.

/// Allowed values of CAT choice fields.
public enum CATChoices {
    /// `deptType` of a new order.
    public static let departmentTypes = ["A", "ATS", "DMA", "SA", "T", "O"]
    /// `accountHolderType`.
    public static let accountHolderTypes = ["A", "E", "F", "I", "O", "V", "P", "X"]
    /// CAT's `Exchange ID` data type.
    public static let exchangeIDs = [
        "ADF", "AMER", "AMEROP", "ARCA", "ARCAOP", "BOX", "BSTX", "BX", "BYX", "BZX", "BZXOP", "C2", "CBOE", "CHX",
        "EDGA", "EDGX", "EDGXOP", "EMLD", "GEMX", "IEX", "ISE", "LTSE", "MEMX", "MIAMI", "MRX", "NOBO", "NOM", "NSDQ",
        "NSX", "NYSE", "PEARL", "PEARLEQ", "PHLX", "PSX",
    ]

    /// The CAT exchange id of US equity venues by ISO 10383 MIC. A firm's
    /// configuration can add to it (`cat.exchange_ids`).
    public static let exchangeIDOfMIC: [String: String] = [
        "XNYS": "NYSE", "XNAS": "NSDQ", "ARCX": "ARCA", "XASE": "AMER", "BATS": "BZX", "BATY": "BYX",
        "EDGA": "EDGA", "EDGX": "EDGX", "IEXG": "IEX", "XBOS": "BX", "XPSX": "PSX", "XCHI": "CHX", "MEMX": "MEMX",
        "LTSE": "LTSE", "XCIS": "NSX", "EPRL": "PEARLEQ", "XPHL": "PHLX",
    ]

    /// The CAT `timeInForce` member of the input contract's `tif` (nil or
    /// `day` → `DAY` with the trade date; `ioc`, `fok` → `IOC`; `gtc` → `GTC`;
    /// `gtx` → `GTX` with the trade date; case as given or all capitals).
    static func timeInForce(_ tif: String?) -> (name: StaticString, isDate: Bool)? {
        guard let tif else { return ("DAY", true) }
        switch tif {
        case "day", "DAY": return ("DAY", true)
        case "ioc", "IOC", "fok", "FOK": return ("IOC", false)
        case "gtc", "GTC": return ("GTC", false)
        case "gtx", "GTX": return ("GTX", true)
        default: return nil
        }
    }

    /// Whether `tif` is fill-or-kill (CAT: `IOC` plus the `FOK` handling instruction).
    static func isFillOrKill(_ tif: String?) -> Bool { tif == "fok" || tif == "FOK" }
}
