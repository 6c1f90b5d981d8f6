/// Name lookup: macro variables → the route candidate → jurisdiction limits
/// → a case of the expected enum → top-level declarations and input records.

import WritSyntax
import WritValue

/// What a bare identifier denotes.
enum NameTarget {
    case local(type: WType, binder: NodeID)
    case sibling(schema: String, field: CheckedField)
    case candidate
    case limit(jurisdiction: String, decl: Property)
    case enumCase(type: String, case: String)
    case top(TopDecl)
    case decisionRecord
}

extension Analyzer {
    /// Finds what `name` denotes in `scope` with the expected type `hint`,
    /// without reporting anything.
    func lookup(_ name: String, _ s: Scope, hint: WType?) -> NameTarget? {
        for l in s.locals.reversed() where l.name == name {
            return .local(type: l.type, binder: l.binder)
        }
        if let r = s.record, let f = schemas[r]?.field(name) { return .sibling(schema: r, field: f) }
        if s.candidate, name == "cluster" { return .candidate }
        if let j = s.jurisdiction, let p = limitDecls[j]?[name] {
            return .limit(jurisdiction: j, decl: p)
        }
        if case .enumeration(let e)? = hint, enumCases[e]?.contains(name) == true {
            return .enumCase(type: e, case: name)
        }
        if let d = names[name] { return .top(d) }
        if case .only(let r) = s.inputs, r == name, schemas[r] != nil { return .decisionRecord }
        return nil
    }

    /// Every name visible in `scope`, for did-you-mean.
    func visibleNames(_ s: Scope, hint: WType?) -> [String] {
        var out = s.locals.map(\.name)
        if let r = s.record { out += schemas[r]?.fields.map(\.name) ?? [] }
        if s.candidate { out.append("cluster") }
        if let j = s.jurisdiction { out += limitDecls[j]?.keys.map { $0 } ?? [] }
        if case .enumeration(let e)? = hint { out += enumCases[e] ?? [] }
        for (n, d) in names {
            if case .schema = d {
                switch s.inputs {
                case .all: out.append(n)
                case .only(let r): if r == n { out.append(n) }
                case .none: break
                }
            } else {
                out.append(n)
            }
        }
        if case .only(let r) = s.inputs { out.append(r) }
        return out
    }

    /// Enums that have a case with this name.
    func enumsWithCase(_ name: String) -> [String] {
        enumCases.filter { $0.value.contains(name) }.map(\.key).sorted()
    }

    /// Checks a bare identifier.
    func checkIdentifier(_ e: Expr, _ name: String, _ s: Scope, hint: WType?) -> WType {
        guard let target = lookup(name, s, hint: hint) else {
            report(unknownNameDiagnostic(name, at: e.span, s, hint: hint))
            return .error
        }
        switch target {
        case .local(let t, let binder):
            program.resolutions[e.id] = .macroVariable(name: name, macro: binder)
            return t
        case .sibling(let schema, let f):
            program.resolutions[e.id] = .field(schema: schema, field: f.name)
            return f.type
        case .candidate:
            program.resolutions[e.id] = .routeCandidate
            return .cluster
        case .limit(let j, let p):
            used.insert("\(j).\(name)")
            program.resolutions[e.id] = .limit(jurisdiction: j, name: name)
            guard let (t, v) = limitValue(j, p, at: e.span) else { return .error }
            if let v { program.constants[e.id] = v }
            return t
        case .enumCase(let t, let c):
            useEnum(t)
            program.resolutions[e.id] = .enumCase(type: t, case: c)
            program.constants[e.id] = .enumCase(type: t, case: c)
            return .enumeration(t)
        case .decisionRecord:
            program.resolutions[e.id] = .input(schema: name)
            return .record(name)
        case .top(let d):
            return checkTopReference(e, name, d, s)
        }
    }

    private func checkTopReference(_ e: Expr, _ name: String, _ d: TopDecl, _ s: Scope) -> WType {
        switch d {
        case .schema:
            switch s.inputs {
            case .all: break
            case .only(let r) where r == name: break
            default:
                report(Messages.inputNotAvailable(name, place: s.place, at: e.span))
                return .error
            }
            program.resolutions[e.id] = .input(schema: name)
            return .record(name)
        case .constant(let c):
            used.insert(name)
            program.resolutions[e.id] = .constant(name)
            guard let (t, v) = constantValue(c, at: e.span) else { return .error }
            if let v { program.constants[e.id] = v }
            return t
        case .set(let sd):
            used.insert(name)
            program.resolutions[e.id] = .set(name)
            guard let (t, vs) = setValues(sd, at: e.span) else { return .error }
            if let vs { program.constants[e.id] = .set(vs) }
            return t
        case .data(let dd):
            used.insert(name)
            program.resolutions[e.id] = .data(name)
            guard let t = dataType(dd, at: e.span) else { return .error }
            if case .literal(let v)? = dataResults[name]?.source {
                program.constants[e.id] = v
            }
            return t
        case .jurisdiction:
            program.resolutions[e.id] = .jurisdiction(name)
            return .jurisdiction
        case .block(let b):
            switch b.kind {
            case .cluster:
                program.resolutions[e.id] = .cluster(name)
                return .cluster
            case .region:
                program.resolutions[e.id] = .region(name)
                return .region
            case .tier:
                program.resolutions[e.id] = .tier(name)
                return .tier
            case .dataClass:
                program.resolutions[e.id] = .dataClass(name)
                return .dataClass
            case .level:
                report(Messages.notAValue(name, kind: "level", at: e.span))
                return .error
            }
        case .enumeration, .builtinEnum:
            useEnum(name)
            report(Messages.enumIsNotAValue(name, example: enumCases[name]?.first, at: e.span))
            return .error
        case .route, .dr, .report:
            report(Messages.notAValue(name, kind: d.kindWord, at: e.span))
            return .error
        }
    }

    /// The diagnostic for a name that is not in scope.
    func unknownNameDiagnostic(_ name: String, at span: Span, _ s: Scope, hint: WType?) -> Diagnostic {
        // `order.qty` in a file that neither declares nor imports `schema order`:
        // the input is missing, not an enum case (`Event.order` would not help).
        let wantsEnum: Bool = if case .enumeration? = hint { true } else { false }
        if ["order", "market", "fill", "control"].contains(name), schemas[name] == nil, !wantsEnum {
            return Messages.missingInputSchema(name, at: span)
        }
        let owners = enumsWithCase(name)
        if !owners.isEmpty {
            // The author meant one of these enums: do not also call them unused.
            owners.forEach(useEnum)
            return Messages.bareEnumCase(name, enums: owners, at: span)
        }
        let suggestion = suggestion(for: name, in: visibleNames(s, hint: hint))
        return Messages.unknownName(name, suggestion: suggestion, at: span)
    }
}
