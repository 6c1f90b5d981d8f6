/// The checker's working state: the program being built, the namespace of
/// top-level declarations, and the order of the passes.

import WritSyntax
import WritValue

/// A top-level declaration, by kind, as entered in the namespace.
enum TopDecl {
    case schema(SchemaDecl)
    case enumeration(EnumDecl)
    case constant(ConstDecl)
    case set(SetDecl)
    case data(DataDecl)
    case jurisdiction(JurisdictionDecl)
    case block(BlockDecl)
    case route(RouteDecl)
    case dr(DRDecl)
    case report(ReportDecl)
    case builtinEnum(String)

    /// The declaration's kind in words: `constant`, `cluster`, …
    var kindWord: String {
        switch self {
        case .schema: "schema"
        case .enumeration, .builtinEnum: "enum"
        case .constant: "constant"
        case .set: "set"
        case .data: "data table"
        case .jurisdiction: "jurisdiction"
        case .block(let b): b.kind == .dataClass ? "data class" : b.kind.rawValue
        case .route: "route"
        case .dr: "dr policy"
        case .report: "report"
        }
    }

    /// Where its name is written (nil for a built-in).
    var nameSpan: Span? {
        switch self {
        case .schema(let d): d.name.span
        case .enumeration(let d): d.name.span
        case .constant(let d): d.name.span
        case .set(let d): d.name.span
        case .data(let d): d.name.span
        case .jurisdiction(let d): d.name.span
        case .block(let d): d.name.span
        case .route(let d): d.name.span
        case .dr(let d): d.name.span
        case .report(let d): d.name.span
        case .builtinEnum: nil
        }
    }
}

/// Progress of a declaration that others may depend on (constants, limits).
enum Progress<T> {
    case inProgress
    case done(T)
}

/// Where an expression is checked: what it may refer to.
struct Scope {
    /// Which input records are visible.
    enum Inputs: Equatable {
        case all
        case only(String)
        case none
    }
    /// Where we are, for messages: `a constant`, `a DR trigger`, `a route`.
    var place: String
    /// Input records in scope.
    var inputs: Inputs = .none
    /// The jurisdiction whose limits are in scope.
    var jurisdiction: String?
    /// Whether stateful built-ins (`rate`, …) may be called.
    var stateful = false
    /// The rule whose condition this is (the owner of its `latch` calls).
    var rule: RuleID?
    /// Whether DR trigger inputs (`down`, …) may be called.
    var drInputs = false
    /// Whether `cluster` names the route candidate.
    var candidate = false
    /// The schema whose fields are visible by bare name (in a field's default).
    var record: String?
    /// Macro variables, innermost last.
    var locals: [(name: String, type: WType, binder: NodeID)] = []
    /// Whether we are inside a macro body.
    var inMacro: Bool { !locals.isEmpty }
}

/// A schema's fields, ready for lookup.
struct SchemaInfo {
    var name: String
    var fields: [CheckedField]
    func field(_ n: String) -> CheckedField? { fields.first { $0.name == n } }
}

/// The checker's state (one per `Checker.check` call).
final class Analyzer {
    let units: [SourceUnit]
    let files: [SourceFile]
    let options: CheckOptions

    var diagnostics: [Diagnostic] = []
    var program = CheckedProgram()
    var costs: [JurisdictionCost] = []
    /// The cost analysis' walk: how many macros enclose the node, and what
    /// the outermost macros of the current condition unroll to in all.
    var macroDepth = 0
    var unrolledInCondition = 0
    /// Whether the walk only bounds unrolling (expressions outside the
    /// jurisdictions, whose cost is not budgeted): then a macro over a list
    /// of unknown size is not reported.
    var boundingUnrollOnly = false

    /// The namespace shared by all files.
    var names: [String: TopDecl] = [:]
    /// Declared and built-in enums by name.
    var enumCases: [String: [String]] = [:]
    /// Schemas (and built-in records such as `decision`) by name.
    var schemas: [String: SchemaInfo] = [:]
    /// Data tables' columns by table name.
    var tables: [String: CheckedTable] = [:]
    /// Jurisdictions' limits: declaration by (jurisdiction, name).
    var limitDecls: [String: [String: Property]] = [:]

    var constantProgress: [String: Progress<(WType, Value?)>] = [:]
    var limitProgress: [String: Progress<(WType, Value?)>] = [:]
    var setProgress: [String: Progress<(WType, [Value]?)>] = [:]
    var dataProgress: [String: Progress<WType>] = [:]
    /// Checked data declarations by name.
    var dataResults: [String: CheckedData] = [:]

