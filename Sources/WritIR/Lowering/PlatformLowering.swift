/// Lowers the platform's declarations to `IRPlatform`: clusters, links and
/// tiers as data; route expressions and DR triggers as expression trees.
/// A route may read the order only through `table[order.field].column`
/// lookups (the order dimensions), so that its choice can be computed for
/// every class of rows ahead of the orders (docs/platform.md, "At run time").

import WritSema
import WritSyntax
import WritValue

struct PlatformLowering {
    let program: CheckedProgram
    let files: [SourceFile]
    var p = IRPlatform()
    private var stringIndex: [String: Int] = [:]
    /// Dimension key `table|field` → index; columns read per dimension.
    private var dimensionIndex: [String: Int] = [:]
    private var dimensionColumns: [[String]] = []
    private var dimensionTables: [(table: CheckedTable, name: String, field: String)] = []
    /// Dimensions read by the route being lowered.
    private var used: Set<Int> = []

    init(_ program: CheckedProgram, files: [SourceFile]) {
        self.program = program
        self.files = files
    }

    /// The platform section, or nil when the program declares no route and no DR policy.
    static func lower(_ program: CheckedProgram, files: [SourceFile]) -> Result<IRPlatform?, IRCompileError> {
        guard !program.routes.isEmpty || program.dr != nil else { return .success(nil) }
        var l = PlatformLowering(program, files: files)
        do {
            try l.run()
        } catch let e as IRCompileError {
            return .failure(e)
        } catch {
            return .failure(IRCompileError("\(error)"))
        }
        return .success(l.p)
    }

    private mutating func run() throws {
        let continentOf = Dictionary(program.regions.map { ($0.name, $0.continent) }, uniquingKeysWith: { a, _ in a })
        for c in program.clusters {
            p.clusters.append(
                IRCluster(
                    name: str(c.name), title: c.title.map { str($0) } ?? -1, region: str(c.region),
                    continent: str(continentOf[c.region] ?? ""), provider: str(c.provider), role: str(c.role),
                    jurisdictions: c.jurisdictions.map { str($0) }, hubs: c.hubs.map { str($0) },
                    capacity: c.capacity ?? -1))
        }
        for l in program.links {
            guard let a = clusterIndex(l.from), let b = clusterIndex(l.to) else { continue }
            p.links.append(IRLink(a: a, b: b, latency: l.latency))
        }
        for t in program.tiers {
            p.tiers.append(IRTier(name: str(t.name), synchronous: t.strategy == "synchronous", budget: t.budget))
        }
        for r in program.routes {
            used = []
            var applies: Int32 = -1
            if let e = r.applies { applies = try expr(e) }
            var origin: Int32 = -1
            if let e = r.origin { origin = try expr(e) }
            var filters: [Int32] = []
            var hub: Int32 = -1
            for f in r.filters {
                let n = try expr(f)
                filters.append(n)
                if hub < 0, isHubFilter(f) { hub = n }
            }
            var ranks: [Int32] = []
            for k in r.ranks { ranks.append(try expr(k.key)) }
            p.routes.append(
                IRRoute(
                    name: r.name, applies: applies, origin: origin, filters: filters, hubFilter: hub, ranks: ranks,
                    descending: r.ranks.map { $0.direction == .desc }, fallback: r.fallback.compactMap { clusterIndex($0) },
                    dimensions: used.sorted()))
        }
        try buildDimensions()
        if let dr = program.dr {
            var levels: [IRDRLevel] = []
            for l in dr.levels {
                var bits: UInt8 = 0
                for a in l.allows {
                    if let i = IRCapability.names.firstIndex(of: a) { bits |= 1 << UInt8(i) }
                }
                var trigger: Int32 = -1
                if let e = l.trigger { trigger = try expr(e) }
                levels.append(
                    IRDRLevel(
                        name: l.name, allows: bits, trigger: trigger,
                        recoverAfter: l.recoverAfter ?? dr.recoverAfter ?? 0))
            }
            p.dr = IRDRPolicy(name: dr.name, levels: levels)
        }
    }

    private func clusterIndex(_ name: String) -> Int? { program.clusters.firstIndex { $0.name == name } }

    private mutating func str(_ s: String) -> Int {
        if let i = stringIndex[s] { return i }
        p.strings.append(s)
        stringIndex[s] = p.strings.count - 1
        return p.strings.count - 1
    }

    private mutating func node(_ n: IRPlatformNode) -> Int32 {
        p.nodes.append(n)
        return Int32(p.nodes.count - 1)
    }

