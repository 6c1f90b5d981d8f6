/// Jurisdiction `let`s: named, pure expressions. Each is checked once where
/// it is declared (a `let` cannot read engine state), then inlined: every
/// use in `applies`, a rule or another `let` is replaced by a copy of the
/// expression with fresh node ids, which is checked and lowered as if it had
/// been written there. The optimizer computes repeated pure subexpressions
/// once per order, so inlining costs nothing at run time.

import WritSyntax
import WritValue

/// The `let`s of one jurisdiction, ready to inline.
struct LetTable {
    /// Each valid `let`'s declaration by name.
    var decls: [String: Property] = [:]
    /// Each valid `let`'s expression with the `let`s it uses already inlined
    /// (nil when it is part of a cycle).
    var expanded: [String: Expr] = [:]
    /// The `let`s each `let` uses directly.
    var uses: [String: Set<String>] = [:]
    /// The `let`s used by `applies`, a rule or a message, directly.
    var usedDirectly: Set<String> = []
    /// The value of each `let` that folds to a constant.
    var constants: [String: Value] = [:]
    /// The type of each `let`.
    var types: [String: WType] = [:]

    /// Whether there is nothing to inline.
    var isEmpty: Bool { decls.isEmpty }
}

extension Analyzer {
    /// Reads the `let`s of `j`: duplicates, names that would hide another
    /// name, cycles; checks each expression once in a scope without engine
    /// state. Returns the table that `inlineLets` uses.
    func checkLets(_ j: JurisdictionDecl) -> LetTable {
        let jn = j.name.text
        var table = LetTable()
        var order: [String] = []
        for l in j.lets {
            let n = l.name.text
            if let first = table.decls[n] {
                report(Messages.duplicateMember(l.name, what: "let", in: "jurisdiction `\(jn)`", first: first.name.span))
                continue
            }
            if let d = letShadowing(l.name, jurisdiction: jn) {
                report(d)
                continue
            }
            table.decls[n] = l
            order.append(n)
        }
        // Expand in declaration order; a cycle is reported once, where it closes.
        var stack: [String] = []
        func expand(_ n: String) -> Expr? {
            if let e = table.expanded[n] { return e }
            guard let l = table.decls[n] else { return nil }
            stack.append(n)
            var direct: Set<String> = []
            let e = substitute(l.value, bound: []) { name, span in
                guard table.decls[name] != nil else { return nil }
                direct.insert(name)
                if stack.contains(name) {
                    report(Messages.cyclicDefinition(name, at: span, decl: table.decls[name]!.name.span))
                    return errorNode(at: span)
                }
                return expand(name).map(freshCopy) ?? errorNode(at: span)
            }
            stack.removeLast()
            table.uses[n] = direct
            table.expanded[n] = e
            return e
        }
        for n in order { _ = expand(n) }
        let scope = Scope(place: "a `let`", inputs: .all, jurisdiction: jn)
        for n in order {
            guard let e = table.expanded[n] else { continue }
            let body = freshCopy(e)
            table.types[n] = check(body, scope)
            if let v = program.constants[body.id] { table.constants[n] = v }
        }
        return table
    }

    /// `e` with every use of a `let` replaced by a fresh copy of its expression.
    func inlineLets(_ e: Expr, _ table: inout LetTable) -> Expr {
        if table.isEmpty { return e }
        let t = table
        var used: Set<String> = []
        let out = substitute(e, bound: []) { name, span in
            guard let body = t.expanded[name] else { return nil }
            used.insert(name)
            return freshCopy(body)
        }
        table.usedDirectly.formUnion(used)
        return out
    }

    /// Warns about the `let`s that nothing uses, directly or through another `let`.
    func warnUnusedLets(_ j: JurisdictionDecl, _ table: LetTable) {
        var reached: Set<String> = []
        var work = Array(table.usedDirectly)
        while let n = work.popLast() {
            guard reached.insert(n).inserted else { continue }
            work += table.uses[n] ?? []
        }
        for l in j.lets where table.decls[l.name.text] == l && !reached.contains(l.name.text) {
            report(Messages.unused(l.name, kind: "let"))
        }
    }

