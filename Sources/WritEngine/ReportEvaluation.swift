/// The slow-path report API: given an event line as the audit store holds
/// it, decode it with the engine's decoder and evaluate a report
/// definition's `select` and fields on it (docs/reports.md, "Report
/// definitions"). It allocates (the values are Swift values) and changes no
/// state: the report generators call it, not the order path.

import WritIR
import WritValue

/// A report field's value.
public enum ReportValue: Sendable, Hashable {
    /// A `string`, `symbol` or `currency`.
    case text(String)
    /// A `decimal` or `percent` (a percent as its fraction).
    case decimal(Fixed)
    /// An `int`.
    case integer(Int64)
    /// `money`: the amount and its currency.
    case money(Fixed, currency: String)
    /// A `timestamp`, in nanoseconds since the epoch.
    case timestamp(Int64)
    /// An enum value: its case name.
    case enumCase(String)
    /// A `bool`.
    case bool(Bool)
    /// Any other value (`duration`, `timeofday`), as the dump prints it.
    case other(String)
}

/// The outcome of evaluating one report on one event line.
public enum ReportEvaluation: Sendable {
    /// The line is an event of the report's record: whether `select` holds
    /// (false also when it cannot be evaluated: `selectError` says why), the
    /// values of the fields by target name (a field that cannot be computed —
    /// an absent optional field — has none; `errors` says why), and the event
    /// (`new`, `modify`, `cancel`, `fill`, …).
    case event(ReportRow)
    /// The line is an event of another record (a fill for a report on orders).
    case otherRecord
    /// The engine refused the line; the reason, as in a decision.
    case refused(String)
}

/// The values of one event for one report.
public struct ReportRow: Sendable {
    /// The event: `new`, `modify`, `cancel`, `fill`, `market` or `control`.
    public var event: String
    /// Whether the report's `select` holds.
    public var selected: Bool
    /// Why `select` could not be evaluated, if it could not.
    public var selectError: String?
    /// Field values by target name.
    public var values: [String: ReportValue]
    /// Why a field has no value, by target name.
    public var errors: [String: String]
    /// Fields whose expression failed for a reason other than an absent
    /// field (a missing table row, an overflow, …), with the reason: a
    /// report must not leave such a field out silently.
    public var failures: [String: String] = [:]
    /// Why `select` failed, when it failed for a reason other than an absent field.
    public var selectFailure: String?
}

extension Engine {
    /// The index of the report named `name` in the bundle, if it has one.
    public func reportIndex(_ name: String) -> Int? {
        program.ir.reports.firstIndex { $0.name == name }
    }

    /// Evaluates report `report` (an index into `program.ir.reports`) on
    /// `line`, an input event. Changes no state; allocates.
    public func evaluateReport(_ report: Int, line: String) -> ReportEvaluation {
        evaluateReports([report], line: line)[0]
    }

    /// Evaluates several reports on `line`, decoding it once. With
    /// `onlySelected`, the fields of an event that a report's `select`
    /// rejects are not computed (those of an event whose `select` could not
    /// be evaluated are). Changes no state; allocates.
    public func evaluateReports(_ reports: [Int], line: String, onlySelected: Bool = false) -> [ReportEvaluation] {
        var d = Decision()
        var bytes = Array(line.utf8)
        let renderer = DecisionRenderer(engine: self)
        return bytes.withUnsafeMutableBytes { raw -> [ReportEvaluation] in
            d.reset(line: lineCount + 1)
            m.pointee.settle()
            m.pointee.symbols.collect()
            let kind = m.pointee.decode(UnsafeRawBufferPointer(raw), &d)
            if kind == .fill { _ = m.pointee.refusesFillQuantity(nil, &d) }
            if d.problem != .none { return Array(repeating: .refused(renderer.problemText(d)), count: reports.count) }
            let record: String
            switch kind {
            case .new, .modify, .cancel: record = "order"
            case .fill: record = "fill"
            case .market: record = "market"
            case .control: record = "control"
            case .none, .platform: return Array(repeating: .otherRecord, count: reports.count)
            }
            let event = ["new", "modify", "cancel", "fill", "market", "control", "", ""][Int(kind.rawValue)]
            // A cancel carries only `id` and `ts`; the order's other fields,
            // which rules read without a presence check, are absent here.
            let absent = kind == .cancel ? absentInputs() : [:]
            return reports.map { ri -> ReportEvaluation in
                let r = program.ir.reports[ri]
                guard record == r.record else { return .otherRecord }
                return .event(evaluate(r, event: event, absent: absent, onlySelected: onlySelected, renderer))
            }
        }
    }

