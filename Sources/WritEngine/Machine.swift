/// The mutable heart of an engine: the frame, presence bits, error slots,
/// symbol table and state, plus copies of the program's raw buffers. It
/// lives behind one pointer owned by `Engine`, so the hot path reaches it
/// without reference counting or exclusivity checks.

import CWritNative
import WritIR

/// A binding's members once the host has bound it.
struct BoundSet: BitwiseCopyable {
    var isBound = false
    var members: OpenTable<UInt8>
}

/// For a `modify`: what a `window_sum` slot's amount was on the live order.
struct PreviousAmount: BitwiseCopyable {
    var ok = false
    var amount: Int128 = 0
    var currency: Int128 = 0
}

/// What the rules of the order being decided read from one `window_sum`
/// or `open_sum` slot: the key (with the currency of a money amount) and
/// the amount, valid when stamped with `Machine.readEpoch`. Recording the
/// accepted order takes them instead of running the slot's key block
/// again: the slot's key and amount expressions are pure and the inputs
/// have not changed since (docs/engine-semantics.md, step 7).
struct SlotRead: BitwiseCopyable {
    var stamp: UInt64 = 0
    var key: UInt64 = 0
    var amount: Int128 = 0
    var currency: Int128 = 0
}

/// How a `window_sum` or `open_sum` slot's key and amount are taken from
/// the memo slot its key block's amount is (`KeyBlocks.amountMemos`): the
/// memo (-1 none), the key operand of the block's `ret`, the operands of a
/// leading `tuple` that computes it (`tuple` 1, 2 when composite, 0 none),
/// whether the amount is money.
struct AmountPlan: BitwiseCopyable {
    var memo: Int32 = -1
    var key: FrameIndex = 0
    var tupleB: FrameIndex = 0
    var tupleC: FrameIndex = 0
    var tuple: UInt8 = 0
    var money: UInt8 = 0
}

/// A memo slot's value in the current evaluation (docs/ir.md, "Memo slots").
struct MemoEntry: BitwiseCopyable {
    /// The evaluation (`Machine.memoEpoch`) the value belongs to; any other: not computed yet.
    var stamp: UInt64 = 0
    /// The error the expression raised (`.none`: it has a value).
    var error = EvalError()
    /// The value, and the currency of money.
    var value: Int128 = 0
    var second: Int128 = 0
}

/// The event being processed.
enum EventKind: UInt8, BitwiseCopyable {
    case new = 0, modify, cancel, fill, market, control, none, platform
}

