/// The syntax tree. It knows nothing of types: the checker (WritSema) keeps
/// its results in side tables keyed by `NodeID`, as cel-go does.

/// Identifies an expression node within one parse (unique across the files
/// of one `Program` when they are parsed with a shared `NodeIDAllocator`).
public struct NodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The raw number.
    public let raw: Int32
    /// Creates an id.
    public init(_ raw: Int32) { self.raw = raw }
    /// Orders values.
    public static func < (a: NodeID, b: NodeID) -> Bool { a.raw < b.raw }
    /// A textual form for messages and dumps.
    public var description: String { "#\(raw)" }
}

/// A name as written, with its span.
public struct Name: Sendable, Hashable, CustomStringConvertible {
    /// The text.
    public var text: String
    /// Where it is.
    public var span: Span
    /// Creates a name.
    public init(_ text: String, _ span: Span) {
        self.text = text
        self.span = span
    }
    /// A textual form for messages and dumps.
    public var description: String { text }
}

// MARK: - Expressions

/// A literal value as written. Numbers keep their digits as text (without
/// `_`); the checker gives them exact decimal values.
public enum Literal: Sendable, Hashable {
    /// `42`
    case int(String)
    /// `123.45`
    case decimal(String)
    /// `"text"` (decoded)
    case string(String)
    /// `true` / `false`
    case bool(Bool)
    /// `null`
    case null
    /// `5_000_000 EUR`: amount digits and ISO 4217 code.
    case money(amount: String, currency: String)
    /// `5%`: the number before `%`.
    case percent(String)
    /// `10ms`: amount and unit (`ns us ms s m h d`).
    case duration(amount: String, unit: String)
    /// `09:30[America/New_York]`: `HH:MM:SS` and the zone (empty = UTC).
    case timeOfDay(time: String, zone: String)
}

/// Unary operators.
public enum UnaryOp: String, Sendable, Hashable {
    case not = "!", negate = "-"
}

/// Binary operators, CEL's set.
public enum BinaryOp: String, Sendable, Hashable, CaseIterable {
    case or = "||", and = "&&"
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", `in` = "in"
    case add = "+", sub = "-", mul = "*", div = "/", rem = "%"

    /// CEL precedence: higher binds tighter.
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .eq, .ne, .lt, .le, .gt, .ge, .in: 3
        case .add, .sub: 4
        case .mul, .div, .rem: 5
        }
    }
}

/// An expression node.
public struct Expr: Sendable, Hashable {
    /// Unique id (key of the checker's side tables).
    public var id: NodeID
    /// The source range of the whole expression.
    public var span: Span
    /// What it is.
    public var kind: ExprKind
    /// Creates a node.
    public init(id: NodeID, span: Span, kind: ExprKind) {
        self.id = id
        self.span = span
        self.kind = kind
    }
}

/// The shapes of expressions.
public indirect enum ExprKind: Sendable, Hashable {
    /// A literal.
    case literal(Literal)
    /// A bare name: `order`, `collar`, `EU_VENUES`, `buy`.
    case identifier(String)
    /// Field selection `base.name`.
    case select(base: Expr, name: Name)
    /// A call: `f(args)` (target nil) or `target.f(args)` (receiver style,
    /// which includes the macros `all exists exists_one filter map`).
    case call(target: Expr?, function: Name, args: [Expr])
    /// `base[index]`
    case index(base: Expr, index: Expr)
    /// `!x`, `-x`
    case unary(UnaryOp, Expr)
    /// `a op b`
    case binary(BinaryOp, Expr, Expr)
    /// `c ? a : b`
    case conditional(Expr, Expr, Expr)
    /// `[a, b]`
    case list([Expr])
    /// `(a, b)`: a tuple of two or more parts, the composite key of a
    /// stateful function or of a data table.
    case tuple([Expr])
    /// `{k: v, …}`
    case map([MapEntry])
    /// Stands in for an expression the parser could not read (already
    /// diagnosed); the checker gives it an error type and reports nothing more.
    case error
}

