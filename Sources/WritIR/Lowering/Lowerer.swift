/// The lowering of a checked program: lays out the frame, interns symbols,
/// and turns every rule condition, `applies`, state-slot key and derived
/// default into a block of code. Expressions are in `ExprLowering.swift`,
/// calls in `CallLowering.swift`, `&&`/`||` in `ChainLowering.swift`,
/// lists and macros in `CollectionLowering.swift`.

import WritSema
import WritSyntax
import WritValue

/// The state of one block being lowered.
struct BlockState {
    var items: [LInst] = []
    var nextRegister = 0
    var nextLabel = 0
    var errorSlots = 0
    /// Innermost handler label last.
    var handlers: [Int] = []
    /// Error handlers, placed after the block's main line so that the
    /// common path runs straight through.
    var cold: [LInst] = []
}

/// Lowers a `CheckedProgram` to blocks of `LInst` plus program metadata.
final class Lowerer {
    let p: CheckedProgram
    let files: [SourceFile]
    var enc: ValueEncoding
    var pool = ConstantPool()
    /// Metadata accumulated (everything but code and constants).
    var ir = IRProgram()
    /// Schema → field name → field (slots relative to the first input slot).
    var fields: [String: [String: IRField]] = [:]
    var blocks: [LBlock] = []
    var cur = BlockState()
    /// Macro variables in scope: (macro node, name) → value.
    var macroValues: [MacroKey: LValue] = [:]
    var tableIndex: [String: Int] = [:]
    var setIndex: [IRSet: Int] = [:]
    var bindingIndex: [String: Int] = [:]
    var zoneIndex: [String: Int] = [:]
    var betweenIndex: [IRBetween: Int] = [:]
    /// The enumeration of enum-typed nodes, by span (for explain's values).
    var enumOfSpan: [Span: Int] = [:]
    /// Rule-condition nodes read through a memo slot, with their keys (`MemoPlanning`).
    var memoPlan: [NodeID: String] = [:]
    /// Memo slots lowered so far, by key.
    var memoSlotOfKey: [String: Int] = [:]
    /// Whether the block being lowered may read memo slots (rule conditions only).
    var memoAllowed = false
    /// Whether the block being lowered is a memo block (which reads no memo slot).
    var inMemoBlock = false

    struct MacroKey: Hashable {
        var macro: NodeID
        var name: String
    }

    init(_ p: CheckedProgram, files: [SourceFile]) {
        self.p = p
        self.files = files
        let symbols = ValueEncoding.collectSymbols(p)
        var ids: [String: Int] = [:]
        for (i, s) in symbols.enumerated() { ids[s] = i }
        var enumIndex: [String: Int] = [:]
        var enumCases: [String: [String: Int]] = [:]
        for (i, e) in p.enums.enumerated() {
            enumIndex[e.name] = i
            var cases: [String: Int] = [:]
            for (k, c) in e.cases.enumerated() { cases[c] = k }
            enumCases[e.name] = cases
        }
        enc = ValueEncoding(symbolIDs: ids, enumIndex: enumIndex, enumCases: enumCases)
        ir.symbols = symbols
        ir.enums = p.enums.map { IREnum(name: $0.name, cases: $0.cases) }
        ir.files = files.map(\.path)
    }

    // MARK: - The whole program

    func lower(memo: Bool = true) throws(IRCompileError) -> [LBlock] {
        if memo { memoPlan = MemoPlanning(p).plan() }
        layoutSchemas()
        try lowerData()
        try lowerDefaults()
        try lowerJurisdictions()
        try lowerStateSlots()
        try lowerReports()
        return blocks
    }