    /// The select and fields of `r` on the decoded event.
    private func evaluate(
        _ r: IRReport, event: String, absent: [Int: String], onlySelected: Bool, _ renderer: DecisionRenderer
    ) -> ReportRow {
        var row = ReportRow(event: event, selected: true, selectError: nil, values: [:], errors: [:])
        if let b = r.selectBlock, let missing = reads(absent, block: b) {
            row.selected = false
            row.selectError = "\(missing) is missing"
        } else if let b = r.selectBlock {
            let pc = m.pointee.run(b)
            if pc < 0 {
                row.selected = false
                row.selectError = renderer.errorText(m.pointee.error)
                if m.pointee.error.code != .missingField { row.selectFailure = row.selectError }
            } else {
                row.selected = m.pointee.frame[Int(m.pointee.code[pc].a)] != 0
            }
        }
        if onlySelected && !row.selected && row.selectError == nil { return row }
        for f in r.fields {
            if let missing = reads(absent, block: f.block) {
                row.errors[f.name] = "\(missing) is missing"
                continue
            }
            let pc = m.pointee.run(f.block)
            guard pc >= 0 else {
                let reason = renderer.errorText(m.pointee.error)
                row.errors[f.name] = reason
                if m.pointee.error.code != .missingField { row.failures[f.name] = reason }
                continue
            }
            let a = Int(m.pointee.code[pc].a)
            let v = m.pointee.frame[a]
            if v == ValueKind.nullMarker { continue }
            let second = f.kind == .money ? m.pointee.frame[a + 1] : 0
            row.values[f.name] = value(v, second: second, f)
        }
        return row
    }

    /// The input slots of fields absent from the decoded event, with the field's name.
    private func absentInputs() -> [Int: String] {
        var out: [Int: String] = [:]
        for s in program.ir.schemas {
            for f in s.fields where f.kind != .none && m.pointee.present[f.index] == 0 {
                for k in 0..<f.kind.width { out[f.slot + k] = "\(s.name).\(f.name)" }
            }
        }
        return out
    }

    /// The first field of `absent` that `block` reads, if any.
    private func reads(_ absent: [Int: String], block: Int) -> String? {
        guard !absent.isEmpty else { return nil }
        let b = program.ir.blocks[block]
        for pc in b.start..<b.end {
            let i = program.ir.code[pc]
            for x in [i.a, i.b, i.c] {
                if let name = absent[Int(x)] { return name }
            }
        }
        return nil
    }

    /// The Swift value of slot value `v` (and `second`, the currency of money) of field `f`.
    private func value(_ v: Int128, second: Int128, _ f: IRReportField) -> ReportValue {
        func text(_ id: Int128) -> String { m.pointee.symbols.string(Int(id)) }
        switch f.kind {
        case .string, .symbol, .currency: return .text(text(v))
        case .decimal, .percent: return .decimal(Fixed(raw: v))
        case .int: return .integer(Int64(truncatingIfNeeded: v))
        case .money: return .money(Fixed(raw: v), currency: text(second))
        case .timestamp: return .timestamp(Int64(truncatingIfNeeded: v))
        case .bool: return .bool(v != 0)
        case .enumeration:
            let ir = program.ir
            if let e = f.enumIndex, e < ir.enums.count, v >= 0, v < Int128(ir.enums[e].cases.count) {
                return .enumCase(ir.enums[e].cases[Int(v)])
            }
            return .other("case \(v)")
        default:
            return .other(program.ir.format(v, kind: f.kind, second: second, enumIndex: f.enumIndex))
        }
    }
}
