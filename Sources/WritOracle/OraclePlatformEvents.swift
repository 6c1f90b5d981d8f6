/// Platform events and the platform's part of a decision, plainly
/// (docs/input-contract.md, "Platform events"; docs/engine-semantics.md,
/// "Platform"): decode and apply a platform event; for an order, the DR
/// level at its time, its route, and the gate.

import WritSema
import WritValue

extension Oracle {
    /// The platform events' names.
    static let platformEvents = [
        "cluster_down", "cluster_up", "cluster_degraded", "cluster_load", "replication_lag", "security_incident",
        "regulatory_halt", "clear", "link_down", "link_up",
    ]

    /// Decodes and applies a platform event; the reason when it is refused.
    func platformEvent(_ kind: String, _ members: [JSONValue.Member]) -> String? {
        func value(_ f: String) -> JSONValue? {
            guard let m = members.last(where: { $0.key == f }), m.value != .null else { return nil }
            return m.value
        }
        func string(_ f: String) throws(DecodeError) -> String {
            guard let v = value(f) else { throw OracleMessages.missing(f) }
            guard case .string(let s) = v else { throw OracleMessages.mustBe(f, "a string") }
            return s
        }
        func decimal(_ f: String) throws(DecodeError) -> Fixed {
            let text: String
            switch value(f) {
            case nil: throw OracleMessages.missing(f)
            case .string(let s)?: text = s
            case .number(let s)?: text = s
            default: throw OracleMessages.mustBe(f, "a decimal string or a number")
            }
            guard let x = Fixed.parse(bytes: Array(text.utf8)) else { throw OracleMessages.notDecimal(f, text) }
            guard x.raw >= 0 else { throw DecodeError("field `\(f)` must not be negative: `\(text)`") }
            return x
        }
        func cluster(_ f: String) throws(DecodeError) -> String {
            let s = try string(f)
            guard let c = program.clusters.first(where: { $0.name == s || $0.title == s }) else {
                throw DecodeError("unknown cluster `\(s)`")
            }
            return c.name
        }
        func tier() throws(DecodeError) -> String {
            let s = try string("tier")
            guard program.tiers.contains(where: { $0.name == s }) else { throw DecodeError("unknown tier `\(s)`") }
            return s
        }
        let p = platform
        do throws(DecodeError) {
            let tsText = try string("ts")
            guard let ts = TimeText.parseTimestamp(tsText) else { throw OracleMessages.notTimestamp("ts", tsText) }
            var apply: () -> Void = {}
            switch kind {
            case "cluster_down", "cluster_up", "cluster_degraded":
                let c = try cluster("cluster")
                let h = kind == "cluster_down" ? "down" : kind == "cluster_up" ? "up" : "degraded"
                apply = { p.health[c] = h }
            case "cluster_load":
                let c = try cluster("cluster")
                let l = try decimal("load")
                apply = { p.load[c] = l }
            case "replication_lag":
                let t = try tier()
                let s = try decimal("seconds")
                // Nanoseconds, the longest lag when too long to say (Q: fail closed).
                let (ns, overflow) = s.raw.multipliedReportingOverflow(by: 10)
                apply = { p.lag[t] = overflow ? Int64.max : Int64(clamping: ns) }
            case "security_incident": apply = { p.incident = true }
            case "regulatory_halt": apply = { p.halt = true }
            case "clear":
                let what = try string("what")
                switch what {
                case "security_incident": apply = { p.incident = false }
                case "regulatory_halt": apply = { p.halt = false }
                case "replication_lag":
                    if value("tier") != nil {
                        let t = try tier()
                        apply = { p.lag[t] = 0 }
                    } else {
                        apply = { p.lag = [:] }
                    }
                default:
                    throw DecodeError(
                        "field `what` must be `security_incident`, `regulatory_halt` or `replication_lag`, not `\(what)`")
                }
            default:  // link_down, link_up
                let a = try cluster("from")
                let b = try cluster("to")
                guard program.links.contains(where: { ($0.from == a && $0.to == b) || ($0.from == b && $0.to == a) }) else {
                    throw DecodeError("no link joins `\(a)` and `\(b)`")
                }
                let key = [a, b].sorted().joined(separator: "|")
                apply = kind == "link_down" ? { p.linksDown.insert(key) } : { p.linksDown.remove(key) }
            }
            p.advance(to: ts)
            apply()
            p.settle(at: ts)
            return nil
        } catch {
            return error.message
        }
    }

    /// The DR level at the order's time, its route, and the gate (after the rules, before step 7).
    func platformGate(_ d: inout Decision, _ order: Record, ts: Int64, cancel: Bool) {
        let p = platform
        guard p.enabled else { return }
        p.advance(to: ts)
        var suffix = ""
        var entries: [(String, String)] = []
        if !program.routes.isEmpty {
            let r = p.route(for: order, tables: tablesByName, rows: rowOfSymbolKey)
            suffix += ",\"route\":" + (r?.1.map(Decision.quote) ?? "null")
            if !cancel, let r, r.1 == nil {
                entries.append((r.0, "route `\(r.0)` found no cluster for the order"))
            }
        }
        if let dr = program.dr {
            let l = dr.levels[p.level]
            suffix += ",\"dr_level\":" + Decision.quote(l.name)
            let gate = "\(dr.name).\(l.name)"
            if cancel {
                if !l.allows.contains("trading") && !l.allows.contains("cancels") {
                    entries.insert((gate, "DR level `\(l.name)` of `\(dr.name)` allows no cancels"), at: 0)
                }
            } else if !l.allows.contains("trading") {
                if !l.allows.contains("reduce_only") {
                    entries.insert((gate, "DR level `\(l.name)` of `\(dr.name)` allows no orders"), at: 0)
                } else if !reducesPosition(order) {
                    entries.insert(
                        (gate, "DR level `\(l.name)` of `\(dr.name)` allows only orders that reduce a position"), at: 0)
                }
            }
        }
        for (name, reason) in entries {
            d.rules.append(name)
            d.reasons.append(reason)
            d.citations.append("")
        }
        if !entries.isEmpty { d.verdict = .reject }
        d.platformSuffix = suffix
    }

    /// A buy of at most a short position, a sell of at most a long one.
    private func reducesPosition(_ order: Record) -> Bool {
        guard let account = order.fields["account"], let symbol = order.fields["symbol"],
            case .enumCase(_, let side)? = order.fields["side"], case .decimal(let qty)? = order.fields["qty"]
        else { return false }
        let p = platform.positions[StateKey(keyText(account), keyText(symbol))] ?? Fixed(0)
        if side == "buy" { return p < Fixed(0) && qty <= Fixed(raw: 0 - p.raw) }
        if side == "sell" { return Fixed(0) < p && qty <= p }
        return false
    }

    /// A fill moves the (account, symbol) position of its order: buy +, every other side −.
    func trackPosition(_ order: Record, quantity: Fixed) {
        guard program.dr != nil, let account = order.fields["account"], let symbol = order.fields["symbol"] else {
            return
        }
        var signed = quantity
        if case .enumCase(_, let side)? = order.fields["side"], side != "buy" { signed = Fixed(raw: 0 - quantity.raw) }
        let key = StateKey(keyText(account), keyText(symbol))
        if let q = platform.positions[key] {
            if let n = q.adding(signed) { platform.positions[key] = n }
        } else if platform.positions.count < capacities.keysPerSlot {
            platform.positions[key] = signed
        }
    }
}
