/// The MiFIR RTS 22 report of one day for one recipient: fills are mapped
/// to transactions, written with libxml2 (one file per
/// `maxTransactionsPerFile` transactions, files made in parallel), each file
/// validated against the ESMA schemas, and only when every file is valid
/// are they all written. A violation names its transaction; a report with
/// any violation writes nothing.
import Dispatch
import Synchronization

/// Generates RTS 22 files.
public struct RTS22Generator: Sendable {
    /// The reporting firm.
    public var firm: FirmConfig
    /// The recipient.
    public var regime: RTS22Regime
    /// Where the schemas are.
    public var schemas: ReportSchemas

    /// Creates a generator.
    public init(firm: FirmConfig, regime: RTS22Regime, schemas: ReportSchemas) {
        self.firm = firm
        self.regime = regime
        self.schemas = schemas
    }

    /// The report's name in messages: `RTS 22 EU (DE) 2026-11-27`.
    public func reportName(_ date: ReportDate) -> String { "RTS 22 \(regime.displayName) \(date)" }

    /// What every file name of the report of `date` starts with.
    func filePrefix(_ date: ReportDate) -> String { "\(firm.lei)_DATTRA_\(regime.recipient(firm))_\(date.compact)_" }

    /// A note naming the files of an earlier run that were removed.
    private func staleNotes(_ removed: [String]) -> [String] {
        guard !removed.isEmpty else { return [] }
        let list = removed.map { "`\($0)`" }.joined(separator: ", ")
        return [
            "removed \(removed.count) file\(removed.count == 1 ? "" : "s") of an earlier run of this report: \(list)"
        ]
    }

    /// The name of file `number` (from 1):
    /// `{LEI}_DATTRA_{recipient}_{YYYYMMDD}_{NNNNNN}.xml`.
    public func fileName(date: ReportDate, number: Int) -> String {
        filePrefix(date) + pad6(number) + ".xml"
    }

    /// Maps `fills` and writes their report into `folder`.
    public func generate(
        fills: [FillRecord], date: ReportDate, to folder: String, progress: ReportProgress? = nil
    ) throws(ReportError) -> GeneratedReport {
        let output = try ReportOutput(folder: folder)
        let mapper = RTS22Mapper(firm: firm)
        let order = mapper.reportOrder(fills)
        let duplicates = mapper.duplicates(fills, order: order)
        return try write(
            count: order.count, known: duplicates, date: date, output: output, progress: progress
        ) { range in mapper.map(fills, indices: order[range]) }
    }

    /// Writes the report of `transactions` (in the order given) into `folder`.
    public func generate(
        transactions: [RTS22Transaction], date: ReportDate, to folder: String, progress: ReportProgress? = nil
    ) throws(ReportError) -> GeneratedReport {
        let output = try ReportOutput(folder: folder)
        return try write(count: transactions.count, known: [], date: date, output: output, progress: progress) {
            MappedTransactions(transactions: Array(transactions[$0]), positions: Array($0))
        }
    }

