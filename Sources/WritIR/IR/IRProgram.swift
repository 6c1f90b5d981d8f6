/// The compiled program: everything the engine needs, and nothing of the
/// source except the span side table. Built by `IRCompiler`, written to and
/// read from bundle sections by `IRCodec`, printed by `IRDump`.

/// A compiled rulebook.
public struct IRProgram: Sendable, Hashable {
    /// Interned text: every string constant, table cell, set member and ISO
    /// code, sorted by bytes; a symbol's id is its index.
    public var symbols: [String] = []
    /// The constant pool: frame slots `0..<constants.count`.
    public var constants: [Int128] = []
    /// The kind of each constant slot (for the dump; the second slot of a
    /// money constant has kind `.currency`).
    public var constantKinds: [ValueKind] = []
    /// Enumerations (cases numbered from 0).
    public var enums: [IREnum] = []
    /// Input schemas with their slot layout; the fields of all schemas are
    /// numbered globally in schema order (`IRField.index`).
    public var schemas: [IRSchema] = []
    /// Number of registers after the input slots.
    public var registerCount: Int = 0
    /// Largest number of `&&`/`||` error slots any block needs.
    public var errorSlotCount: Int = 0
    /// All instructions; blocks are ranges of it.
    public var code: [Instruction] = []
    /// For each instruction, the pc its errors go to (`Instruction.noHandler`: the block fails).
    public var handlers: [UInt32] = []
    /// Code blocks: rule conditions, `applies`, state keys, derived defaults.
    public var blocks: [IRBlock] = []
    /// Source spans of instructions, sorted by pc (for explain and the dump).
    public var spans: [IRSpan] = []
    /// Source file paths, indexed by `IRSpan.file`.
    public var files: [String] = []
    /// Jurisdictions in declaration order.
    public var jurisdictions: [IRJurisdiction] = []
    /// Rules in declaration order (jurisdiction by jurisdiction).
    public var rules: [IRRule] = []
    /// State slots (one per distinct stateful call).
    public var stateSlots: [IRStateSlot] = []
    /// Data tables (and constant maps indexed at run time).
    public var tables: [IRTable] = []
    /// Constant sets tested with `in`.
    public var sets: [IRSet] = []
    /// Data the host binds at run time.
    public var bindings: [IRBinding] = []
    /// Ranges of local time tested by `between`.
    public var betweens: [IRBetween] = []
    /// Time zones used by `between`, with their UTC offset transitions.
    public var zones: [IRZone] = []
    /// Regular expressions of `matches` (RE2 syntax), compiled by the engine at load.
    public var regexes: [String] = []
    /// The decision index.
    public var index = IRDecisionIndex()
    /// Report definitions (section `REPT`).
    public var reports: [IRReport] = []
    /// Topology, routes and DR policy for the engine (nil when the program has none).
    public var platform: IRPlatform?

    /// Creates an empty program.
    public init() {}

    /// Frame index of the first input slot.
    public var inputBase: Int { constants.count }
    /// Number of input slots (all schemas).
    public var inputCount: Int { schemas.reduce(0) { $0 + $1.slotCount } }
    /// Frame index of the first register.
    public var registerBase: Int { inputBase + inputCount }
    /// Total frame size in slots.
    public var frameSize: Int { registerBase + registerCount }
    /// Every field of every schema, by global index.
    public var allFields: [IRField] { schemas.flatMap(\.fields) }
    /// Per memo slot (a block's owner): the index of its memo block.
    public var memoBlocks: [Int] {
        var out: [Int] = []
        for (bi, b) in blocks.enumerated() where b.kind == .memo {
            if b.owner >= out.count { out += [Int](repeating: -1, count: b.owner + 1 - out.count) }
            if b.owner >= 0 { out[b.owner] = bi }
        }
        return out
    }

