/// The oracle: a plain interpreter of a checked program, used to check the
/// optimized engine (docs/oracle.md). It reads input lines, keeps its state
/// in dictionaries and evaluates rules by walking the checked AST: clarity
/// over speed. docs/engine-semantics.md is what it implements.

import WritSema
import WritSyntax
import WritValue

/// A plain interpreter of a checked program with the engine's semantics:
/// input lines in, decision lines out.
public final class Oracle {
    let program: CheckedProgram
    let capacities: OracleCapacities
    var state = OracleState()
    /// Bound data by binding name.
    var bindings: [String: RuntimeValue] = [:]
    /// Bound tables' rows by declaration name, then key text; absent: not bound.
    var boundTableRows: [String: [String: [Value]]] = [:]
    /// Bound tables' capacities by declaration name: the rows bound plus
    /// `capacities.boundTableSpareRows` (a `set` adding a row beyond it is refused).
    var boundTableCapacity: [String: Int] = [:]
    /// Lines processed so far (a line that cannot be decoded and has no id is `line N`).
    var lineNumber = 0
    let schemasByName: [String: CheckedSchema]
    /// Each schema's fields by name.
    let fieldsBySchema: [String: [String: CheckedField]]
    let tablesByName: [String: CheckedTable]
    /// For tables keyed by symbols: key → row index (a faster way to the
    /// same row a scan would find).
    let rowOfSymbolKey: [String: [String: Int]]
    let dataByName: [String: CheckedData]
    let enumCases: [String: [String]]
    var regexCache: [String: Regex<AnyRegexOutput>?] = [:]
    /// Topology, DR level and routes at run time.
    let platform: OraclePlatform
    /// The checker's side tables as arrays indexed by `NodeID.raw` (the
    /// same facts, looked up faster): folded constants in run-time form,
    /// int → decimal conversions, resolutions.
    let constantOfNode: [RuntimeValue?]
    let toDecimalNode: [Bool]
    let resolutionOfNode: [Symbol?]

    /// Creates an oracle for a program that checked without errors, with
    /// empty state and the default capacities.
    public convenience init(program: CheckedProgram) {
        self.init(program: program, capacities: OracleCapacities())
    }

