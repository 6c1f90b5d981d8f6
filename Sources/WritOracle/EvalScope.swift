/// What an expression is evaluated against: the input records in scope,
/// the variables of enclosing macros, and the event being processed.

import WritSyntax

/// An input record as seen by an expression: present, or impossible to
/// provide (the market table was full when its first event arrived).
enum RecordSource {
    case record(Record)
    case unavailable(EvalError)
}

/// The event being processed.
struct EventContext {
    /// The event's `ts`: the time every window is computed from.
    var ts: Int64
    /// The event kind as written in the line (`new`, `modify`, `cancel`, …).
    var kind: String
    /// For a `modify`: the live order's record before this message.
    var previous: Record?
}

/// The environment of one evaluation (a class: it is passed to every node,
/// and a reference is cheaper to pass than a struct of dictionaries).
final class EvalScope {
    /// Input roots by schema name (`order`, `market`).
    let records: [String: RecordSource]
    /// Macro variables, by the macro call that binds them.
    let locals: [NodeID: RuntimeValue]
    /// The record whose derived defaults are being computed (its fields are
    /// read by bare name).
    let building: Record?
    /// The event.
    let event: EventContext

    init(records: [String: RecordSource], locals: [NodeID: RuntimeValue] = [:], building: Record? = nil, event: EventContext) {
        self.records = records
        self.locals = locals
        self.building = building
        self.event = event
    }

    /// This scope with one more macro variable.
    func binding(_ macro: NodeID, to value: RuntimeValue) -> EvalScope {
        var l = locals
        l[macro] = value
        return EvalScope(records: records, locals: l, building: building, event: event)
    }

    /// This scope with the record of `schema` replaced.
    func with(_ schema: String, _ record: RecordSource) -> EvalScope {
        var r = records
        r[schema] = record
        return EvalScope(records: r, locals: locals, building: building, event: event)
    }
}