/// One `key: value` of a map literal.
public struct MapEntry: Sendable, Hashable {
    /// The key.
    public var key: Expr
    /// The value.
    public var value: Expr
    /// Creates an entry.
    public init(key: Expr, value: Expr) {
        self.key = key
        self.value = value
    }
}

// MARK: - Types as written

/// A type as written in a schema, constant, set or data declaration.
public struct TypeRef: Sendable, Hashable {
    /// Where it is.
    public var span: Span
    /// What it is.
    public var kind: TypeRefKind
    /// Creates a type reference.
    public init(span: Span, kind: TypeRefKind) {
        self.span = span
        self.kind = kind
    }
}

/// The shapes of written types.
public indirect enum TypeRefKind: Sendable, Hashable {
    /// `int`, `decimal`, `symbol`, an enum name, …
    case named(Name)
    /// `money`, `money(EUR)` (currency code) or `money(currency)` (sibling field).
    case money(Name?)
    /// `list<T>`
    case list(TypeRef)
    /// `set<T>`
    case set(TypeRef)
    /// `map<K, V>`
    case map(TypeRef, TypeRef)
    /// `T?`
    case optional(TypeRef)
    /// Could not be parsed (already diagnosed).
    case error
}

// MARK: - Declarations

/// One parsed file.
public struct SourceUnit: Sendable {
    /// The file's index in the compilation (the `file` of its spans).
    public var fileIndex: Int
    /// `import "…"` lines.
    public var imports: [ImportDecl]
    /// Declarations in source order.
    public var decls: [Decl]
    /// Creates a unit.
    public init(fileIndex: Int, imports: [ImportDecl], decls: [Decl]) {
        self.fileIndex = fileIndex
        self.imports = imports
        self.decls = decls
    }
}

/// `import "path.writ"` — relative to the importing file.
public struct ImportDecl: Sendable, Hashable {
    /// The path as written (decoded string).
    public var path: String
    /// The span of the whole import.
    public var span: Span
    /// The span of the string.
    public var pathSpan: Span
    /// Creates an import.
    public init(path: String, span: Span, pathSpan: Span) {
        self.path = path
        self.span = span
        self.pathSpan = pathSpan
    }
}

/// A top-level declaration.
public enum Decl: Sendable, Hashable {
    /// A `schema` declaration.
    case schema(SchemaDecl)
    /// A `enumeration` declaration.
    case enumeration(EnumDecl)
    /// A `constant` declaration.
    case constant(ConstDecl)
    /// A `set` declaration.
    case set(SetDecl)
    /// A `data` declaration.
    case data(DataDecl)
    /// A `jurisdiction` declaration.
    case jurisdiction(JurisdictionDecl)
    /// `region`, `cluster`, `tier`, `class` and (inside `dr`) `level`: a named
    /// block of properties, told apart by `kind`.
    case block(BlockDecl)
    /// A `link` declaration.
    case link(LinkDecl)
    /// A `route` declaration.
    case route(RouteDecl)
    /// A `dr` declaration.
    case dr(DRDecl)
    /// A `report` declaration.
    case report(ReportDecl)
    /// A `test` declaration.
    case test(TestDecl)

    /// The span of the whole declaration.
    public var span: Span {
        switch self {
        case .schema(let d): d.span
        case .enumeration(let d): d.span
        case .constant(let d): d.span
        case .set(let d): d.span
        case .data(let d): d.span
        case .jurisdiction(let d): d.span
        case .block(let d): d.span
        case .link(let d): d.span
        case .route(let d): d.span
        case .dr(let d): d.span
        case .report(let d): d.span
        case .test(let d): d.span
        }
    }
}

/// `schema order { id: string  price: money(currency)? … }`
public struct SchemaDecl: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// Fields in declaration order.
    public var fields: [FieldDecl]
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(name: Name, fields: [FieldDecl], span: Span) {
        self.name = name
        self.fields = fields
        self.span = span
    }
}

/// `name: type [= default]` in a schema or a data table. A default is a
/// derived value computed when an event arrives without the field (it may
/// read sibling fields and reference data), e.g.
/// `currency: currency = venues[venue].currency`.
public struct FieldDecl: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// The type as written.
    public var type: TypeRef
    /// The derived default, if any (schemas only).
    public var defaultValue: Expr?
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(name: Name, type: TypeRef, defaultValue: Expr? = nil, span: Span) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.span = span
    }
}

