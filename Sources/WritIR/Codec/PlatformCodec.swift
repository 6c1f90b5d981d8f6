/// The optional `PLAT` bundle section (docs/bundle-format.md): the
/// platform's clusters, links, tiers, order dimensions, routes, DR levels
/// and compiled expression nodes. Written after the other IR sections, only
/// when the program declares a route or a DR policy.

extension IRCodec {
    /// The platform section's tag.
    public static let platformTag = "PLAT"

    static func plat(_ p: IRPlatform) -> [UInt8] {
        var w = ByteWriter()
        w.append(version)
        w.u32(p.strings.count)
        for s in p.strings { w.string(s) }
        w.u32(p.clusters.count)
        for c in p.clusters {
            for v in [c.name, c.title, c.region, c.continent, c.provider, c.role] { w.i32(v) }
            w.u32(c.jurisdictions.count)
            for j in c.jurisdictions { w.u32(j) }
            w.u32(c.hubs.count)
            for h in c.hubs { w.u32(h) }
            w.i64(c.capacity)
        }
        w.u32(p.links.count)
        for l in p.links {
            w.u32(l.a)
            w.u32(l.b)
            w.i64(l.latency)
        }
        w.u32(p.tiers.count)
        for t in p.tiers {
            w.u32(t.name)
            w.append(UInt8(t.synchronous ? 1 : 0))
            w.i64(t.budget)
        }
        w.u32(p.dimensions.count)
        for d in p.dimensions {
            w.string(d.table)
            w.string(d.field)
            w.u32(d.keys.count)
            for (k, c) in zip(d.keys, d.keyClass) {
                w.string(k)
                w.u32(c)
            }
            w.u32(d.classCount)
            w.u32(d.columns.count)
            for c in d.columns { w.string(c) }
            for row in d.cells { for n in row { w.i32(Int(n)) } }
        }
        w.u32(p.routes.count)
        for r in p.routes {
            w.string(r.name)
            w.i32(Int(r.applies))
            w.i32(Int(r.origin))
            w.i32(Int(r.hubFilter))
            w.u32(r.filters.count)
            for f in r.filters { w.i32(Int(f)) }
            w.u32(r.ranks.count)
            for (k, d) in zip(r.ranks, r.descending) {
                w.i32(Int(k))
                w.append(UInt8(d ? 1 : 0))
            }
            w.u32(r.fallback.count)
            for f in r.fallback { w.u32(f) }
            w.u32(r.dimensions.count)
            for d in r.dimensions { w.u32(d) }
        }
        w.append(UInt8(p.dr == nil ? 0 : 1))
        if let dr = p.dr {
            w.string(dr.name)
            w.u32(dr.levels.count)
            for l in dr.levels {
                w.string(l.name)
                w.append(l.allows)
                w.i32(Int(l.trigger))
                w.i64(l.recoverAfter)
            }
        }
        w.u32(p.nodes.count)
        for n in p.nodes {
            w.append(n.op.rawValue)
            w.i32(Int(n.a))
            w.i32(Int(n.b))
            w.i32(Int(n.c))
            w.i128(n.value)
        }
        w.u32(p.listItems.count)
        for i in p.listItems { w.i32(Int(i)) }
        return w.bytes
    }

    static func decodePlatform(_ bytes: [UInt8]) throws(IRCodecError) -> IRPlatform {
        var r = SectionReader(platformTag, bytes)
        try r.version(version)
        var p = IRPlatform()
        for _ in 0..<(try r.count(4)) { p.strings.append(try r.string()) }
        for _ in 0..<(try r.count(40)) {
            let name = try r.i32()
            let title = try r.i32()
            let region = try r.i32()
            let continent = try r.i32()
            let provider = try r.i32()
            let role = try r.i32()
            var js: [Int] = []
            for _ in 0..<(try r.count(4)) { js.append(try r.u32()) }
            var hubs: [Int] = []
            for _ in 0..<(try r.count(4)) { hubs.append(try r.u32()) }
            let capacity = try r.i64()
            p.clusters.append(
                IRCluster(
                    name: name, title: title, region: region, continent: continent, provider: provider, role: role,
                    jurisdictions: js, hubs: hubs, capacity: capacity))
        }
        for _ in 0..<(try r.count(16)) {
            let a = try r.u32()
            let b = try r.u32()
            p.links.append(IRLink(a: a, b: b, latency: try r.i64()))
        }
        for _ in 0..<(try r.count(13)) {
            let name = try r.u32()
            let sync = try r.u8()
            p.tiers.append(IRTier(name: name, synchronous: sync == 1, budget: try r.i64()))
        }
        for _ in 0..<(try r.count(16)) {
            let table = try r.string()
            let field = try r.string()
            var keys: [String] = []
            var classes: [Int] = []
            for _ in 0..<(try r.count(8)) {
                keys.append(try r.string())
                classes.append(try r.u32())
            }
            let classCount = try r.u32()
            var columns: [String] = []
            for _ in 0..<(try r.count(4)) { columns.append(try r.string()) }
            guard classCount <= r.remaining / Swift.max(1, 4 * columns.count) || columns.isEmpty else {
                throw r.fail("a count of \(classCount) is larger than the section")
            }
            var cells: [[Int32]] = []
            for _ in 0..<classCount {
                var row: [Int32] = []
                for _ in columns { row.append(Int32(try r.i32())) }
                cells.append(row)
            }
            p.dimensions.append(
                IRRouteDimension(
                    table: table, field: field, keys: keys, keyClass: classes, classCount: classCount,
                    columns: columns, cells: cells))
        }
        for _ in 0..<(try r.count(32)) {
            let name = try r.string()
            let applies = Int32(try r.i32())
            let origin = Int32(try r.i32())
            let hub = Int32(try r.i32())
            var filters: [Int32] = []
            for _ in 0..<(try r.count(4)) { filters.append(Int32(try r.i32())) }
            var ranks: [Int32] = []
            var desc: [Bool] = []
            for _ in 0..<(try r.count(5)) {
                ranks.append(Int32(try r.i32()))
                desc.append(try r.u8() == 1)
            }
            var fallback: [Int] = []
            for _ in 0..<(try r.count(4)) { fallback.append(try r.u32()) }
            var dims: [Int] = []
            for _ in 0..<(try r.count(4)) { dims.append(try r.u32()) }
            p.routes.append(
                IRRoute(
                    name: name, applies: applies, origin: origin, filters: filters, hubFilter: hub, ranks: ranks,
                    descending: desc, fallback: fallback, dimensions: dims))
        }
        if try r.u8() == 1 {
            let name = try r.string()
            var levels: [IRDRLevel] = []
            for _ in 0..<(try r.count(17)) {
                let ln = try r.string()
                let allows = try r.u8()
                let trigger = Int32(try r.i32())
                levels.append(IRDRLevel(name: ln, allows: allows, trigger: trigger, recoverAfter: try r.i64()))
            }
            p.dr = IRDRPolicy(name: name, levels: levels)
        }
        for _ in 0..<(try r.count(29)) {
            guard let op = IRPlatformOp(rawValue: try r.u8()) else { throw r.fail("an expression node is unknown") }
            let a = Int32(try r.i32())
            let b = Int32(try r.i32())
            let c = Int32(try r.i32())
            p.nodes.append(IRPlatformNode(op, a: a, b: b, c: c, value: try r.i128()))
        }
        for _ in 0..<(try r.count(4)) { p.listItems.append(Int32(try r.i32())) }
        try r.end()
        return p
    }
}
