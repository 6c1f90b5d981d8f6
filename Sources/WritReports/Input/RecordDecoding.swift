/// Reading the reports' typed records from JSON: the input contract's event
/// lines (`new`, `modify`, `cancel`, `fill`, `control`), the engine's
/// decision lines, and DR-level changes. Decimals are read exactly; a
/// problem names the field, as the engine does.
import WritValue

/// Reads fields of one JSON object with messages that name them.
struct FieldReader {
    let object: JSONValue
    let what: String

    func fail(_ message: String) -> ReportError { .badInput(what: what, message: message) }

    func string(_ name: String) throws(ReportError) -> String? {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let v?: throw fail("field `\(name)` must be a string, not \(v.kindName)")
        }
    }

    func required(_ name: String) throws(ReportError) -> String {
        guard let s = try string(name) else { throw fail("missing field `\(name)`") }
        return s
    }

    func decimal(_ name: String) throws(ReportError) -> Fixed? {
        let text: String
        switch object[name] {
        case nil, .null?: return nil
        case .string(let s)?: text = s
        case .number(let n)?: text = n
        case let v?: throw fail("field `\(name)` must be a decimal string or a number, not \(v.kindName)")
        }
        guard let f = Fixed.parse(bytes: Array(text.utf8)) else {
            throw fail("field `\(name)` is not a decimal: `\(text)`")
        }
        return f
    }

    func requiredDecimal(_ name: String) throws(ReportError) -> Fixed {
        guard let f = try decimal(name) else { throw fail("missing field `\(name)`") }
        return f
    }

    func timestamp(_ name: String) throws(ReportError) -> Int64? {
        guard let s = try string(name) else { return nil }
        guard let ns = RFC3339.nanoseconds(s) else {
            throw fail("field `\(name)` is not an RFC 3339 timestamp: `\(s)`")
        }
        return ns
    }

    func requiredTimestamp(_ name: String) throws(ReportError) -> Int64 {
        guard let ns = try timestamp(name) else { throw fail("missing field `\(name)`") }
        return ns
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ name: String, _: E.Type) throws(ReportError) -> E?
    where E.RawValue == String {
        guard let s = try string(name) else { return nil }
        guard let e = E(rawValue: s) else {
            let cases = E.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            throw fail("field `\(name)` is not one of \(cases): `\(s)`")
        }
        return e
    }

    func strings(_ name: String) throws(ReportError) -> [String] {
        switch object[name] {
        case nil, .null?: return []
        case .array(let items)?:
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw fail("field `\(name)` must be a list of strings") }
                out.append(s)
            }
            return out
        case let v?: throw fail("field `\(name)` must be a list of strings, not \(v.kindName)")
        }
    }
}

extension FillRecord {
    /// Reads a `fill` event of the input contract (the `event` member is not checked).
    public init(json: JSONValue) throws(ReportError) {
        let r = FieldReader(object: json, what: "fill event")
        self.init(
            orderID: try r.required("id"), execID: try r.required("exec_id"), timestamp: try r.requiredTimestamp("ts"),
            quantity: try r.requiredDecimal("qty"), price: try r.requiredDecimal("price"),
            currency: try r.required("currency"), venue: try r.required("venue"),
            venueTransactionID: try r.string("venue_tx_id"), isin: try r.string("isin"), buyer: try r.string("buyer"),
            seller: try r.string("seller"), capacity: try r.enumeration("capacity", TradingCapacity.self),
            decisionMaker: try r.string("decision_maker"), executor: try r.string("executor"),
            countryOfBranch: try r.string("country_of_branch"), side: try r.enumeration("side", OrderSide.self),
            symbol: try r.string("symbol"))
    }
}

