/// Jurisdiction `let`s: named, pure expressions. Each is checked once where
/// it is declared (a `let` cannot read engine state), then inlined: every
/// use in `applies`, a rule or another `let` is replaced by a copy of the
/// expression with fresh node ids, which is checked and lowered as if it had
/// been written there. The optimizer computes repeated pure subexpressions
/// once per order, so inlining costs nothing at run time.
///
/// Inlining copies whole trees, so a few lines (`let b = a + a`, `let c =
/// b + b`, …) can describe an expression of billions of nodes, or one nested
/// far deeper than the parser allows. The size and depth of each `let`'s
/// expansion are computed first, from the sizes of the `let`s it uses and
/// without building anything; an expansion over `LetTable.maxNodes` nodes or
/// `Parser.maxNesting` levels is error E0522, at the `let` or at the use.

import WritSyntax
import WritValue

/// The number of nodes of an expression tree and its depth (1 for a leaf),
/// as the parser counts it. Both saturate at `Int.max`.
struct ExprShape {
    var size: Int
    var depth: Int
    static let leaf = ExprShape(size: 1, depth: 1)

    /// Whether an expression of this shape may be built.
    var fits: Bool { size <= LetTable.maxNodes && depth <= Parser.maxNesting }
}

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
    /// The size and depth of each valid `let`'s expansion (1 × 1 for one
    /// that is too large: its uses become error nodes).
    var shapes: [String: ExprShape] = [:]
    /// The nodes inlined so far in this jurisdiction.
    var inlinedNodes = 0

    /// The most nodes one expression may have once its `let`s are inlined.
    static let maxNodes = 100_000
    /// The most nodes a jurisdiction may inline in all, its `let`s'
    /// own checks included: bounds the time to check it whatever the number
    /// of `let`s and uses.
    static let maxNodesPerJurisdiction = 1_000_000

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
        // The shape of each expansion, and the lets too large to expand.
        let (sorted, inCycle, directUses) = dependencyOrder(order, table)
        table.uses = directUses
        // A let that uses one too large is not expanded either, silently.
        var tooLarge: Set<String> = []
        for n in sorted {
            guard let l = table.decls[n] else { continue }
            let s = shape(l.value, bound: []) { table.decls[$0] == nil ? nil : table.shapes[$0] ?? .leaf }
            if directUses[n]?.contains(where: tooLarge.contains) == true {
                tooLarge.insert(n)
                table.shapes[n] = .leaf
            } else if s.fits {
                table.shapes[n] = s
            } else {
                report(Messages.letTooLarge(l.name, s))
                tooLarge.insert(n)
                table.shapes[n] = .leaf
            }
        }
        // Expand in dependency order, so that each let finds the ones it uses
        // expanded already; a cycle is reported once, where it closes.
        var stack: [String] = []
        func expand(_ n: String) -> Expr? {
            if let e = table.expanded[n] { return e }
            guard let l = table.decls[n], !tooLarge.contains(n) else { return nil }
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
        // Lets clear of cycles first, in dependency order (no deep recursion
        // for a long chain), then the rest in declaration order.
        for n in sorted where !inCycle.contains(n) { _ = expand(n) }
        for n in order { _ = expand(n) }
        let scope = Scope(place: "a `let`", inputs: .all, jurisdiction: jn)
        for n in order {
            guard let e = table.expanded[n] else { continue }
            table.inlinedNodes = satAdd(table.inlinedNodes, table.shapes[n]?.size ?? 1)
            if table.inlinedNodes > LetTable.maxNodesPerJurisdiction, let l = table.decls[n] {
                report(Messages.letsTooLargeInAll(l.name.span, jurisdiction: jn))
                // Every use of a let becomes an error node, already reported.
                for k in Array(table.expanded.keys) {
                    table.expanded[k] = errorNode(at: table.decls[k]?.name.span ?? l.name.span)
                    table.shapes[k] = .leaf
                }
                break
            }
            let body = freshCopy(e)
            table.types[n] = check(body, scope)
            if let v = program.constants[body.id] { table.constants[n] = v }
        }
        return table
    }

    /// `e` with every use of a `let` replaced by a fresh copy of its expression.
    func inlineLets(_ e: Expr, _ table: inout LetTable) -> Expr {
        if table.isEmpty { return e }
        var names: Set<String> = []
        let s = shape(e, bound: []) { name in
            guard table.decls[name] != nil else { return nil }
            names.insert(name)
            return table.expanded[name] == nil ? .leaf : table.shapes[name] ?? .leaf
        }
        if !names.isEmpty {
            table.usedDirectly.formUnion(names)
            if !s.fits {
                report(Messages.letUseTooLarge(at: e.span, s))
                return errorNode(at: e.span)
            }
            table.inlinedNodes = satAdd(table.inlinedNodes, s.size)
            if table.inlinedNodes > LetTable.maxNodesPerJurisdiction {
                if table.inlinedNodes - s.size <= LetTable.maxNodesPerJurisdiction {
                    report(Messages.letsTooLargeInAll(e.span, jurisdiction: nil))
                }
                return errorNode(at: e.span)
            }
        }
        let t = table
        var used: Set<String> = []
        let out = substitute(e, bound: []) { name, span in
            guard t.decls[name] != nil else { return nil }
            // A let too large to expand: reported at the let already.
            guard let body = t.expanded[name] else { return errorNode(at: span) }
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

    /// The lets of `order` rearranged so that each comes after the lets it
    /// uses (declaration order otherwise; members of a cycle in the order the
    /// search meets them), the lets that are in a cycle or use one, and the
    /// lets each uses directly.
    /// Iterative: a chain of many lets cannot overflow the stack.
    private func dependencyOrder(_ order: [String], _ table: LetTable) -> ([String], Set<String>, [String: Set<String>]) {
        var direct: [String: [String]] = [:]
        var usesByLet: [String: Set<String>] = [:]
        for n in order {
            guard let l = table.decls[n] else { continue }
            var seen: Set<String> = []
            var uses: [String] = []
            _ = shape(l.value, bound: []) { name in
                guard table.decls[name] != nil else { return nil }
                if seen.insert(name).inserted { uses.append(name) }
                return .leaf
            }
            direct[n] = uses
            usesByLet[n] = Set(uses)
        }
        var out: [String] = []
        var cyclic: Set<String> = []
        var state: [String: Bool] = [:]  // false: on the path, true: done
        for root in order where state[root] == nil {
            var path: [(String, Int)] = [(root, 0)]
            state[root] = false
            while let (n, k) = path.last {
                let uses = direct[n] ?? []
                if k < uses.count {
                    path[path.count - 1].1 = k + 1
                    let m = uses[k]
                    switch state[m] {
                    case nil:
                        state[m] = false
                        path.append((m, 0))
                    case false?:
                        cyclic.insert(n)  // a back edge: `n` closes a cycle
                    case true?:
                        if cyclic.contains(m) { cyclic.insert(n) }
                    }
                } else {
                    path.removeLast()
                    state[n] = true
                    out.append(n)
                    if cyclic.contains(n), let parent = path.last { cyclic.insert(parent.0) }
                }
            }
        }
        return (out, cyclic, usesByLet)
    }

    /// The size and depth of `e` with each bare name for which `letShape`
    /// gives a shape replaced by a tree of that shape (as `substitute` would
    /// replace it), without building anything. Recursion is bounded by the
    /// parser's nesting cap on `e` itself.
    private func shape(_ e: Expr, bound: Set<String>, _ letShape: (String) -> ExprShape?) -> ExprShape {
        func node(_ xs: [Expr], _ b: Set<String>) -> ExprShape {
            var size = 1
            var depth = 0
            for x in xs {
                let s = shape(x, bound: b, letShape)
                size = satAdd(size, s.size)
                depth = max(depth, s.depth)
            }
            return ExprShape(size: size, depth: satAdd(depth, 1))
        }
        switch e.kind {
        case .identifier(let n):
            if !bound.contains(n), let s = letShape(n) { return s }
            return .leaf
        case .literal, .error:
            return .leaf
        case .select(let b, _):
            return node([b], bound)
        case .call(let t, let f, let args):
            var inner = bound
            if t != nil, Builtins.macros.contains(f.text), let v = args.first, case .identifier(let x) = v.kind {
                inner.insert(x)
            }
            let target = t.map { shape($0, bound: bound, letShape) }
            var s = node(args, inner)
            if let target {
                s.size = satAdd(s.size, target.size)
                s.depth = max(s.depth, satAdd(target.depth, 1))
            }
            return s
        case .index(let b, let i):
            return node([b, i], bound)
        case .unary(_, let x):
            return node([x], bound)
        case .binary(_, let a, let b):
            return node([a, b], bound)
        case .conditional(let x, let a, let b):
            return node([x, a, b], bound)
        case .list(let xs), .tuple(let xs):
            return node(xs, bound)
        case .map(let es):
            return node(es.map(\.key) + es.map(\.value), bound)
        }
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
