/// The work behind `writ report`: verify the audit trail, read the day's
/// records from it, evaluate the report definitions of the bundle (or of the
/// rules compiled) on every order event and fill, and write the regulators'
/// reports (RTS 22 XML validated against ESMA's schemas, CAT NDJSON, CSV,
/// the compliance summary) — each file under a temporary name, renamed when
/// complete.
import WritAudit
import WritCrypto
import WritEngine
import WritIR
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
    /// The rules whose report definitions are compiled when no bundle is given.
    public var rules: String
    /// Whether a bundle other than the one the day's orders were decided
    /// with may give the report definitions (a corrected re-report).
    public var allowOtherBundle: Bool
    /// Creates a request.
    public init(
        names: [String]?, db: String, date: String, output: String, firm: String, rules: String = "rules",
        allowOtherBundle: Bool = false
    ) {
        self.names = names
        self.db = db
        self.date = date
        self.output = output
        self.firm = firm
        self.rules = rules
        self.allowOtherBundle = allowOtherBundle
    }
}

/// Writes reports.
public enum ReportRun {
    /// The names `writ report` accepts.
    public static var names: [String] { DailyReports.reportNames }

    /// The bundle hash at the start of a decision record's payload
    /// (`{"bundle":"<64 hex digits>",…`), if it has one.
    public static func recordedBundle(_ payload: [UInt8]) -> String? {
        let prefix = Array(#"{"bundle":""#.utf8)
        guard payload.count > prefix.count + 64, payload.starts(with: prefix),
            payload[prefix.count + 64] == UInt8(ascii: "\"")
        else { return nil }
        let hex = payload[prefix.count..<prefix.count + 64]
        guard hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Refuses a `--bundle` that decided none of the day's orders: its
    /// report definitions may select other records or give other values
    /// than those the day was decided with.
    public static func checkBundle(_ program: EngineProgram, decided: Set<String>, date: ReportDate) throws(UsageError) {
        guard !decided.isEmpty, !program.contentHash.isEmpty else { return }
        let given = Hex.encode(program.contentHash)
        guard !decided.contains(given) else { return }
        let recorded = decided.sorted().map { String($0.prefix(16)) }.joined(separator: ", ")
        throw UsageError(
            "the orders of \(date) were decided with bundle \(recorded), but --bundle is \(given.prefix(16)); "
                + "report with the bundle the day was decided with, or pass --allow-other-bundle to report "
                + "with these definitions (a corrected re-report)")
    }

    /// Runs the request. The report definitions (`rules/reports/`) come from
    /// `program` (the `--bundle`), or, without one, from compiling
    /// `request.rules`; they select each report's records and give every
    /// value the generators write.
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
            throw UsageError(
                "`\(request.date)` is not a date a report can cover; write it as YYYY-MM-DD, "
                    + "from \(ReportDate.first) to \(ReportDate.last), e.g. 2026-11-27")
        }
        // The reports go into a folder: a file there, or a place where no folder
        // can be made, fails once here rather than once per report.
        try OutputPath.checkFolder(request.output, what: "the reports")
        // The trail must hold before anything is reported from it.
        let verified = try AuditRun.verify(path: request.db)
        guard verified.isIntact else {
            throw UsageError("\(verified.description); reports are not made from a broken trail")
        }
        let definitions: EngineProgram
        if let program { definitions = program } else { definitions = try compile(rules: request.rules) }
        let firm: FirmConfig
        let schemas: ReportSchemas
        do throws(ReportError) {
            firm = try FirmConfig.load(path: request.firm)
            schemas = try ReportSchemas.locate()
        } catch {
            throw UsageError(error.description + (error.help.map { "; \($0)" } ?? ""))
        }
        var defined = try DefinedReportInputs(program: definitions, only: request.names.map(Set.init))
        var inputs = ReportInputs()
        var unreadable: ReportError?
        // The bundles the day's orders were decided with (each decision record names its bundle).
        var dayBundles = Set<String>()
        // The records read are the ones verified: the reading is a second transaction, so each
        // record must chain to the one before it again, up to the verified last record
        // (records appended since are not reported).
        var previous: (seq: Int64, hash: [UInt8]) = (0, AuditChain.genesisHash)
        let changed = AuditError.invalidRecord(
            reason: "the trail changed between its verification and its reading; nothing was reported, run the report again")
        do throws(AuditError) {
            try AuditReader.forEach(path: request.db) { (r: StoredAuditRecord) throws(AuditError) in
                guard r.seq <= verified.lastSeq else { return }
                guard r.seq == previous.seq + 1, r.prevHash == previous.hash, r.computedHash() == r.hash else {
                    throw changed
                }
                previous = (r.seq, r.hash)
                if r.kind == "decision", let ts = RFC3339.nanoseconds(r.timestamp), date.contains(ts),
                    let hash = recordedBundle(r.payload)
                {
                    dayBundles.insert(hash)
                }
                do throws(ReportError) {
                    // Fills (and busts) reach the reports through the definitions alone.
                    if r.kind != "fill" {
                        try inputs.add(auditKind: r.kind, timestamp: r.timestamp, payload: r.payload, seq: r.seq)
                    }
                    try defined.add(kind: r.kind, payload: r.payload, seq: r.seq, timestamp: r.timestamp)
                } catch {
                    unreadable = error
                    throw AuditError.invalidRecord(reason: error.description)
                }
            }
            guard previous.seq == verified.lastSeq, previous.hash == verified.lastHash else { throw changed }
        } catch {
            throw UsageError(unreadable.map { "`\(request.db)`: \($0.description)" } ?? error.description)
        }
        if let program, !request.allowOtherBundle {
            try checkBundle(program, decided: dayBundles, date: date)
        }
        let day = inputs.on(date)
        let reports = DailyReports(firm: firm, schemas: schemas, regimeOfVenue: [:])
        let selected = defined
        // A report whose definition failed on a record is not written; the others are.
        let wanted = request.names.map(Set.init)
        // Without names, CAT is made only for a firm with a CAT configuration.
        let failed = defined.failures.filter { wanted != nil || $0.key != "cat" || firm.cat != nil }
        var made: [String: Result<GeneratedReport, ReportError>] = [:]
        for (name, result) in reports.generate(
            day, date: date, to: request.output,
            only: failed.isEmpty
                ? wanted
                : Set(
                    DailyReports.reportNames.filter { name in
                        failed[name] == nil && (wanted?.contains(name) ?? (name != "cat" || firm.cat != nil))
                    }),
            selected: { selected.inputs($0, base: day, date: date) }, progress: progress)
        {
            made[name] = result
        }
        for (name, error) in failed { made[name] = .failure(error) }
        // Fills the engine refused (recorded as received) are in no report: say so.
        let n = defined.refusedFills.filter { date.contains($0) }.count
        if n > 0 {
            let note = "\(n) fill line\(n == 1 ? "" : "s") of the day \(n == 1 ? "was" : "were") refused by the engine "
                + "(a missing or malformed field, a quantity not above 0) and \(n == 1 ? "is" : "are") not reported; "
                + "see their decisions in the audit trail"
            for (name, result) in made {
                if case .success(var g) = result {
                    g.notes.append(note)
                    made[name] = .success(g)
                }
            }
        }
        return DailyReports.reportNames.compactMap { name in made[name].map { (name, $0) } }
    }

    /// The program of the rules at `path` (for their report definitions).
    static func compile(rules path: String) throws(UsageError) -> EngineProgram {
        let c = try Compilation.check(paths: [path])
        guard !c.hasErrors, let checked = c.checked else {
            throw UsageError("the rules at `\(path)` have errors; run `writ check \(path)`")
        }
        do {
            return EngineProgram(ir: try IRCompiler.compile(checked.program, files: c.files))
        } catch {
            throw UsageError("cannot compile the rules at `\(path)`: \(error.description)")
        }
    }
}
