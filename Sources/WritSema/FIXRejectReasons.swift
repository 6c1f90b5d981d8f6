/// The FIX OrdRejReason (tag 103) values a rule's `code N` may name.
///
/// Copied from the QuickFIX data dictionary FIX50SP2.xml (field 103), which
/// holds the FIX 4.4 values and those FIX 5.0 SP2 added; QuickFIX Software
/// License 1.0, docs/third-party/QUICKFIX_LICENSE.txt.

/// FIX OrdRejReason (tag 103): value → name.
public enum FIXRejectReasons {
    /// Every value of the enumeration, with its name in FIX.
    public static let names: [Int: String] = [
        0: "broker credit", 1: "unknown symbol", 2: "exchange closed", 3: "order exceeds limit",
        4: "too late to enter", 5: "unknown order", 6: "duplicate order",
        7: "duplicate of a verbally communicated order", 8: "stale order", 9: "trade along required",
        10: "invalid investor id", 11: "unsupported order characteristic", 12: "surveillance option",
        13: "incorrect quantity", 14: "incorrect allocated quantity", 15: "unknown account",
        16: "price exceeds current price band", 18: "invalid price increment", 19: "reference price not available",
        20: "notional value exceeds threshold", 21: "algorithm risk threshold breached",
        22: "short sell not permitted", 23: "short sell security pre-borrow restriction",
        24: "short sell account pre-borrow restriction", 25: "insufficient credit limit",
        26: "exceeded clip size limit", 27: "exceeded max notional order amount", 28: "exceeded DV01/PV01 limit",
        29: "exceeded CS01 limit", 99: "other",
    ]
    /// The code a reject carries when its rule names none, or when an
    /// evaluation error rejects the order: 99 (other).
    public static let other = 99
}
