/// The compliance summary as Markdown (GitHub tables), for a person to read
/// or paste into a ticket.

extension ComplianceSummary {
    /// The summary as Markdown.
    public func markdown() -> String {
        var s = "# Compliance summary — \(date)\n\n"
        s += "\(md(firmName)) (LEI `\(firmLEI)`). Times are UTC.\n\n"
        s += "## Decisions\n\n| verdict | orders |\n|---|---:|\n"
        s +=
            "| allow | \(allowed) |\n| hold | \(held) |\n| reject | \(rejected) |\n| **total** | **\(decisions)** |\n\n"
        s += "## Rejects and holds by regime\n\n"
        if regimes.isEmpty {
            s += "No order was rejected or held.\n\n"
        } else {
            s += "| regime | rejects | holds |\n|---|---:|---:|\n"
            for r in regimes { s += "| \(md(r.regime)) | \(r.rejects) | \(r.holds) |\n" }
            s += "\n## Rejects and holds by rule\n\n| regime | rule | rejects | holds |\n|---|---|---:|---:|\n"
            for r in rules { s += "| \(md(r.regime)) | `\(md(r.rule))` | \(r.rejects) | \(r.holds) |\n" }
            s += "\n"
        }
        s += "## Kill switches\n\n"
        if killSwitches.isEmpty {
            s += "No kill switch was set or cleared.\n\n"
        } else {
            s += "| time | action | scope | key |\n|---|---|---|---|\n"
            for k in killSwitches {
                s += "| \(TextFormat.timestamp(k.timestamp)) | \(md(k.action)) | \(md(k.scope)) | `\(md(k.key))` |\n"
            }
            s += "\n"
        }
        s += "## Disaster-recovery levels\n\n"
        if drChanges.isEmpty {
            s += "The DR level did not change.\n"
        } else {
            s += "| time | from | to | reason |\n|---|---|---|---|\n"
            for c in drChanges {
                s +=
                    "| \(TextFormat.timestamp(c.timestamp)) | \(md(c.from ?? "")) | \(md(c.to)) | \(md(c.reason ?? "")) |\n"
            }
        }
        return s
    }

    /// A table cell: pipes escaped, line breaks as spaces.
    private func md(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}