    /// Gives every schema field its input slots and a global index.
    private func layoutSchemas() {
        var slot = 0
        var index = 0
        for s in p.schemas {
            let base = slot
            var list: [IRField] = []
            var byName: [String: IRField] = [:]
            for f in s.fields {
                let kind = ValueEncoding.kind(f.type)
                var zone: String?
                if case .timeOfDay(let z) = f.type { zone = z }
                var enumIdx: Int?
                if case .enumeration(let n) = f.type { enumIdx = enc.enumIndex[n] }
                var fixed: Int?
                if case .money(.fixed(let c)) = f.type { fixed = enc.symbolIDs[c] }
                let field = IRField(
                    index: index, name: f.name, kind: kind, optional: f.isOptional || f.defaultValue != nil,
                    slot: slot, enumIndex: enumIdx, fixedCurrency: fixed, zone: zone)
                slot += kind.width
                index += 1
                list.append(field)
                byName[f.name] = field
            }
            // Money fields name their currency sibling.
            for (i, f) in s.fields.enumerated() {
                if let cf = f.currencyField, let sib = byName[cf] {
                    list[i].currencyField = sib.index
                    byName[f.name] = list[i]
                }
            }
            fields[s.name] = byName
            ir.schemas.append(IRSchema(name: s.name, fields: list, slotBase: base, slotCount: slot - base))
        }
    }

    /// Whether reading the field needs a presence check.
    func needsGuard(_ f: IRField, schema: String) -> Bool {
        !(schema == "order" && !f.optional)
    }

    /// The derived defaults of schema fields.
    private func lowerDefaults() throws(IRCompileError) {
        for (si, s) in p.schemas.enumerated() {
            for (fi, f) in s.fields.enumerated() {
                guard let d = f.defaultValue else { continue }
                let field = ir.schemas[si].fields[fi]
                guard field.kind != .none else { continue }
                begin()
                let v = try value(d)
                emit(LInst(op: .ret, a: v, wide: field.kind == .money))
                let b = end(kind: .fieldDefault, owner: field.index)
                ir.schemas[si].fields[fi].defaultBlock = b
                fields[s.name]?[f.name]?.defaultBlock = b
            }
        }
    }

    /// Tables and bindings.
    private func lowerData() throws(IRCompileError) {
        for d in p.data {
            switch d.source {
            case .table(let t):
                try addTable(d.name, t, span: d.span)
                if let binding = t.binding {
                    bindingIndex[d.name] = ir.bindings.count
                    let currencies = t.columns.map { c -> String in
                        if case .money(.fixed(let cur)) = c.type { return cur }
                        return ""
                    }
                    ir.bindings.append(
                        IRBinding(
                            name: binding, declaration: d.name, kind: ValueEncoding.kind(t.keyType),
                            defaults: t.boundEmptyDefault ? [] : nil, table: ir.tables.count - 1,
                            currencies: currencies, keyColumns: t.keyIndices))
                }
            case .bound(let binding):
                var kind = ValueKind.none
                if let et = d.type.elementType { kind = ValueEncoding.kind(et) }
                bindingIndex[d.name] = ir.bindings.count
                var defaults: [String]?
                if let v = d.boundDefault {
                    var texts: [String] = []
                    if case .list(let xs) = v { for x in xs { if case .symbol(let t) = x { texts.append(t) } else if case .string(let t) = x { texts.append(t) } } }
                    if case .set(let xs) = v { for x in xs { if case .symbol(let t) = x { texts.append(t) } else if case .string(let t) = x { texts.append(t) } } }
                    defaults = texts
                }
                ir.bindings.append(IRBinding(name: binding, declaration: d.name, kind: kind, defaults: defaults))
            case .literal:
                break
            }
        }
    }

    private func addTable(_ name: String, _ t: CheckedTable, span: Span) throws(IRCompileError) {
        let keyKind = ValueEncoding.kind(t.keyType)
        var keys: [Int128] = []
        var columns = t.columns.map { IRColumn(name: $0.name, kind: ValueEncoding.kind($0.type), cells: []) }
        for row in t.rows {
            guard let k = enc.encode(t.key(of: row), as: keyKind), k.count == 1 else {
                throw IRCompileError("the key `\(t.key(of: row))` of data `\(name)` cannot be encoded", at: span)
            }
            keys.append(k[0])
            for (ci, c) in columns.enumerated() {
                guard c.kind != .none else { continue }
                guard let cell = enc.encode(row[ci], as: c.kind) else {
                    throw IRCompileError("the cell `\(row[ci])` of data `\(name)` cannot be encoded", at: span)
                }
                columns[ci].cells.append(contentsOf: cell)
            }
        }
        tableIndex[name] = ir.tables.count
        ir.tables.append(IRTable(name: name, keyKind: keyKind, keys: keys, columns: columns))
    }

