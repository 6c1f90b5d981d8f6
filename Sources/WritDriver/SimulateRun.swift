/// `writ simulate SCENARIO`: replays a scenario — JSON lines of timed
/// platform events and orders (`"at":"90s"`) — through the engine and
/// reports the DR level timeline, the routes in force after each change,
/// RTO, RPO per replication tier and the gated orders (docs/platform.md,
/// "Simulating a scenario").

import Foundation
import WritEngine
import WritIR
import WritReports
import WritSyntax
import WritValue

/// The outcome of a simulation.
public struct SimulationReport: Sendable {
    /// A level change: seconds since the scenario's start, and the level.
    public struct Step: Sendable, Hashable {
        public var at: Int64
        public var level: String
    }
    /// Routes that changed at one moment.
    public struct RouteChange: Sendable, Hashable {
        public var at: Int64
        /// (order class, cluster before, cluster after); nil: no cluster.
        public var changes: [(order: String, from: String?, to: String?)]
        public static func == (a: RouteChange, b: RouteChange) -> Bool {
            a.at == b.at && a.changes.map { "\($0.order)|\($0.from ?? "")|\($0.to ?? "")" }
                == b.changes.map { "\($0.order)|\($0.from ?? "")|\($0.to ?? "")" }
        }
        public func hash(into h: inout Hasher) { h.combine(at) }
    }
    /// An order's decision.
    public struct Order: Sendable, Hashable {
        public var at: Int64
        public var id: String
        public var verdict: String
        public var route: String?
        public var level: String?
        public var gated: Bool
        public var reasons: [String]
    }

    /// The scenario's path.
    public var scenario: String
    /// The number of lines that were events.
    public var events = 0
    /// The DR level at the start, then every change (times in nanoseconds since the start).
    public var timeline: [Step] = []
    /// Order classes routed at the start, by cluster.
    public var initialRoutes: [(cluster: String, classes: Int)] = []
    /// Route changes.
    public var routeChanges: [RouteChange] = []
    /// Decisions of the scenario's orders and cancels.
    public var orders: [Order] = []
    /// RTO in nanoseconds: the longest outage (detection delay included); nil when an outage never ended.
    public var rto: Int64?
    /// When the first failure happened (nil: the scenario has none).
    public var failureAt: Int64?
    /// RPO per tier in nanoseconds, in declaration order: the data at risk —
    /// for a synchronous tier 0, or the largest lag reported for it; for
    /// any other tier the larger of its budget and the largest lag reported.
    public var rpo: [(tier: String, nanos: Int64, synchronous: Bool)] = []
    /// The report's targets.
    public static let rtoTarget: Int64 = 30_000_000_000
    public static let rpoTarget: Int64 = 5_000_000_000

    /// Ids of the gated orders.
    public var gated: [String] { orders.filter(\.gated).map(\.id) }
    public var rtoMet: Bool { rto.map { $0 <= SimulationReport.rtoTarget } ?? false }
    public var rpoMet: Bool { rpo.allSatisfy { $0.nanos <= SimulationReport.rpoTarget } }

    /// Seconds as a JSON number or a text, exact to the nanosecond (`90`, `0.05`, `0.000000005`).
    static func seconds(_ ns: Int64) -> String {
        let whole = (ns < 0 ? "-" : "") + String(ns.magnitude / 1_000_000_000)
        let fraction = ns.magnitude % 1_000_000_000
        guard fraction != 0 else { return whole }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return whole + "." + digits
    }
    static func secondsText(_ ns: Int64) -> String { seconds(ns) + "s" }
    /// A time for the text's first column: padded to 9 characters, never cut (`0.00000001s` stays whole).
    static func column(_ ns: Int64) -> String {
        let s = secondsText(ns)
        return s + String(repeating: " ", count: Swift.max(0, 9 - s.count))
    }

