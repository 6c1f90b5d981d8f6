/// Decoding of input lines into records, driven by the program's schemas
/// (field names, types, optionality, derived defaults, the currency field
/// of money): nothing about the input contract is hard-coded but the event
/// kinds and which schema each one fills.

import WritSema
import WritSyntax
import WritValue

/// A decoded input line.
enum InputEvent {
    /// A `new` or `modify`: the order record.
    case order(kind: String, record: Record)
    /// A `cancel`: the order's id, at `ts`.
    case cancel(id: String, ts: Int64)
    /// A `fill`: the fill record.
    case fill(Record)
    /// A `market` event: the fields it carries (derived defaults included).
    case market(Record)
    /// A `control` event.
    case control(Record)
}

extension Oracle {
    /// The schema each event kind fills (docs/input-contract.md).
    static let schemaOfEvent: [String: String] = [
        "new": "order", "modify": "order", "cancel": "order", "fill": "fill", "market": "market", "control": "control",
    ]

    /// Decodes a JSON object into an event.
    func decode(_ members: [JSONValue.Member]) throws(DecodeError) -> InputEvent {
        guard let ev = members.last(where: { $0.key == "event" }) else { throw OracleMessages.missing("event") }
        guard case .string(let kind) = ev.value else { throw OracleMessages.mustBe("event", "a string") }
        guard let schemaName = Oracle.schemaOfEvent[kind], let schema = schemasByName[schemaName] else {
            throw OracleMessages.unknownEvent(kind)
        }
        switch kind {
        case "cancel":
            // A cancel carries the order's id and its time; anything else is ignored.
            let r = try decodeRecord(members, schema, only: ["id", "ts"], kind: kind)
            guard case .timestamp(let ts)? = r.fields["ts"] else { throw OracleMessages.missing("ts") }
            return .cancel(id: keyText(r.fields["id"] ?? .null), ts: ts)
        case "new", "modify":
            return .order(kind: kind, record: try decodeRecord(members, schema, only: nil, kind: kind))
        case "fill":
            // INTERPRETATION (Q2): an execution is of a positive quantity; a
            // fill of 0 or less is refused (a negative one would lower a position).
            let r = try decodeRecord(members, schema, only: nil, kind: kind)
            if case .decimal(let q)? = r.fields["qty"], q.raw <= 0 { throw OracleMessages.notPositive("qty") }
            return .fill(r)
        case "market":
            return .market(try decodeRecord(members, schema, only: nil, kind: kind))
        default:
            return .control(try decodeRecord(members, schema, only: nil, kind: kind))
        }
    }

    /// Checks a `fill_cancel`'s `id`, `exec_id` and `ts` as fields of the
    /// fill schema (only those; a program without a fill schema checks nothing).
    func checkFillCancel(_ members: [JSONValue.Member]) throws(DecodeError) {
        guard let schema = schemasByName["fill"] else { return }
        _ = try decodeRecord(members, schema, only: ["id", "exec_id", "ts"], kind: "fill_cancel")
    }

    /// The value of a money field still waiting for its currency.
    private enum Decoded {
        case value(RuntimeValue)
        case amount(Fixed)
    }

    /// Decodes the members that are fields of `schema` (`only`: just these
    /// fields), checks required fields, computes derived defaults and gives
    /// money fields their currency.
    ///
    /// INTERPRETATION (Q12): members that are not fields of the schema are
    /// ignored; a JSON `null` is an absent field; problems are found in line
    /// order, then missing fields in schema order.
    /// INTERPRETATION (Q13): a money field takes the currency of its
    /// sibling field in the same line (given or derived); without one the
    /// line cannot be decoded (``field `reference` has no currency``).
    private func decodeRecord(_ members: [JSONValue.Member], _ schema: CheckedSchema, only: Set<String>?, kind: String)
        throws(DecodeError) -> Record
    {
        var values: [String: Decoded] = [:]
        let fields = fieldsBySchema[schema.name] ?? [:]
        var given = Set<String>()
        for m in members where m.key != "event" {
            guard only?.contains(m.key) ?? true, let f = fields[m.key] else { continue }
            // INTERPRETATION (Q12): a field given twice is refused at its second member.
            guard given.insert(m.key).inserted else { throw OracleMessages.givenTwice(m.key) }
            if m.value == .null {
                values[m.key] = nil
                continue
            }
            values[m.key] = try decodeField(f, m.value)
        }
        // The event kind is the order's `event` field.
        if let f = fields["event"], case .enumeration(let en) = f.type, enumCases[en]?.contains(kind) == true {
            values["event"] = .value(.enumCase(type: en, case: kind))
        }
        for f in schema.fields where only?.contains(f.name) ?? true {
            if values[f.name] == nil && !f.isOptional && f.defaultValue == nil { throw OracleMessages.missing(f.name) }
        }
        var record = Record(schema: schema.name, fields: [:])
        for (name, d) in values {
            if case .value(let v) = d { record.fields[name] = v }
        }
        if only == nil { computeDefaults(&record, schema) }
        for (name, d) in values {
            guard case .amount(let a) = d, let f = fields[name] else { continue }
            guard let cf = f.currencyField, case .symbol(let c)? = record.fields[cf] else { throw OracleMessages.noCurrency(name) }
            record.fields[name] = .money(a, currency: c)
        }
        return record
    }

