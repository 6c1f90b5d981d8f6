/// A loaded bundle: the IR plus everything derived from it that the hot
/// path reads through raw pointers (code, handlers, field layout, table
/// lookups, set bitsets, the decision index, pre-escaped decision text).
/// Immutable and shared by every `Engine` made from it.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import WritCrypto
import WritIR

/// A verified, loaded rulebook.
public final class EngineProgram: @unchecked Sendable {
    // INVARIANT: every buffer is written only in `init` and freed in `deinit`;
    // afterwards the program is read-only, so sharing it across threads is safe.

    /// The IR it was loaded from.
    public let ir: IRProgram
    /// SHA-256 of the bundle it was loaded from (empty when built in memory).
    public let contentHash: [UInt8]
    /// The bundle's native rule code, when it has some for this machine and it loaded.
    public let native: NativeCode?
    /// How engines of this program run their rules.
    public let executionMode: ExecutionMode
    let statics: StaticSymbols
    let code: RawBuffer<Instruction>
    let handlers: RawBuffer<UInt32>
    let blockStart: RawBuffer<Int32>
    let frameSize: Int
    let inputBase: Int
    let inputCount: Int
    let fieldCount: Int
    let fieldSlot: RawBuffer<Int32>
    let fieldKind: RawBuffer<ValueKind>
    let fieldSchema: RawBuffer<Int32>
    let fieldNames: [String]
    let schemaFieldBase: [Int]
    /// Schema index for each event schema (nil when the bundle has none).
    let orderSchema: Int?
    let marketSchema: Int?
    let fillSchema: Int?
    let controlSchema: Int?
    /// Global field indices of the fields the engine itself reads.
    let roles: Roles
    let tables: RawBuffer<TableRT>
    let columns: RawBuffer<ColumnRT>
    let sets: RawBuffer<SetRT>
    let jurisdictions: RawBuffer<JurisdictionRT>
    let indexFieldSlot: RawBuffer<Int32>
    let indexStride: RawBuffer<Int32>
    let ruleListOffset: RawBuffer<Int32>
    let rules: RawBuffer<RuleRT>
    let stateSlots: RawBuffer<SlotRT>
    let betweens: RawBuffer<BetweenRT>
    let zones: RawBuffer<ZoneRT>
    let regexes: RawBuffer<RegexRT>
    /// The longest regex program (for the VM's scratch).
    let maxRegexOps: Int
    let windowSumSlots: [Int]
    let rateSlots: [Int]
    let duplicateSlots: [Int]
    let otrSlots: [Int]
    let fillSlots: [Int]
    /// The `open_sum` slots.
    let openSlots: [Int]
    /// The `latch` slots, with the rule and the jurisdiction each belongs to.
    let latchSlots: [Int]
    let latchRules: [Int]
    let latchJurisdictions: [Int]
    /// Qualified rule names (`EU.repeated_executions`) → rule index, for resets.
    let latchNames: NameIndex
    let killScopeCount: Int
    /// Decision index: per venue symbol (static ids) the offset of its candidate
    /// list in `candidates`; runtime ids use `defaultVenueList`.
    let venueListOf: RawBuffer<Int32>
    let candidateLists: RawBuffer<Int16>
    let defaultVenueList: Int32
    let ruleLists: RawBuffer<Int16>
    /// Parallel to `ruleLists`: its count, then per listed rule the pc its
    /// block starts at (with `RuleRT.killOnlyBit` set for a rule that only
    /// tests a kill switch), -1 for a rule that never fires, -2 for one
    /// that always fires — what the run loop needs to go on to the next rule.
    let ruleListEntries: RawBuffer<Int32>
    /// JSON-escaped texts for rendering.
    let ruleIDJSON: [[UInt8]]
    let ruleMessageJSON: [[UInt8]]
    let ruleCitationJSON: [[UInt8]]
    /// Per rule: the FIX OrdRejReason (tag 103) of a reject, as JSON digits.
    let ruleCodeJSON: [[UInt8]]
    let jurisdictionJSON: [[UInt8]]
    /// Per schema: field name → field index (global), for the decoder.
    let fieldByName: [[String: Int]]
    /// Per field: layout and decoding facts.
    let fieldsRT: RawBuffer<FieldRT>
    /// Per schema: field name → global field index.
    let fieldNames_: [NameIndex]
    /// Per enum: case name → case index.
    let enumCaseNames: [NameIndex]
    /// Event names → case index of the order's `event` enum (new, modify, cancel), or -1.
    let orderEventCase: (new: Int128, modify: Int128, cancel: Int128)
    /// Per enum, per case: the symbol id of the case's name (for `string(x)`), or -1.
    let enumCaseSymbols: [[Int]]