    /// Jurisdictions, their `applies` and their rules.
    private func lowerJurisdictions() throws(IRCompileError) {
        for (ji, j) in p.jurisdictions.enumerated() {
            var juris = IRJurisdiction(
                name: j.name, title: j.title ?? "", appliesBlock: nil, appliesConstant: nil,
                firstRule: ir.rules.count, ruleCount: j.rules.count)
            if let a = j.applies {
                if case .bool(let b)? = p.constants[a.id] {
                    juris.appliesConstant = b
                } else {
                    begin()
                    let v = try value(a)
                    emit(LInst(op: .ret, a: v))
                    juris.appliesBlock = end(kind: .applies, owner: ji)
                }
            } else {
                juris.appliesConstant = false
            }
            ir.jurisdictions.append(juris)
            for r in j.rules {
                let ri = ir.rules.count
                var rule = IRRule(
                    jurisdiction: ji, name: r.name, severity: IRSeverity(r.severity), message: r.message,
                    citation: r.citation ?? "", code: r.code ?? 99, block: nil, constant: nil)
                if case .bool(let b)? = p.constants[r.condition.id] {
                    rule.constant = b
                } else {
                    begin()
                    memoAllowed = true
                    let v = try value(r.condition)
                    memoAllowed = false
                    emit(LInst(op: .ret, a: v))
                    rule.block = end(kind: .rule, owner: ri)
                }
                ir.rules.append(rule)
            }
        }
    }

    /// The key blocks of state slots.
    private func lowerStateSlots() throws(IRCompileError) {
        for s in p.stateSlots {
            begin()
            let key = try value(s.key)
            var second = Operand.none
            if let k2 = s.secondKey { second = try value(k2) }
            if let c = s.condition { second = try value(c) }
            var amount = Operand.none
            var amountKind = ValueKind.none
            if let am = s.amount {
                amount = try value(am)
                amountKind = kind(of: am)
            }
            emit(LInst(op: .ret, a: key, b: second, c: amount, wide: amountKind == .money))
            let b = end(kind: .stateKey, owner: ir.stateSlots.count)
            var scope = 0
            if let sc = s.scope, let k = enc.enumCases["KillScope"]?[sc] { scope = k }
            var owner = -1
            if s.kind == .windowMax || s.kind == .windowMin {
                // The market field whose history the slot keeps, and its kind.
                amountKind = kind(of: s.key)
                guard case .field(let schema, let name)? = p.resolutions[s.key.id], let f = fields[schema]?[name] else {
                    throw unsupported(s.key, "the history of")
                }
                scope = f.index
            }
            if s.kind == .latch {
                scope = ["reset", "end_of_day", "next_day"].firstIndex(of: s.scope ?? "reset") ?? 0
                owner = ruleIndex(s.owner)
            }
            ir.stateSlots.append(
                IRStateSlot(
                    kind: IRStateKind(s.kind), window: s.window ?? 0, scope: scope, keyBlock: b,
                    amountKind: amountKind, text: stateText(s), owner: owner))
        }
    }

    /// The index of a rule among all rules (jurisdictions in order, then rules).
    private func ruleIndex(_ id: RuleID?) -> Int {
        var i = 0
        for j in p.jurisdictions {
            for r in j.rules {
                if r.id == id { return i }
                i += 1
            }
        }
        return -1
    }