extension OrderRecord {
    /// Reads a `new`, `modify` or `cancel` event of the input contract.
    public init(json: JSONValue) throws(ReportError) {
        let r = FieldReader(object: json, what: "order event")
        guard let event = try r.enumeration("event", OrderEventKind.self) else { throw r.fail("missing field `event`") }
        let id = try r.required("id")
        let ts = try r.requiredTimestamp("ts")
        if event == .cancel {
            self.init(event: .cancel, id: id, timestamp: ts)
            return
        }
        self.init(
            event: event, id: id, timestamp: ts, account: try r.string("account"), client: try r.string("client"),
            clientCountry: try r.string("client_country"), trader: try r.string("trader"), desk: try r.string("desk"),
            algo: try r.string("algo"), symbol: try r.string("symbol"), isin: try r.string("isin"),
            venue: try r.string("venue"), side: try r.enumeration("side", OrderSide.self),
            quantity: try r.decimal("qty"), price: try r.decimal("price"),
            orderType: try r.enumeration("ord_type", OrderType.self), currency: try r.string("currency"),
            locateID: try r.string("locate_id"), timeInForce: try r.string("tif"))
    }
}

extension DecisionRecord {
    /// Reads an engine decision line
    /// (`{"id":…,"verdict":…,"jurisdictions":[…],"rules":[…],"reasons":[…],"citations":[…]}`).
    /// Its time is its `ts` member if it has one, else `timestamp`. An optional
    /// `severities` list gives each rule's severity.
    public init(json: JSONValue, timestamp: Int64? = nil) throws(ReportError) {
        let r = FieldReader(object: json, what: "decision")
        let id = try r.required("id")
        guard let verdict = try r.enumeration("verdict", DecisionVerdict.self) else {
            throw r.fail("missing field `verdict`")
        }
        guard let ts = try r.timestamp("ts") ?? timestamp else { throw r.fail("decision `\(id)` has no time") }
        let rules = try r.strings("rules")
        let reasons = try r.strings("reasons")
        let citations = try r.strings("citations")
        let severities = try r.strings("severities")
        var fired: [FiredRuleRecord] = []
        for (i, rule) in rules.enumerated() {
            fired.append(
                FiredRuleRecord(
                    rule: rule, severity: i < severities.count ? RuleSeverity(rawValue: severities[i]) : nil,
                    reason: i < reasons.count ? reasons[i] : "", citation: i < citations.count ? citations[i] : nil))
        }
        // A refused line has a reason but no rule.
        let problem = rules.isEmpty && verdict == .reject ? reasons.first : nil
        self.init(
            orderID: id, timestamp: ts, verdict: verdict, jurisdictions: try r.strings("jurisdictions"), rules: fired,
            problem: problem)
    }
}

extension KillSwitchEvent {
    /// Whether a `control` event sets or clears a kill switch (`kill`,
    /// `unkill`); a latch `reset` and a bound table's `set` or `remove` are
    /// controls of another kind, kept in the audit trail but not kill switches.
    public static func isKillSwitch(_ json: JSONValue) -> Bool {
        guard case .string(let action)? = json["action"] else { return true }
        return action != "reset" && action != "set" && action != "remove"
    }

    /// Reads a `control` event of the input contract.
    public init(json: JSONValue) throws(ReportError) {
        let r = FieldReader(object: json, what: "control event")
        self.init(
            timestamp: try r.requiredTimestamp("ts"), action: try r.required("action"), scope: try r.required("scope"),
            key: try r.required("key"))
    }
}

extension DRLevelChange {
    /// Reads `{"event":"dr_level","ts":…,"from":"full","to":"essential","reason":…}`;
    /// without `ts`, its time is `timestamp`.
    public init(json: JSONValue, timestamp: Int64? = nil) throws(ReportError) {
        let r = FieldReader(object: json, what: "DR-level change")
        guard let ts = try r.timestamp("ts") ?? timestamp else { throw r.fail("missing field `ts`") }
        self.init(timestamp: ts, from: try r.string("from"), to: try r.required("to"), reason: try r.string("reason"))
    }
}