    private func text(_ e: Expr) -> String {
        guard e.span.file >= 0, e.span.file < files.count else { return "this expression" }
        return files[e.span.file].text(of: e.span)
    }

    private func refuse(_ e: Expr) -> IRCompileError {
        return IRCompileError(
            "the engine cannot evaluate `\(text(e))` in a route or a DR trigger", at: e.span,
            help: "a route reads the order only as `table[order.field].column`; a DR trigger reads `down`, "
                + "`down_count`, `lag`, `security_incident` and `regulatory_halt`")
    }

    /// `E in cluster.hubs`.
    private func isHubFilter(_ e: Expr) -> Bool {
        guard case .binary(.in, _, let r) = e.kind, case .select(let base, let name) = r.kind, name.text == "hubs",
            case .routeCandidate? = program.resolutions[base.id]
        else { return false }
        return true
    }

    /// The node of a scalar constant; nil for a list, a set or a type routes cannot read.
    private mutating func scalar(_ v: Value) -> Int32? {
        switch v {
        case .bool(let b): return node(IRPlatformNode(.bool, value: b ? 1 : 0))
        case .int(let i): return node(IRPlatformNode(.number, value: Int128(i) * Fixed.one))
        case .decimal(let f): return node(IRPlatformNode(.number, value: f.raw))
        case .percent(let f): return node(IRPlatformNode(.number, value: f.raw / 100))
        case .duration(let ns): return node(IRPlatformNode(.duration, value: Int128(ns)))
        case .symbol(let s), .string(let s): return node(IRPlatformNode(.symbol, a: Int32(str(s))))
        case .enumCase(_, let c): return node(IRPlatformNode(.symbol, a: Int32(str(c))))
        default: return nil
        }
    }

    private mutating func constant(_ v: Value, _ e: Expr) throws -> Int32 {
        if let n = scalar(v) { return n }
        switch v {
        case .list(let xs), .set(let xs):
            var items: [Int32] = []
            for x in xs { items.append(try constant(x, e)) }
            return list(items)
        default:
            throw refuse(e)
        }
    }

    private mutating func list(_ items: [Int32]) -> Int32 {
        let start = p.listItems.count
        p.listItems.append(contentsOf: items)
        return node(IRPlatformNode(.list, a: Int32(start), b: Int32(items.count)))
    }

