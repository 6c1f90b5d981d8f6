/// The lowering of report definitions: a block for each report's `select`
/// and one for each of its fields, evaluated by the engine's slow-path
/// report API on a stored event (docs/reports.md, "Report definitions").
/// Reports on a record that has no input schema (`decision`) are not
/// lowered: the engine has no such event.

import WritSema
import WritSyntax
import WritValue

extension Lowerer {
    /// Lowers every report whose record is an input schema.
    func lowerReports() throws(IRCompileError) {
        for r in p.reports where ir.schema(r.eventRecord) != nil {
            let ri = ir.reports.count
            var report = IRReport(
                name: r.name, title: r.title ?? "", regulator: r.regulator, record: r.eventRecord, format: r.format,
                schema: r.schema ?? "", schedule: r.schedule ?? "", selectBlock: nil, fields: [])
            if let s = r.select {
                begin()
                let v = try value(s)
                emit(LInst(op: .ret, a: v))
                report.selectBlock = end(kind: .reportSelect, owner: ri)
            }
            for (fi, f) in r.fields.enumerated() {
                let kind = ValueEncoding.kind(f.type)
                guard kind != .none else {
                    throw IRCompileError("the report field `\(f.name)` has a value the engine cannot hold", at: f.span)
                }
                var enumIndex: Int?
                if case .enumeration(let n) = f.type { enumIndex = enc.enumIndex[n] }
                if case .optional(.enumeration(let n)) = f.type { enumIndex = enc.enumIndex[n] }
                begin()
                let v = try value(f.value)
                emit(LInst(op: .ret, a: v, wide: kind == .money))
                let b = end(kind: .reportField, owner: ri * 65_536 + fi)
                report.fields.append(IRReportField(name: f.name, kind: kind, enumIndex: enumIndex, block: b))
            }
            ir.reports.append(report)
        }
    }
}