/// All mutable state of one engine.
struct Machine {
    // Program (read-only; owned by `EngineProgram`, which the engine keeps alive).
    let code: RawBuffer<Instruction>
    let handlers: RawBuffer<UInt32>
    let blockStart: RawBuffer<Int32>
    let fieldSlot: RawBuffer<Int32>
    let fieldKind: RawBuffer<ValueKind>
    let fieldSchema: RawBuffer<Int32>
    /// The program's tables and columns, copied: a bound table's entries
    /// point at this engine's rows (`BoundTables.swift`).
    let tables: RawBuffer<TableRT>
    let columns: RawBuffer<ColumnRT>
    /// The kind of each column.
    let columnKinds: RawBuffer<ValueKind>
    /// Case indices of `set` and `remove` in the control action's enum (-1: none).
    let tableSetCase: Int128
    let tableRemoveCase: Int128
    /// Set by a `set` or `remove` control; the engine then changes the table.
    var tableControlPending = false
    /// Names, key columns and scratch memory of those controls (`TableControl.swift`).
    let tableControls: TableControlLayout
    let sets: RawBuffer<SetRT>
    let stateSlots: RawBuffer<SlotRT>
    let betweens: RawBuffer<BetweenRT>
    let zones: RawBuffer<ZoneRT>
    let jurisdictions: RawBuffer<JurisdictionRT>
    let indexFieldSlot: RawBuffer<Int32>
    let indexStride: RawBuffer<Int32>
    let ruleListOffset: RawBuffer<Int32>
    let ruleLists: RawBuffer<Int16>
    let ruleListEntries: RawBuffer<Int32>
    let rules: RawBuffer<RuleRT>
    let venueListOf: RawBuffer<Int32>
    let candidateLists: RawBuffer<Int16>
    let defaultVenueList: Int
    let roles: EngineProgram.Roles
    let rateSlots: RawBuffer<Int32>
    /// The `window_sum` slots, those whose key blocks compute the same
    /// amount next to each other, those that `open_sum` slots share last
    /// (see `KeyBlocks.ordered`).
    let windowSumSlots: RawBuffer<Int32>
    /// Per state slot: its key block's group (`KeyBlocks.groups`), -1 for none.
    let keyGroup: RawBuffer<Int32>
    /// Per state slot: the pc of its key block's last instruction (its `ret`).
    let keyLast: RawBuffer<Int32>
    /// The distinct window lengths of the state slots; per slot, its
    /// length's index; per length, the `ts` and window start last computed.
    let windowLengths: RawBuffer<Int64>
    let slotWindow: RawBuffer<Int32>
    let windowCacheTs: RawBuffer<Int64>
    let windowCacheStart: RawBuffer<Int64>
    let otrSlots: RawBuffer<Int32>
    let duplicateSlots: RawBuffer<Int32>
    let fillSlots: RawBuffer<Int32>
    /// `latch` slots and, in step, the rule and jurisdiction of each; rule names for resets.
    let latchSlots: RawBuffer<Int32>
    let latchRules: RawBuffer<Int32>
    let latchJurisdictions: RawBuffer<Int32>
    let latchNames: NameIndex
    /// `open_sum` slots, and per live record and slot what the order adds.
    let openSlots: RawBuffer<Int32>
    let openEntries: RawBuffer<OpenEntry>
    /// Whether no `open_sum` key block reads state: a replaced live order
    /// then changes its open sums slot by slot (`reopen`). (A `var` so that
    /// tests can compare with taking it out and putting it in again.)
    var openReplaceInPlace: Bool
    let constantCount: Int
    let fieldCount: Int
    /// Per schema: first frame slot, slot count, first field, field count.
    let schemaSlots: RawBuffer<Int32>
    let schemaSlotCounts: RawBuffer<Int32>
    let schemaFields: RawBuffer<Int32>
    let schemaFieldCounts: RawBuffer<Int32>
    let orderSchema: Int
    /// The order schema's text values (string, symbol, currency, a money's
    /// currency): per value, its presence byte's index in the schema and its
    /// slot's offset from the schema's first slot. A live order retains them.
    let orderTextFields: RawBuffer<Int32>
    let orderTextOffsets: RawBuffer<Int32>
    let marketSchema: Int
    let fillSchema: Int
    let controlSchema: Int
    let fields: RawBuffer<FieldRT>
    let schemaNames: RawBuffer<NameIndex>
    let enumNames: RawBuffer<NameIndex>
    let orderEventCase: (new: Int128, modify: Int128, cancel: Int128)
    let staticSymbolCount: Int

    // Decoding.
    var scanner = JSONScanner()
    /// Unescaped text of the member being decoded.
    let unescaped: RawBuffer<UInt8>
    /// Unescaped member keys.
    let keyScratch: RawBuffer<UInt8>
    /// Per field: a money amount decoded without its currency yet.
    let needsCurrency: RawBuffer<UInt8>