    /// Compiles `e`.
    mutating func expr(_ e: Expr) throws -> Int32 {
        if let v = program.constants[e.id] { return try constant(v, e) }
        switch e.kind {
        case .identifier:
            switch program.resolutions[e.id] {
            case .cluster(let n)?, .jurisdiction(let n)?: return node(IRPlatformNode(.symbol, a: Int32(str(n))))
            case .enumCase(_, let c)?: return node(IRPlatformNode(.symbol, a: Int32(str(c))))
            default: throw refuse(e)
            }
        case .select(let base, let name):
            if case .platformField(let f)? = program.resolutions[e.id] {
                if case .routeCandidate? = program.resolutions[base.id] {
                    let field: IRClusterField? =
                        switch f {
                        case "name": .name
                        case "region": .regionName
                        case "provider": .provider
                        case "role": .role
                        case "jurisdiction": .jurisdiction
                        case "hubs": .hubs
                        case "capacity": .capacity
                        case "health": .health
                        case "load": .load
                        case "latency": .latency
                        default: nil
                        }
                    guard let field else { throw refuse(e) }
                    return node(IRPlatformNode(.clusterField, a: field.rawValue))
                }
                if case .select(let inner, let rn) = base.kind, rn.text == "region",
                    case .routeCandidate? = program.resolutions[inner.id]
                {
                    if f == "continent" { return node(IRPlatformNode(.clusterField, a: IRClusterField.continent.rawValue)) }
                    if f == "name" { return node(IRPlatformNode(.clusterField, a: IRClusterField.regionName.rawValue)) }
                }
                throw refuse(e)
            }
            guard case .index(let tableExpr, let key) = base.kind, case .data(let tname)? = program.resolutions[tableExpr.id],
                case .select(let orderExpr, let fieldName) = key.kind, case .input(schema: "order")? = program.resolutions[orderExpr.id],
                let data = program.data.first(where: { $0.name == tname }), case .table(let table) = data.source,
                table.columns.contains(where: { $0.name == name.text }),
                program.schemas.first(where: { $0.name == "order" })?.fields.first(where: { $0.name == fieldName.text })?.type
                    == .symbol
            else { throw refuse(e) }
            let k = tname + "|" + fieldName.text
            let d: Int
            if let i = dimensionIndex[k] {
                d = i
            } else {
                d = dimensionTables.count
                dimensionIndex[k] = d
                dimensionTables.append((table, tname, fieldName.text))
                dimensionColumns.append([])
            }
            used.insert(d)
            var c = dimensionColumns[d].firstIndex(of: name.text) ?? -1
            if c < 0 {
                dimensionColumns[d].append(name.text)
                c = dimensionColumns[d].count - 1
            }
            return node(IRPlatformNode(.dimension, a: Int32(d), b: Int32(c)))
        case .unary(let op, let x):
            let a = try expr(x)
            return node(IRPlatformNode(op == .not ? .not : .negate, a: a))
        case .binary(let op, let l, let r):
            let o: IRPlatformOp
            switch op {
            case .and: o = .and
            case .or: o = .or
            case .eq: o = .eq
            case .ne: o = .ne
            case .lt: o = .lt
            case .le: o = .le
            case .gt: o = .gt
            case .ge: o = .ge
            case .in: o = .isIn
            case .add: o = .add
            case .sub: o = .subtract
            default: throw refuse(e)
            }
            let a = try expr(l)
            let b = try expr(r)
            return node(IRPlatformNode(o, a: a, b: b))
        case .conditional(let c, let x, let y):
            let a = try expr(c)
            let b = try expr(x)
            let cc = try expr(y)
            return node(IRPlatformNode(.conditional, a: a, b: b, c: cc))
        case .list(let xs):
            var items: [Int32] = []
            for x in xs { items.append(try expr(x)) }
            return list(items)
        case .call(nil, let fn, let args):
            switch (fn.text, args.count) {
            case ("down", 1):
                guard case .cluster(let n)? = program.resolutions[args[0].id], let i = clusterIndex(n) else {
                    throw refuse(e)
                }
                return node(IRPlatformNode(.down, a: Int32(i)))
            case ("down_count", 1):
                guard case .enumCase(let type, let c)? = program.constants[args[0].id] else { throw refuse(e) }
                return node(IRPlatformNode(.downCount, a: Int32(str(c)), b: type == "Role" ? 0 : 1))
            case ("lag", 1):
                guard case .tier(let n)? = program.resolutions[args[0].id],
                    let i = program.tiers.firstIndex(where: { $0.name == n })
                else { throw refuse(e) }
                return node(IRPlatformNode(.lag, a: Int32(i)))
            case ("security_incident", 0): return node(IRPlatformNode(.securityIncident))
            case ("regulatory_halt", 0): return node(IRPlatformNode(.regulatoryHalt))
            default: throw refuse(e)
            }
        default:
            throw refuse(e)
        }
    }

    /// Groups each dimension's rows into classes by the columns read.
    private mutating func buildDimensions() throws {
        for (d, entry) in dimensionTables.enumerated() {
            let t = entry.table
            let cols = dimensionColumns[d].map { c in t.columns.firstIndex { $0.name == c }! }
            var classOf: [[Value]: Int] = [:]
            var classes: [[Value]] = []
            var keys: [String] = []
            var keyClass: [Int] = []
            for row in t.rows {
                guard case .symbol(let k) = row[t.keyIndex], !keys.contains(k) else { continue }
                let tuple = cols.map { row[$0] }
                let c: Int
                if let x = classOf[tuple] {
                    c = x
                } else {
                    classes.append(tuple)
                    c = classes.count
                    classOf[tuple] = c
                }
                keys.append(k)
                keyClass.append(c)
            }
            var cells: [[Int32]] = []
            for tuple in classes {
                var row: [Int32] = []
                for v in tuple {
                    guard v != .null else {
                        throw IRCompileError(
                            "a route reads an empty cell of `\(entry.name)`, which the engine cannot route on",
                            help: "fill every cell of the columns a route reads")
                    }
                    row.append(try constantCell(v))
                }
                cells.append(row)
            }
            p.dimensions.append(
                IRRouteDimension(
                    table: entry.name, field: entry.field, keys: keys, keyClass: keyClass, classCount: classes.count,
                    columns: dimensionColumns[d], cells: cells))
        }
        guard p.combinationCount <= 65_536 else {
            throw IRCompileError(
                "the routes read \(p.combinationCount) combinations of order classes, more than the engine's 65536",
                help: "read fewer columns of the order's tables in the routes")
        }
    }

    private mutating func constantCell(_ v: Value) throws -> Int32 {
        guard let n = scalar(v) else {
            throw IRCompileError("a route reads a cell of a type the engine cannot route on: `\(v)`")
        }
        return n
    }
}
