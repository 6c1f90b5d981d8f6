/// A decision and its JSON line (docs/engine-semantics.md, "Decision
/// output"): keys in a fixed order, compact, strings escaped as JSON requires.

import WritSyntax

/// The verdict of a decision.
enum Verdict: String {
    case allow, hold, reject
}

/// One decision line.
struct Decision {
    var id: String
    var verdict: Verdict
    var jurisdictions: [String] = []
    var rules: [String] = []
    var reasons: [String] = []
    var citations: [String] = []
    /// The FIX OrdRejReason of a reject: that of the first fired entry that
    /// rejects when it is a `reject` rule without error; else 99.
    var rejectCode: Int?
    /// `,"route":…,"dr_level":…` when the program has a platform (else empty).
    var platformSuffix = ""

    /// A decision that no rule made: a reject with one reason.
    static func reject(id: String, reason: String) -> Decision {
        Decision(id: id, verdict: .reject, reasons: [reason])
    }

    /// `{"id":…,"verdict":…,"jurisdictions":[…],"rules":[…],"reasons":[…],"citations":[…]}`.
    var line: String {
        func list(_ xs: [String]) -> String { "[" + xs.map(Decision.quote).joined(separator: ",") + "]" }
        return "{\"id\":\(Decision.quote(id)),\"verdict\":\(Decision.quote(verdict.rawValue)),"
            + "\"jurisdictions\":\(list(jurisdictions)),\"rules\":\(list(rules)),"
            + "\"reasons\":\(list(reasons)),\"citations\":\(list(citations))"
            + (verdict == .reject ? ",\"reject_code\":\(rejectCode ?? 99)" : "") + "\(platformSuffix)}"
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`,
    /// `\r`, `\t`, `\b`, `\f` or `\u00xx` (lower-case hex); everything else,
    /// non-ASCII included, as is.
    static func quote(_ s: String) -> String { JSONText.quote(s) }
}