    // Evaluation.
    let frame: RawBuffer<Int128>
    let present: RawBuffer<UInt8>
    let errorSlots: RawBuffer<EvalError>
    var error = EvalError()
    /// Per memo slot: the first pc of its block.
    let memoStart: RawBuffer<Int32>
    /// Per memo slot: its value or error, valid when stamped with `memoEpoch`.
    let memos: RawBuffer<MemoEntry>
    /// The current evaluation; bumping it forgets every memo slot at once.
    var memoEpoch: UInt64 = 1
    /// While a memo block runs: the pc of the `memo` that entered it; else -1.
    var memoReturn = -1
    /// The program's native code (nil: the interpreter runs the rules), its
    /// context, and while it runs rules their decision (`NativeCode.swift`).
    let nativeEntry: writ_native_entry?
    let nativeContext: UnsafeMutablePointer<writ_native_ctx>
    var nativeDecision: UnsafeMutablePointer<Decision>? = nil
    /// Set by `runRules`: a rule rejected (or failed), a rule held.
    var rulesRejected = false
    var rulesHeld = false
    var ts: Int64 = 0
    var kind = EventKind.none
    /// Explain evaluates without changing state; `rate` then counts the message itself.
    var dryRun = false
    /// The last order's decision, not yet applied to the state (`settle`).
    var settlement = Settlement()
    /// While an order's rules run: its message is not counted yet (step 3
    /// is applied when it is settled), so a `rate` read adds it.
    var ratesPending = false
    /// The market table was full when this order's market record was needed.
    var marketUnavailable = false
    /// The key-block group whose registers the frame holds for this event's
    /// inputs (-1 none; see `sharedKeys`), and whether its block succeeded.
    var keyGroupInFrame: Int32 = -1
    var keyGroupOK = false
    /// Per state slot: what this order's rules read (`SlotRead`); the
    /// current order's stamp, and whether reads are being recorded (only
    /// while the rules run on the order's own inputs).
    let slotReads: RawBuffer<SlotRead>
    var readEpoch: UInt64 = 1
    var recordingReads = false
    /// While a modify's rules run: its live record (found once as it is
    /// decided), which `open_sum` reads use; -1 otherwise.
    var modifyRecord = -1
    /// Per state slot: how to take its key and amount from a memo slot
    /// (`KeyBlocks.amountPlans`); whether the memo slots hold this order's
    /// values (its rules have run and nothing has changed its inputs since).
    let amountPlans: RawBuffer<AmountPlan>
    var memosCurrent = false
    /// Whether a cancel (its `rate` key blocks, the route's order
    /// dimensions) or a fill (its key blocks) may read the market record:
    /// when not, it is not loaded.
    let cancelLoadsMarket: Bool
    let fillLoadsMarket: Bool
    let previous: RawBuffer<PreviousAmount>
    /// The `window_sum` slots (in `windowSumSlots` order) whose previous
    /// amount a modify needs: per candidate list, those its rules may read
    /// (computed as the order is decided), then the others (computed when
    /// it is settled, which is all that reads them).
    let previousSlots: RawBuffer<Int32>
    /// Four values per candidate-list offset: the first entry and count in
    /// `previousSlots` of each part (`StatePrefetch.byCandidateList`).
    let previousRanges: RawBuffer<Int32>
    let scratchSlots: RawBuffer<Int128>
    let scratchPresence: RawBuffer<UInt8>
    /// Whether `run` records what it executes (explain).
    var tracing = false
    let trace: RawBuffer<TraceEntry>
    var traceCount = 0
    /// Room for building a text (`+`, `string(x)`).
    let textScratch: RawBuffer<UInt8>

    let regexes: RawBuffer<RegexRT>
    var regexScratch: RegexScratch
    /// Symbol ids of enum case names: enum e's cases start at `enumCaseStart[e]`.
    let enumCaseStart: RawBuffer<Int32>
    let enumCaseSymbol: RawBuffer<Int32>

