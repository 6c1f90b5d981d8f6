/// Written types (`money(currency)?`, `list<symbol>`) to checked types, and
/// the schemas built from them.

import WritSyntax

extension Analyzer {
    /// Where a written type appears, which decides what it may say.
    enum TypePlace {
        /// A schema field: siblings are the schema's fields, `?` allowed.
        case field(siblings: [FieldDecl])
        /// A data column: siblings are the columns, `?` allowed.
        case column(siblings: [FieldDecl])
        /// A constant, set or bound data type: no `?`, no `money(field)`.
        case value
    }

    /// Resolves a written type; returns the value type and whether it is optional.
    func resolveType(_ ref: TypeRef, _ place: TypePlace) -> (type: WType, optional: Bool) {
        if case .optional(let inner) = ref.kind {
            switch place {
            case .field, .column:
                return (resolveInner(inner, place), true)
            case .value:
                report(Messages.optionalNotAllowed(at: ref.span))
                return (resolveInner(inner, place), false)
            }
        }
        return (resolveInner(ref, place), false)
    }

    private func resolveInner(_ ref: TypeRef, _ place: TypePlace) -> WType {
        switch ref.kind {
        case .error:
            return .error
        case .optional(let inner):
            report(Messages.optionalNotAllowed(at: ref.span))
            return resolveInner(inner, place)
        case .list(let t):
            return .list(resolveInner(t, .value))
        case .set(let t):
            return .set(resolveInner(t, .value))
        case .map(let k, let v):
            return .map(resolveInner(k, .value), resolveInner(v, .value))
        case .money(nil):
            return .money(.dynamic)
        case .money(let n?):
            return moneyType(n, place)
        case .named(let n):
            if let p = BuiltinEnums.primitiveTypes[n.text] { return p }
            if enumCases[n.text] != nil {
                useEnum(n.text)
                return .enumeration(n.text)
            }
            if n.text == "money" { return .money(.dynamic) }
            if let d = names[n.text] {
                report(Messages.notAType(n, kind: d.kindWord))
                return .error
            }
            let candidates = Array(BuiltinEnums.primitiveTypes.keys) + ["money"] + Array(enumCases.keys)
            report(Messages.unknownType(n, suggestion: suggestion(for: n.text, in: candidates)))
            return .error
        }
    }

    private func moneyType(_ n: Name, _ place: TypePlace) -> WType {
        var siblings: [FieldDecl] = []
        switch place {
        case .field(let s), .column(let s): siblings = s
        case .value: break
        }
        if let sib = siblings.first(where: { $0.name.text == n.text }) {
            var k = sib.type.kind
            if case .optional(let inner) = k { k = inner.kind }
            if case .named(let tn) = k, tn.text == "currency" { return .money(.dynamic) }
            if case .error = k { return .error }
            report(Messages.moneyFieldNotCurrency(n, field: sib.name))
            return .error
        }
        if Currencies.looksLikeCode(n.text) {
            if Currencies.isKnown(n.text) { return .money(.fixed(n.text)) }
            report(Messages.unknownCurrency(n.text, at: n.span))
            return .error
        }
        report(Messages.invalidMoneyCurrency(n, inSchema: !siblings.isEmpty))
        return .error
    }

    /// Resolves the fields of a schema or the columns of a table.
    func resolveFields(_ fields: [FieldDecl], owner: String, columns: Bool) -> [CheckedField] {
        var out: [CheckedField] = []
        var seen: [String: Span] = [:]
        for f in fields {
            if let first = seen[f.name.text] {
                report(Messages.duplicateMember(f.name, what: columns ? "column" : "field", in: owner, first: first))
                continue
            }
            seen[f.name.text] = f.name.span
            let place: TypePlace = columns ? .column(siblings: fields) : .field(siblings: fields)
            let (t, opt) = resolveType(f.type, place)
            var currencyField: String?
            if case .money(let n?) = f.type.kind, fields.contains(where: { $0.name.text == n.text }) {
                currencyField = n.text
            } else if case .optional(let inner) = f.type.kind, case .money(let n?) = inner.kind,
                fields.contains(where: { $0.name.text == n.text })
            {
                currencyField = n.text
            }
            if columns, let d = f.defaultValue {
                report(
                    Messages.propertyNotApplicable(
                        "a default", because: "to a data column, whose values come from the file", at: d.span))
            }
            out.append(
                CheckedField(
                    name: f.name.text, type: t, isOptional: opt, currencyField: currencyField,
                    defaultValue: columns ? nil : f.defaultValue, span: f.span))
        }
        return out
    }

    /// The type the engine reads a role field as.
    private enum RoleType {
        case timestamp, text, decimal
        /// An `enum` with a `buy` case (an order's side).
        case side

        var expected: String {
            switch self {
            case .timestamp: return "a `timestamp`"
            case .text: return "a `symbol` (or `string`)"
            case .decimal: return "a `decimal`"
            case .side: return "an `enum` with a `buy` case"
            }
        }
    }