    /// The diagnostic for a `let` whose name is already a limit, a
    /// declaration, a built-in function, an input or an enum case.
    private func letShadowing(_ n: Name, jurisdiction j: String) -> Diagnostic? {
        let name = n.text
        if let p = limitDecls[j]?[name] {
            return Messages.letShadows(n, what: "limit", declared: p.name.span)
        }
        if let d = names[name] {
            return Messages.letShadows(n, what: d.kindWord, declared: d.nameSpan)
        }
        if Builtins.functions[name] != nil || Builtins.methods[name] != nil {
            return Messages.letShadows(n, what: "built-in function", declared: nil)
        }
        let owners = enumsWithCase(name)
        if let e = owners.first {
            return Messages.letShadows(n, what: "case of enum `\(e)`", declared: nil)
        }
        return nil
    }

    /// A new node id, above every id the parser hands out.
    func freshNodeID() -> NodeID {
        nextFreshID += 1
        return NodeID(nextFreshID)
    }

    /// An error node (already diagnosed) at `span`.
    private func errorNode(at span: Span) -> Expr {
        Expr(id: freshNodeID(), span: span, kind: .error)
    }

    /// A deep copy of `e` with fresh node ids.
    func freshCopy(_ e: Expr) -> Expr {
        substitute(e, bound: [], copy: true) { _, _ in nil }
    }

    /// `e` with each bare name that is not a macro variable and for which
    /// `replace` gives an expression replaced by it. The nodes above a
    /// replacement get fresh ids; the rest stay as parsed, unless `copy`.
    private func substitute(
        _ e: Expr, bound: Set<String>, copy: Bool = false, _ replace: (String, Span) -> Expr?
    ) -> Expr {
        // nil: the subtree is unchanged.
        func go(_ e: Expr, _ bound: Set<String>) -> Expr? {
            func keep(_ x: Expr, _ b: Set<String>) -> (Expr, Bool) {
                if let y = go(x, b) { return (y, true) }
                return (x, false)
            }
            func all(_ xs: [Expr], _ b: Set<String>) -> ([Expr], Bool) {
                let r = xs.map { keep($0, b) }
                return (r.map(\.0), r.contains { $0.1 })
            }
            let kind: ExprKind
            var changed = copy
            switch e.kind {
            case .identifier(let n):
                if !bound.contains(n), let r = replace(n, e.span) { return r }
                kind = e.kind
            case .literal, .error:
                kind = e.kind
            case .select(let b, let n):
                let (b2, c) = keep(b, bound)
                changed = changed || c
                kind = .select(base: b2, name: n)
            case .call(let t, let f, let args):
                var inner = bound
                if t != nil, Builtins.macros.contains(f.text), let v = args.first, case .identifier(let x) = v.kind {
                    inner.insert(x)
                }
                let t2 = t.map { keep($0, bound) }
                let (a2, c) = all(args, inner)
                changed = changed || c || t2?.1 == true
                kind = .call(target: t2?.0, function: f, args: a2)
            case .index(let b, let i):
                let (xs, c) = all([b, i], bound)
                changed = changed || c
                kind = .index(base: xs[0], index: xs[1])
            case .unary(let op, let x):
                let (x2, c) = keep(x, bound)
                changed = changed || c
                kind = .unary(op, x2)
            case .binary(let op, let a, let b):
                let (xs, c) = all([a, b], bound)
                changed = changed || c
                kind = .binary(op, xs[0], xs[1])
            case .conditional(let x, let a, let b):
                let (xs, c) = all([x, a, b], bound)
                changed = changed || c
                kind = .conditional(xs[0], xs[1], xs[2])
            case .list(let xs):
                let (ys, c) = all(xs, bound)
                changed = changed || c
                kind = .list(ys)
            case .tuple(let xs):
                let (ys, c) = all(xs, bound)
                changed = changed || c
                kind = .tuple(ys)
            case .map(let es):
                let (ks, c1) = all(es.map(\.key), bound)
                let (vs, c2) = all(es.map(\.value), bound)
                changed = changed || c1 || c2
                kind = .map(zip(ks, vs).map { MapEntry(key: $0, value: $1) })
            }
            return changed ? Expr(id: freshNodeID(), span: e.span, kind: kind) : nil
        }
        return go(e, bound) ?? e
    }
}
