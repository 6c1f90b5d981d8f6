/// The compliance summary as one standalone HTML page: inline CSS, an
/// inline SVG bar chart of rejects and holds by regime, no script and no
/// external asset, so it can be mailed or archived as it is.

extension ComplianceSummary {
    /// The summary as an HTML page.
    public func html() -> String {
        var s = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Compliance summary — \(date)</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:60rem;color:#1b1b1b;padding:0 1rem}
            h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .75rem;border-bottom:1px solid #eee;text-align:left}
            td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.95em}
            .muted{color:#666}
            </style>
            </head>
            <body>
            <h1>Compliance summary — \(date)</h1>
            <p>\(h(firmName)) (LEI <code>\(h(firmLEI))</code>). Times are UTC.</p>
            <h2>Decisions</h2>
            <table><tr><th>verdict</th><th class="n">orders</th></tr>
            <tr><td>allow</td><td class="n">\(allowed)</td></tr>
            <tr><td>hold</td><td class="n">\(held)</td></tr>
            <tr><td>reject</td><td class="n">\(rejected)</td></tr>
            <tr><th>total</th><th class="n">\(decisions)</th></tr></table>
            <h2>Rejects and holds by regime</h2>

            """
        if regimes.isEmpty {
            s += "<p class=\"muted\">No order was rejected or held.</p>\n"
        } else {
            s += chart()
            s += "<table><tr><th>regime</th><th class=\"n\">rejects</th><th class=\"n\">holds</th></tr>\n"
            for r in regimes {
                s +=
                    "<tr><td>\(h(r.regime))</td><td class=\"n\">\(r.rejects)</td><td class=\"n\">\(r.holds)</td></tr>\n"
            }
            s += "</table>\n<h2>Rejects and holds by rule</h2>\n"
            s += "<table><tr><th>regime</th><th>rule</th><th class=\"n\">rejects</th><th class=\"n\">holds</th></tr>\n"
            for r in rules {
                s += "<tr><td>\(h(r.regime))</td><td><code>\(h(r.rule))</code></td>"
                s += "<td class=\"n\">\(r.rejects)</td><td class=\"n\">\(r.holds)</td></tr>\n"
            }
            s += "</table>\n"
        }
        s += "<h2>Kill switches</h2>\n"
        if killSwitches.isEmpty {
            s += "<p class=\"muted\">No kill switch was set or cleared.</p>\n"
        } else {
            s += "<table><tr><th>time</th><th>action</th><th>scope</th><th>key</th></tr>\n"
            for k in killSwitches {
                s += "<tr><td>\(TextFormat.timestamp(k.timestamp))</td><td>\(h(k.action))</td>"
                s += "<td>\(h(k.scope))</td><td><code>\(h(k.key))</code></td></tr>\n"
            }
            s += "</table>\n"
        }
        s += "<h2>Disaster-recovery levels</h2>\n"
        if drChanges.isEmpty {
            s += "<p class=\"muted\">The DR level did not change.</p>\n"
        } else {
            s += "<table><tr><th>time</th><th>from</th><th>to</th><th>reason</th></tr>\n"
            for c in drChanges {
                s += "<tr><td>\(TextFormat.timestamp(c.timestamp))</td><td>\(h(c.from ?? ""))</td>"
                s += "<td>\(h(c.to))</td><td>\(h(c.reason ?? ""))</td></tr>\n"
            }
            s += "</table>\n"
        }
        s += "</body>\n</html>\n"
        return s
    }

    /// A horizontal bar chart: per regime, a red bar of rejects and an amber bar of holds.
    func chart() -> String {
        let label = 120
        let plot = 440
        let bar = 14
        let row = 2 * bar + 12
        let top = 28
        let width = label + plot + 60
        let height = top + row * regimes.count + 8
        let maxCount = max(1, regimes.map { max($0.rejects, $0.holds) }.max() ?? 1)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
        s += "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"rejects and holds by regime\" "
        s += "font-family=\"system-ui,sans-serif\" font-size=\"12\">\n"
        s += "<title>Rejects and holds by regime</title>\n"
        s += "<rect x=\"\(label)\" y=\"6\" width=\"10\" height=\"10\" fill=\"#c0392b\"/>"
        s += "<text x=\"\(label + 14)\" y=\"15\">rejects</text>\n"
        s += "<rect x=\"\(label + 80)\" y=\"6\" width=\"10\" height=\"10\" fill=\"#e6a23c\"/>"
        s += "<text x=\"\(label + 94)\" y=\"15\">holds</text>\n"
        for (i, r) in regimes.enumerated() {
            let y = top + i * row
            s += "<text x=\"\(label - 8)\" y=\"\(y + bar + 4)\" text-anchor=\"end\">\(h(r.regime))</text>\n"
            for (k, (count, color)) in [(r.rejects, "#c0392b"), (r.holds, "#e6a23c")].enumerated() {
                let w = count == 0 ? 0 : max(1, count * plot / maxCount)
                let by = y + k * bar
                s += "<rect x=\"\(label)\" y=\"\(by)\" width=\"\(w)\" height=\"\(bar - 2)\" fill=\"\(color)\"/>"
                s += "<text x=\"\(label + w + 4)\" y=\"\(by + bar - 4)\">\(count)</text>\n"
            }
        }
        s += "<line x1=\"\(label)\" y1=\"\(top - 4)\" x2=\"\(label)\" y2=\"\(height - 4)\" stroke=\"#999\"/>\n"
        s += "</svg>\n"
        return s
    }

    /// Text escaped for HTML.
    private func h(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