/// `enum Side { buy, sell, short, short_exempt }`
public struct EnumDecl: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// The cases in declaration order.
    public var cases: [Name]
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(name: Name, cases: [Name], span: Span) {
        self.name = name
        self.cases = cases
        self.span = span
    }
}

/// `const MAX_QTY: int = 500_000`
public struct ConstDecl: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// The type as written.
    public var type: TypeRef?
    /// The value expression.
    public var value: Expr
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(name: Name, type: TypeRef?, value: Expr, span: Span) {
        self.name = name
        self.type = type
        self.value = value
        self.span = span
    }
}

/// `set EU_VENUES: symbol = ["XETR", "XPAR"]` — `elementType` is the element type.
public struct SetDecl: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// The element type, when written.
    public var elementType: TypeRef?
    /// The value expression.
    public var value: Expr
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(name: Name, elementType: TypeRef?, value: Expr, span: Span) {
        self.name = name
        self.elementType = elementType
        self.value = value
        self.span = span
    }
}

/// Where a data declaration's values come from.
public enum DataSource: Sendable, Hashable {
    /// `from "venues.csv" key mic { … }`: a CSV file under rules/data/, read
    /// at build time; rows keyed by the `key` column, or by the tuple of
    /// the key columns for a composite key `key (account, symbol)`.
    case csv(path: String, pathSpan: Span, keys: [Name], columns: [FieldDecl])
    /// `bound "sod_positions" key (account, symbol) { … } [= []]`: a keyed
    /// table the host supplies at run time (rows from a CSV file, a host
    /// call or a test) under the binding name (the declaration's name when
    /// absent); `= []` makes it empty until bound.
    case boundTable(binding: String?, keys: [Name], columns: [FieldDecl], defaultValue: Expr?)
    /// `: set<symbol> bound "kyc_blocked"`: supplied by the host at run time
    /// under the given binding name (the declaration's name when absent).
    /// `= []` after it is the value until the host binds one (`defaultValue`).
    case bound(type: TypeRef, binding: String?, defaultValue: Expr?)
    /// `[: type] = expr`: a literal.
    case literal(type: TypeRef?, value: Expr)
}

/// `data venues from "venues.csv" key mic { … }` and its other forms.
public struct DataDecl: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// Where the values come from.
    public var source: DataSource
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(name: Name, source: DataSource, span: Span) {
        self.name = name
        self.source = source
        self.span = span
    }
}

/// `name = expr` inside a block.
public struct Property: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// The value expression.
    public var value: Expr
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(name: Name, value: Expr, span: Span) {
        self.name = name
        self.value = value
        self.span = span
    }
}

/// Severity of a rule.
public enum RuleSeverity: String, Sendable, Hashable, CaseIterable {
    case reject, hold, alert, report
}

/// `rule name reject "message" cite "RTS 6 Art. 15(1)(a)" when expr`
public struct RuleDecl: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// What happens when the rule fires.
    public var severity: RuleSeverity
    /// Where the severity keyword is.
    public var severitySpan: Span
    /// The message given with the decision.
    public var message: String
    /// Where the message string is.
    public var messageSpan: Span
    /// The citation, if any (a reject or hold rule without one is warned about).
    public var citation: String?
    /// Where the citation string is.
    public var citationSpan: Span?
    /// `code N`: the FIX OrdRejReason (tag 103) a reject sends, if given.
    public var code: Int?
    /// Where `code N` is written.
    public var codeSpan: Span?
    /// The condition under which the rule fires.
    public var condition: Expr
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(
        name: Name, severity: RuleSeverity, severitySpan: Span, message: String, messageSpan: Span,
        citation: String?, citationSpan: Span?, code: Int? = nil, codeSpan: Span? = nil, condition: Expr,
        span: Span
    ) {
        self.name = name
        self.severity = severity
        self.severitySpan = severitySpan
        self.message = message
        self.messageSpan = messageSpan
        self.citation = citation
        self.citationSpan = citationSpan
        self.code = code
        self.codeSpan = codeSpan
        self.condition = condition
        self.span = span
    }
}

