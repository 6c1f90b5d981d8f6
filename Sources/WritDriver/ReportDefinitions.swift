/// The report definitions of `rules/reports/` at work: for each stored order
/// event and fill, the engine's slow-path report API evaluates every
/// definition on the record (its `select` and fields), and the values, by
/// target name, become the records each generator reads. What `writ report`
/// names (`rts22_eu`, `cat`, `csv_asic`, …) is made from these definitions
/// (docs/reports.md, "Report definitions").
import WritEngine
import WritIR
import WritReports
import WritValue

/// The definitions behind one report `writ report` writes.
struct ReportFamily: Sendable {
    /// The report's name (`csv_asic`).
    var report: String
    /// The definition on order events, and how its targets make an `OrderRecord`.
    var orders: (definition: String, layout: DefinedRecordLayout)?
    /// The definition on fills, and how its targets make a `FillRecord`.
    var fills: (definition: String, layout: DefinedRecordLayout)?
}

/// The records of every report, built from the definitions' values.
struct DefinedReportInputs {
    /// The reports and their definitions.
    static let families: [ReportFamily] = {
        var out: [ReportFamily] = [
            ReportFamily(report: "rts22_eu", orders: nil, fills: ("rts22_eu", .rts22)),
            ReportFamily(report: "rts22_uk", orders: nil, fills: ("rts22_uk", .rts22)),
            ReportFamily(report: "cat", orders: ("cat_orders", .catOrders), fills: ("cat_trades", .catTrades)),
        ]
        for r in ["asic", "mas", "jfsa", "sebi", "csa"] {
            out.append(
                ReportFamily(
                    report: "csv_\(r)", orders: ("csv_\(r)_orders", .csvOrders), fills: ("csv_\(r)_trades", .csvTrades)))
        }
        return out
    }()

    let engine: Engine
    /// Reports whose `select` or a field failed on some record (the first
    /// failure): they are not written.
    private(set) var failures: [String: ReportError] = [:]
    /// A definition to evaluate: the report it feeds, its name, its index in the bundle, its layout.
    struct Definition {
        var report: String
        var name: String
        var index: Int
        var layout: DefinedRecordLayout
    }
    /// The definitions on fills and on order events.
    private var fillDefinitions: [Definition] = []
    private var orderDefinitions: [Definition] = []
    /// Orders and fills by report name.
    private var orders: [String: [OrderRecord]] = [:]
    private var fills: [String: [FillRecord]] = [:]
    /// Cancels, by report name, kept until their order is known to be selected.
    private var cancels: [String: [OrderRecord]] = [:]
    /// Busted fills (`fill_cancel`), of every day.
    private var busts: [FillCancelRecord] = []
    /// The audit times of fill lines the engine refused (left out of every report).
    private(set) var refusedFills: [Int64] = []

    /// Evaluates the definitions of `program` for the reports in `only` (all when nil).
    /// - Throws: `UsageError` naming a definition the reports need and the program lacks.
    init(program: EngineProgram, only: Set<String>?) throws(UsageError) {
        engine = Engine(
            program: program,
            configuration: EngineConfiguration(
                keysPerSlot: 1_024, liveOrders: 1_024, idsPerDay: 1_024, marketRecords: 16, killSwitches: 16,
                runtimeSymbols: 65_536, closedOrders: 1_024))
        for b in program.ir.bindings { engine.bind(b.name, symbols: []) }
        var missing: [String] = []
        for f in Self.families where only?.contains(f.report) ?? true {
            if let (name, layout) = f.orders {
                if let i = engine.reportIndex(name) {
                    orderDefinitions.append(Definition(report: f.report, name: name, index: i, layout: layout))
                } else {
                    missing.append(name)
                }
            }
            if let (name, layout) = f.fills {
                if let i = engine.reportIndex(name) {
                    fillDefinitions.append(Definition(report: f.report, name: name, index: i, layout: layout))
                } else {
                    missing.append(name)
                }
            }
        }
        if !missing.isEmpty {
            throw UsageError(
                "the rules define no report \(missing.map { "`\($0)`" }.joined(separator: ", ")); "
                    + "add the definitions of rules/reports/ and rebuild the bundle")
        }
    }

