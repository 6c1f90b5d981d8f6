/// Writes the day's compliance summary as `SUMMARY_{YYYYMMDD}.md` and
/// `SUMMARY_{YYYYMMDD}.html`, together.

/// Generates the compliance summary files.
public struct SummaryGenerator: Sendable {
    /// The reporting firm.
    public var firm: FirmConfig

    /// Creates a generator.
    public init(firm: FirmConfig) { self.firm = firm }

    /// Writes both files into `folder`.
    public func generate(_ inputs: ReportInputs, date: ReportDate, to folder: String) throws(ReportError)
        -> GeneratedReport
    {
        let output = try ReportOutput(folder: folder)
        let summary = ComplianceSummary(inputs, date: date, firm: firm)
        let n = summary.decisions + summary.killSwitches.count + summary.drChanges.count
        try output.stage(name: "SUMMARY_\(date.compact).md", records: n, bytes: Array(summary.markdown().utf8))
        try output.stage(name: "SUMMARY_\(date.compact).html", records: n, bytes: Array(summary.html().utf8))
        let files = try output.commit()
        return GeneratedReport(report: "compliance summary \(date)", files: files)
    }
}
