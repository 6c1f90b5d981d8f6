/// Everything the report generators of one day read: order events,
/// decisions, fills, kill-switch events and DR-level changes, with the
/// helpers that select a day and join fills to their orders.

/// The records of one day (or of any period), in no particular order.
public struct ReportInputs: Sendable {
    /// Order events.
    public var orders: [OrderRecord]
    /// The engine's decisions.
    public var decisions: [DecisionRecord]
    /// Executions.
    public var fills: [FillRecord]
    /// Kill switches set and cleared.
    public var killSwitches: [KillSwitchEvent]
    /// DR-level changes.
    public var drChanges: [DRLevelChange]
    /// Busted fills.
    public var fillCancels: [FillCancelRecord] = []
    /// Audit records skipped because they were not events (lines the engine refused).
    public var skipped = 0

    /// Creates inputs.
    public init(
        orders: [OrderRecord] = [], decisions: [DecisionRecord] = [], fills: [FillRecord] = [],
        killSwitches: [KillSwitchEvent] = [], drChanges: [DRLevelChange] = []
    ) {
        self.orders = orders
        self.decisions = decisions
        self.fills = fills
        self.killSwitches = killSwitches
        self.drChanges = drChanges
    }

    /// The records whose time falls on `date` (UTC).
    public func on(_ date: ReportDate) -> ReportInputs {
        var out = ReportInputs(
            orders: orders.filter { date.contains($0.timestamp) },
            decisions: decisions.filter { date.contains($0.timestamp) },
            fills: fills.filter { date.contains($0.timestamp) },
            killSwitches: killSwitches.filter { date.contains($0.timestamp) },
            drChanges: drChanges.filter { date.contains($0.timestamp) })
        out.fillCancels = fillCancels.filter { date.contains($0.timestamp) }
        return out
    }

    /// The records of orders on `venues`: their order events (a cancel goes
    /// with its order), the decisions on those orders, and the fills on those
    /// venues; kill-switch and DR events are kept. This is how a report
    /// definition's `select` on the venue reads for the generators.
    public func selecting(venues: Set<String>) -> ReportInputs {
        var ids = Set<String>()
        for o in orders where o.event != .cancel {
            if let v = o.venue, venues.contains(v) { ids.insert(o.id) }
        }
        var out = ReportInputs(
            orders: orders.filter { ids.contains($0.id) }, decisions: decisions.filter { ids.contains($0.orderID) },
            fills: fills.filter { venues.contains($0.venue) }, killSwitches: killSwitches, drChanges: drChanges)
        out.fillCancels = fillCancels
        return out
    }

    /// The busted fills among `fills` (by `exec_id`), each as the
    /// cancellation of its transaction at the bust's time; a bust of a fill
    /// that is not among them is left out.
    public func cancelledFills() -> [FillRecord] {
        guard !fillCancels.isEmpty else { return [] }
        var byExec: [String: FillRecord] = [:]
        for f in fills where !f.isCancellation { byExec[f.execID] = f }
        var seen = Set<String>()
        return fillCancels.compactMap { c in
            guard let f = byExec[c.execID], seen.insert(c.execID).inserted else { return nil }
            return c.cancelling(f)
        }
    }

    /// The fills, each with the side, symbol and ISIN of its order's latest
    /// `new` or `modify` event (when that event is among the orders).
    public func joinedFills() -> [FillRecord] {
        var latest: [String: OrderRecord] = [:]
        for o in orders where o.event != .cancel {
            if let prev = latest[o.id], prev.timestamp > o.timestamp { continue }
            latest[o.id] = o
        }
        return fills.map { f in latest[f.orderID].map { f.joined(with: $0) } ?? f }
    }

    /// Reads a stream of JSON lines: order, fill and control events of the
    /// input contract, `dr_level` events, and decision lines (those with a
    /// `verdict`); a decision without `ts` takes the time of the last order
    /// event with its id. Blank lines are skipped; the first bad line fails,
    /// naming its number.
    public static func decode(lines text: String) throws(ReportError) -> ReportInputs {
        var inputs = ReportInputs()
        var lastOrderTime: [String: Int64] = [:]
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            do {
                let json = try JSONValue.parse(String(line))
                if json["verdict"] != nil {
                    let id: String? = if case .string(let s)? = json["id"] { s } else { nil }
                    inputs.decisions.append(try DecisionRecord(json: json, timestamp: id.flatMap { lastOrderTime[$0] }))
                    continue
                }
                guard case .string(let event)? = json["event"] else {
                    throw ReportError.badInput(what: "event", message: "missing field `event`")
                }
                switch event {
                case "new", "modify", "cancel":
                    let o = try OrderRecord(json: json)
                    lastOrderTime[o.id] = o.timestamp
                    inputs.orders.append(o)
                case "fill": inputs.fills.append(try FillRecord(json: json))
                case "fill_cancel": inputs.fillCancels.append(try FillCancelRecord(json: json))
                case "control":
                    if KillSwitchEvent.isKillSwitch(json) { inputs.killSwitches.append(try KillSwitchEvent(json: json)) }
                case "dr_level": inputs.drChanges.append(try DRLevelChange(json: json))
                case "market": continue
                default: throw ReportError.badInput(what: "event", message: "unknown event `\(event)`")
                }
            } catch let e as JSONParseError {
                throw ReportError.badInput(what: "line \(lineNumber)", message: "not valid JSON: \(e)")
            } catch let e as ReportError {
                throw ReportError.badInput(what: "line \(lineNumber)", message: e.description)
            } catch {
                throw ReportError.badInput(what: "line \(lineNumber)", message: "\(error)")
            }
        }
        return inputs
    }
}
