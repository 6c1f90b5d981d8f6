/// Reports: regulator, the event they are on (whose record their fields
/// read), selection, format, and typed fields.

import WritSyntax
import WritValue

extension Analyzer {
    func checkReports() {
        for d in allDecls {
            if case .report(let r) = d, isRegistered(r.name) { checkReport(r) }
        }
    }

    private func checkReport(_ r: ReportDecl) {
        let owner = "report `\(r.name.text)`"
        let s = platformScope
        let props = propertyTable(
            r.properties, allowed: ["regulator", "on", "select", "format", "schema", "schedule"], owner: owner)
        var regulator: String?
        if let p = requiredProperty(props, "regulator", owner: owner, at: r.name.span, example: "ESMA") {
            switch p.value.kind {
            case .identifier(let n):
                regulator = n
                program.types[p.value.id] = .symbol
                program.constants[p.value.id] = .symbol(n)
            default:
                if case .string(let t)? = constantProperty(p, .string, s) { regulator = t }
            }
        }
        let event = requiredProperty(props, "on", owner: owner, at: r.name.span, example: "fill")
            .flatMap { enumValue($0, "Event", s) }
        let format = requiredProperty(props, "format", owner: owner, at: r.name.span, example: "xml")
            .flatMap { enumValue($0, "Format", s) }
        let schema = props["schema"].flatMap { stringProperty($0, s) }
        let schedule = props["schedule"].flatMap { stringProperty($0, s) }
        var record: String?
        if let event, let p = props["on"] {
            if schemas[event] != nil {
                record = event
            } else {
                report(Messages.unknownSchema(Name(event, p.value.span), suggestion: nil))
            }
        }
        var select: Expr?
        var fields: [CheckedReportField] = []
        guard let record else {
            return
        }
        let scope = Scope(place: "a report on `\(record)`", inputs: .only(record))
        if let p = props["select"], require(p.value, scope, .bool, what: "`select`") != .error {
            select = p.value
        }
        var seen: [String: Span] = [:]
        let targets = schema.flatMap { ReportTargets.targets(of: $0) }
        for f in r.fields {
            if let first = seen[f.target] {
                report(Messages.duplicateMember(f.target, what: "field", in: owner, at: f.targetSpan, first: first))
                continue
            }
            seen[f.target] = f.targetSpan
            let target = targets?.first { $0.name == f.target }
            if let targets, target == nil, let schema {
                let names = targets.map(\.name)
                let near = suggestion(for: f.target, in: names)
                report(
                    Diagnostic(
                        .reportFieldSet, "the format `\(schema)` has no field `\(f.target)`", at: f.targetSpan,
                        help: near.map { "did you mean `\($0)`?" } ?? "its fields are \(orList(names))",
                        fixIt: near.map { FixIt(span: f.targetSpan, replacement: "\"\($0)\"") }))
                continue
            }
            let t = check(f.value, scope)
            if t.containsError { continue }
            // An optional value may be absent: the field is then left out.
            var inner = t
            if case .optional(let w) = t { inner = w }
            guard inner.isScalar else {
                report(
                    Messages.typeMismatch(
                        what: "the report field `\(f.target)`", expected: .string, found: t, at: f.value.span,
                        hint: "a report field holds a single value; select one field or use `size(…)`"))
                continue
            }
            if let target, !fits(f, inner, target) { continue }
            fields.append(CheckedReportField(name: f.target, type: t, value: f.value, span: f.span))
        }
        if let targets, let schema {
            for t in targets where t.required && seen[t.name] == nil {
                report(
                    Diagnostic(
                        .reportFieldSet, "\(owner) has no field `\(t.name)`, which the format `\(schema)` requires",
                        at: r.name.span, help: "add `field \"\(t.name)\" = …`: \(t.meaning)"))
            }
        }
        guard let regulator, let event, let format else { return }
        program.reports.append(
            CheckedReport(
                name: r.name.text, title: r.title, regulator: regulator, event: event, eventRecord: record,
                select: select,
                format: format, schema: schema, schedule: schedule, fields: fields, span: r.span))
    }

    /// Whether field `f` of type `t` (without `?`) fits `target`; reports why not.
    private func fits(_ f: ReportField, _ t: WType, _ target: ReportTarget) -> Bool {
        guard target.valueClass.accepts(t, enumName: target.enumName) else {
            let needs =
                target.valueClass == .enumeration && target.enumName != nil
                ? "a value of enum `\(target.enumName ?? "")`" : target.valueClass.title
            report(
                Diagnostic(
                    .reportFieldMismatch, "the report field `\(f.target)` needs \(needs), found \(Messages.a(t))",
                    at: f.value.span, help: "\(f.target): \(target.meaning)"))
            return false
        }
        if let n = target.valueClass.constantLength, let v = program.constants[f.value.id] {
            var text: String?
            if case .string(let s) = v { text = s }
            if case .symbol(let s) = v { text = s }
            if let text, text.count != n || !text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                report(
                    Diagnostic(
                        .reportFieldMismatch,
                        "the report field `\(f.target)` needs \(target.valueClass.title), found `\(text)`",
                        at: f.value.span, help: "\(f.target): \(target.meaning)"))
                return false
            }
        }
        return true
    }
}