    // State.
    var symbols: SymbolStore
    /// Composite keys by their parts' ids (not state: it owns nothing).
    let tupleCache = TupleCache()
    let slotTables: RawBuffer<OpenTable<SlotEntry>>
    /// The state rows an order's inputs let `prefetchOrderState` request:
    /// per candidate list, those its rules may read, then the others.
    let statePrefetch: RawBuffer<StatePrefetch>
    /// Four values per candidate-list offset: the first entry and count in
    /// `statePrefetch` of the rows its rules may read, then of the others
    /// (`StatePrefetch.split`).
    let statePrefetchRanges: RawBuffer<Int32>
    /// Per state slot: the `duplicate` table (id → start of the day it was
    /// last seen), 16 bytes a slot; one slot for the other kinds.
    let dayTables: RawBuffer<OpenTable<Int64>>
    var kills: OpenTable<SlotEntry>
    var live: RecordStore
    var market: RecordStore
    /// The market record loaded for the event (`loadMarket`), -1 for none.
    var marketRecord = -1
    /// The market fields' histories of `window_max` and `window_min`.
    let histories: PriceHistories
    let bound: RawBuffer<BoundSet>
    let configuration: EngineConfiguration
    /// Topology, DR level and routes at run time.
    var platform: PlatformState
    /// The platform event being processed.
    var platformEvent = PlatformEvent()
    /// The `exec_id`s of the fills applied (id → start of the day it was
    /// last applied), so that a fill delivered again counts once; one slot
    /// when the fill schema has no `exec_id`. Last, after the order path's
    /// fields, so that their layout is not moved by it.
    var execIDs: OpenTable<Int64>
    /// Orders no longer live, by id (`closeOrder`): their record as last
    /// accepted and their filled quantity, so that a late fill counts.
    var closed: RecordStore
    /// The closed orders' keys in the order they were first closed, a ring
    /// from `closedHead` (the next to be forgotten) of `closed.count` keys.
    let closedRing: RawBuffer<UInt64>
    var closedHead = 0