    private func stateText(_ s: StateSlot) -> String {
        var args = [ExprPrinter.text(s.key)]
        if let c = s.condition { args.insert(ExprPrinter.text(c), at: 0) }
        if let k = s.secondKey { args.append(ExprPrinter.text(k)) }
        if let a = s.amount { args.insert(ExprPrinter.text(a), at: 0) }
        if let w = s.window { args.append(Value.durationText(w)) }
        if let sc = s.scope {
            if s.kind == .latch { args.append(sc) } else { args.insert(sc, at: 0) }
        }
        return "\(s.kind.rawValue)(\(args.joined(separator: ", ")))"
    }

    // MARK: - Blocks

    func begin() {
        cur = BlockState()
        macroValues = [:]
    }

    func end(kind: IRBlockKind, owner: Int) -> Int {
        blocks.append(
            LBlock(
                kind: kind, owner: owner, items: cur.items + cur.cold, registerCount: cur.nextRegister,
                errorSlotCount: cur.errorSlots))
        return blocks.count - 1
    }

    /// Appends an instruction; it gets the current handler.
    func emit(_ i: LInst) {
        var i = i
        if i.label == nil, i.handler == nil { i.handler = cur.handlers.last }
        if i.spanKind == .enumeration, i.spanEnum == nil, let s = i.span { i.spanEnum = enumOfSpan[s] }
        cur.items.append(i)
    }

    /// Emits `op a, b, c` computing the value of `e` (for explain), and returns `a`.
    @discardableResult
    func emit(
        _ op: Opcode, _ a: Operand, _ b: Operand = .none, _ c: Operand = .none, aux: UInt32 = 0, for e: Expr? = nil,
        kind: ValueKind = .none, wide: Bool = false
    ) -> Operand {
        emit(LInst(op: op, a: a, b: b, c: c, aux: aux, span: e?.span, spanKind: e == nil ? .none : kind, wide: wide))
        return a
    }

    func jump(_ op: Opcode, _ cond: Operand = .none, to label: Int) {
        emit(LInst(op: op, b: cond, target: label))
    }

    func place(_ label: Int) { cur.items.append(.mark(label)) }

    func newLabel() -> Int {
        cur.nextLabel += 1
        return cur.nextLabel - 1
    }

    func newRegister(_ kind: ValueKind = .bool) -> Operand {
        let r = cur.nextRegister
        cur.nextRegister += max(1, kind.width)
        return .reg(r)
    }

    func newErrorSlot() -> Int {
        cur.errorSlots += 1
        return cur.errorSlots - 1
    }

    // MARK: - Constants

    func constant(_ v: Int128, _ kind: ValueKind) -> Operand { pool.add(v, kind: kind) }
    func bool(_ b: Bool) -> Operand { pool.add(b ? 1 : 0, kind: .bool) }

    func constant(_ v: Value, _ kind: ValueKind, at span: Span) throws(IRCompileError) -> Operand {
        guard let slots = enc.encode(v, as: kind) else {
            throw IRCompileError("the constant `\(v)` cannot be encoded as \(kind)", at: span)
        }
        return pool.add(slots, kind: kind)
    }

    /// The value kind of a checked node.
    func kind(of e: Expr) -> ValueKind {
        let t = p.types[e.id] ?? .error
        if case .enumeration(let n) = t, let i = enc.enumIndex[n] { enumOfSpan[e.span] = i }
        return ValueEncoding.kind(t)
    }

    func text(_ e: Expr) -> String {
        guard e.span.file < files.count else { return ExprPrinter.text(e) }
        return files[e.span.file].text(of: e.span)
    }
}

extension IRSeverity {
    init(_ s: RuleSeverity) {
        switch s {
        case .reject: self = .reject
        case .hold: self = .hold
        case .alert: self = .alert
        case .report: self = .report
        }
    }
}

extension IRStateKind {
    init(_ k: StateSlotKind) {
        switch k {
        case .rate: self = .rate
        case .windowSum: self = .windowSum
        case .executions: self = .executions
        case .position: self = .position
        case .otr: self = .otr
        case .latch: self = .latch
        case .openSum: self = .openSum
        case .windowMax: self = .windowMax
        case .windowMin: self = .windowMin
        case .killed: self = .killed
        case .duplicate: self = .duplicate
        }
    }
}