    /// Names that something refers to (for unused warnings); limits as `J.name`.
    var used: Set<String> = []
    /// Built-in enums the program refers to.
    var usedBuiltinEnums: Set<String> = []
    /// Empty list literals with no expected type (their element type is
    /// unknown); reported if something needs it.
    var untypedEmptyLists: Set<NodeID> = []
    /// Structural keys of state slots → index.
    var slotKeys: [String: Int] = [:]
    /// The last node id given to an inlined copy of a `let` (the ids
    /// follow the parser's: `CheckOptions.firstFreeNodeID`).
    var nextFreshID: Int32 = 1 << 30
    /// Diagnostics already reported (an inlined `let` is checked at each use;
    /// its problems are reported once).
    var reportedKeys: Set<String> = []

    init(units: [SourceUnit], files: [SourceFile], options: CheckOptions) {
        self.units = units
        self.files = files
        self.options = options
        nextFreshID = (options.firstFreeNodeID ?? (1 << 30)) - 1
    }

    /// Runs every pass in order.
    func run() {
        collectNames()
        checkEnums()
        checkSchemas()
        checkValueDeclarations()
        checkFieldDefaults()
        checkPlatform()
        checkJurisdictions()
        checkReports()
        checkTests()
        finishEnums()
        analyseCost()
        warnUnused()
        provePlatform()
    }

    // MARK: Diagnostics

    func report(_ d: Diagnostic) {
        guard reportedKeys.insert("\(d.code.id)|\(d.span)|\(d.message)").inserted else { return }
        diagnostics.append(d)
    }

    /// The source text of a span (for messages), shortened if long.
    func text(_ span: Span) -> String {
        guard span.file >= 0, span.file < files.count else { return "…" }
        var t = files[span.file].text(of: span)
        t = t.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map {
            $0.trimmed
        }.joined(separator: " ")
        if t.count > 60 { t = String(t.prefix(57)) + "…" }
        return t
    }

    // MARK: Declarations in all files

    /// Every declaration of every unit, in order.
    var allDecls: [Decl] { units.flatMap(\.decls) }

    /// Enters every named top-level declaration in the namespace; reports duplicates.
    func collectNames() {
        for e in BuiltinEnums.all {
            names[e.name] = .builtinEnum(e.name)
            enumCases[e.name] = e.cases
        }
        var drSeen: DRDecl?
        for d in allDecls {
            let entry: (Name, TopDecl)?
            switch d {
            case .schema(let x): entry = (x.name, .schema(x))
            case .enumeration(let x): entry = (x.name, .enumeration(x))
            case .constant(let x): entry = (x.name, .constant(x))
            case .set(let x): entry = (x.name, .set(x))
            case .data(let x): entry = (x.name, .data(x))
            case .jurisdiction(let x): entry = (x.name, .jurisdiction(x))
            case .block(let x): entry = (x.name, .block(x))
            case .route(let x): entry = (x.name, .route(x))
            case .dr(let x):
                entry = (x.name, .dr(x))
                if let first = drSeen {
                    report(Messages.multipleDR(x.name, at: x.name.span, first: first.name.span))
                } else {
                    drSeen = x
                }
            case .report(let x): entry = (x.name, .report(x))
            case .link, .test: entry = nil
            }
            guard let (name, decl) = entry else { continue }
            if name.text.isEmpty { continue }
            if let prior = names[name.text] {
                report(Messages.duplicateDeclaration(name, kind: decl.kindWord, prior: prior))
                continue
            }
            names[name.text] = decl
        }
    }

    /// The declaration named `n`, if it is the one in the namespace (not a
    /// duplicate that lost).
    func isRegistered(_ n: Name) -> Bool { names[n.text]?.nameSpan == n.span }

    // MARK: Enums

    func checkEnums() {
        for d in allDecls {
            guard case .enumeration(let e) = d, isRegistered(e.name) else { continue }
            var seen: [String: Span] = [:]
            var cases: [String] = []
            for c in e.cases {
                if let first = seen[c.text] {
                    report(Messages.duplicateMember(c, what: "case", in: "enum `\(e.name.text)`", first: first))
                    continue
                }
                seen[c.text] = c.span
                cases.append(c.text)
            }
            enumCases[e.name.text] = cases
            program.enums.append(CheckedEnum(name: e.name.text, cases: cases, isBuiltin: false, span: e.span))
        }
    }

    /// Appends the built-in enums the program uses (after the declared ones).
    func finishEnums() {
        for e in BuiltinEnums.all where usedBuiltinEnums.contains(e.name) {
            program.enums.append(CheckedEnum(name: e.name, cases: e.cases, isBuiltin: true, span: .unknown))
        }
    }

    /// Records that an enum (declared or built-in) is referred to.
    func useEnum(_ name: String) {
        if BuiltinEnums.named(name) != nil, case .builtinEnum? = names[name] {
            usedBuiltinEnums.insert(name)
        } else {
            used.insert(name)
        }
    }
}