    /// The fields the engine reads by name (EngineProgram's roles) whose
    /// wrong type would make it ignore them silently: every event without
    /// its time, every order without its id, fills that change nothing.
    private static let roleFields: [(schema: String, field: String, type: RoleType, effect: String)] = [
        ("order", "ts", .timestamp, "every order would be refused for a missing `ts`"),
        ("market", "ts", .timestamp, "price histories (`window_max`, `window_min`) would record nothing"),
        ("fill", "ts", .timestamp, "fills would change nothing"),
        ("order", "id", .text, "orders would have no id: none could be modified, cancelled or filled"),
        ("fill", "id", .text, "fills would change nothing"),
        ("fill", "exec_id", .text, "a fill delivered twice would count twice"),
        ("order", "qty", .decimal, "a live order would not close when fills reach its quantity"),
        ("fill", "qty", .decimal, "fills would change nothing"),
        ("order", "side", .side, "every fill would count as a sale in positions"),
    ]

    /// Reports a field of `schema` that the engine reads by name, declared
    /// with a type it does not read (`ts` must be a `timestamp`; ids a
    /// `symbol` or a `string`; quantities a `decimal`; the side an `enum`
    /// with a `buy` case).
    private func checkRoleFields(_ schema: String, _ fields: [CheckedField]) {
        for r in Self.roleFields where r.schema == schema {
            guard let f = fields.first(where: { $0.name == r.field }) else { continue }
            let ok: Bool
            switch (f.type, r.type) {
            case (.timestamp, .timestamp), (.symbol, .text), (.string, .text), (.decimal, .decimal): ok = true
            case (.enumeration(let e), .side):
                let cases = enumCases[e] ?? []
                ok = cases.isEmpty || cases.contains("buy")  // an enum without cases is E0203 already
            case (.error, _): ok = true  // reported where the type is
            default: ok = false
            }
            if ok { continue }
            report(Messages.roleFieldType(schema, r.field, found: f.type, expected: r.type.expected, effect: r.effect, at: f.span))
        }
    }

    /// Builds every schema (and the built-in `decision` record).
    func checkSchemas() {
        for d in allDecls {
            guard case .schema(let s) = d, isRegistered(s.name) else { continue }
            let fields = resolveFields(s.fields, owner: "schema `\(s.name.text)`", columns: false)
            checkRoleFields(s.name.text, fields)
            schemas[s.name.text] = SchemaInfo(name: s.name.text, fields: fields)
            program.schemas.append(CheckedSchema(name: s.name.text, fields: fields, span: s.span))
        }
        if schemas["decision"] == nil {
            let fields = BuiltinEnums.decisionFields(hasOrder: schemas["order"] != nil).map {
                CheckedField(
                    name: $0.0, type: $0.1, isOptional: false, currencyField: nil, defaultValue: nil, span: .unknown)
            }
            schemas["decision"] = SchemaInfo(name: "decision", fields: fields)
        }
    }
}

extension Analyzer {
    /// Checks the derived defaults of schema fields: each is a value of its
    /// field's type, reading sibling fields by bare name and reference data,
    /// and no default depends on itself through other defaults.
    func checkFieldDefaults() {
        for schema in program.schemas {
            let s = Scope(place: "a field default", record: schema.name)
            var reads: [String: [String]] = [:]
            for f in schema.fields {
                guard let d = f.defaultValue else { continue }
                require(d, s, f.type, what: "the default of `\(schema.name).\(f.name)`")
                reads[f.name] = siblingReads(d, schema: schema.name)
            }
            // A default that reaches its own field through other defaults never
            // ends; one report per cycle, at its first field.
            func reach(_ from: String) -> Set<String> {
                var seen: Set<String> = []
                var stack = reads[from] ?? []
                while let n = stack.popLast() {
                    if seen.insert(n).inserted { stack += reads[n] ?? [] }
                }
                return seen
            }
            var reported: Set<String> = []
            for f in schema.fields where reads[f.name] != nil && !reported.contains(f.name) {
                let forward = reach(f.name)
                guard forward.contains(f.name), let d = f.defaultValue else { continue }
                reported.formUnion(forward.filter { reach($0).contains(f.name) })
                report(Messages.cyclicDefinition("\(schema.name).\(f.name)", at: d.span, decl: f.span))
            }
        }
    }

    /// The sibling fields an expression reads by bare name.
    private func siblingReads(_ e: Expr, schema: String) -> [String] {
        var out: [String] = []
        func walk(_ x: Expr) {
            switch x.kind {
            case .identifier:
                if case .field(let s, let f)? = program.resolutions[x.id], s == schema { out.append(f) }
            case .select(let b, _): walk(b)
            case .index(let b, let i): walk(b); walk(i)
            case .call(let t, _, let args): t.map(walk); args.forEach(walk)
            case .unary(_, let a): walk(a)
            case .binary(_, let a, let b): walk(a); walk(b)
            case .conditional(let a, let b, let c): walk(a); walk(b); walk(c)
            case .list(let xs), .tuple(let xs): xs.forEach(walk)
            case .map(let es):
                es.forEach {
                    walk($0.key); walk($0.value)
                }
            case .literal, .error: break
            }
        }
        walk(e)
        return out
    }
}