    /// The human-readable report.
    public var text: String {
        var out = "scenario \(scenario): \(events) events, \(orders.count) orders\n"
        out += "DR level timeline\n"
        for s in timeline { out += "  \(SimulationReport.column(s.at)) \(s.level)\n" }
        if !initialRoutes.isEmpty {
            out += "routes at the start: "
                + initialRoutes.map { "\($0.cluster) (\($0.classes))" }.joined(separator: ", ") + "\n"
        }
        for c in routeChanges {
            out += "routes at \(SimulationReport.secondsText(c.at)): \(c.changes.count) order class\(c.changes.count == 1 ? "" : "es") changed\n"
            for x in c.changes.prefix(12) {
                out += "  \(x.order): \(x.from ?? "no cluster") -> \(x.to ?? "no cluster")\n"
            }
            if c.changes.count > 12 { out += "  … and \(c.changes.count - 12) more\n" }
        }
        out += "orders\n"
        for o in orders {
            out += "  \(SimulationReport.column(o.at)) \(o.id) \(o.verdict)"
                + " route \(o.route ?? "none") level \(o.level ?? "-")"
                + (o.gated ? " GATED: \(o.reasons.last ?? "")" : "") + "\n"
        }
        out += "gated: \(gated.isEmpty ? "none" : gated.joined(separator: ", "))\n"
        let rtoText = rto.map { SimulationReport.secondsText($0) } ?? "not restored"
        out += "RTO \(rtoText) (target 30s: \(rtoMet ? "met" : "missed"))"
            + (failureAt == nil ? " — no failure in the scenario" : "") + "\n"
        out += "RPO "
            + rpo.map {
                "\($0.tier) \(SimulationReport.secondsText($0.nanos))" + ($0.synchronous && $0.nanos > 0 ? " (synchronous, but lagged)" : "")
            }.joined(separator: ", ")
            + " (target 5s: \(rpoMet ? "met" : "missed"))\n"
        return out
    }

    /// One JSON object.
    public var json: String {
        func q(_ s: String) -> String { JSONText.quote(s) }
        func opt(_ s: String?) -> String { s.map(q) ?? "null" }
        var parts: [String] = []
        parts.append("\"scenario\":\(q(scenario))")
        parts.append(
            "\"timeline\":[" + timeline.map { "{\"at\":\(SimulationReport.seconds($0.at)),\"level\":\(q($0.level))}" }
                .joined(separator: ",") + "]")
        parts.append(
            "\"routes\":[" + routeChanges.map { c in
                "{\"at\":\(SimulationReport.seconds(c.at)),\"changes\":["
                    + c.changes.map { "{\"order\":\(q($0.order)),\"from\":\(opt($0.from)),\"to\":\(opt($0.to))}" }
                    .joined(separator: ",") + "]}"
            }.joined(separator: ",") + "]")
        parts.append("\"rto_s\":" + (rto.map(SimulationReport.seconds) ?? "null"))
        parts.append(
            "\"rpo\":{" + rpo.map { "\(q($0.tier)):\(SimulationReport.seconds($0.nanos))" }.joined(separator: ",") + "}")
        parts.append("\"gated\":[" + gated.map(q).joined(separator: ",") + "]")
        parts.append(
            "\"orders\":[" + orders.map { o in
                "{\"at\":\(SimulationReport.seconds(o.at)),\"id\":\(q(o.id)),\"verdict\":\(q(o.verdict)),"
                    + "\"route\":\(opt(o.route)),\"dr_level\":\(opt(o.level)),\"gated\":\(o.gated)}"
            }.joined(separator: ",") + "]")
        parts.append("\"targets\":{\"rto_s\":30,\"rpo_s\":5}")
        parts.append("\"rto_met\":\(rtoMet)")
        parts.append("\"rpo_met\":\(rpoMet)")
        return "{" + parts.joined(separator: ",") + "}"
    }
}

/// Runs scenarios.
public enum SimulateRun {
    /// The scenario's time zero: 2026-11-27T14:30:00Z.
    public static let start: Int64 = (Value.days(year: 2026, month: 11, day: 27) * 86_400 + 52_200) * 1_000_000_000

    /// Platform events that are failures (the RTO is measured from the first one).
    static let failures: Set<String> = [
        "cluster_down", "link_down", "security_incident", "regulatory_halt", "replication_lag",
    ]

    /// The longest a scenario may run: a year (its times are kept in nanoseconds from `start`).
    public static let longest: Int64 = 366 * 86_400 * 1_000_000_000

    /// A duration as the language writes it (`90s`, `500ms`, `2.5s`), or
    /// several with units from the longest to the shortest (`1m30s`); nil
    /// if it is not one, is not a whole number of nanoseconds (`1.5ns`), or
    /// is longer than an `Int64` of nanoseconds.
    public static func duration(_ text: String) -> Int64? { try? exactDuration(text) }

    /// Why a text is not a duration.
    enum DurationError: Error {
        /// Not a duration at all (or longer than an `Int64` of nanoseconds).
        case notADuration
        /// A duration with a fraction of a nanosecond; `below` is the whole nanoseconds under it.
        case fractionOfANanosecond(below: Int64)
    }

