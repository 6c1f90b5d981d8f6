/// The text form of the platform section for `writ build --dump-ir`:
/// clusters, order dimensions with their classes, routes and DR levels,
/// each compiled expression printed back as a prefix form
/// (`(isIn (dim countries.regime) cluster.jurisdiction)`).

import WritValue

extension IRPlatform {
    /// The platform as dump lines.
    func dumpLines() -> [String] {
        var out: [String] = []
        out.append(
            "; platform: \(clusters.count) clusters, \(links.count) links, \(tiers.count) tiers, "
                + "\(dimensions.count) order dimensions (\(combinationCount) class combinations), \(nodes.count) nodes")
        for c in clusters {
            out.append(
                "cluster \(strings[c.name]) role \(strings[c.role]) continent \(strings[c.continent]) "
                    + "jurisdictions [\(c.jurisdictions.map { strings[$0] }.joined(separator: ", "))] "
                    + "hubs [\(c.hubs.map { strings[$0] }.joined(separator: ", "))]")
        }
        for (i, d) in dimensions.enumerated() {
            out.append(
                "dimension \(i) \(d.table)[order.\(d.field)] reads \(d.columns.joined(separator: ", ")): \(d.classCount) classes")
            for k in 1...Swift.max(1, d.classCount) where k <= d.classCount {
                let keys = zip(d.keys, d.keyClass).filter { $0.1 == k }.map(\.0)
                out.append("  class \(k) = (\(d.cells[k - 1].map { expr($0) }.joined(separator: ", "))): \(keys.joined(separator: " "))")
            }
        }
        for r in routes {
            out.append("route \(r.name)")
            if r.applies >= 0 { out.append("  applies \(expr(r.applies))") }
            if r.origin >= 0 { out.append("  origin \(expr(r.origin))") }
            for f in r.filters { out.append("  filter \(expr(f))" + (f == r.hubFilter ? " ; hub filter" : "")) }
            for (k, d) in zip(r.ranks, r.descending) { out.append("  rank \(expr(k)) \(d ? "desc" : "asc")") }
            out.append("  fallback [\(r.fallback.map { strings[clusters[$0].name] }.joined(separator: ", "))]")
        }
        if let dr {
            out.append("dr \(dr.name)")
            for l in dr.levels {
                let allows = IRCapability.names.enumerated().filter { l.allows & (1 << UInt8($0.offset)) != 0 }.map(\.element)
                out.append(
                    "  level \(l.name) allows [\(allows.joined(separator: ", "))] recover_after \(Value.duration(l.recoverAfter))"
                        + (l.trigger >= 0 ? " trigger \(expr(l.trigger))" : ""))
            }
        }
        return out
    }

    /// Node `n` in prefix form.
    func expr(_ n: Int32) -> String {
        guard n >= 0, Int(n) < nodes.count else { return "?" }
        let x = nodes[Int(n)]
        func sub(_ op: String, _ args: Int32...) -> String { "(\(op) " + args.map { expr($0) }.joined(separator: " ") + ")" }
        switch x.op {
        case .bool: return x.value != 0 ? "true" : "false"
        case .number: return Fixed(raw: x.value).description
        case .duration: return Value.duration(Int64(truncatingIfNeeded: x.value)).description
        case .symbol: return "\"\(strings[Int(x.a)])\""
        case .list:
            return "[" + (Int(x.a)..<(Int(x.a) + Int(x.b))).map { expr(listItems[$0]) }.joined(separator: ", ") + "]"
        case .dimension:
            let d = dimensions[Int(x.a)]
            return "(dim \(d.table).\(d.columns[Int(x.b)]))"
        case .clusterField: return "cluster.\(IRClusterField(rawValue: x.a).map { "\($0)" } ?? "?")"
        case .not: return sub("not", x.a)
        case .negate: return sub("neg", x.a)
        case .and, .or, .eq, .ne, .lt, .le, .gt, .ge, .isIn, .add, .subtract: return sub("\(x.op)", x.a, x.b)
        case .conditional: return sub("if", x.a, x.b, x.c)
        case .down: return "(down \(strings[clusters[Int(x.a)].name]))"
        case .downCount: return "(down_count \(x.b == 0 ? "role" : "continent") \(strings[Int(x.a)]))"
        case .lag: return "(lag \(strings[tiers[Int(x.a)].name]))"
        case .securityIncident: return "(security_incident)"
        case .regulatoryHalt: return "(regulatory_halt)"
        }
    }
}
