/// The tree-walking evaluator: one `switch` over the checked AST, reading
/// the checker's side tables (constants, resolutions, conversions, state
/// slots). Left to right; the first error of a strict operation is its result.

import WritSema
import WritSyntax
import WritValue

extension Oracle {
    /// The value of `e`, or the evaluation error that is its result.
    func eval(_ e: Expr, _ s: EvalScope) throws(EvalError) -> RuntimeValue {
        try eval(e, s, allowNull: false)
    }

    /// `allowNull`: an empty optional table cell is the value `null` (for
    /// `==`, `!=` and `in`) instead of an error.
    ///
    /// INTERPRETATION (Q16): "equality and `in` never error on absent
    /// constants" is read as: an empty cell of a data table compares as
    /// `null` with `==`, `!=` and `in`; any other use of it is the error
    /// `venues.tick is missing`. (An absent *input* field always errors.)
    func eval(_ e: Expr, _ s: EvalScope, allowNull: Bool) throws(EvalError) -> RuntimeValue {
        let n = Int(e.id.raw)
        let known = n >= 0 && n < constantOfNode.count
        if known, let c = constantOfNode[n] { return c }
        var v = try evalKind(e, s, allowNull: allowNull)
        if known, toDecimalNode[n], case .int(let i) = v { v = .decimal(Fixed(Int(i))) }
        return v
    }

    /// What the checker resolved a name, selection or call to.
    func resolution(_ e: Expr) -> Symbol? {
        let n = Int(e.id.raw)
        return n >= 0 && n < resolutionOfNode.count ? resolutionOfNode[n] : nil
    }

    /// A condition: a bool.
    func evalBool(_ e: Expr, _ s: EvalScope) throws(EvalError) -> Bool {
        guard case .bool(let b) = try eval(e, s) else { throw OracleMessages.unsupported("a condition that is not a bool") }
        return b
    }

    private func evalKind(_ e: Expr, _ s: EvalScope, allowNull: Bool) throws(EvalError) -> RuntimeValue {
        switch e.kind {
        case .literal(let lit):
            return try literal(lit)
        case .identifier(let name):
            return try identifier(e, name, s)
        case .select(let base, let name):
            return try select(e, base, name, s, allowNull: allowNull)
        case .index(let base, let index):
            return try self.index(base, index, s)
        case .call(let target, let fn, let args):
            return try call(e, target, fn.text, args, s)
        case .unary(let op, let x):
            let v = try eval(x, s)
            return op == .not ? try not(v) : try negate(v)
        case .binary(let op, let l, let r):
            return try binary(op, l, r, s)
        case .conditional(let c, let a, let b):
            guard case .bool(let cond) = try eval(c, s) else { throw OracleMessages.unsupported("a condition that is not a bool") }
            return try eval(cond ? a : b, s)
        case .list(let elems):
            var out: [RuntimeValue] = []
            for el in elems { out.append(try eval(el, s)) }
            if case .set? = program.types[e.id] { return .list(distinct(out)) }
            return .list(out)
        case .map(let entries):
            var out: [RuntimeValue.MapEntry] = []
            for en in entries {
                let k = try eval(en.key, s)
                let v = try eval(en.value, s)
                out.append(.init(key: k, value: v))
            }
            return .map(out)
        case .tuple(let parts):
            return try compositeKey(parts, s)
        case .error:
            throw OracleMessages.unsupported("an expression that did not check")
        }
    }

    /// A tuple `(a, b, …)`: the composite key whose text is the parts'
    /// texts joined by U+001F, left to right (docs/engine-semantics.md,
    /// "Expressions"). A part that contains U+001F, or a key longer than
    /// 256 bytes, is the error `invalid key`.
    private func compositeKey(_ parts: [Expr], _ s: EvalScope) throws(EvalError) -> RuntimeValue {
        // Checked as each part joins the key, as the engine does.
        var key = keyText(try eval(parts[0], s))
        var parts = parts.dropFirst()
        var first = true
        while let part = parts.popFirst() {
            let text = keyText(try eval(part, s))
            if first && key.unicodeScalars.contains("\u{1F}") { throw OracleMessages.invalidKey }
            if text.unicodeScalars.contains("\u{1F}") { throw OracleMessages.invalidKey }
            key += "\u{1F}" + text
            if key.utf8.count > 256 { throw OracleMessages.invalidKey }
            first = false
        }
        return .symbol(key)
    }

    /// A literal the checker did not fold (it folds them all; kept total).
    private func literal(_ lit: Literal) throws(EvalError) -> RuntimeValue {
        switch lit {
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .string(let s): return .string(s)
        case .int(let d): if let i = Int64(d) { return .int(i) }
        case .decimal(let d): if let f = Fixed(d) { return .decimal(f) }
        default: break
        }
        throw OracleMessages.unsupported("a literal")
    }

    private func distinct(_ xs: [RuntimeValue]) -> [RuntimeValue] {
        var out: [RuntimeValue] = []
        for x in xs where !out.contains(where: { (try? equal($0, x)) == true }) { out.append(x) }
        return out
    }

    // MARK: Names

    private func identifier(_ e: Expr, _ name: String, _ s: EvalScope) throws(EvalError) -> RuntimeValue {
        switch resolution(e) {
        case .input(let schema)?:
            switch s.records[schema] {
            case .record(let r)?: return .record(r)
            case .unavailable(let err)?: throw err
            case nil: throw OracleMessages.unsupported("`\(schema)`")
            }
        case .field(let schema, let field)?:
            // A sibling field read by bare name in a derived default.
            guard let r = s.building, r.schema == schema else { throw OracleMessages.unsupported("`\(name)`") }
            guard let v = r.fields[field] else { throw OracleMessages.missingField(schema, field) }
            return v
        case .macroVariable(_, let binder)?:
            guard let v = s.locals[binder] else { throw OracleMessages.unsupported("`\(name)`") }
            return v
        case .data(let d)?:
            return try dataValue(d)
        default:
            throw OracleMessages.unsupported("`\(name)`")
        }
    }