    /// ``duration(_:)``, saying why a text is not one.
    static func exactDuration(_ text: String) throws(DurationError) -> Int64 {
        // From the longest; a unit is the whole run of letters, so `ms` is never read as `m`.
        let units: [(String, Int64)] = [
            ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000),
            ("ms", 1_000_000), ("us", 1_000), ("ns", 1),
        ]
        var rest = Substring(text)
        var total: Int64 = 0
        var previous = Int64.max
        var fraction = false
        guard !rest.isEmpty else { throw .notADuration }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            // Each unit once, from the longest to the shortest: `1h1h` and `500ms1s` are not durations.
            guard !number.isEmpty, let scale = units.first(where: { $0.0 == unit })?.1, scale < previous,
                let f = Fixed.parse(bytes: Array(number.utf8))
            else { throw .notADuration }
            previous = scale
            let (product, o) = f.raw.multipliedReportingOverflow(by: Int128(scale))
            guard !o, let v = Int64(exactly: product / Fixed.one) else { throw .notADuration }
            if product % Fixed.one != 0 { fraction = true }
            let (sum, o2) = total.addingReportingOverflow(v)
            guard !o2 else { throw .notADuration }
            total = sum
        }
        if fraction { throw .fractionOfANanosecond(below: total) }
        return total
    }

    /// The nanoseconds of a JSON number of seconds, read exactly from its
    /// text (`90`, `0.5`, `1e-8`, `1.5E2`): nil when it has more than 8
    /// decimals; `Int64.min` or `Int64.max` when it is too large to say.
    static func nanoseconds(seconds text: String) -> Int64? {
        // JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, the caller's parser has checked it.
        let b = Array(text.utf8)
        var i = 0
        let negative = b.first == UInt8(ascii: "-")
        if negative { i = 1 }
        var digits: [UInt8] = []  // integer and fraction, without the point
        var decimals = 0  // the value is `digits` × 10^-decimals
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
            digits.append(b[i] - 0x30)
            i += 1
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                digits.append(b[i] - 0x30)
                decimals += 1
                i += 1
            }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            let negativeExponent = i < b.count && b[i] == UInt8(ascii: "-")
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            var exponent = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                // Far beyond any time: kept from overflowing, the outcome is the same.
                exponent = Swift.min(exponent * 10 + Int(b[i] - 0x30), 1_000_000_000)
                i += 1
            }
            decimals += negativeExponent ? exponent : -exponent
        }
        // Trailing zeros are no decimals (`0.500000000000` has one, `1e-8` eight); a zero has none.
        while digits.last == 0 {
            digits.removeLast()
            decimals -= 1
        }
        let first = digits.firstIndex { $0 != 0 } ?? digits.endIndex
        guard first < digits.endIndex else { return 0 }
        guard decimals <= 8 else { return nil }
        // Nanoseconds: the digits × 10^(9 - decimals); at most 19 digits fit.
        let scale = 9 - decimals
        let tooLarge: Int64 = negative ? .min : .max
        guard digits.count - first + scale <= 19 else { return tooLarge }
        var ns: Int64 = 0
        for d in digits[first...] + repeatElement(0, count: scale) {
            let (m, o1) = ns.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return tooLarge }
            ns = a
        }
        return negative ? -ns : ns
    }

    /// The time of a scenario line's `at`: a duration text or a JSON number of seconds.
    static func at(_ value: JSONValue, _ where_: String) throws(UsageError) -> Int64 {
        let help = "a duration such as `90s` or `1m30s`, or a number of seconds such as `90` or `0.5`"
        let ns: Int64
        let given: String
        switch value {
        case .string(let s):
            do {
                ns = try exactDuration(s)
            } catch .fractionOfANanosecond(let below) {
                throw UsageError(
                    "\(where_): field `at` is `\(s)`, not a whole number of nanoseconds (the finest time): "
                        + "give `\(below)ns` or `\(below + 1)ns`")
            } catch {
                throw UsageError("\(where_): field `at` is not a duration: `\(s)`; give \(help)")
            }
            given = "`\(s)`"
        case .number(let text):
            guard let v = nanoseconds(seconds: text) else {
                throw UsageError(
                    "\(where_): field `at` is \(text) seconds: give a number of seconds with at most 8 decimals, such as `90` or `0.5`")
            }
            ns = v
            given = "\(text) seconds"
        default:
            throw UsageError("\(where_): field `at` must be \(help)")
        }
        guard ns >= 0 else {
            throw UsageError("\(where_): field `at` is \(given), before the scenario's start; times count from 0s")
        }
        guard ns <= longest else {
            throw UsageError("\(where_): field `at` is \(given), past the longest scenario (a year)")
        }
        return ns
    }

    /// Replays the scenario at `path` through `engine`.
    /// - Throws: `UsageError` naming the line and the field for a line that
    ///   is not a scenario line or that the engine refused.
    public static func run(engine: Engine, path: String, detection: Int64 = 0) throws(UsageError) -> SimulationReport {
        let text = try SourceLoader.read(path)
        var report = SimulationReport(scenario: URL(fileURLWithPath: path).lastPathComponent)
        let initialLevel = engine.drLevel
        if let l = initialLevel { report.timeline.append(.init(at: 0, level: l)) }
        let labels = classLabels(engine.platform)
        var routes = engine.routesInForce()
        let initial = routes
        var byCluster: [String: Int] = [:]
        for (i, r) in routes.enumerated() where labels[i] != nil { if let r { byCluster[r, default: 0] += 1 } }
        report.initialRoutes = byCluster.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var maxLag = engine.replicationLag()
        var last: Int64 = 0
        // Outages: from the first failure, every moment the service is down
        // (an order class routed at the start has no cluster, or the level forbids trading).
        var outageStart: Int64?
        var longest: Int64 = 0
        var level = initialLevel
        func serviceUp(_ r: [String?]) -> Bool {
            var trading = true
            if let dr = engine.platform?.dr, let l = dr.levels.first(where: { $0.name == level }) {
                trading = l.allows & (1 << UInt8(IRCapability.trading.rawValue)) != 0
            }
            return trading && zip(initial, r).allSatisfy { $0.0 == nil || $0.1 != nil }
        }
        func observe(_ at: Int64, _ up: Bool) {
            guard report.failureAt != nil else { return }
            if !up, outageStart == nil { outageStart = at }
            if up, let s = outageStart {
                longest = Swift.max(longest, at - s)
                outageStart = nil
            }
        }
        var d = Decision()
        var out: [UInt8] = []
        // "\r\n" is one Character in Swift: a file with CRLF line ends is split on it too.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (n, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let where_ = "\(path):\(n + 1)"
            let example = #"{"at":"0s","event":"cluster_down","cluster":"us_east_1"}"#
            // The engine refuses a line that starts with a byte-order mark (it is not JSON).
            if line.unicodeScalars.first == "\u{FEFF}" {
                throw UsageError(
                    n == 0
                        ? "\(where_): the file starts with a UTF-8 byte-order mark: save it without one"
                        : "\(where_): the line starts with a UTF-8 byte-order mark (a file appended to another?): remove it")
            }
            // Numbers keep their text (`at` is read exactly) and a member given twice stays two members.
            guard let object = try? JSONValue.parse(line) else {
                throw UsageError("\(where_): the line is not valid JSON (cut short, or a stray character?); each line is one object such as \(example)")
            }
            guard case .object(let members) = object else {
                throw UsageError("\(where_): the line is JSON but not an object; each line is one object such as \(example)")
            }
            // JSON leaves a repeated name's meaning open; a parser that keeps the last value
            // would run another scenario than the one written (the engine refuses its fields twice too).
            var names = Set<[UInt8]>()
            for m in members where !names.insert(Array(m.key.utf8)).inserted {
                throw UsageError("\(where_): `\(m.key)` is given twice; give each member once")
            }
            guard case .string(let event) = object["event"] else {
                throw UsageError("\(where_): missing field `event` (a string)")
            }
            guard object["ts"] == nil else {
                throw UsageError(
                    "\(where_): a scenario line has no field `ts`: its time is `at`, from the scenario's start; remove `ts`")
            }
            guard let atValue = object["at"] else {
                throw UsageError("\(where_): missing field `at` (the time since the scenario's start, such as `90s`)")
            }
            let at = try Self.at(atValue, where_)
            // The line with `ts` first: its bytes after the object's opening brace (only JSON blanks come
            // before it), counted in bytes, not characters.
            var engineLine =
                Array("{\"ts\":\"\(Value.rfc3339(start + at))\",".utf8) + line.utf8.drop { $0 != UInt8(ascii: "{") }.dropFirst()
            guard at >= last else {
                throw UsageError(
                    "\(where_): field `at` is \(SimulationReport.secondsText(at)), before the line above it "
                        + "(\(SimulationReport.secondsText(last))): put the lines in time order")
            }
            last = at
            if event == "end" {
                engine.advancePlatformClock(to: start + at)
                for t in engine.drainPlatformTransitions() {
                    level = t.level
                    report.timeline.append(.init(at: t.at - start, level: t.level))
                    observe(t.at - start, serviceUp(routes))
                }
                continue
            }
            report.events += 1
            if report.failureAt == nil, failures.contains(event) {
                // A lag of zero (given as a text or a number) is no failure.
                let seconds: String?
                switch object["seconds"] {
                case .string(let s), .number(let s): seconds = s
                default: seconds = nil
                }
                if event != "replication_lag" || seconds.flatMap({ Fixed($0) }).map({ $0.raw > 0 }) ?? true {
                    report.failureAt = at
                }
            }
            engineLine.withUnsafeMutableBytes { engine.process(UnsafeRawBufferPointer($0), into: &d) }
            var reasons: [String] = []
            if d.hasLine {
                out.removeAll(keepingCapacity: true)
                engine.render(d, into: &out)
                if let o = try? JSONSerialization.jsonObject(with: Data(out)) as? [String: Any] {
                    reasons = o["reasons"] as? [String] ?? []
                }
            }
            if d.problem != .none {
                throw UsageError("\(where_): \(reasons.first ?? "the engine refused the line")")
            }
            let transitions = engine.drainPlatformTransitions()
            let after = engine.routesInForce()
            // Level changes due before the event saw the old routes; the rest, the new ones.
            for t in transitions where t.at < start + at {
                level = t.level
                report.timeline.append(.init(at: t.at - start, level: t.level))
                observe(t.at - start, serviceUp(routes))
            }
            var changes: [(order: String, from: String?, to: String?)] = []
            for i in after.indices where after[i] != routes[i] {
                if let l = labels[i] { changes.append((l, routes[i], after[i])) }
            }
            if !changes.isEmpty {
                // Events at the same moment make one change: from the routes before the first, to those after the last.
                if var lastChange = report.routeChanges.last, lastChange.at == at {
                    for c in changes {
                        if let k = lastChange.changes.firstIndex(where: { $0.order == c.order }) {
                            lastChange.changes[k].to = c.to
                        } else {
                            lastChange.changes.append(c)
                        }
                    }
                    lastChange.changes.removeAll { $0.from == $0.to }
                    report.routeChanges[report.routeChanges.count - 1] = lastChange
                    if lastChange.changes.isEmpty { report.routeChanges.removeLast() }
                } else {
                    report.routeChanges.append(.init(at: at, changes: changes))
                }
            }
            routes = after
            for t in transitions where t.at >= start + at {
                level = t.level
                report.timeline.append(.init(at: t.at - start, level: t.level))
            }
            observe(at, serviceUp(routes))
            for (i, l) in engine.replicationLag().enumerated() { maxLag[i] = Swift.max(maxLag[i], l) }
            if d.hasLine, ["new", "modify", "cancel"].contains(event) {
                let id: String
                if case .string(let s) = object["id"] { id = s } else { id = "line \(n + 1)" }
                let o = (try? JSONSerialization.jsonObject(with: Data(out)) as? [String: Any]) ?? [:]
                report.orders.append(
                    .init(
                        at: at, id: id, verdict: o["verdict"] as? String ?? "?", route: o["route"] as? String,
                        level: o["dr_level"] as? String, gated: d.gate != .none, reasons: reasons))
            }
        }
        if report.failureAt != nil {
            report.rto = outageStart == nil ? longest + detection : nil
        } else {
            report.rto = 0
        }
        if let p = engine.platform {
            report.rpo = p.tiers.enumerated().map { i, t in
                // Data at risk: a synchronous tier loses nothing unless it lags (then it is not synchronous);
                // any other tier at least its budget.
                (p.strings[t.name], t.synchronous ? maxLag[i] : Swift.max(t.budget, maxLag[i]), t.synchronous)
            }
        }
        return report
    }

    /// A label per class combination (nil when some dimension has no row: never routed):
    /// each dimension's field and first key, and how many more keys share the class.
    static func classLabels(_ p: IRPlatform?) -> [String?] {
        guard let p, !p.routes.isEmpty else { return [] }
        var out: [String?] = []
        for combo in 0..<p.combinationCount {
            var rest = combo
            var parts: [String] = []
            var ok = true
            for d in p.dimensions {
                let c = rest % (d.classCount + 1)
                rest /= d.classCount + 1
                guard c > 0 else {
                    ok = false
                    break
                }
                let keys = zip(d.keys, d.keyClass).filter { $0.1 == c }.map(\.0)
                parts.append("\(d.field) \(keys[0])" + (keys.count > 1 ? " (+\(keys.count - 1))" : ""))
            }
            out.append(ok ? parts.joined(separator: ", ") : nil)
        }
        return out
    }
}