/// `jurisdiction EU "MiFID II" { applies when …  limits { … }  budget 200  rule … }`
public struct JurisdictionDecl: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// The display title, if any.
    public var title: String?
    /// `applies when` conditions (normally exactly one).
    public var applies: [Expr]
    /// All `limits { }` properties, in order.
    public var limits: [Property]
    /// `let NAME = EXPR` items, in order: named expressions of the
    /// jurisdiction (the property's span starts at `let`).
    public var lets: [Property]
    /// `budget N` — the worst-case cost allowed per order, in instructions.
    public var budget: (value: Int, span: Span)?
    /// Rules in declaration order.
    public var rules: [RuleDecl]
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(
        name: Name, title: String?, applies: [Expr], limits: [Property], lets: [Property] = [],
        budget: (value: Int, span: Span)?, rules: [RuleDecl], span: Span
    ) {
        self.name = name
        self.title = title
        self.applies = applies
        self.limits = limits
        self.lets = lets
        self.budget = budget
        self.rules = rules
        self.span = span
    }
    /// Structural equality.
    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.title == b.title && a.applies == b.applies && a.limits == b.limits && a.lets == b.lets
            && a.budget?.value == b.budget?.value && a.budget?.span == b.budget?.span && a.rules == b.rules
            && a.span == b.span
    }
    /// Hashes the identifying parts.
    public func hash(into h: inout Hasher) {
        h.combine(name)
        h.combine(span)
    }
}

/// Which keyword introduced a property block.
public enum BlockKind: String, Sendable, Hashable {
    case region, cluster, tier, dataClass = "class", level
}

/// `region|cluster|tier|class|level NAME ["title"] { prop = expr … }`
public struct BlockDecl: Sendable, Hashable {
    /// Which keyword introduced the block.
    public var kind: BlockKind
    /// The declared name.
    public var name: Name
    /// The display title, if any.
    public var title: String?
    /// Properties in declaration order.
    public var properties: [Property]
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(kind: BlockKind, name: Name, title: String?, properties: [Property], span: Span) {
        self.kind = kind
        self.name = name
        self.title = title
        self.properties = properties
        self.span = span
    }
}

/// `link a <-> b 62ms`
public struct LinkDecl: Sendable, Hashable {
    /// One end of the link.
    public var from: Name
    /// The other end of the link.
    public var to: Name
    /// The one-way latency (a duration expression).
    public var latency: Expr
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(from: Name, to: Name, latency: Expr, span: Span) {
        self.from = from
        self.to = to
        self.latency = latency
        self.span = span
    }
}

/// Sort direction of a `rank` clause.
public enum RankDirection: String, Sendable, Hashable {
    case asc, desc
}

/// `route NAME { filter e  rank e [asc|desc]  fallback [..]  prop = e }`
public struct RouteDecl: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// The display title, if any.
    public var title: String?
    /// `filter` conditions, in order.
    public var filters: [Expr]
    /// `rank` keys with their direction, most significant first.
    public var ranks: [(key: Expr, direction: RankDirection)]
    /// The `fallback` list, if any.
    public var fallback: Expr?
    /// Properties in declaration order.
    public var properties: [Property]
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(
        name: Name, title: String?, filters: [Expr], ranks: [(key: Expr, direction: RankDirection)],
        fallback: Expr?, properties: [Property], span: Span
    ) {
        self.name = name
        self.title = title
        self.filters = filters
        self.ranks = ranks
        self.fallback = fallback
        self.properties = properties
        self.span = span
    }
    /// Structural equality.
    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.title == b.title && a.filters == b.filters
            && a.ranks.map(\.key) == b.ranks.map(\.key) && a.ranks.map(\.direction) == b.ranks.map(\.direction)
            && a.fallback == b.fallback && a.properties == b.properties && a.span == b.span
    }
    /// Hashes the identifying parts.
    public func hash(into h: inout Hasher) {
        h.combine(name)
        h.combine(span)
    }
}