    /// Writes `count` transactions in files of at most `maxTransactionsPerFile`;
    /// `make(range)` gives the transactions (and problems) of a range of them.
    private func write(
        count: Int, known: [(position: Int, violation: ReportViolation)], date: ReportDate, output: ReportOutput,
        progress: ReportProgress?, make: @Sendable (Range<Int>) -> MappedTransactions
    ) throws(ReportError) -> GeneratedReport {
        let name = reportName(date)
        if count == 0 {
            var notes = [
                "no transactions on \(date): nothing to send to `\(regime.recipient(firm))`; "
                    + "an RTS 22 file must hold at least one transaction (auth.016 `Tx` has minOccurs 1), "
                    + "so no file was written"
            ]
            notes += staleNotes(output.removeStale(prefix: filePrefix(date), suffix: ".xml", keeping: []))
            return GeneratedReport(report: name, files: [], notes: notes)
        }
        // Compile the schema once up front, so that a missing schema fails before any work.
        _ = try XMLSchemaValidator(path: schemas.rts22Envelope)
        let perFile = max(1, min(firm.maxTransactionsPerFile, RTS22Limits.maxTransactionsPerFile))
        let chunks = stride(from: 0, to: count, by: perFile).map { $0..<min($0 + perFile, count) }
        let results = Mutex(ChunkResults(count: chunks.count, failed: !known.isEmpty))
        let done = Atomic<Int>(0)
        let schemaPath = schemas.rts22Envelope
        let created = date.endNanoseconds
        DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
            let mapped = make(chunks[k])
            var outcome: ChunkOutcome = .violations(mapped.violations)
            if mapped.violations.isEmpty {
                outcome = self.makeFile(
                    mapped, range: chunks[k], number: k + 1, date: date, created: created, schema: schemaPath,
                    output: output, stage: { results.withLock { !$0.failed } })
            } else if !mapped.transactions.isEmpty {
                // Still validate what could be mapped, so that every problem is listed; but never stage.
                let schemaOutcome = self.makeFile(
                    mapped, range: chunks[k], number: k + 1, date: date, created: created, schema: schemaPath,
                    output: output, stage: { false })
                switch schemaOutcome {
                case .written: break
                case .violations(let v): outcome = .violations(mapped.violations + v)
                case .failed: outcome = schemaOutcome
                }
            }
            results.withLock { r in
                r.outcomes[k] = outcome
                if case .written = outcome {} else { r.failed = true }
            }
            let n = done.add(chunks[k].count, ordering: .relaxed).newValue
            progress?(n, count)
        }
        var violations = known
        for o in results.withLock({ $0.outcomes }) {
            switch o {
            case .violations(let v)?: violations += v
            case .failed(let e)?:
                output.abort()
                throw e
            case .written?, nil: break
            }
        }
        guard violations.isEmpty else {
            output.abort()
            // In report order; problems of one transaction in the order found.
            let ordered = violations.enumerated().sorted {
                ($0.element.position, $0.offset) < ($1.element.position, $1.offset)
            }
            throw ReportError.invalidReport(report: name, violations: ordered.map(\.element.violation))
        }
        let files = try output.commit()
        var notes: [String] = []
        if files.count > 1 {
            notes.append(
                "\(count) transactions in \(files.count) files of at most \(perFile) "
                    + "(`rts22.max_transactions_per_file`)")
        }
        notes += staleNotes(
            output.removeStale(prefix: filePrefix(date), suffix: ".xml", keeping: Set(files.map(\.name))))
        return GeneratedReport(report: name, files: files, notes: notes)
    }

    /// Writes and validates the file of one range of the report; stages it
    /// if it is valid and `stage()` allows.
    private func makeFile(
        _ mapped: MappedTransactions, range: Range<Int>, number: Int, date: ReportDate, created: Int64,
        schema: String, output: ReportOutput, stage: () -> Bool
    ) -> ChunkOutcome {
        do throws(ReportError) {
            let validator = try XMLSchemaValidator(path: schema)
            let writer = try RTS22XMLWriter(expectedTransactions: mapped.transactions.count)
            let header = RTS22Header(
                from: firm.lei, to: regime.recipient(firm), messageID: messageID(date: date, number: number),
                created: created)
            writer.begin(header)
            for t in mapped.transactions { writer.write(t) }
            try writer.finish()
            let issues = validator.validate(writer.bytes)
            if !issues.isEmpty {
                let file = fileName(date: date, number: number)
                return .violations(violations(issues, mapped, range: range, file: file))
            }
            if stage() {
                try output.stage(
                    name: fileName(date: date, number: number), records: mapped.transactions.count,
                    bytes: writer.bytes)
            }
            return .written
        } catch {
            return .failed(error)
        }
    }

    /// Each libxml2 issue as a violation of the transaction on its line (or
    /// of the file, for the lines around the transactions).
    private func violations(_ issues: [XMLIssue], _ mapped: MappedTransactions, range: Range<Int>, file: String)
        -> [(position: Int, violation: ReportViolation)]
    {
        issues.map { issue in
            let index = issue.line - RTS22XMLWriter.firstTransactionLine
            if index >= 0 && index < mapped.transactions.count {
                let t = mapped.transactions[index]
                return (
                    mapped.positions[index],
                    ReportViolation(
                        kind: "transaction", record: t.transactionID, source: t.sourceID, line: issue.line,
                        message: issue.message)
                )
            }
            return (
                range.lowerBound, ReportViolation(kind: "file", record: file, line: issue.line, message: issue.message)
            )
        }
    }

    /// `BizMsgIdr`: `{LEI}-{YYYYMMDD}-{NNNN}` (34 characters; the schema allows 35).
    func messageID(date: ReportDate, number: Int) -> String {
        let n = String(number)
        return "\(firm.lei)-\(date.compact)-" + String(repeating: "0", count: max(0, 4 - n.count)) + n
    }

    private func pad6(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }
}

/// What became of one file of a report.
private enum ChunkOutcome {
    /// Valid, and staged if nothing failed before it.
    case written
    /// Problems, with the report positions of their transactions.
    case violations([(position: Int, violation: ReportViolation)])
    /// Something other than the data failed (memory, the disk, the schema).
    case failed(ReportError)
}

private struct ChunkResults {
    var outcomes: [ChunkOutcome?]
    var failed: Bool
    init(count: Int, failed: Bool) {
        outcomes = Array(repeating: nil, count: count)
        self.failed = failed
    }
}