    /// Creates an oracle with the given table capacities.
    public init(program: CheckedProgram, capacities: OracleCapacities) {
        self.program = program
        self.capacities = capacities
        platform = OraclePlatform(program)
        schemasByName = Dictionary(program.schemas.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        fieldsBySchema = Dictionary(
            program.schemas.map { s in (s.name, Dictionary(s.fields.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })) },
            uniquingKeysWith: { a, _ in a })
        dataByName = Dictionary(program.data.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var tables: [String: CheckedTable] = [:]
        for d in program.data {
            if case .table(let t) = d.source { tables[d.name] = t }
        }
        tablesByName = tables
        var keyed: [String: [String: Int]] = [:]
        for (name, t) in tables {
            var index: [String: Int] = [:]
            for (i, row) in t.rows.enumerated() {
                if case .symbol(let k) = t.key(of: row), index[k] == nil { index[k] = i }
            }
            if index.count == t.rows.count { keyed[name] = index }
        }
        rowOfSymbolKey = keyed
        enumCases = Dictionary(program.enums.map { ($0.name, $0.cases) }, uniquingKeysWith: { a, _ in a })
        let count = 1 + Int(
            max(
                program.constants.keys.map(\.raw).max() ?? 0, program.conversions.keys.map(\.raw).max() ?? 0,
                program.resolutions.keys.map(\.raw).max() ?? 0, 0))
        var constants = [RuntimeValue?](repeating: nil, count: count)
        for (id, v) in program.constants where id.raw >= 0 {
            if case .row(let t)? = program.types[id], case .list(let cells) = v {
                constants[Int(id.raw)] = .row(table: t, cells: cells)
            } else {
                constants[Int(id.raw)] = RuntimeValue(v)
            }
        }
        var toDecimal = [Bool](repeating: false, count: count)
        for (id, t) in program.conversions where id.raw >= 0 && t == .decimal { toDecimal[Int(id.raw)] = true }
        var resolutions = [Symbol?](repeating: nil, count: count)
        for (id, r) in program.resolutions where id.raw >= 0 { resolutions[Int(id.raw)] = r }
        constantOfNode = constants
        toDecimalNode = toDecimal
        resolutionOfNode = resolutions
        bindDefaults()
    }

    /// Binds every bound declaration that declares a value (`bound "x" = […]`) to it.
    func bindDefaults() {
        for d in program.data {
            if case .table(let t) = d.source, t.binding != nil, t.boundEmptyDefault { bindRows(d.name, [:]) }
        }
        for d in program.data {
            guard case .bound(let b) = d.source, let v = d.boundDefault else { continue }
            var texts: [String] = []
            if case .list(let xs) = v { for x in xs { if case .symbol(let t) = x { texts.append(t) } else if case .string(let t) = x { texts.append(t) } } }
            if case .set(let xs) = v { for x in xs { if case .symbol(let t) = x { texts.append(t) } else if case .string(let t) = x { texts.append(t) } } }
            bind(b, symbols: texts)
        }
    }

    /// Supplies bound data (`data restricted: set<symbol> bound "restricted_symbols"`)
    /// under its binding name; replaces an earlier binding.
    public func bind(_ name: String, symbols: [String]) {
        let tables = program.data.filter { d in
            if case .table(let t) = d.source, t.binding == name { return true }
            return false
        }
        if !tables.isEmpty {
            // A bound table: an empty list binds it to no rows.
            if symbols.isEmpty { for d in tables { bindRows(d.name, [:]) } }
            return
        }
        var isString = false
        for d in program.data {
            if case .bound(let b) = d.source, b == name, case .list(.string) = d.type { isString = true }
            if case .bound(let b) = d.source, b == name, case .set(.string) = d.type { isString = true }
        }
        var values: [RuntimeValue] = []
        for s in symbols {
            let v: RuntimeValue = isString ? .string(s) : .symbol(s)
            if !values.contains(v) { values.append(v) }
        }
        bindings[name] = .list(values)
    }

    /// Processes one input line; returns the decision line for order events
    /// (new/modify/cancel) and malformed lines, nil otherwise.
    public func process(line: String) -> String? {
        lineNumber += 1
        // INTERPRETATION (Q9): a blank line is not an event; it is skipped without a decision.
        if line.allSatisfy(\.isWhitespace) { return nil }
        var reader = JSONReader(line)
        let document = reader.read()
        let fallbackID = reader.topLevelID ?? "line \(lineNumber)"
        guard let document else { return Decision.reject(id: fallbackID, reason: OracleMessages.notJSON.message).line }
        guard case .object(let members) = document else {
            return Decision.reject(id: fallbackID, reason: OracleMessages.notObject.message).line
        }
        // INTERPRETATION (Q12): a line with two `event` members is refused.
        if members.filter({ $0.key == "event" }).count > 1 {
            return Decision.reject(id: fallbackID, reason: OracleMessages.givenTwice("event").message).line
        }
        // A busted fill (`fill_cancel`) is recorded for the reports only: no
        // decision, no state; its `id`, `exec_id` and `ts` must read as the
        // fill schema's fields (else the line is refused).
        if case .string("fill_cancel")? = members.last(where: { $0.key == "event" })?.value {
            do {
                try checkFillCancel(members)
                return nil
            } catch {
                return Decision.reject(id: fallbackID, reason: error.message).line
            }
        }
        if platform.enabled, let ev = members.last(where: { $0.key == "event" }), case .string(let k) = ev.value,
            Oracle.platformEvents.contains(k)
        {
            return platformEvent(k, members).map { Decision.reject(id: fallbackID, reason: $0).line }
        }
        let event: InputEvent
        do {
            event = try decode(members)
        } catch {
            return Decision.reject(id: fallbackID, reason: error.message).line
        }
        switch event {
        case .order(let kind, let record):
            return decideOrder(kind, record, fallbackID: fallbackID).line
        case .cancel(let id, let ts):
            return cancel(id, ts).line
        case .fill(let r):
            fill(r)
        case .market(let r):
            market(r)
        case .control(let r):
            if case .enumCase(_, let action)? = r.fields["action"], action == "set" || action == "remove" {
                return tableControl(r, members, set: action == "set").map {
                    Decision.reject(id: fallbackID, reason: $0).line
                }
            }
            return control(r, fallbackID: fallbackID)
        }
        return nil
    }
}
