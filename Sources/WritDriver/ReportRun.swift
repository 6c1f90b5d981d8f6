/// The work behind `writ report`: verify the audit trail, read the day's
/// records from it, and write the regulators' reports (RTS 22 XML validated
/// against ESMA's schemas, CAT NDJSON, CSV, the compliance summary) — each
/// file under a temporary name, renamed when complete.
import WritAudit
import WritEngine
import WritReports
import WritSyntax

/// What `writ report` was asked to do.
public struct ReportRequest: Sendable {
    /// Report names (`rts22_eu`, `cat`, …); nil = all.
    public var names: [String]?
    /// The audit store.
    public var db: String
    /// The trading day, `YYYY-MM-DD`.
    public var date: String
    /// The output folder.
    public var output: String
    /// The firm's configuration (LEI, CAT ids, clients, people).
    public var firm: String
    /// The venue table giving each venue's regime (`mic,regime,…`), used when no bundle is given.
    public var venues: String
    /// Creates a request.
    public init(names: [String]?, db: String, date: String, output: String, firm: String, venues: String) {
        self.names = names
        self.db = db
        self.date = date
        self.output = output
        self.firm = firm
        self.venues = venues
    }
}

/// Writes reports.
public enum ReportRun {
    /// The names `writ report` accepts.
    public static var names: [String] { DailyReports.reportNames }

    /// Runs the request. `program`, when given (from `--bundle`), supplies
    /// the venue → regime table from the bundle's `venues` data; otherwise
    /// the CSV at `request.venues` does.
    public static func run(
        _ request: ReportRequest, program: EngineProgram?,
        progress: (@Sendable (String, Int, Int) -> Void)? = nil
    ) throws(UsageError) -> [(name: String, result: Result<GeneratedReport, ReportError>)] {
        if let names = request.names {
            for n in names where !DailyReports.reportNames.contains(n) {
                let hint = Suggest.closest(to: n, in: DailyReports.reportNames).map { "; did you mean `\($0)`?" } ?? ""
                throw UsageError("unknown report `\(n)`\(hint) (the reports are \(DailyReports.reportNames.joined(separator: ", ")))")
            }
        }
        guard let date = ReportDate(request.date) else {
            throw UsageError("`\(request.date)` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-27")
        }
        // The trail must hold before anything is reported from it.
        let verified = try AuditRun.verify(path: request.db)
        guard verified.isIntact else {
            throw UsageError("\(verified.description); reports are not made from a broken trail")
        }
        let venuesText = program.flatMap(regimeTable) == nil ? try SourceLoader.read(request.venues) : ""
        let firm: FirmConfig
        let schemas: ReportSchemas
        let regimes: [String: String]
        do throws(ReportError) {
            firm = try FirmConfig.load(path: request.firm)
            schemas = try ReportSchemas.locate()
            if let program, let table = regimeTable(program) {
                regimes = table
            } else {
                regimes = try DailyReports.regimes(venuesCSV: venuesText)
            }
        } catch {
            throw UsageError(error.description)
        }
        var inputs = ReportInputs()
        do throws(AuditError) {
            try AuditReader.forEach(path: request.db) { (r: StoredAuditRecord) throws(AuditError) in
                do throws(ReportError) {
                    try inputs.add(auditKind: r.kind, timestamp: r.timestamp, payload: r.payload, seq: r.seq)
                } catch {
                    throw AuditError.notAnAuditStore(path: request.db, reason: error.description)
                }
            }
        } catch {
            throw UsageError(error.description)
        }
        let reports = DailyReports(firm: firm, schemas: schemas, regimeOfVenue: regimes)
        return reports.generate(
            inputs.on(date), date: date, to: request.output, only: request.names.map(Set.init), progress: progress)
    }

    /// The bundle's `venues` table as MIC → regime, if it has one.
    static func regimeTable(_ program: EngineProgram) -> [String: String]? {
        program.venueRegimes()
    }
}

extension EngineProgram {
    /// MIC → regime from the bundle's `venues` table (symbol key, symbol
    /// `regime` column), or nil when the bundle has no such table.
    func venueRegimes() -> [String: String]? {
        guard let t = ir.tables.first(where: { $0.name == "venues" }),
            let col = t.columns.first(where: { $0.name == "regime" }), t.keyKind == col.kind
        else { return nil }
        let width = max(1, col.cells.count / max(1, t.rowCount))
        var out: [String: String] = [:]
        for (row, key) in t.keys.enumerated() {
            let cell = col.cells[row * width]
            guard key >= 0, key < ir.symbols.count, cell >= 0, cell < ir.symbols.count else { continue }
            out[ir.symbols[Int(key)]] = ir.symbols[Int(cell)]
        }
        return out.isEmpty ? nil : out
    }
}
