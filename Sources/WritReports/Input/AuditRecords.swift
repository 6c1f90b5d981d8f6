/// Reading the reports' records from the audit store's records (see
/// docs/audit.md): order events, fills and kill-switch controls are stored
/// as the input lines received; a decision as
/// `{"bundle":"<sha256>","decision":<decision line>}` at its event's time;
/// a DR-level change as its JSON. WritReports does not depend on WritAudit:
/// the caller reads the store and hands each record's kind, time and
/// payload over.

extension ReportInputs {
    /// Adds one audit record: `kind` is the store's `kind` column
    /// (`order_event`, `decision`, `fill`, `kill_switch`, `dr_level`;
    /// `bundle_load` is ignored), `timestamp` its `ts` column (RFC 3339) and
    /// `payload` its bytes. An order event, fill or busted fill that cannot
    /// be read (a line the engine refused, recorded as received; a fill of
    /// no quantity or less) is counted in `skipped`, not added: the engine
    /// refused it too. Anything else that cannot be read is an error naming
    /// the record.
    public mutating func add(auditKind kind: String, timestamp: String, payload: [UInt8], seq: Int64? = nil)
        throws(ReportError)
    {
        let what = seq.map { "audit record \($0)" } ?? "audit record"
        let text = String(decoding: payload, as: UTF8.self)
        func json() throws(ReportError) -> JSONValue {
            do {
                return try JSONValue.parse(text)
            } catch {
                throw ReportError.badInput(what: what, message: "its payload is not valid JSON: \(error)")
            }
        }
        let ts = RFC3339.nanoseconds(timestamp)
        do throws(ReportError) {
            switch kind {
            case "order_event":
                guard let value = try? JSONValue.parse(text), let order = try? OrderRecord(json: value) else {
                    skipped += 1
                    return
                }
                orders.append(order)
            case "fill":
                // Like an order event: a fill or busted fill the engine
                // refused (a missing or malformed field, a quantity not above
                // 0) is recorded as received; it changed nothing and is not
                // a transaction. It is counted in `skipped`, so that one
                // broken line cannot keep a day from being reported.
                func skip() { skipped += 1 }
                guard let value = try? JSONValue.parse(text) else { return skip() }
                if case .string("fill_cancel")? = value["event"] {
                    guard let c = try? FillCancelRecord(json: value) else { return skip() }
                    fillCancels.append(c)
                } else {
                    guard let f = try? FillRecord(json: value), f.quantity.raw > 0 else { return skip() }
                    fills.append(f)
                }
            case "kill_switch":
                let value = try json()
                if KillSwitchEvent.isKillSwitch(value) { killSwitches.append(try KillSwitchEvent(json: value)) }
            case "dr_level": drChanges.append(try DRLevelChange(json: try json(), timestamp: ts))
            case "decision":
                let value = try json()
                guard let decision = value["decision"] else {
                    throw ReportError.badInput(what: what, message: "a decision record has no `decision` member")
                }
                decisions.append(try DecisionRecord(json: decision, timestamp: ts))
            case "bundle_load": return
            default: throw ReportError.badInput(what: what, message: "unknown kind `\(kind)`")
            }
        } catch {
            if case .badInput(let w, _) = error, w == what { throw error }
            throw ReportError.badInput(what: what, message: error.description)
        }
    }
}