    /// Evaluates the definitions on one stored record (`order_event` or `fill`; others are ignored).
    mutating func add(kind: String, payload: [UInt8], seq: Int64, timestamp: String = "") throws(ReportError) {
        guard kind == "order_event" || kind == "fill" else { return }
        let line = String(decoding: payload, as: UTF8.self)
        // A fill line the engine refused (recorded as received) changed
        // nothing and is no transaction: it is left out and counted.
        func refused() {
            if let t = RFC3339.nanoseconds(timestamp) { refusedFills.append(t) }
        }
        if kind == "fill", payload.withUnsafeBytes({ AuditRecorder.stringField("event", in: $0) }) == "fill_cancel",
            let json = try? JSONValue.parse(line),
            case .string("fill_cancel")? = json["event"]
        {
            if let bust = try? FillCancelRecord(json: json) { busts.append(bust) } else { refused() }
            return
        }
        let targets = kind == "fill" ? fillDefinitions : orderDefinitions
        let results = engine.evaluateReports(targets.map(\.index), line: line, onlySelected: true)
        for (t, result) in zip(targets, results) {
            let (report, name, layout) = (t.report, t.name, t.layout)
            switch result {
            case .otherRecord: continue
            case .refused:
                // A refused order line is what its decision shows; a refused fill is counted.
                if kind == "fill" { refused() }
                return
            case .event(let row):
                // An expression that fails (not an absent field) fails its report: fail closed.
                if failures[report] != nil { continue }
                if let reason = row.selectFailure {
                    failures[report] = .badInput(
                        what: "audit record \(seq)", message: "report `\(name)`: `select` failed: \(reason)")
                    continue
                }
                if let (field, reason) = row.failures.min(by: { $0.key < $1.key }) {
                    failures[report] = .badInput(
                        what: "audit record \(seq)", message: "report `\(name)`: field `\(field)` failed: \(reason)")
                    continue
                }
                // A cancel cannot be selected (it has no venue): it goes with its order.
                guard row.selected || row.event == "cancel" else { continue }
                let values = row.values.mapValues(Self.fieldValue)
                do throws(ReportError) {
                    if kind == "fill" {
                        fills[report, default: []].append(try FillRecord(fields: values, layout: layout))
                    } else {
                        let o = try OrderRecord(fields: values, layout: layout)
                        if o.event == .cancel {
                            cancels[report, default: []].append(o)
                        } else {
                            orders[report, default: []].append(o)
                        }
                    }
                } catch {
                    throw ReportError.badInput(
                        what: "audit record \(seq)", message: "report `\(name)`: \(error.description)")
                }
            }
        }
    }

    /// The inputs of report `name` on `date`: its defined orders (with the
    /// cancels of orders selected that day) and fills, the decisions on its
    /// orders, and for RTS 22 the orders of `base` (whose side gives the
    /// short-selling indicator). `base` is already the day's.
    func inputs(_ name: String, base: ReportInputs, date: ReportDate) -> ReportInputs {
        guard let family = Self.families.first(where: { $0.report == name }) else { return base }
        var out = ReportInputs(killSwitches: base.killSwitches, drChanges: base.drChanges)
        out.fills = (fills[name] ?? []).filter { date.contains($0.timestamp) }
        if family.orders == nil {
            // RTS 22: a fill busted on `date` is cancelled, whatever day it was reported.
            var busted = ReportInputs(fills: fills[name] ?? [])
            busted.fillCancels = busts.filter { date.contains($0.timestamp) }
            out.fills += busted.cancelledFills()
            out.orders = base.orders
        } else {
            let day = (orders[name] ?? []).filter { date.contains($0.timestamp) }
            let ids = Set(day.map(\.id))
            out.orders = day + (cancels[name] ?? []).filter { date.contains($0.timestamp) && ids.contains($0.id) }
            out.decisions = base.decisions.filter { ids.contains($0.orderID) }
        }
        return out
    }

    /// The reports' value type for an engine value.
    static func fieldValue(_ v: ReportValue) -> ReportFieldValue {
        switch v {
        case .text(let s): .text(s)
        case .decimal(let d): .decimal(d)
        case .integer(let i): .decimal(Fixed(Int(i)))
        case .money(let a, let c): .money(a, currency: c)
        case .timestamp(let t): .timestamp(t)
        case .enumCase(let c): .enumCase(c)
        case .bool(let b): .bool(b)
        case .other(let s): .other(s)
        }
    }
}
