/// Validation of the decoded `PLAT` section: every string, cluster, tier,
/// dimension and node index is in range, and every node's operands come
/// before it, so that the engine's recursive evaluation of a damaged but
/// signed bundle always ends inside its buffers.

extension IRValidator {
    func platform() throws(IRCodecError) {
        guard let p = ir.platform else { return }
        func fail(_ problem: String) -> IRCodecError { IRCodecError(section: IRCodec.platformTag, problem) }
        let strings = p.strings.count
        func string(_ i: Int, _ what: String) throws(IRCodecError) {
            guard i >= 0, i < strings else { throw fail("\(what) names text \(i) of \(strings)") }
        }
        for c in p.clusters {
            for s in [c.name, c.region, c.continent, c.provider, c.role] + c.jurisdictions + c.hubs {
                try string(s, "a cluster")
            }
            if c.title != -1 { try string(c.title, "a cluster") }
        }
        let clusters = p.clusters.count
        for l in p.links {
            guard l.a >= 0, l.b >= 0, l.a < clusters, l.b < clusters else {
                throw fail("a link joins cluster \(l.a) and \(l.b) of \(clusters)")
            }
            guard l.latency > 0, l.latency <= IRLink.maxLatency else {
                throw fail("a link's latency is \(l.latency) ns, outside 1 ns ... \(IRLink.maxLatency) ns")
            }
        }
        for t in p.tiers { try string(t.name, "a tier") }
        let nodes = p.nodes.count
        func root(_ n: Int32, _ what: String, optional: Bool = false) throws(IRCodecError) {
            if optional && n == -1 { return }
            guard n >= 0, Int(n) < nodes else { throw fail("\(what) is node \(n) of \(nodes)") }
        }
        for d in p.dimensions {
            guard d.cells.count == d.classCount, d.keyClass.allSatisfy({ $0 >= 1 && $0 <= d.classCount }) else {
                throw fail("dimension `\(d.table)` has classes out of range")
            }
            for row in d.cells {
                for n in row {
                    try root(n, "a class cell")
                    guard [.bool, .number, .duration, .symbol].contains(p.nodes[Int(n)].op) else {
                        throw fail("a class cell of `\(d.table)` is not a constant")
                    }
                }
            }
        }
        guard p.combinationCount <= 65_536 else { throw fail("the routes read \(p.combinationCount) combinations") }
        for r in p.routes {
            try root(r.applies, "an `applies`", optional: true)
            try root(r.origin, "an `origin`", optional: true)
            try root(r.hubFilter, "a hub filter", optional: true)
            for f in r.filters { try root(f, "a filter") }
            for k in r.ranks { try root(k, "a rank") }
            guard r.ranks.count == r.descending.count, r.fallback.allSatisfy({ $0 < clusters }),
                r.dimensions.allSatisfy({ $0 < p.dimensions.count })
            else { throw fail("route `\(r.name)` names an index out of range") }
        }
        if let dr = p.dr {
            guard !dr.levels.isEmpty, dr.levels.count <= 64 else { throw fail("the DR policy has \(dr.levels.count) levels") }
            for (i, l) in dr.levels.enumerated() {
                try root(l.trigger, "a trigger", optional: i == 0)
                guard l.recoverAfter >= 0 else { throw fail("level `\(l.name)` recovers after a negative time") }
            }
        }
        for (i, n) in p.nodes.enumerated() {
            func child(_ c: Int32) throws(IRCodecError) {
                guard c >= 0, Int(c) < i else { throw fail("node \(i) reads node \(c), which does not come before it") }
            }
            switch n.op {
            case .bool, .number, .duration, .securityIncident, .regulatoryHalt: break
            case .symbol: try string(Int(n.a), "a symbol")
            case .list:
                guard n.a >= 0, n.b >= 0, Int(n.a) + Int(n.b) <= p.listItems.count else {
                    throw fail("list node \(i) is out of range")
                }
                for k in Int(n.a)..<(Int(n.a) + Int(n.b)) { try child(p.listItems[k]) }
            case .dimension:
                guard n.a >= 0, Int(n.a) < p.dimensions.count, n.b >= 0, Int(n.b) < p.dimensions[Int(n.a)].columns.count
                else { throw fail("node \(i) reads a dimension out of range") }
            case .clusterField:
                guard IRClusterField(rawValue: n.a) != nil else { throw fail("node \(i) reads an unknown cluster field") }
            case .not, .negate: try child(n.a)
            case .and, .or, .eq, .ne, .lt, .le, .gt, .ge, .isIn, .add, .subtract:
                try child(n.a)
                try child(n.b)
            case .conditional:
                try child(n.a)
                try child(n.b)
                try child(n.c)
            case .down:
                guard n.a >= 0, Int(n.a) < clusters else { throw fail("node \(i) reads cluster \(n.a) of \(clusters)") }
            case .downCount: try string(Int(n.a), "a `down_count`")
            case .lag:
                guard n.a >= 0, Int(n.a) < p.tiers.count else { throw fail("node \(i) reads tier \(n.a)") }
            }
        }
    }
}
