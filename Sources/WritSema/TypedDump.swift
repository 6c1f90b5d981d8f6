/// A typed dump of a checked unit, in the manner of cel-go's checker tests:
/// every expression node on its own line as `text ~ type`, with its folded
/// value (`= 5%`), implicit conversion (`as decimal`) and resolution
/// (`-> limit EU.collar`). Used by golden tests and for debugging.

import WritSyntax
import WritValue

extension Symbol: CustomStringConvertible {
    /// What the name resolved to, in words: `field order.price`, `limit EU.collar`.
    public var description: String {
        switch self {
        case .input(let s): "input \(s)"
        case .field(let s, let f): "field \(s).\(f)"
        case .column(let t, let c): "column \(t).\(c)"
        case .constant(let n): "constant \(n)"
        case .limit(let j, let n): "limit \(j).\(n)"
        case .set(let n): "set \(n)"
        case .data(let n): "data \(n)"
        case .enumType(let n): "enum \(n)"
        case .enumCase(let t, let c): "case \(t).\(c)"
        case .macroVariable(let n, _): "variable \(n)"
        case .builtin(let n): "builtin \(n)"
        case .cluster(let n): "cluster \(n)"
        case .region(let n): "region \(n)"
        case .tier(let n): "tier \(n)"
        case .dataClass(let n): "class \(n)"
        case .jurisdiction(let n): "jurisdiction \(n)"
        case .routeCandidate: "route candidate"
        case .platformField(let n): "platform field \(n)"
        }
    }
}

/// Prints the expressions of a unit with their types.
public enum TypedDump {
    /// Every expression of `unit`, declaration by declaration, one node per
    /// line, children indented under their parent.
    public static func dump(_ unit: SourceUnit, _ program: CheckedProgram) -> String {
        var out = ""
        func section(_ title: String, _ exprs: [Expr]) {
            guard !exprs.isEmpty else { return }
            out += title + "\n"
            for e in exprs { node(e, depth: 1, &out, program) }
        }
        for d in unit.decls {
            switch d {
            case .schema(let s):
                for f in s.fields {
                    section("schema \(s.name.text).\(f.name.text) default", f.defaultValue.map { [$0] } ?? [])
                }
            case .enumeration:
                break
            case .constant(let c):
                section("const \(c.name.text)", [c.value])
            case .set(let s):
                section("set \(s.name.text)", [s.value])
            case .data(let x):
                if case .literal(_, let v) = x.source { section("data \(x.name.text)", [v]) }
            case .jurisdiction(let j):
                for l in j.limits { section("limit \(j.name.text).\(l.name.text)", [l.value]) }
                // The checked conditions: with the jurisdiction's `let`s inlined.
                let checked = program.jurisdictions.first { $0.name == j.name.text }
                section("applies \(j.name.text)", checked?.applies.map { [$0] } ?? j.applies)
                for r in j.rules {
                    let c = checked?.rules.first { $0.name == r.name.text }?.condition ?? r.condition
                    section("rule \(j.name.text).\(r.name.text)", [c])
                }
            case .block(let b):
                for p in b.properties { section("\(b.kind.rawValue) \(b.name.text).\(p.name.text)", [p.value]) }
            case .link(let l):
                section("link \(l.from.text) <-> \(l.to.text)", [l.latency])
            case .route(let r):
                for p in r.properties { section("route \(r.name.text).\(p.name.text)", [p.value]) }
                section("route \(r.name.text) filter", r.filters)
                section("route \(r.name.text) rank", r.ranks.map(\.key))
                section("route \(r.name.text) fallback", r.fallback.map { [$0] } ?? [])
            case .dr(let x):
                for p in x.properties { section("dr \(x.name.text).\(p.name.text)", [p.value]) }
                for l in x.levels {
                    for p in l.properties { section("level \(l.name.text).\(p.name.text)", [p.value]) }
                }
            case .report(let r):
                for p in r.properties { section("report \(r.name.text).\(p.name.text)", [p.value]) }
                for f in r.fields { section("report \(r.name.text) field \(Value.quote(f.target))", [f.value]) }
            case .test(let t):
                for step in t.steps {
                    if case .given(let g) = step {
                        for p in g.properties {
                            section("test \(Value.quote(t.name)) \(g.kind.text).\(p.name.text)", [p.value])
                        }
                    }
                }
            }
        }
        return out
    }

    private static func node(_ e: Expr, depth: Int, _ out: inout String, _ p: CheckedProgram) {
        var line = String(repeating: "  ", count: depth) + ExprPrinter.text(e) + " ~ " + (p.types[e.id]?.syntax ?? "?")
        if let v = p.constants[e.id] { line += " = \(v)" }
        if let c = p.conversions[e.id] { line += " as \(c.syntax)" }
        if let r = p.resolutions[e.id] { line += " -> \(r)" }
        if let slot = p.slotOfCall[e.id] { line += " [slot \(slot)]" }
        out += line + "\n"
        if p.constants[e.id] != nil, case .literal = e.kind { return }
        for c in children(e) { node(c, depth: depth + 1, &out, p) }
    }

    /// The direct subexpressions of a node, in source order.
    public static func children(_ e: Expr) -> [Expr] {
        switch e.kind {
        case .literal, .identifier, .error: []
        case .select(let b, _): [b]
        case .index(let b, let i): [b, i]
        case .call(let t, _, let args): (t.map { [$0] } ?? []) + args
        case .unary(_, let x): [x]
        case .binary(_, let l, let r): [l, r]
        case .conditional(let c, let a, let b): [c, a, b]
        case .list(let xs), .tuple(let xs): xs
        case .map(let es): es.flatMap { [$0.key, $0.value] }
        }
    }
}