    /// One field's value from its JSON.
    private func decodeField(_ f: CheckedField, _ json: JSONValue) throws(DecodeError) -> Decoded {
        let name = f.name
        func string() throws(DecodeError) -> String {
            guard case .string(let s) = json else { throw OracleMessages.mustBe(name, "a string") }
            return s
        }
        // INTERPRETATION (Q12): a text field (string, symbol, currency) with a
        // control character (escaped: raw ones are not JSON) is refused.
        func text(id: Bool) throws(DecodeError) -> String {
            let s = try string()
            if s.unicodeScalars.contains(where: { $0.value < 0x20 }) { throw OracleMessages.controlCharacter(name) }
            // INTERPRETATION (Q12): so is one that prints as nothing: DEL and the
            // C1 controls, the soft hyphen, zero-width, bidi and other invisible
            // format characters, the byte-order mark.
            let invisible: [ClosedRange<UInt32>] = [
                0x7F...0x9F, 0xAD...0xAD, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x2069,
                0xFEFF...0xFEFF,
            ]
            if let c = s.unicodeScalars.first(where: { c in invisible.contains { $0.contains(c.value) } }) {
                throw OracleMessages.invisibleCharacter(name, c)
            }
            // An id (a symbol or currency) padded with a space: another id than the one a kill names.
            let spaces: Set<UInt32> = [0x20, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000]
            func isSpace(_ c: Unicode.Scalar) -> Bool { spaces.contains(c.value) || (0x2000...0x200A).contains(c.value) }
            if id, let c = [s.unicodeScalars.first, s.unicodeScalars.last].compactMap({ $0 }).first(where: isSpace) {
                throw OracleMessages.edgeSpace(name, c)
            }
            return s
        }
        func decimal() throws(DecodeError) -> Fixed {
            let text: String
            switch json {
            case .string(let s), .number(let s): text = s
            default: throw OracleMessages.mustBe(name, "a decimal string or a number")
            }
            guard let d = Fixed.parse(bytes: Array(text.utf8)) else { throw OracleMessages.notDecimal(name, text) }
            return d
        }
        func integer() throws(DecodeError) -> Int64 {
            guard case .number(let text) = json else { throw OracleMessages.mustBe(name, "an integer") }
            guard let i = Int64(text) else { throw OracleMessages.notInteger(name, text) }
            return i
        }
        switch f.type {
        case .bool:
            guard case .bool(let b) = json else { throw OracleMessages.mustBe(name, "true or false") }
            return .value(.bool(b))
        case .int:
            return .value(.int(try integer()))
        case .decimal:
            return .value(.decimal(try decimal()))
        case .money(.fixed(let c)):
            return .value(.money(try decimal(), currency: c))
        case .money(.dynamic):
            guard f.currencyField != nil else { throw OracleMessages.notInEvents(name) }
            return .amount(try decimal())
        case .percent:
            // INTERPRETATION (Q11): a percent field carries the number of percent (`"5"` is 5%).
            guard let p = try decimal().divided(by: Fixed(100)) else { throw OracleMessages.notDecimal(name, "\(json)") }
            return .value(.percent(p))
        case .string:
            return .value(.string(try text(id: false)))
        case .symbol, .currency:
            return .value(.symbol(try text(id: true)))
        case .timestamp:
            let s = try string()
            guard let ns = TimeText.parseTimestamp(s) else { throw OracleMessages.notTimestamp(name, s) }
            return .value(.timestamp(ns))
        case .duration:
            return .value(.duration(try integer()))
        case .enumeration(let en):
            let s = try string()
            guard enumCases[en]?.contains(s) == true else { throw OracleMessages.notCase(name, en, s) }
            return .value(.enumCase(type: en, case: s))
        default:
            throw OracleMessages.notInEvents(name)
        }
    }

    /// Computes the derived default of every absent field that has one,
    /// siblings it reads first.
    ///
    /// INTERPRETATION (Q14): a default that cannot be evaluated (a market
    /// event for a venue the venues table does not have) leaves its field
    /// absent; reading it is then an evaluation error.
    private func computeDefaults(_ record: inout Record, _ schema: CheckedSchema) {
        var attempted: Set<String> = []
        func compute(_ f: CheckedField) {
            guard record.fields[f.name] == nil, let d = f.defaultValue, attempted.insert(f.name).inserted else { return }
            for g in siblingReads(d, schema: schema.name) {
                if let gf = schema.field(g) { compute(gf) }
            }
            let s = EvalScope(records: [:], building: record, event: EventContext(ts: 0, kind: "", previous: nil))
            if let v = try? eval(d, s) { record.fields[f.name] = v }
        }
        for f in schema.fields { compute(f) }
    }

    /// The sibling fields a default reads by bare name.
    private func siblingReads(_ e: Expr, schema: String) -> [String] {
        var out: [String] = []
        func walk(_ x: Expr) {
            switch x.kind {
            case .identifier:
                if case .field(let s, let f)? = program.resolutions[x.id], s == schema { out.append(f) }
            case .select(let b, _): walk(b)
            case .index(let b, let i):
                walk(b)
                walk(i)
            case .call(let t, _, let args):
                if let t { walk(t) }
                args.forEach(walk)
            case .unary(_, let a): walk(a)
            case .binary(_, let a, let b):
                walk(a)
                walk(b)
            case .conditional(let a, let b, let c):
                walk(a)
                walk(b)
                walk(c)
            case .list(let xs), .tuple(let xs): xs.forEach(walk)
            case .map(let es):
                for en in es {
                    walk(en.key)
                    walk(en.value)
                }
            case .literal, .error: break
            }
        }
        walk(e)
        return out
    }
}
