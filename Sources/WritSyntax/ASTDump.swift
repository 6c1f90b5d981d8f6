/// A stable, indented S-expression dump of the syntax tree, for golden tests
/// and for comparing two parses. Declarations and block items go one per
/// line, indented two spaces per level; expressions and types stay on one
/// line. Spans and node ids are left out, so equal programs dump equal.
///
/// ```
/// (jurisdiction EU "MiFID II"
///   (applies (in (. order venue) EU_VENUES))
///   (rule price_collar reject "price outside the collar" (cite "RTS 6 Art. 15")
///     (when (> (. order price) (. market ref_price)))))
/// ```
public enum ASTDump {
    /// The dump of a whole file: its imports, then its declarations.
    public static func dump(_ unit: SourceUnit) -> String {
        var out = ""
        for i in unit.imports { out += "(import \(quote(i.path)))\n" }
        for d in unit.decls { out += dump(d) + "\n" }
        return out
    }

    /// The dump of one declaration (possibly several lines, no final newline).
    public static func dump(_ decl: Decl) -> String {
        var w = Writer()
        w.decl(decl)
        return w.lines.joined(separator: "\n")
    }

    /// The dump of an expression, on one line.
    public static func dump(_ e: Expr) -> String {
        var out = ""
        expr(e, into: &out)
        return out
    }

    /// The dump of a type, in Writ's own notation (`list<money(EUR)>?`).
    public static func dump(_ t: TypeRef) -> String {
        switch t.kind {
        case .named(let n): n.text
        case .money(let c): c.map { "money(\($0.text))" } ?? "money"
        case .list(let e): "list<\(dump(e))>"
        case .set(let e): "set<\(dump(e))>"
        case .map(let k, let v): "map<\(dump(k)), \(dump(v))>"
        case .optional(let e): dump(e) + "?"
        case .error: "<error>"
        }
    }

    /// A string literal as written in a dump (JSON escaping).
    static func quote(_ s: String) -> String { JSONText.quote(s) }

    private static func literal(_ l: Literal) -> String {
        switch l {
        case .int(let v), .decimal(let v): v
        case .string(let s): quote(s)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .money(let amount, let currency): "(money \(amount) \(currency))"
        case .percent(let v): "\(v)%"
        case .duration(let amount, let unit): "\(amount)\(unit)"
        case .timeOfDay(let time, let zone): zone.isEmpty ? "(time \(time))" : "(time \(time) \(zone))"
        }
    }

    private static func expr(_ e: Expr, into out: inout String) {
        func list(_ head: String, _ items: [Expr]) {
            out += "(" + head
            for i in items {
                out += " "
                expr(i, into: &out)
            }
            out += ")"
        }
        switch e.kind {
        case .literal(let l):
            out += literal(l)
        case .identifier(let n):
            out += n
        case .select(let base, let name):
            out += "(. "
            expr(base, into: &out)
            out += " \(name.text))"
        case .call(let target, let function, let args):
            if let target {
                list("call .\(function.text)", [target] + args)
            } else {
                list("call \(function.text)", args)
            }
        case .index(let base, let index):
            list("index", [base, index])
        case .unary(let op, let operand):
            list(op.rawValue, [operand])
        case .binary(let op, let l, let r):
            list(op.rawValue, [l, r])
        case .conditional(let c, let a, let b):
            list("?", [c, a, b])
        case .list(let items):
            list("list", items)
        case .tuple(let items):
            list("tuple", items)
        case .map(let entries):
            out += "(map"
            for m in entries {
                out += " ("
                expr(m.key, into: &out)
                out += " "
                expr(m.value, into: &out)
                out += ")"
            }
            out += ")"
        case .error:
            out += "<error>"
        }
    }

    /// Builds the indented lines of declarations; `close` appends the `)`s
    /// to the last line written.
    private struct Writer {
        var lines: [String] = []
        var indent = 0

        mutating func line(_ s: String) { lines.append(String(repeating: "  ", count: indent) + s) }
        mutating func close(_ n: Int = 1) { lines[lines.count - 1] += String(repeating: ")", count: n) }

        /// `(head` on its own line, the children indented, then `)`.
        mutating func node(_ head: String, _ children: (inout Writer) -> Void) {
            line("(" + head)
            indent += 1
            children(&self)
            indent -= 1
            close()
        }

        static func titled(_ head: String, _ name: Name, _ title: String?) -> String {
            "\(head) \(name.text)" + (title.map { " " + ASTDump.quote($0) } ?? "")
        }

        mutating func property(_ p: Property) { line("(= \(p.name.text) \(ASTDump.dump(p.value)))") }

        mutating func field(_ f: FieldDecl) {
            line(
                "(field \(f.name.text) \(ASTDump.dump(f.type))"
                    + (f.defaultValue.map { " (default \(ASTDump.dump($0)))" } ?? "") + ")")
        }