    /// The fields with a meaning to the engine (global field indices).
    struct Roles {
        var orderID: Int?
        var orderTS: Int?
        var orderSymbol: Int?
        var orderVenue: Int?
        var orderSide: Int?
        var orderQty: Int?
        var orderEvent: Int?
        var marketSymbol: Int?
        var marketVenue: Int?
        /// The time of a market event (its histories' buckets).
        var marketTS: Int?
        var fillID: Int?
        var fillTS: Int?
        var fillQty: Int?
        var fillExecID: Int?
        var controlAction: Int?
        var controlScope: Int?
        var controlKey: Int?
        var controlTS: Int?
        /// The rule whose latches a `reset` clears.
        var controlLatch: Int?
        /// Case index of `buy` in the order side's enum.
        var buyCase: Int128 = 0
        /// Case index of `kill` in the control action's enum.
        var killCase: Int128 = 0
        /// Case index of `reset` in the control action's enum, or -1.
        var resetCase: Int128 = -1
    }

    /// Loads a bundle: checks its hash and signature (`trust`, or none with
    /// `allowUnsigned`) and validates every section.
    public convenience init(bundle bytes: [UInt8], trust: [Ed25519PublicKey], allowUnsigned: Bool) throws(EngineLoadError)
    {
        let container: BundleContainer
        do {
            container = try BundleContainer.decode(bytes, trust: trust, allowUnsigned: allowUnsigned)
        } catch {
            throw .bundle(error)
        }
        let ir: IRProgram
        do {
            ir = try IRCodec.decode(container)
        } catch {
            throw .invalid(error)
        }
        // Native code is machine code: it runs only from a bundle whose signer is trusted.
        let native = container.section(NativeSection.tag)
        if native != nil && container.provenance?.signer == nil {
            self.init(
                ir: ir, contentHash: container.provenance?.contentHash ?? [], native: nil,
                notNative: "the bundle is unsigned, and native code runs only from a signed bundle")
        } else {
            self.init(ir: ir, contentHash: container.provenance?.contentHash ?? [], native: native)
        }
    }

    /// Loads an IR program built in memory (tests, `writ test`), with the
    /// bytes of a `NATV` section if it has native code. Native code is not
    /// used when the environment sets `WRIT_NATIVE=off`.
    public convenience init(ir: IRProgram, contentHash: [UInt8] = [], native: [UInt8]? = nil) {
        self.init(ir: ir, contentHash: contentHash, native: native, notNative: nil)
    }