    /// The value of a `data` declaration: a table, bound data, or a literal.
    private func dataValue(_ name: String) throws(EvalError) -> RuntimeValue {
        guard let d = dataByName[name] else { throw OracleMessages.unsupported("`\(name)`") }
        switch d.source {
        case .table: return .table(name)
        case .literal(let v): return RuntimeValue(v)
        case .bound(let binding):
            guard let v = bindings[binding] else { throw OracleMessages.unbound(binding) }
            return v
        }
    }

    private func select(_ e: Expr, _ base: Expr, _ name: Name, _ s: EvalScope, allowNull: Bool) throws(EvalError)
        -> RuntimeValue
    {
        switch resolution(e) {
        case .field(let schema, let field)?:
            guard case .record(let r) = try eval(base, s) else { throw OracleMessages.unsupported("`.\(name.text)`") }
            guard let v = r.fields[field] else { throw OracleMessages.missingField(schema, field) }
            return v
        case .column(let table, let column)?:
            guard case .row(_, let cells) = try eval(base, s), let t = tablesByName[table],
                let ci = t.columns.firstIndex(where: { $0.name == column }), ci < cells.count
            else { throw OracleMessages.unsupported("`.\(name.text)`") }
            let cell = cells[ci]
            if cell == .null && !allowNull { throw OracleMessages.missingCell(table, column) }
            return RuntimeValue(cell)
        default:
            throw OracleMessages.unsupported("`.\(name.text)`")
        }
    }

    private func index(_ base: Expr, _ index: Expr, _ s: EvalScope) throws(EvalError) -> RuntimeValue {
        let b = try eval(base, s)
        let k = try eval(index, s)
        switch b {
        case .table(let name):
            try requireBound(name)
            guard let row = row(of: k, in: name) else { throw OracleMessages.noRow(k, name) }
            return .row(table: name, cells: row)
        case .map(let entries):
            for en in entries {
                if try equal(en.key, k) { return en.value }
            }
            throw OracleMessages.noEntry(k)
        case .list(let xs):
            guard case .int(let i) = k else { throw OracleMessages.unsupported("a list index") }
            guard i >= 0, i < xs.count else { throw OracleMessages.indexOutOfRange(i) }
            return xs[Int(i)]
        default:
            throw OracleMessages.unsupported("indexing")
        }
    }

    /// The row of table `name` whose key equals `key`, if there is one.
    func row(of key: RuntimeValue, in name: String) -> [Value]? {
        guard let t = tablesByName[name] else { return nil }
        if t.binding != nil {
            switch key {
            case .symbol(let s), .string(let s): return boundTableRows[name]?[s]
            default: return nil
            }
        }
        if let index = rowOfSymbolKey[name] {
            switch key {
            case .symbol(let s), .string(let s): return index[s].map { t.rows[$0] }
            default: break
            }
        }
        for row in t.rows where (try? equal(RuntimeValue(row[t.keyIndex]), key)) == true { return row }
        return nil
    }

    // MARK: Operators

    private func binary(_ op: BinaryOp, _ l: Expr, _ r: Expr, _ s: EvalScope) throws(EvalError) -> RuntimeValue {
        switch op {
        case .and, .or:
            return .bool(try logical(op == .and, l, r, s))
        case .eq, .ne:
            let a = try eval(l, s, allowNull: true)
            let b = try eval(r, s, allowNull: true)
            let eq = try equal(a, b)
            return .bool(op == .eq ? eq : !eq)
        case .lt, .le, .gt, .ge:
            let a = try eval(l, s)
            let b = try eval(r, s)
            let c = try compare(a, b)
            switch op {
            case .lt: return .bool(c < 0)
            case .le: return .bool(c <= 0)
            case .gt: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .in:
            let x = try eval(l, s, allowNull: true)
            let c = try eval(r, s)
            return .bool(try contains(c, x))
        case .add, .sub, .mul, .div, .rem:
            let a = try eval(l, s)
            let b = try eval(r, s)
            return try arithmetic(op, a, b)
        }
    }

    /// `&&` and `||` with CEL's commutative error semantics
    /// (docs/engine-semantics.md, "Expressions"): an absorbing operand
    /// (`false` for `&&`, `true` for `||`) decides, whichever side it is on
    /// and whatever error the other side has; otherwise an error is the
    /// result.
    ///
    /// INTERPRETATION (Q6): when both sides fail, the left one's error (in
    /// source order) is the result — an engine that reorders operands must
    /// still report the leftmost error, or the reasons would differ.
    private func logical(_ isAnd: Bool, _ l: Expr, _ r: Expr, _ s: EvalScope) throws(EvalError) -> Bool {
        let absorbing = !isAnd
        var leftError: EvalError?
        do {
            if try evalBool(l, s) == absorbing { return absorbing }
        } catch {
            leftError = error
        }
        let right: Bool
        do {
            right = try evalBool(r, s)
        } catch {
            throw leftError ?? error
        }
        if right == absorbing { return absorbing }
        if let leftError { throw leftError }
        return !absorbing
    }

    private func not(_ v: RuntimeValue) throws(EvalError) -> RuntimeValue {
        guard case .bool(let b) = v else { throw OracleMessages.unsupported("`!`") }
        return .bool(!b)
    }
}