/// `dr NAME { level full { … }  level essential { … }  prop = e }`
public struct DRDecl: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// The display title, if any.
    public var title: String?
    /// Levels from the most permissive to the most restrictive, as written.
    public var levels: [BlockDecl]
    /// Properties in declaration order.
    public var properties: [Property]
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(name: Name, title: String?, levels: [BlockDecl], properties: [Property], span: Span) {
        self.name = name
        self.title = title
        self.levels = levels
        self.properties = properties
        self.span = span
    }
}

/// `field "TxId" = fill.exec_id` in a report.
public struct ReportField: Sendable, Hashable {
    /// The target field name of the report format.
    public var target: String
    /// Where the target string is.
    public var targetSpan: Span
    /// The value expression.
    public var value: Expr
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(target: String, targetSpan: Span, value: Expr, span: Span) {
        self.target = target
        self.targetSpan = targetSpan
        self.value = value
        self.span = span
    }
}

/// `report NAME ["title"] { regulator = …  field "X" = e … }`
public struct ReportDecl: Sendable, Hashable {
    /// The declared name.
    public var name: Name
    /// The display title, if any.
    public var title: String?
    /// Properties in declaration order.
    public var properties: [Property]
    /// Fields in declaration order.
    public var fields: [ReportField]
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(name: Name, title: String?, properties: [Property], fields: [ReportField], span: Span) {
        self.name = name
        self.title = title
        self.properties = properties
        self.fields = fields
        self.span = span
    }
}

/// `given order { … } [repeat N]` — one input event of a test.
public struct TestGiven: Sendable, Hashable {
    /// The event kind (a schema name such as `order`, `market`, `fill`, `control`).
    public var kind: Name
    /// Properties in declaration order.
    public var properties: [Property]
    /// How many times the event is fed (1 when absent).
    public var repeatCount: Int
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(kind: Name, properties: [Property], repeatCount: Int, span: Span) {
        self.kind = kind
        self.properties = properties
        self.repeatCount = repeatCount
        self.span = span
    }
}

/// `given bound restricted = ["XYZ"]` — the value of run-time data
/// (`data … bound`) from this point of a test on.
public struct TestBind: Sendable, Hashable {
    /// The `data` declaration.
    public var name: Name
    /// The list bound to it.
    public var value: Expr
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(name: Name, value: Expr, span: Span) {
        self.name = name
        self.value = value
        self.span = span
    }
}

/// `expect reject [EU.price_collar, US.max_value]`
public struct TestExpect: Sendable, Hashable {
    /// `allow`, `hold` or `reject` as written (the checker validates it).
    public var verdict: Name
    /// Qualified rule names `JURISDICTION.rule`; nil when no list was written
    /// (then the fired rules are not checked).
    public var rules: [(jurisdiction: Name, rule: Name)]?
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(verdict: Name, rules: [(jurisdiction: Name, rule: Name)]?, span: Span) {
        self.verdict = verdict
        self.rules = rules
        self.span = span
    }
    /// Structural equality.
    public static func == (a: Self, b: Self) -> Bool {
        a.verdict == b.verdict && a.span == b.span
            && a.rules?.map(\.jurisdiction) == b.rules?.map(\.jurisdiction)
            && a.rules?.map(\.rule) == b.rules?.map(\.rule)
    }
    /// Hashes the identifying parts.
    public func hash(into h: inout Hasher) {
        h.combine(verdict)
        h.combine(span)
    }
}

/// `test "name" { given …  expect … }` — events run in order; each `expect`
/// applies to the decision of the event just before it.
public struct TestDecl: Sendable, Hashable {
    /// The declared name.
    public var name: String
    /// Where the name string is.
    public var nameSpan: Span
    /// Steps in source order.
    public var steps: [TestStep]
    /// The source range of the whole construct.
    public var span: Span
    /// Creates the node.
    public init(name: String, nameSpan: Span, steps: [TestStep], span: Span) {
        self.name = name
        self.nameSpan = nameSpan
        self.steps = steps
        self.span = span
    }
}

/// One step of a test.
public enum TestStep: Sendable, Hashable {
    case given(TestGiven)
    case bind(TestBind)
    case expect(TestExpect)
}