        mutating func block(_ b: BlockDecl) {
            node(Writer.titled(b.kind.rawValue, b.name, b.title)) { w in
                for p in b.properties { w.property(p) }
            }
        }

        mutating func decl(_ d: Decl) {
            switch d {
            case .schema(let s):
                node("schema \(s.name.text)") { w in for f in s.fields { w.field(f) } }
            case .enumeration(let e):
                line("(enum \(e.name.text)" + e.cases.map { " " + $0.text }.joined() + ")")
            case .constant(let c):
                line(
                    "(const \(c.name.text)" + (c.type.map { " (type \(ASTDump.dump($0)))" } ?? "")
                        + " \(ASTDump.dump(c.value)))")
            case .set(let s):
                line(
                    "(set \(s.name.text)" + (s.elementType.map { " (type \(ASTDump.dump($0)))" } ?? "")
                        + " \(ASTDump.dump(s.value)))")
            case .data(let dd):
                switch dd.source {
                case .csv(let path, _, let keys, let columns):
                    node(
                        "data \(dd.name.text) (from \(ASTDump.quote(path))) (key \(keys.map(\.text).joined(separator: " ")))"
                    ) { w in
                        for c in columns { w.field(c) }
                    }
                case .boundTable(let binding, let keys, let columns, let value):
                    node(
                        "data \(dd.name.text) (bound" + (binding.map { " " + ASTDump.quote($0) } ?? "") + ") (key "
                            + keys.map(\.text).joined(separator: " ") + ")"
                            + (value.map { " (default \(ASTDump.dump($0)))" } ?? "")
                    ) { w in
                        for c in columns { w.field(c) }
                    }
                case .bound(let type, let binding, let value):
                    line(
                        "(data \(dd.name.text) (type \(ASTDump.dump(type))) (bound"
                            + (binding.map { " " + ASTDump.quote($0) } ?? "") + ")"
                            + (value.map { " (default \(ASTDump.dump($0)))" } ?? "") + ")")
                case .literal(let type, let value):
                    line(
                        "(data \(dd.name.text)" + (type.map { " (type \(ASTDump.dump($0)))" } ?? "")
                            + " \(ASTDump.dump(value)))")
                }
            case .jurisdiction(let j):
                node(Writer.titled("jurisdiction", j.name, j.title)) { w in
                    for a in j.applies { w.line("(applies \(ASTDump.dump(a)))") }
                    if !j.limits.isEmpty {
                        w.node("limits") { w in for p in j.limits { w.property(p) } }
                    }
                    if let b = j.budget { w.line("(budget \(b.value))") }
                    for l in j.lets { w.line("(let \(l.name.text) \(ASTDump.dump(l.value)))") }
                    for r in j.rules { w.rule(r) }
                }
            case .block(let b):
                block(b)
            case .link(let l):
                line("(link \(l.from.text) \(l.to.text) \(ASTDump.dump(l.latency)))")
            case .route(let r):
                node(Writer.titled("route", r.name, r.title)) { w in
                    for f in r.filters { w.line("(filter \(ASTDump.dump(f)))") }
                    for k in r.ranks { w.line("(rank \(ASTDump.dump(k.key)) \(k.direction.rawValue))") }
                    if let f = r.fallback { w.line("(fallback \(ASTDump.dump(f)))") }
                    for p in r.properties { w.property(p) }
                }
            case .dr(let dr):
                node(Writer.titled("dr", dr.name, dr.title)) { w in
                    for l in dr.levels { w.block(l) }
                    for p in dr.properties { w.property(p) }
                }
            case .report(let r):
                node(Writer.titled("report", r.name, r.title)) { w in
                    for p in r.properties { w.property(p) }
                    for f in r.fields { w.line("(field \(ASTDump.quote(f.target)) \(ASTDump.dump(f.value)))") }
                }
            case .test(let t):
                node("test \(ASTDump.quote(t.name))") { w in
                    for s in t.steps {
                        switch s {
                        case .given(let g):
                            w.node("given \(g.kind.text)" + (g.repeatCount == 1 ? "" : " (repeat \(g.repeatCount))")) {
                                w in
                                for p in g.properties { w.property(p) }
                            }
                        case .bind(let b):
                            w.line("(given bound \(b.name.text) \(ASTDump.dump(b.value)))")
                        case .expect(let e):
                            let rules =
                                e.rules.map { rs in
                                    " (" + rs.map { "\($0.jurisdiction.text).\($0.rule.text)" }.joined(separator: " ")
                                        + ")"
                                } ?? ""
                            w.line("(expect \(e.verdict.text)\(rules))")
                        }
                    }
                }
            }
        }

        mutating func rule(_ r: RuleDecl) {
            var head = "rule \(r.name.text) \(r.severity.rawValue) \(ASTDump.quote(r.message))"
            if let c = r.citation { head += " (cite \(ASTDump.quote(c)))" }
            if let c = r.code { head += " (code \(c))" }
            node(head) { w in w.line("(when \(ASTDump.dump(r.condition)))") }
        }
    }
}