    /// The schema with this name.
    public func schema(_ name: String) -> IRSchema? { schemas.first { $0.name == name } }
    /// The id of `text` if it is interned.
    public func symbolID(_ text: String) -> Int? {
        var lo = 0
        var hi = symbols.count
        let key = Array(text.utf8)
        while lo < hi {
            let mid = (lo + hi) / 2
            let m = Array(symbols[mid].utf8)
            if m == key { return mid }
            if m.lexicographicallyPrecedes(key) { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }
}

/// An enumeration.
public struct IREnum: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// Its cases in order.
    public var cases: [String]
    /// Creates an enumeration.
    public init(name: String, cases: [String]) {
        self.name = name
        self.cases = cases
    }
}

/// An input schema and where its fields live in the frame.
public struct IRSchema: Sendable, Hashable {
    /// The name (`order`).
    public var name: String
    /// Fields in declaration order.
    public var fields: [IRField]
    /// Frame index of its first slot.
    public var slotBase: Int
    /// Number of slots.
    public var slotCount: Int
    /// Creates a schema layout.
    public init(name: String, fields: [IRField], slotBase: Int, slotCount: Int) {
        self.name = name
        self.fields = fields
        self.slotBase = slotBase
        self.slotCount = slotCount
    }
    /// The field with this name.
    public func field(_ name: String) -> IRField? { fields.first { $0.name == name } }
}

/// A field of a schema.
public struct IRField: Sendable, Hashable {
    /// Global field index (presence bit number).
    public var index: Int
    /// The name.
    public var name: String
    /// How its value is encoded (`.none`: not held in a slot).
    public var kind: ValueKind
    /// Whether an event may omit it.
    public var optional: Bool
    /// Frame index of its (first) slot.
    public var slot: Int
    /// For enumerations: the index in `IRProgram.enums`.
    public var enumIndex: Int?
    /// For `money(f)`: the global index of sibling field `f` holding the currency.
    public var currencyField: Int?
    /// For `money(EUR)`: the symbol id of the fixed currency.
    public var fixedCurrency: Int?
    /// The block computing the derived default, if any.
    public var defaultBlock: Int?
    /// The zone of a time of day (for text rendering), if any.
    public var zone: String?
    /// Creates a field.
    public init(
        index: Int, name: String, kind: ValueKind, optional: Bool, slot: Int, enumIndex: Int? = nil,
        currencyField: Int? = nil, fixedCurrency: Int? = nil, defaultBlock: Int? = nil, zone: String? = nil
    ) {
        self.index = index
        self.name = name
        self.kind = kind
        self.optional = optional
        self.slot = slot
        self.enumIndex = enumIndex
        self.currencyField = currencyField
        self.fixedCurrency = fixedCurrency
        self.defaultBlock = defaultBlock
        self.zone = zone
    }
}

/// What a code block computes.
public enum IRBlockKind: UInt8, Sendable, Hashable {
    /// A rule's condition: `ret a` with a bool.
    case rule = 0
    /// A jurisdiction's `applies`: `ret a` with a bool.
    case applies
    /// A state slot's keys: `ret a, b, c` = key, second key, amount.
    case stateKey
    /// A field's derived default: `ret a` with the value.
    case fieldDefault
    /// A report's `select`: `ret a` with a bool (owner: the report).
    case reportSelect
    /// A report field: `ret a` with the value (owner: report × 65,536 + field).
    case reportField
    /// A memo slot's expression (owner: the slot), entered by `memo` from a
    /// rule's condition: `mret a` with the value (format 2).
    case memo
}

/// A code block: `code[start..<end]`, ending in `ret`.
public struct IRBlock: Sendable, Hashable {
    /// What it computes.
    public var kind: IRBlockKind
    /// Index of what it belongs to (rule, jurisdiction, state slot or field).
    public var owner: Int
    /// First pc.
    public var start: Int
    /// One past the last pc.
    public var end: Int
    /// Creates a block.
    public init(kind: IRBlockKind, owner: Int, start: Int, end: Int) {
        self.kind = kind
        self.owner = owner
        self.start = start
        self.end = end
    }
}

/// Where an instruction came from.
public struct IRSpan: Sendable, Hashable {
    /// The instruction.
    public var pc: Int
    /// Index into `IRProgram.files`.
    public var file: Int
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// The source text of the expression the instruction computes.
    public var text: String
    /// How to print the value (`.none` for guards).
    public var kind: ValueKind
    /// Which value the span describes: 0 the result (`a`), 1 operand `b`, 2 operand `c`.
    public var operand: Int
    /// For an enum value: the index of its enumeration in `IRProgram.enums`.
    public var enumIndex: Int?
    /// Creates a span.
    public init(
        pc: Int, file: Int, line: Int, column: Int, text: String, kind: ValueKind, operand: Int = 0, enumIndex: Int? = nil
    ) {
        self.operand = operand
        self.enumIndex = enumIndex
        self.pc = pc
        self.file = file
        self.line = line
        self.column = column
        self.text = text
        self.kind = kind
    }
}

/// A jurisdiction.
public struct IRJurisdiction: Sendable, Hashable {
    /// The name (`EU`).
    public var name: String
    /// The title (`MiFID II`).
    public var title: String
    /// The `applies` block, or nil when `appliesConstant` decides.
    public var appliesBlock: Int?
    /// `applies` folded to a constant.
    public var appliesConstant: Bool?
    /// Its rules: indices into `IRProgram.rules`.
    public var firstRule: Int
    /// Number of rules.
    public var ruleCount: Int
    /// Creates a jurisdiction.
    public init(
        name: String, title: String, appliesBlock: Int?, appliesConstant: Bool?, firstRule: Int, ruleCount: Int
    ) {
        self.name = name
        self.title = title
        self.appliesBlock = appliesBlock
        self.appliesConstant = appliesConstant
        self.firstRule = firstRule
        self.ruleCount = ruleCount
    }
}

/// Rule severities, in the order the verdict ranks them.
@frozen
public enum IRSeverity: UInt8, Sendable, Hashable, CaseIterable, BitwiseCopyable {
    /// Rejects the order.
    case reject = 0
    /// Holds the order.
    case hold
    /// Listed, no effect on the verdict.
    case alert
    /// Listed, no effect on the verdict.
    case report
    /// The keyword.
    public var name: String { ["reject", "hold", "alert", "report"][Int(rawValue)] }
}

/// A rule.
public struct IRRule: Sendable, Hashable {
    /// Its jurisdiction's index.
    public var jurisdiction: Int
    /// Its name within the jurisdiction.
    public var name: String
    /// What happens when it fires.
    public var severity: IRSeverity
    /// The message given with the decision.
    public var message: String
    /// The citation ("" when none).
    public var citation: String
    /// The FIX OrdRejReason (tag 103) a reject by this rule carries: the
    /// rule's `code N`, else 99 (other).
    public var code: Int
    /// The condition's block, or nil when `constant` decides.
    public var block: Int?
    /// The condition folded to a constant.
    public var constant: Bool?
    /// Creates a rule.
    public init(
        jurisdiction: Int, name: String, severity: IRSeverity, message: String, citation: String, code: Int = 99,
        block: Int?, constant: Bool?
    ) {
        self.jurisdiction = jurisdiction
        self.name = name
        self.severity = severity
        self.message = message
        self.citation = citation
        self.code = code
        self.block = block
        self.constant = constant
    }
}

/// The kinds of state slots (docs/engine-semantics.md, "State").
@frozen
public enum IRStateKind: UInt8, Sendable, Hashable, CaseIterable, BitwiseCopyable {
    /// Messages per key per window.
    case rate = 0
    /// Sum of accepted amounts per key per window.
    case windowSum
    /// Fills per key per window.
    case executions
    /// Position per (account, instrument).
    case position
    /// Accepted orders per fill per key per window.
    case otr
    /// Kill switch (scope, key).
    case killed
    /// Ids seen today.
    case duplicate
    /// Latches on per key, with the time each ends.
    case latch
    /// Amounts of the live orders per key, net of fills.
    case openSum
    /// The highest value of a market field over the window, per market record.
    case windowMax
    /// The lowest value of a market field over the window, per market record.
    case windowMin
    /// The built-in's name.
    public var name: String {
        [
            "rate", "window_sum", "executions", "position", "otr", "killed", "duplicate", "latch", "open_sum",
            "window_max", "window_min",
        ][Int(rawValue)]
    }
}

/// One state slot.
public struct IRStateSlot: Sendable, Hashable {
    /// What it keeps.
    public var kind: IRStateKind
    /// The window in nanoseconds (0 for kinds without one).
    public var window: Int64
    /// For `killed`: the `KillScope` case index; for `latch`: how long it
    /// stays on (0 until reset, 1 to the end of the UTC day, 2 of the next);
    /// for `window_max` and `window_min`: the market field's index (among
    /// every schema's fields) whose history it keeps.
    public var scope: Int
    /// The block computing key, second key and amount on the order record.
    public var keyBlock: Int
    /// The kind of the summed amount (`window_sum`).
    public var amountKind: ValueKind
    /// Source text of the call (for explain and the dump).
    public var text: String
    /// For `latch`: the index of the rule it belongs to (a person resets it by
    /// the rule's name); -1 otherwise.
    public var owner: Int
    /// Creates a slot.
    public init(
        kind: IRStateKind, window: Int64, scope: Int, keyBlock: Int, amountKind: ValueKind, text: String, owner: Int = -1
    ) {
        self.kind = kind
        self.window = window
        self.scope = scope
        self.keyBlock = keyBlock
        self.amountKind = amountKind
        self.text = text
        self.owner = owner
    }
}

/// A data table: rows of encoded cells, looked up by key.
public struct IRTable: Sendable, Hashable {
    /// The name (`venues`).
    public var name: String
    /// The kind of the key.
    public var keyKind: ValueKind
    /// The key of each row.
    public var keys: [Int128]
    /// Columns in declaration order.
    public var columns: [IRColumn]
    /// Creates a table.
    public init(name: String, keyKind: ValueKind, keys: [Int128], columns: [IRColumn]) {
        self.name = name
        self.keyKind = keyKind
        self.keys = keys
        self.columns = columns
    }
    /// Number of rows.
    public var rowCount: Int { keys.count }
}

/// A column of a table.
public struct IRColumn: Sendable, Hashable {
    /// The name.
    public var name: String
    /// How its cells are encoded.
    public var kind: ValueKind
    /// Cells row by row, `kind.width` slots each; an empty cell is `ValueKind.nullMarker`.
    public var cells: [Int128]
    /// Creates a column.
    public init(name: String, kind: ValueKind, cells: [Int128]) {
        self.name = name
        self.kind = kind
        self.cells = cells
    }
}

/// A constant set, sorted.
public struct IRSet: Sendable, Hashable {
    /// The kind of its members.
    public var kind: ValueKind
    /// Members, sorted ascending, distinct.
    public var members: [Int128]
    /// Creates a set.
    public init(kind: ValueKind, members: [Int128]) {
        self.kind = kind
        self.members = members
    }
}

/// Data the host supplies at run time.
public struct IRBinding: Sendable, Hashable {
    /// The binding name the host uses (`restricted_symbols`).
    public var name: String
    /// The declaration's name (`restricted`).
    public var declaration: String
    /// The kind of the members.
    public var kind: ValueKind
    /// The members' texts until the host binds it (`= […]` in the
    /// declaration); nil: unbound until then (a read fails closed).
    public var defaults: [String]?
    /// For a keyed table bound at run time (`data t bound "x" key k { … }`):
    /// its index in `IRProgram.tables` (which holds its columns and no
    /// rows); -1 for a bound list or set. `kind` is then the key's kind.
    public var table: Int = -1
    /// For a bound table: per column, the currency of a `money(CUR)`
    /// column (its cells are amounts), "" for the other columns.
    public var currencies: [String] = []
    /// For a bound table: the indices of its key columns (several for a
    /// composite key, whose key text is their texts joined by U+001F).
    public var keyColumns: [Int] = []
    /// Creates a binding.
    public init(
        name: String, declaration: String, kind: ValueKind, defaults: [String]? = nil, table: Int = -1,
        currencies: [String] = [], keyColumns: [Int] = []
    ) {
        self.name = name
        self.declaration = declaration
        self.kind = kind
        self.defaults = defaults
        self.table = table
        self.currencies = currencies
        self.keyColumns = keyColumns
    }
}

/// A `between(ts, from, to)` range of local times.
public struct IRBetween: Sendable, Hashable {
    /// Index into `IRProgram.zones`.
    public var zone: Int
    /// Start, seconds since local midnight (inclusive).
    public var from: Int
    /// End, seconds since local midnight (exclusive); when `to <= from` the range wraps midnight.
    public var to: Int
    /// Creates a range.
    public init(zone: Int, from: Int, to: Int) {
        self.zone = zone
        self.from = from
        self.to = to
    }
}

/// A time zone as UTC offset transitions.
public struct IRZone: Sendable, Hashable {
    /// The IANA name.
    public var name: String
    /// Instants (ns since the epoch, ascending) from which `offsets[i]` applies;
    /// `offsets[0]` applies before the first.
    public var transitions: [Int64]
    /// UTC offsets in seconds; one more than `transitions`.
    public var offsets: [Int32]
    /// Creates a zone.
    public init(name: String, transitions: [Int64], offsets: [Int32]) {
        self.name = name
        self.transitions = transitions
        self.offsets = offsets
    }
}
