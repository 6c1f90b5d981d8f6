/// Every report of one day in one call: RTS 22 for the EU and the UK, CAT
/// for the US, the CSV reports of Australia, Singapore, Japan, India and
/// Canada, and the compliance summary, each fed the records of its
/// regime's venues. A report that fails does not stop the others.

/// The day's reports of a firm.
public struct DailyReports: Sendable {
    /// The reporting firm.
    public var firm: FirmConfig
    /// Where the schemas are.
    public var schemas: ReportSchemas
    /// The regime of each venue, by MIC: `EU`, `UK`, `US`, `AU`, `SG`, `JP`, `IN`, `CA`.
    public var regimeOfVenue: [String: String]

    /// Creates the set.
    public init(firm: FirmConfig, schemas: ReportSchemas, regimeOfVenue: [String: String]) {
        self.firm = firm
        self.schemas = schemas
        self.regimeOfVenue = regimeOfVenue
    }

    /// The names of the reports, in the order `generate` makes them.
    public static let reportNames = [
        "rts22_eu", "rts22_uk", "cat", "csv_asic", "csv_mas", "csv_jfsa", "csv_sebi", "csv_csa", "summary",
    ]

    /// The venues of `regime`.
    public func venues(_ regime: String) -> Set<String> {
        Set(regimeOfVenue.filter { $0.value == regime }.keys)
    }

    /// Makes the reports named in `only` (all when nil) from `inputs` (already
    /// the day's records) into `folder`; each result is the report or why it
    /// failed. With `selected`, each report reads `selected(name)` as it is
    /// (the records its definition selected, e.g. from `rules/reports/`)
    /// instead of `inputs` restricted to its regime's venues.
    public func generate(
        _ inputs: ReportInputs, date: ReportDate, to folder: String, only: Set<String>? = nil,
        selected: ((String) -> ReportInputs)? = nil,
        progress: (@Sendable (_ report: String, _ done: Int, _ total: Int) -> Void)? = nil
    ) -> [(name: String, result: Result<GeneratedReport, ReportError>)] {
        var out: [(name: String, result: Result<GeneratedReport, ReportError>)] = []
        for name in DailyReports.reportNames where only?.contains(name) ?? true {
            if name == "cat" && firm.cat == nil && only == nil { continue }
            var step: ReportProgress?
            if let progress { step = { done, total in progress(name, done, total) } }
            do throws(ReportError) {
                let made = try make(
                    name, selected?(name) ?? inputs, preselected: selected != nil, date: date, folder: folder,
                    progress: step)
                out.append((name, .success(made)))
            } catch {
                out.append((name, .failure(error)))
            }
        }
        return out
    }

    private func make(
        _ name: String, _ inputs: ReportInputs, preselected: Bool, date: ReportDate, folder: String,
        progress: ReportProgress?
    ) throws(ReportError) -> GeneratedReport {
        func select(_ regime: String) -> ReportInputs {
            preselected ? inputs : inputs.selecting(venues: venues(regime))
        }
        let csv: [String: (CSVRegulator, String)] = [
            "csv_asic": (.asic, "AU"), "csv_mas": (.mas, "SG"), "csv_jfsa": (.jfsa, "JP"), "csv_sebi": (.sebi, "IN"),
            "csv_csa": (.csa, "CA"),
        ]
        switch name {
        case "rts22_eu", "rts22_uk":
            let eu = name == "rts22_eu"
            let selected = select(eu ? "EU" : "UK")
            let fills = selected.joinedFills() + (preselected ? [] : selected.cancelledFills())
            return try RTS22Generator(firm: firm, regime: eu ? .eu(firm) : .uk, schemas: schemas)
                .generate(fills: fills, date: date, to: folder, progress: progress)
        case "cat":
            return try CATGenerator(firm: firm).generate(select("US"), date: date, to: folder, progress: progress)
        case "summary":
            return try SummaryGenerator(firm: firm).generate(inputs, date: date, to: folder)
        default:
            guard let (regulator, regime) = csv[name] else {
                throw ReportError.badInput(
                    what: "report",
                    message: "unknown report `\(name)`; the reports are \(Suggest.list(DailyReports.reportNames))")
            }
            return try CSVGenerator(regulator: regulator).generate(select(regime), date: date, to: folder)
        }
    }

    /// Reads the venue table of the rulebooks (`rules/data/venues.csv`:
    /// `mic,regime,…` with a header row) into a regime by MIC.
    public static func regimes(venuesCSV text: String) throws(ReportError) -> [String: String] {
        var out: [String: String] = [:]
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        guard let header = lines.first?.split(separator: ",").map(String.init),
            let mic = header.firstIndex(of: "mic"), let regime = header.firstIndex(of: "regime")
        else {
            throw ReportError.badInput(
                what: "venue table", message: "the header must name the columns `mic` and `regime`")
        }
        for (n, line) in lines.dropFirst().enumerated() where !line.isEmpty {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count > max(mic, regime) else {
                throw ReportError.badInput(what: "venue table", message: "line \(n + 2) has \(cells.count) columns")
            }
            out[cells[mic]] = cells[regime]
        }
        return out
    }
}
