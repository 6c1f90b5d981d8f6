/// The compliance summary: tallies by verdict, regime and rule (alerts not
/// counted, refused lines under `input`), kill-switch and DR events, golden
/// Markdown and HTML, and an HTML page that stands alone (no script, no
/// external asset, an inline SVG chart).
import Foundation
import Testing

@testable import WritReports

@Suite struct SummaryTests {
    func summary() throws -> ComplianceSummary {
        ComplianceSummary(try Fixtures.day, date: Fixtures.date, firm: try Fixtures.firm)
    }

    @Test func tallies() throws {
        let s = try summary()
        #expect((s.allowed, s.held, s.rejected) == (10, 2, 4))
        #expect(s.decisions == 16)
        let rules = s.rules.map { "\($0.regime) \($0.rule) \($0.rejects)/\($0.holds)" }
        #expect(
            rules == [
                "EU EU.max_order_value 1/0", "EU EU.price_collar 0/1", "IN IN.algo_price_band 0/1",
                "JP JP.order_size 1/0", "US US.locate_required 1/0", "input refused line 1/0",
            ])
        // O-3 fired a reject rule and a hold rule: it counts for the reject rule only.
        #expect(
            s.regimes.map { "\($0.regime) \($0.rejects)/\($0.holds)" } == [
                "EU 1/1", "IN 0/1", "JP 1/0", "US 1/0", "input 1/0",
            ])
        #expect(s.killSwitches.map(\.action) == ["kill", "unkill"])
        #expect(s.drChanges.map(\.to) == ["essential", "full"])
    }

    @Test func rulesThatDidNotDecideAreNotCounted() throws {
        func decision(_ verdict: DecisionVerdict, _ rules: [(String, RuleSeverity?)]) -> DecisionRecord {
            DecisionRecord(
                orderID: "X", timestamp: Fixtures.date.startNanoseconds, verdict: verdict,
                rules: rules.map { FiredRuleRecord(rule: $0.0, severity: $0.1, reason: "") })
        }
        let inputs = ReportInputs(decisions: [
            decision(.allow, [("UK.alert", .alert)]),
            decision(.hold, [("UK.alert", .alert), ("UK.hold", .hold)]),
            decision(.reject, [("UK.hold", .hold), ("US.reject", .reject), ("US.other", nil)]),
            decision(.reject, [("SG.hold", .hold)]),  // could not be evaluated: rejects whatever its severity
        ])
        let s = ComplianceSummary(inputs, date: Fixtures.date, firm: try Fixtures.firm)
        #expect(
            s.rules.map { "\($0.rule) \($0.rejects)/\($0.holds)" } == [
                "SG.hold 1/0", "UK.hold 0/1", "US.other 1/0", "US.reject 1/0",
            ])
        #expect(s.regimes.map { "\($0.regime) \($0.rejects)/\($0.holds)" } == ["SG 1/0", "UK 0/1", "US 1/0"])
    }

    @Test func goldenMarkdownAndHTML() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let report = try SummaryGenerator(firm: try Fixtures.firm).generate(
            try Fixtures.day, date: Fixtures.date, to: folder.path)
        #expect(report.files.map(\.name) == ["SUMMARY_20261127.html", "SUMMARY_20261127.md"])
        try Fixtures.checkGolden(folder.bytes("SUMMARY_20261127.md"), "SUMMARY_20261127.md")
        try Fixtures.checkGolden(folder.bytes("SUMMARY_20261127.html"), "SUMMARY_20261127.html")
    }

    @Test func theHTMLPageStandsAlone() throws {
        let html = try summary().html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg") && html.contains("</svg>"))
        #expect(!html.lowercased().contains("<script"))
        for attribute in ["src=", "href=", "url(", "@import"] { #expect(!html.contains(attribute), "\(attribute)") }
    }

    @Test func textIsEscaped() throws {
        var firm = try Fixtures.firm
        firm.name = "A <b>&</b> \"Co\" | Ltd"
        var inputs = ReportInputs()
        inputs.decisions = [
            DecisionRecord(
                orderID: "X", timestamp: Fixtures.date.startNanoseconds, verdict: .reject,
                rules: [FiredRuleRecord(rule: "EU.<odd|rule>", severity: .reject, reason: "r")])
        ]
        let s = ComplianceSummary(inputs, date: Fixtures.date, firm: firm)
        let html = s.html()
        #expect(html.contains("A &lt;b&gt;&amp;&lt;/b&gt; &quot;Co&quot; | Ltd"))
        #expect(html.contains("<code>EU.&lt;odd|rule&gt;</code>"))
        #expect(!html.contains("<b>"))
        let md = s.markdown()
        #expect(md.contains("A <b>&</b> \"Co\" \\| Ltd") && md.contains("`EU.<odd\\|rule>`"))
    }

    @Test func aQuietDaySaysSo() throws {
        let s = ComplianceSummary(ReportInputs(), date: Fixtures.date, firm: try Fixtures.firm)
        let md = s.markdown()
        #expect(md.contains("No order was rejected or held."))
        #expect(md.contains("No kill switch was set or cleared."))
        #expect(md.contains("The DR level did not change."))
        #expect(!s.html().contains("<svg"))
    }
}