    init(_ p: EngineProgram, _ config: EngineConfiguration) {
        code = p.code
        handlers = p.handlers
        blockStart = p.blockStart
        fieldSlot = p.fieldSlot
        fieldKind = p.fieldKind
        fieldSchema = p.fieldSchema
        tables = RawBuffer((0..<p.tables.count).map { p.tables[$0] })
        columns = RawBuffer((0..<p.columns.count).map { p.columns[$0] })
        columnKinds = RawBuffer(p.ir.tables.flatMap { $0.columns.map(\.kind) })
        for (bi, b) in p.ir.bindings.enumerated() where b.table >= 0 { tables[b.table].binding = Int32(bi) }
        let actions = p.ir.schema("control")?.field("action")?.enumIndex.map { p.ir.enums[$0].cases } ?? []
        tableSetCase = actions.firstIndex(of: "set").map { Int128($0) } ?? -1
        tableRemoveCase = actions.firstIndex(of: "remove").map { Int128($0) } ?? -1
        tableControls = TableControlLayout(p)
        sets = p.sets
        stateSlots = p.stateSlots
        betweens = p.betweens
        zones = p.zones
        jurisdictions = p.jurisdictions
        indexFieldSlot = p.indexFieldSlot
        indexStride = p.indexStride
        ruleListOffset = p.ruleListOffset
        ruleLists = p.ruleLists
        ruleListEntries = p.ruleListEntries
        rules = p.rules
        venueListOf = p.venueListOf
        candidateLists = p.candidateLists
        defaultVenueList = Int(p.defaultVenueList)
        roles = p.roles
        rateSlots = RawBuffer(p.rateSlots.map { Int32($0) })
        let groups = KeyBlocks.groups(p.ir)
        keyGroup = RawBuffer(groups.map { Int32($0) })
        keyLast = RawBuffer(p.ir.stateSlots.map { Int32(p.ir.blocks[$0.keyBlock].end - 1) })
        let lengths = Array(Set(p.ir.stateSlots.map { $0.window })).sorted()
        windowLengths = RawBuffer(lengths.isEmpty ? [0] : lengths)
        slotWindow = RawBuffer(p.ir.stateSlots.map { s in Int32(lengths.firstIndex(of: s.window) ?? 0) })
        windowCacheTs = RawBuffer(lengths.map { _ in Int64.min })
        windowCacheStart = RawBuffer(lengths.map { windowStart(Int64.min, $0) })
        let orderedWindowSums = KeyBlocks.ordered(p.windowSumSlots, groups: groups, last: p.openSlots).map { Int32($0) }
        windowSumSlots = RawBuffer(orderedWindowSums)
        let previousSplit = StatePrefetch.byCandidateList(orderedWindowSums, slot: { Int($0) }, p)
        previousSlots = RawBuffer(previousSplit.entries)
        previousRanges = RawBuffer(previousSplit.ranges)
        otrSlots = RawBuffer(p.otrSlots.map { Int32($0) })
        duplicateSlots = RawBuffer(p.duplicateSlots.map { Int32($0) })
        fillSlots = RawBuffer(p.fillSlots.map { Int32($0) })
        latchSlots = RawBuffer(p.latchSlots.map { Int32($0) })
        latchRules = RawBuffer(p.latchRules.map { Int32($0) })
        latchJurisdictions = RawBuffer(p.latchJurisdictions.map { Int32($0) })
        latchNames = p.latchNames
        openSlots = RawBuffer(p.openSlots.map { Int32($0) })
        openEntries = RawBuffer(zeroed: p.openSlots.isEmpty ? 0 : config.liveOrders * p.openSlots.count)
        openReplaceInPlace = p.openSlots.allSatisfy { !KeyBlocks.readsState(p.ir.stateSlots[$0].keyBlock, p.ir) }
        constantCount = p.ir.constants.count
        fieldCount = p.fieldCount
        schemaSlots = RawBuffer(p.ir.schemas.map { Int32($0.slotBase) })
        schemaSlotCounts = RawBuffer(p.ir.schemas.map { Int32($0.slotCount) })
        schemaFields = RawBuffer(p.schemaFieldBase.map { Int32($0) })
        schemaFieldCounts = RawBuffer(p.ir.schemas.map { Int32($0.fields.count) })
        orderSchema = p.orderSchema ?? -1
        var textFields: [Int32] = []
        var textOffsets: [Int32] = []
        if let o = p.orderSchema {
            let first = p.schemaFieldBase[o]
            for k in 0..<p.ir.schemas[o].fields.count {
                let f = p.fieldsRT[first + k]
                let at = Int32(Int(f.slot) - p.ir.schemas[o].slotBase)
                switch f.kind {
                case .string, .symbol, .currency: textOffsets.append(at)
                case .money: textOffsets.append(at + 1)
                default: continue
                }
                textFields.append(Int32(k))
            }
        }
        orderTextFields = RawBuffer(textFields)
        orderTextOffsets = RawBuffer(textOffsets)
        marketSchema = p.marketSchema ?? -1
        fillSchema = p.fillSchema ?? -1
        controlSchema = p.controlSchema ?? -1
        fields = p.fieldsRT
        schemaNames = RawBuffer(p.fieldNames_)
        enumNames = RawBuffer(p.enumCaseNames)
        orderEventCase = p.orderEventCase
        staticSymbolCount = p.ir.symbols.count
        unescaped = RawBuffer(zeroed: Machine.unescapedCapacity)
        keyScratch = RawBuffer(zeroed: 256)
        needsCurrency = RawBuffer(zeroed: p.fieldCount)
        configuration = config

        frame = RawBuffer(zeroed: p.frameSize)
        for (i, c) in p.ir.constants.enumerated() { frame[i] = c }
        present = RawBuffer(zeroed: p.fieldCount)
        errorSlots = RawBuffer(zeroed: Swift.max(1, p.ir.errorSlotCount))
        let memoBlocks = p.ir.memoBlocks
        memoStart = RawBuffer(memoBlocks.map { Int32(p.ir.blocks[$0].start) })
        nativeEntry = p.native?.entry
        memos = RawBuffer(zeroed: memoBlocks.count)
        previous = RawBuffer(zeroed: p.ir.stateSlots.count)
        slotReads = RawBuffer(zeroed: p.ir.stateSlots.count)
        amountPlans = RawBuffer(KeyBlocks.amountPlans(p.ir))
        let orderSlots = p.orderSchema.map { p.ir.schemas[$0].slotCount } ?? 0
        let orderFields = p.orderSchema.map { p.ir.schemas[$0].fields.count } ?? 0
        scratchSlots = RawBuffer(zeroed: orderSlots)
        scratchPresence = RawBuffer(zeroed: orderFields)
        textScratch = RawBuffer(zeroed: 2 * SymbolStore.maxLength + 64)
        trace = RawBuffer(zeroed: 65_536)

        regexes = p.regexes
        enumCaseStart = RawBuffer(p.enumCaseSymbols.reduce(into: [Int32(0)]) { $0.append($0.last! + Int32($1.count)) })
        enumCaseSymbol = RawBuffer(p.enumCaseSymbols.flatMap { $0.map { Int32($0) } })
        regexScratch = RegexScratch(maxOps: p.maxRegexOps)
        symbols = SymbolStore(statics: p.statics.view, capacity: config.runtimeSymbols)
        slotTables = RawBuffer(
            p.ir.stateSlots.map { s in
                switch s.kind {
                case .killed, .duplicate, .windowMax, .windowMin: OpenTable<SlotEntry>(capacity: 1)
                default: OpenTable<SlotEntry>(capacity: config.keysPerSlot)
                }
            })
        let prefetch = StatePrefetch.split(StatePrefetch.plan(p), p)
        statePrefetch = RawBuffer(prefetch.entries)
        statePrefetchRanges = RawBuffer(prefetch.ranges)
        dayTables = RawBuffer(
            p.ir.stateSlots.map { s in
                OpenTable<Int64>(capacity: s.kind == .duplicate ? config.idsPerDay : 1)
            })
        kills = OpenTable(capacity: config.killSwitches)
        execIDs = OpenTable(capacity: p.roles.fillExecID == nil ? 1 : config.idsPerDay)
        live = RecordStore(capacity: config.liveOrders, slotCount: orderSlots, fieldCount: orderFields)
        closed = RecordStore(capacity: Swift.max(1, config.closedOrders), slotCount: orderSlots, fieldCount: orderFields)
        closedRing = RawBuffer(zeroed: Swift.max(1, config.closedOrders))
        let marketSlots = p.marketSchema.map { p.ir.schemas[$0].slotCount } ?? 0
        let marketFields = p.marketSchema.map { p.ir.schemas[$0].fields.count } ?? 0
        market = RecordStore(capacity: config.marketRecords, slotCount: marketSlots, fieldCount: marketFields)
        histories = PriceHistories(p.ir, records: config.marketRecords)
        bound = RawBuffer(p.ir.bindings.map { _ in BoundSet(isBound: false, members: OpenTable(capacity: 1)) })
        nativeContext = makeNativeContext(
            frame: frame, present: present, errorSlots: errorSlots, memos: memos, bound: bound, tables: tables,
            columns: columns, symbols: symbols, tuples: tupleCache,
            state: NativeStateTables(
                slotTables: slotTables, dayTables: dayTables, kills: kills, slotWindow: slotWindow,
                windowLengths: windowLengths, windowCacheTs: windowCacheTs, windowCacheStart: windowCacheStart,
                slotReads: slotReads, previous: previous,
                orderQty: p.roles.orderQty.map { (field: $0, slot: Int(p.fieldsRT[$0].slot)) }))
        platform = PlatformState(p, positions: config.keysPerSlot)
        let marketFieldBase = p.marketSchema.map { p.schemaFieldBase[$0] } ?? 0
        let keyBlocksOf = { (slots: [Int]) in slots.map { p.ir.stateSlots[$0].keyBlock } }
        fillLoadsMarket = KeyBlocks.mayRead(keyBlocksOf(p.fillSlots), schema: marketSchema, fieldBase: marketFieldBase, p.ir)
        var dimensionReadsMarket = false
        for d in 0..<platform.dimensionCount {
            let f = Int(platform.dimensionField[d])
            if marketSchema >= 0 && f >= marketFieldBase && f < marketFieldBase + p.ir.schemas[marketSchema].fields.count {
                dimensionReadsMarket = true
            }
        }
        cancelLoadsMarket =
            dimensionReadsMarket
            || KeyBlocks.mayRead(keyBlocksOf(p.rateSlots), schema: marketSchema, fieldBase: marketFieldBase, p.ir)
    }

