/// Small text utilities without Foundation.

import WritSyntax

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    var trimmed: String {
        let ws: Set<Character> = [" ", "\t", "\r", "\n"]
        var s = Substring(self)
        while let f = s.first, ws.contains(f) { s.removeFirst() }
        while let l = s.last, ws.contains(l) { s.removeLast() }
        return String(s)
    }
}

/// `a`, `a` or `b`, `a`, `b` or `c` — names in backticks for messages.
func orList(_ items: [String]) -> String {
    let q = items.map { "`\($0)`" }
    switch q.count {
    case 0: return ""
    case 1: return q[0]
    default: return q.dropLast().joined(separator: ", ") + " or " + q[q.count - 1]
    }
}

/// A did-you-mean candidate for `name`: the closest by edit distance, and
/// only if it is close for the name's length (one edit for names of up to
/// four letters, two up to eight, three beyond), so that short names do not
/// get far-fetched suggestions.
func suggestion<S: Sequence>(for name: String, in candidates: S) -> String? where S.Element == String {
    guard let best = Suggest.closest(to: name, in: candidates) else { return nil }
    let allowed = name.count <= 4 ? 1 : name.count <= 8 ? 2 : 3
    return Suggest.distance(name.lowercased(), best.lowercased()) <= allowed ? best : nil
}
