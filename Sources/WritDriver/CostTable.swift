/// The table `writ check --cost` prints: the worst-case cost per order of
/// each jurisdiction, against its budget, and its costliest rules.
import WritSema
import WritSyntax

/// Renders cost reports.
public enum CostTable {
    /// One row per jurisdiction, then a total (the cost of an order that
    /// every jurisdiction applies to — an upper bound).
    public static func render(_ c: Compilation) -> String {
        let costs = c.checked?.costs ?? []
        guard !costs.isEmpty else { return "no jurisdictions\n" }
        var out = "worst-case cost per order, in instructions\n"
        let w = max(12, costs.map(\.name.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        // The checker saturates a cost too large to count at `Int.max`.
        func shown(_ c: Int) -> String { c == .max ? "unbounded" : String(c) }
        func lpad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        out += pad("jurisdiction", w) + "  " + lpad("cost", 6) + "  " + lpad("budget", 6) + "  costliest rule\n"
        var total = 0
        for j in costs {
            // Saturating: a jurisdiction's cost may already be the largest there is.
            let (sum, overflow) = total.addingReportingOverflow(j.cost)
            total = overflow ? .max : sum
            let top = j.perRule.max { $0.cost < $1.cost }.map { "\($0.rule) (\(shown($0.cost)))" } ?? "-"
            let budget = j.budget.map(String.init) ?? "-"
            let flag = j.budget.map { j.cost > $0 ? "  OVER BUDGET" : "" } ?? ""
            out += pad(j.name, w) + "  " + lpad(shown(j.cost), 6) + "  " + lpad(budget, 6) + "  " + top + flag + "\n"
        }
        out += pad("all", w) + "  " + lpad(shown(total), 6) + "\n"
        return out
    }

    /// The same as JSON (`writ check --cost --format json`): an array with
    /// one object per jurisdiction, `{"jurisdiction", "cost", "budget"
    /// (null without one), "rules": [{"rule", "cost"}, …]}`.
    public static func json(_ c: Compilation) -> String {
        let rows = (c.checked?.costs ?? []).map { j in
            let rules = j.perRule.map { "{\"rule\":\(JSONText.quote("\($0.rule)")),\"cost\":\($0.cost)}" }
            return "{\"jurisdiction\":\(JSONText.quote(j.name)),\"cost\":\(j.cost),\"budget\":"
                + (j.budget.map(String.init) ?? "null") + ",\"rules\":[" + rules.joined(separator: ",") + "]}"
        }
        return "[" + rows.joined(separator: ",") + "]"
    }
}