    /// `notNative`: why native code is not used although the bundle has some.
    init(ir: IRProgram, contentHash: [UInt8], native: [UInt8]?, notNative: String?) {
        self.ir = ir
        self.contentHash = contentHash
        let disabled = getenv("WRIT_NATIVE").map { String(cString: $0) } == "off"
        if let native, !disabled {
            switch NativeCode.load(native) {
            case .success(let code):
                self.native = code
                executionMode = .native
            case .failure(let refusal):
                self.native = nil
                executionMode = .interpreter(refusal.reason)
            }
        } else {
            self.native = nil
            executionMode = .interpreter(
                notNative ?? (native == nil ? "the bundle has no native code" : "WRIT_NATIVE=off"))
        }
        statics = StaticSymbols(ir.symbols)
        code = RawBuffer(ir.code)
        handlers = RawBuffer(ir.handlers)
        blockStart = RawBuffer(ir.blocks.map { Int32($0.start) })
        frameSize = ir.frameSize
        inputBase = ir.inputBase
        inputCount = ir.inputCount
        let fields = ir.allFields
        fieldCount = fields.count
        fieldSlot = RawBuffer(fields.map { Int32($0.slot) })
        fieldKind = RawBuffer(fields.map(\.kind))
        var schemaOf: [Int32] = []
        var bases: [Int] = []
        var byName: [[String: Int]] = []
        for (si, s) in ir.schemas.enumerated() {
            bases.append(schemaOf.count)
            var m: [String: Int] = [:]
            for f in s.fields {
                schemaOf.append(Int32(si))
                m[f.name] = f.index
            }
            byName.append(m)
        }
        fieldSchema = RawBuffer(schemaOf)
        fieldsRT = RawBuffer(
            fields.map { f in
                FieldRT(
                    slot: Int32(f.slot), kind: f.kind, optional: f.optional, enumIndex: Int32(f.enumIndex ?? -1),
                    currencyField: Int32(f.currencyField ?? -1), fixedCurrency: Int32(f.fixedCurrency ?? -1),
                    defaultBlock: Int32(f.defaultBlock ?? -1), schema: Int32(schemaOf[f.index]))
            })
        fieldNames_ = ir.schemas.map { s in NameIndex(s.fields.map { ($0.name, $0.index) }) }
        enumCaseNames = ir.enums.map { e in NameIndex(e.cases.enumerated().map { ($1, $0) }) }
        enumCaseSymbols = ir.enums.map { e in e.cases.map { ir.symbolID($0) ?? -1 } }
        var eventCases: (new: Int128, modify: Int128, cancel: Int128) = (-1, -1, -1)
        if let f = ir.schema("order")?.field("event"), let e = f.enumIndex {
            let cases = ir.enums[e].cases
            eventCases = (
                Int128(cases.firstIndex(of: "new") ?? -1), Int128(cases.firstIndex(of: "modify") ?? -1),
                Int128(cases.firstIndex(of: "cancel") ?? -1)
            )
        }
        orderEventCase = eventCases
        fieldNames = ir.schemas.flatMap { s in s.fields.map { "\(s.name).\($0.name)" } }
        schemaFieldBase = bases
        fieldByName = byName
        func schemaIndex(_ n: String) -> Int? { ir.schemas.firstIndex { $0.name == n } }
        orderSchema = schemaIndex("order")
        marketSchema = schemaIndex("market")
        fillSchema = schemaIndex("fill")
        controlSchema = schemaIndex("control")
        func role(_ schema: String, _ field: String, _ kinds: [ValueKind]) -> Int? {
            guard let f = ir.schema(schema)?.field(field), kinds.contains(f.kind) else { return nil }
            return f.index
        }
        let text: [ValueKind] = [.symbol, .string]
        var r = Roles()
        r.orderID = role("order", "id", text)
        r.orderTS = role("order", "ts", [.timestamp])
        r.orderSymbol = role("order", "symbol", text)
        r.orderVenue = role("order", "venue", text)
        r.orderSide = role("order", "side", [.enumeration])
        r.orderQty = role("order", "qty", [.decimal])
        r.orderEvent = role("order", "event", [.enumeration])
        r.marketSymbol = role("market", "symbol", text)
        r.marketVenue = role("market", "venue", text)
        r.marketTS = role("market", "ts", [.timestamp])
        r.fillID = role("fill", "id", text)
        r.fillTS = role("fill", "ts", [.timestamp])
        r.fillQty = role("fill", "qty", [.decimal])
        r.fillExecID = role("fill", "exec_id", text)
        r.controlAction = role("control", "action", [.enumeration])
        r.controlScope = role("control", "scope", [.enumeration])
        r.controlKey = role("control", "key", text)
        r.controlTS = role("control", "ts", [.timestamp])
        r.controlLatch = role("control", "latch", text)
        if let side = ir.schema("order")?.field("side"), let e = side.enumIndex,
            let buy = ir.enums[e].cases.firstIndex(of: "buy")
        {
            r.buyCase = Int128(buy)
        } else {
            r.buyCase = -1
        }
        if let a = ir.schema("control")?.field("action"), let e = a.enumIndex,
            let k = ir.enums[e].cases.firstIndex(of: "kill")
        {
            r.killCase = Int128(k)
        } else {
            r.killCase = -1
        }
        if let a = ir.schema("control")?.field("action"), let e = a.enumIndex,
            let k = ir.enums[e].cases.firstIndex(of: "reset")
        {
            r.resetCase = Int128(k)
        }
        roles = r
        killScopeCount = ir.enums.first { $0.name == "KillScope" }?.cases.count ?? 0

        // Tables.
        var tbl: [TableRT] = []
        var cols: [ColumnRT] = []
        for t in ir.tables {
            var rt = TableRT(
                keyKind: t.keyKind, rowOfSymbol: RawBuffer(zeroed: 0), sortedKeys: RawBuffer(zeroed: 0),
                sortedRows: RawBuffer(zeroed: 0), firstColumn: cols.count, columnCount: t.columns.count,
                anonymous: t.name == "{}" ? 1 : t.name == "[]" ? 2 : 0)
            if t.keyKind.isText {
                var m = [Int32](repeating: 0, count: ir.symbols.count)
                for (row, k) in t.keys.enumerated() where k >= 0 && k < Int128(ir.symbols.count) {
                    if m[Int(k)] == 0 { m[Int(k)] = Int32(row + 1) }
                }
                rt.rowOfSymbol = RawBuffer(m)
            } else {
                let order = t.keys.indices.sorted { t.keys[$0] < t.keys[$1] }
                rt.sortedKeys = RawBuffer(order.map { t.keys[$0] })
                rt.sortedRows = RawBuffer(order.map { Int32($0) })
            }
            for c in t.columns { cols.append(ColumnRT(cells: RawBuffer(c.cells), width: Swift.max(1, c.kind.width))) }
            tbl.append(rt)
        }
        tables = RawBuffer(tbl)
        columns = RawBuffer(cols)
        sets = RawBuffer(
            ir.sets.map { s in
                var rt = SetRT(bits: RawBuffer(zeroed: 0), sorted: RawBuffer(zeroed: 0))
                if s.kind.isText || s.kind == .enumeration || s.kind == .bool {
                    let n = s.kind.isText ? ir.symbols.count : Int((s.members.last ?? 0) + 1)
                    var bits = [UInt64](repeating: 0, count: (n + 63) / 64)
                    for m in s.members where m >= 0 && m < Int128(n) { bits[Int(m) / 64] |= 1 << UInt64(Int(m) % 64) }
                    rt.bits = RawBuffer(bits)
                } else {
                    rt.sorted = RawBuffer(s.members)
                }
                return rt
            })
        stateSlots = RawBuffer(
            ir.stateSlots.map {
                SlotRT(
                    kind: $0.kind, window: $0.window, scope: $0.scope, keyBlock: Int32($0.keyBlock),
                    amountKind: $0.amountKind)
            })
        betweens = RawBuffer(ir.betweens.map { BetweenRT(zone: $0.zone, from: Int64($0.from), to: Int64($0.to)) })
        zones = RawBuffer(ir.zones.map { ZoneRT(transitions: RawBuffer($0.transitions), offsets: RawBuffer($0.offsets)) })
        let codes = ir.regexes.map { p -> RegexCode in
            // A pattern that does not compile (never from `writ build`) matches nothing.
            (try? RegexCode.compile(p).get()) ?? RegexCode(ops: [], classStart: [0], ranges: [])
        }
        regexes = RawBuffer(codes.map { RegexRT($0.ops.isEmpty ? RegexCode.never : $0) })
        maxRegexOps = codes.map { Swift.max(1, $0.ops.count) }.max() ?? 1
        windowSumSlots = ir.stateSlots.indices.filter { ir.stateSlots[$0].kind == .windowSum }
        rateSlots = ir.stateSlots.indices.filter { ir.stateSlots[$0].kind == .rate }
        duplicateSlots = ir.stateSlots.indices.filter { ir.stateSlots[$0].kind == .duplicate }
        otrSlots = ir.stateSlots.indices.filter { ir.stateSlots[$0].kind == .otr }
        fillSlots = ir.stateSlots.indices.filter {
            let k = ir.stateSlots[$0].kind
            return k == .executions || k == .otr || k == .position
        }
        openSlots = ir.stateSlots.indices.filter { ir.stateSlots[$0].kind == .openSum }
        latchSlots = ir.stateSlots.indices.filter { ir.stateSlots[$0].kind == .latch }
        latchRules = latchSlots.map { ir.stateSlots[$0].owner }
        latchJurisdictions = latchRules.map { ir.rules[$0].jurisdiction }
        latchNames = NameIndex(
            Set(latchRules).sorted().map { ("\(ir.jurisdictions[ir.rules[$0].jurisdiction].name).\(ir.rules[$0].name)", $0) })

        // Decision index: candidate jurisdictions per venue.
        let jcount = ir.jurisdictions.count
        var lists: [Int16] = []
        var listOf: [Int32] = Array(repeating: 0, count: ir.symbols.count)
        var listIndex: [[Int]: Int32] = [:]
        func list(_ js: [Int]) -> Int32 {
            if let o = listIndex[js] { return o }
            let o = Int32(lists.count)
            lists.append(Int16(js.count))
            lists.append(contentsOf: js.map { Int16($0) })
            listIndex[js] = o
            return o
        }
        let venues = ir.index.venues
        func candidates(_ venue: Int?) -> [Int] {
            (0..<jcount).filter { j in
                if ir.jurisdictions[j].appliesConstant == false { return false }
                guard j < venues.count, let vs = venues[j] else { return true }
                guard let v = venue else { return false }
                return vs.contains(v)
            }
        }
        defaultVenueList = list(candidates(nil))
        for v in 0..<ir.symbols.count { listOf[v] = list(candidates(v)) }
        venueListOf = RawBuffer(listOf)
        candidateLists = RawBuffer(lists)
        var jrt: [JurisdictionRT] = []
        var idxSlots: [Int32] = []
        var idxStrides: [Int32] = []
        var listOffsets: [Int32] = []
        var rlists: [Int16] = []
        for j in 0..<jcount {
            let first = ir.jurisdictions[j].firstRule
            let all = Array(first..<(first + ir.jurisdictions[j].ruleCount))
            let ri = j < ir.index.rules.count ? ir.index.rules[j] : IRRuleIndex(candidates: [all])
            var applies = Int32(ir.jurisdictions[j].appliesBlock ?? -1)
            if j < venues.count, venues[j] != nil { applies = -1 }
            jrt.append(
                JurisdictionRT(
                    appliesBlock: applies, firstIndexField: Int32(idxSlots.count),
                    indexFieldCount: Int32(ri.fields.count), firstCombination: Int32(listOffsets.count)))
            var stride = 1
            for (k, f) in ri.fields.enumerated() {
                // A presence field is stored as -(field + 1).
                idxSlots.append(ri.presence.count > k && ri.presence[k] ? Int32(-(f + 1)) : Int32(fields[f].slot))
                idxStrides.append(Int32(stride))
                stride *= ri.radices[k]
            }
            for c in ri.candidates {
                listOffsets.append(Int32(rlists.count))
                rlists.append(Int16(c.count))
                rlists.append(contentsOf: c.map { Int16($0) })
            }
        }
        jurisdictions = RawBuffer(jrt)
        indexFieldSlot = RawBuffer(idxSlots)
        indexStride = RawBuffer(idxStrides)
        ruleListOffset = RawBuffer(listOffsets)
        ruleLists = RawBuffer(rlists)
        let ruleRTs =
            ir.rules.map { r in
                var rt = RuleRT(block: r.block.map { Int32($0) } ?? (r.constant == true ? -2 : -1), severity: r.severity)
                if let b = r.block {
                    let start = ir.blocks[b].start
                    let (k, ret) = (ir.code[start], ir.code[start + 1])
                    rt.killOnly = k.op == .killed && ret.op == .ret && ret.a == k.a && Int(k.b) < ir.registerBase
                }
                return rt
            }
        rules = RawBuffer(ruleRTs)
        var entries = [Int32](repeating: 0, count: rlists.count)
        for off in listOffsets {
            let n = Int(rlists[Int(off)])
            entries[Int(off)] = Int32(n)
            for x in stride(from: 1, through: n, by: 1) {
                let r = ruleRTs[Int(rlists[Int(off) + x])]
                entries[Int(off) + x] =
                    r.block >= 0
                    ? Int32(ir.blocks[Int(r.block)].start) | (r.killOnly ? RuleRT.killOnlyBit : 0) : r.block
            }
        }
        ruleListEntries = RawBuffer(entries)
        ruleIDJSON = ir.rules.map { JSONText.quoted("\(ir.jurisdictions[$0.jurisdiction].name).\($0.name)") }
        ruleMessageJSON = ir.rules.map { JSONText.quoted($0.message) }
        ruleCitationJSON = ir.rules.map { JSONText.quoted($0.citation) }
        ruleCodeJSON = ir.rules.map { Array(String($0.code).utf8) }
        jurisdictionJSON = ir.jurisdictions.map { JSONText.quoted($0.name) }
    }

