/// Decoding of platform events (docs/input-contract.md, "Platform events"):
/// `cluster_down`, `cluster_up`, `cluster_degraded`, `cluster_load`,
/// `replication_lag`, `security_incident`, `regulatory_halt`, `clear`,
/// `link_down`, `link_up`. They exist only in programs with a route or a DR
/// policy. Fields are checked in a fixed order (`ts`, then the event's own
/// fields as listed in the contract); the first problem refuses the line.

import WritIR
import WritValue

/// The fields of platform events, in the order they are checked.
enum PlatformField: Int32 {
    case ts = 0, cluster, load, tier, seconds, what, from, to
    static let names = ["ts", "cluster", "load", "tier", "seconds", "what", "from", "to"]
}

/// Why a platform event was refused (`Decision.problemDetail`).
enum PlatformProblem: Int32 {
    case missing = 0, mustBeString, mustBeDecimal, notDecimal, notTimestamp, unknownCluster, unknownTier, unknownWhat
    case noLink, negative

    /// The reason for field `f` and text `t` (the oracle's texts).
    func text(_ f: String, _ t: String) -> String {
        switch self {
        case .missing: "missing field `\(f)`"
        case .mustBeString: "field `\(f)` must be a string"
        case .mustBeDecimal: "field `\(f)` must be a decimal string or a number"
        case .notDecimal: "field `\(f)` is not a decimal: `\(t)`"
        case .notTimestamp: "field `\(f)` is not an RFC 3339 timestamp: `\(t)`"
        case .unknownCluster: "unknown cluster `\(t)`"
        case .unknownTier: "unknown tier `\(t)`"
        case .unknownWhat: "field `what` must be `security_incident`, `regulatory_halt` or `replication_lag`, not `\(t)`"
        case .noLink: "no link joins `\(t)`"
        case .negative: "field `\(f)` must not be negative: `\(t)`"
        }
    }
}

extension Machine {
    /// The platform event named by these bytes, if any.
    static func platformEventKind(_ p: UnsafeRawPointer, _ n: Int) -> PlatformEventKind? {
        for (i, name) in PlatformEventKind.names.enumerated() where equals(p, n, name) {
            return PlatformEventKind(rawValue: UInt8(i))
        }
        return nil
    }

    /// Bytes as a string (the slow path of platform events only).
    static func text(_ p: UnsafeRawPointer, _ n: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(start: p, count: Swift.max(0, n)), as: UTF8.self)
    }

    /// Decodes a platform event into `platformEvent`; false (with `d` refused) on a problem.
    mutating func decodePlatform(
        _ kind: PlatformEventKind, _ lp: UnsafePointer<UInt8>, _ count: Int, _ d: inout Decision
    ) -> Bool {
        guard let ir = platform.ir else { return false }
        // The last member of each field's name.
        var member = InlineArray<8, Int>(repeating: -1)
        let kb = keyScratch.base
        for k in 0..<count {
            let (p, n) = key(lp, scanner.members[k], kb)
            if let f = PlatformField.names.firstIndex(of: Machine.text(p, n)) { member[f] = k }
        }
        func refuse(_ problem: PlatformProblem, _ f: PlatformField, _ text: (UnsafeRawPointer, Int)? = nil) -> Bool {
            if let text, text.1 >= 0 { d.setProblemText(text.0, text.1) }
            d.refuse(.platform, field: f.rawValue, detail: problem.rawValue)
            return false
        }
        func string(_ f: PlatformField) -> (UnsafeRawPointer, Int)? {
            let k = member[Int(f.rawValue)]
            guard k >= 0, scanner.members[k].kind != .null else {
                _ = refuse(.missing, f)
                return nil
            }
            guard scanner.members[k].kind == .string else {
                _ = refuse(.mustBeString, f)
                return nil
            }
            return stringValue(lp, scanner.members[k])
        }
        func decimal(_ f: PlatformField) -> Int128? {
            let k = member[Int(f.rawValue)]
            guard k >= 0, scanner.members[k].kind != .null else {
                _ = refuse(.missing, f)
                return nil
            }
            let m = scanner.members[k]
            guard m.kind == .string || m.kind == .number else {
                _ = refuse(.mustBeDecimal, f)
                return nil
            }
            let t = m.kind == .string ? stringValue(lp, m) : (UnsafeRawPointer(lp + Int(m.valueStart)), Int(m.valueEnd - m.valueStart))
            guard t.1 >= 0, let v = DecimalText.parse(t.0, t.1) else {
                _ = refuse(.notDecimal, f, t)
                return nil
            }
            guard v >= 0 else {
                _ = refuse(.negative, f, t)
                return nil
            }
            return v
        }
        func cluster(_ f: PlatformField) -> Int? {
            guard let t = string(f) else { return nil }
            let text = Machine.text(t.0, t.1)
            for (i, c) in ir.clusters.enumerated() {
                for s in [c.name, c.title] where s >= 0 && ir.strings[s] == text { return i }
            }
            _ = refuse(.unknownCluster, f, t)
            return nil
        }
        func tier(_ t: (UnsafeRawPointer, Int)) -> Int? {
            let text = Machine.text(t.0, t.1)
            if let i = ir.tiers.firstIndex(where: { ir.strings[$0.name] == text }) { return i }
            _ = refuse(.unknownTier, .tier, t)
            return nil
        }
        var e = PlatformEvent()
        e.kind = kind
        guard let tt = string(.ts) else { return false }
        guard tt.1 >= 0, let ts = Machine.parseTimestamp(tt.0, tt.1) else { return refuse(.notTimestamp, .ts, tt) }
        e.ts = ts
        switch kind {
        case .clusterDown, .clusterUp, .clusterDegraded:
            guard let c = cluster(.cluster) else { return false }
            e.a = c
        case .clusterLoad:
            guard let c = cluster(.cluster), let v = decimal(.load) else { return false }
            e.a = c
            e.value = v
        case .replicationLag:
            guard let t = string(.tier), let i = tier(t), let s = decimal(.seconds) else { return false }
            e.a = i
            // Fixed raw (1e-8) to nanoseconds; a lag too long to say in
            // nanoseconds is the longest lag (fail closed: triggers see it).
            let (ns, overflow) = s.multipliedReportingOverflow(by: 10)
            e.value = overflow ? (s < 0 ? Int128.min : Int128.max) : ns
        case .securityIncident, .regulatoryHalt:
            break
        case .clear:
            guard let w = string(.what) else { return false }
            let text = Machine.text(w.0, w.1)
            guard let what = ["security_incident", "regulatory_halt", "replication_lag"].firstIndex(of: text) else {
                return refuse(.unknownWhat, .what, w)
            }
            e.a = what
            if what == 2, member[Int(PlatformField.tier.rawValue)] >= 0,
                scanner.members[member[Int(PlatformField.tier.rawValue)]].kind != .null
            {
                guard let t = string(.tier), let i = tier(t) else { return false }
                e.b = i
            }
        case .linkDown, .linkUp:
            guard let a = cluster(.from), let b = cluster(.to) else { return false }
            guard let l = ir.links.firstIndex(where: { ($0.a == a && $0.b == b) || ($0.a == b && $0.b == a) }) else {
                let names = Array("\(ir.strings[ir.clusters[a].name])` and `\(ir.strings[ir.clusters[b].name])".utf8)
                names.withUnsafeBytes { d.setProblemText($0.baseAddress!, $0.count) }
                d.refuse(.platform, field: PlatformField.from.rawValue, detail: PlatformProblem.noLink.rawValue)
                return false
            }
            e.a = l
        }
        platformEvent = e
        return true
    }
}