    /// Frees every buffer the machine allocated (not the program's).
    /// The longest unescaped string value the decoder keeps.
    static let unescapedCapacity = 4096

    func free() {
        freeNativeContext(nativeContext)
        tableControls.free()
        schemaNames.free()
        enumNames.free()
        scanner.free()
        unescaped.free()
        keyScratch.free()
        needsCurrency.free()
        rateSlots.free()
        windowSumSlots.free()
        keyGroup.free()
        keyLast.free()
        windowLengths.free()
        slotWindow.free()
        windowCacheTs.free()
        windowCacheStart.free()
        otrSlots.free()
        duplicateSlots.free()
        fillSlots.free()
        latchSlots.free()
        latchRules.free()
        latchJurisdictions.free()
        openSlots.free()
        openEntries.free()
        orderTextFields.free()
        orderTextOffsets.free()
        schemaSlots.free()
        schemaSlotCounts.free()
        schemaFields.free()
        schemaFieldCounts.free()
        frame.free()
        present.free()
        errorSlots.free()
        memoStart.free()
        memos.free()
        previous.free()
        previousSlots.free()
        previousRanges.free()
        slotReads.free()
        amountPlans.free()
        scratchSlots.free()
        scratchPresence.free()
        textScratch.free()
        trace.free()
        regexScratch.free()
        enumCaseStart.free()
        enumCaseSymbol.free()
        symbols.free()
        tupleCache.free()
        for i in 0..<slotTables.count { slotTables[i].free() }
        slotTables.free()
        statePrefetch.free()
        statePrefetchRanges.free()
        for i in 0..<dayTables.count { dayTables[i].free() }
        dayTables.free()
        kills.free()
        execIDs.free()
        live.free()
        closed.free()
        closedRing.free()
        market.free()
        histories.free()
        for i in 0..<bound.count { bound[i].members.free() }
        bound.free()
        for i in 0..<tables.count where tables[i].binding >= 0 {
            let t = tables[i]
            t.rowKeys?.free()
            t.boundRows?.free()
            if t.rowCapacity > 0 { for c in 0..<t.columnCount { columns[t.firstColumn + c].cells.free() } }
        }
        tables.free()
        columns.free()
        columnKinds.free()
        platform.free()
    }

    /// Populates the pages of every state table and working buffer, so the
    /// first events do not fault them in; the bytes populated.
    func prefault() -> Int {
        var n = symbols.prefault() + tupleCache.prefault() + live.prefault() + closed.prefault() + closedRing.prefault() + market.prefault() + kills.prefault() + execIDs.prefault()
        n += histories.prefault()
        for i in 0..<slotTables.count { n += slotTables[i].prefault() }
        for i in 0..<dayTables.count { n += dayTables[i].prefault() }
        for i in 0..<bound.count { n += bound[i].members.prefault() }
        n += frame.prefault() + present.prefault() + errorSlots.prefault() + unescaped.prefault()
        n += trace.prefault() + textScratch.prefault()
        return n
    }

    /// Forgets every memo slot's value: the next evaluation computes each anew.
    @inline(__always)
    mutating func newMemoEpoch() {
        memoEpoch &+= 1
        memoReturn = -1
    }

    /// Marks every field of schema `s` absent.
    @inline(__always)
    func clearSchema(_ s: Int) {
        guard s >= 0 else { return }
        let first = Int(schemaFields[s])
        for f in first..<(first + Int(schemaFieldCounts[s])) {
            present[f] = 0
            needsCurrency[f] = 0
        }
    }
}
