/// FINRA CAT order events of one day as newline-delimited JSON: MENO for a
/// new order the firm accepted (allowed or held), MEOR for its route to the
/// venue (allowed orders), MEOT for each fill, MEOC for each cancel. Field
/// names, types and formats follow reports/schemas/CAT_2d_schema.json;
/// timestamps are nanoseconds since the epoch (CAT's numeric form), prices
/// and quantities exact decimals. Events are in time order, so the same
/// inputs give the same bytes.
import WritValue

/// Generates CAT order-event files.
public struct CATGenerator: Sendable {
    /// The reporting firm (its `cat` identity is required).
    public var firm: FirmConfig

    /// Creates a generator.
    public init(firm: FirmConfig) { self.firm = firm }

    /// `{SubmitterID}_{CRD}_{YYYYMMDD}_{FileGroup}_OrderEvents_{NNNNNN}.json`.
    public func fileName(_ id: CATIdentity, date: ReportDate, number: Int) -> String {
        let n = String(number)
        let seq = String(repeating: "0", count: max(0, 6 - n.count)) + n
        return "\(id.submitterID)_\(id.crd)_\(date.compact)_\(id.fileGroup)_OrderEvents_\(seq).json"
    }

    /// Writes the day's events into `folder`: one file (empty when there are none).
    public func generate(
        _ inputs: ReportInputs, date: ReportDate, to folder: String, progress: ReportProgress? = nil
    ) throws(ReportError) -> GeneratedReport {
        let id = try identity()
        let output = try ReportOutput(folder: folder)
        let name = fileName(id, date: date, number: 1)
        let file = try output.open(name: name)
        var run = CATRun(id: id, date: date, expectedEvents: 0, sink: file)
        run.run(inputs, progress: progress)
        if let failure = run.sinkFailure { throw failure }
        guard run.violations.isEmpty else {
            file.discard()
            throw ReportError.invalidReport(report: "CAT \(date)", violations: run.violations)
        }
        try run.flush()
        let events = run.events
        try file.finish(records: events)
        let files = try output.commit()
        var notes = run.notes
        if events == 0 { notes.append("no order events on \(date): `\(name)` is empty") }
        return GeneratedReport(report: "CAT \(date)", files: files, notes: notes)
    }

    private func identity() throws(ReportError) -> CATIdentity {
        guard let id = firm.cat else {
            throw ReportError.configuration(
                path: "firm configuration", message: "no `cat` section; CAT reports need the firm's CAT identity",
                help: "add `\"cat\": {\"submitter_id\": …, \"crd\": …, \"imid\": …}`")
        }
        return id
    }

    /// The NDJSON bytes of the day's events, their number and notes; throws
    /// `invalidReport` listing every record that cannot be reported.
    public func encode(_ inputs: ReportInputs, date: ReportDate) throws(ReportError) -> (
        bytes: [UInt8], events: Int, notes: [String]
    ) {
        let run = try encoded(inputs, date: date)
        return (run.out.text.bytes, run.events, run.notes)
    }

    /// The finished run of `inputs`.
    func encoded(_ inputs: ReportInputs, date: ReportDate) throws(ReportError) -> CATRun {
        let id = try identity()
        var run = CATRun(
            id: id, date: date, expectedEvents: inputs.orders.count * 2 + inputs.fills.count, sink: nil)
        run.run(inputs, progress: nil)
        guard run.violations.isEmpty else {
            throw ReportError.invalidReport(report: "CAT \(date)", violations: run.violations)
        }
        return run
    }
}