    deinit {
        code.free()
        handlers.free()
        blockStart.free()
        fieldSlot.free()
        fieldKind.free()
        fieldSchema.free()
        fieldsRT.free()
        for n in fieldNames_ { n.free() }
        latchNames.free()
        for n in enumCaseNames { n.free() }
        for i in 0..<tables.count {
            tables[i].rowOfSymbol.free()
            tables[i].sortedKeys.free()
            tables[i].sortedRows.free()
        }
        for i in 0..<columns.count { columns[i].cells.free() }
        for i in 0..<sets.count {
            sets[i].bits.free()
            sets[i].sorted.free()
        }
        for i in 0..<zones.count {
            zones[i].transitions.free()
            zones[i].offsets.free()
        }
        for i in 0..<regexes.count { regexes[i].free() }
        regexes.free()
        tables.free()
        columns.free()
        sets.free()
        stateSlots.free()
        betweens.free()
        zones.free()
        jurisdictions.free()
        indexFieldSlot.free()
        indexStride.free()
        ruleListOffset.free()
        rules.free()
        venueListOf.free()
        candidateLists.free()
        ruleLists.free()
        ruleListEntries.free()
    }
}

extension RegexCode {
    /// A program with no match (a class of no scalars).
    static var never: RegexCode { RegexCode(ops: [RegexOp(.cls, 0, 0)], classStart: [0, 0], ranges: []) }
}

/// Why a bundle could not be loaded.
public enum EngineLoadError: Error, Sendable, CustomStringConvertible {
    /// The container was refused (hash, signature, layout).
    case bundle(BundleError)
    /// A section is not valid IR.
    case invalid(IRCodecError)

    /// One sentence in the house style.
    public var description: String {
        switch self {
        case .bundle(let e): e.description
        case .invalid(let e): e.description
        }
    }

    /// How to fix it, when there is a way (an unsigned bundle: `--allow-unsigned` in development).
    public var help: String? {
        switch self {
        case .bundle(let e): e.help
        case .invalid: nil
        }
    }
}
