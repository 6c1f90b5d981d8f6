/// Running the rules as native code (docs/native.md): a bundle built with
/// `--native` carries a shared object compiled from its own IR. The engine
/// maps it from memory after the bundle's hash and signature are checked,
/// and then runs rule lists through it instead of the interpreter's loop.
/// The code calls back into this file for every instruction it does not
/// run inline and for every failure, which the interpreter's own code then
/// handles: decisions are the interpreter's, exactly. Explain (tracing)
/// always uses the interpreter.

import CWritNative
import WritIR

/// A loaded native object; unloaded with the program.
public final class NativeCode: @unchecked Sendable {
    // INVARIANT: `handle` is the library `writ_native_open` returned, closed once in deinit.
    let handle: UnsafeMutableRawPointer
    let entry: writ_native_entry

    private init(handle: UnsafeMutableRawPointer, entry: @escaping writ_native_entry) {
        self.handle = handle
        self.entry = entry
    }

    deinit { writ_native_close(handle) }

    /// Whether an engine may run native code here: the error byte of "no
    /// error" is 0 and 16-byte integers are 16-byte aligned, as the
    /// generated C assumes.
    static var layoutSupported: Bool {
        var e = EvalError()
        e.code = .none
        let zero = withUnsafeBytes(of: &e) { $0[MemoryLayout<EvalError>.offset(of: \.code)!] == 0 }
        return zero && MemoryLayout<Int128>.alignment == 16
    }

    /// Loads the native code of a bundle's `NATV` section, or says why it is not used.
    static func load(_ bytes: [UInt8]) -> Result<NativeCode, NativeLoadRefusal> {
        let section: NativeSection
        switch NativeSection.decode(bytes) {
        case .success(let s): section = s
        case .failure(let e): return .failure(NativeLoadRefusal(reason: e.description))
        }
        guard section.target == NativeSection.hostTarget else {
            return .failure(
                NativeLoadRefusal(
                    reason: "the native code is for \(section.target), this machine is \(NativeSection.hostTarget)"))
        }
        guard section.abi == UInt32(NativeABI.version) else {
            return .failure(
                NativeLoadRefusal(
                    reason: "the native code has interface version \(section.abi); this writ runs version \(NativeABI.version)"))
        }
        guard layoutSupported else {
            return .failure(NativeLoadRefusal(reason: "this build's value layout is not the one native code assumes"))
        }
        var entry: writ_native_entry? = nil
        var abi: Int64 = 0
        var message = [CChar](repeating: 0, count: 512)
        guard section.id.count == 32 else { return .failure(NativeLoadRefusal(reason: "the native code has no identity")) }
        let handle = section.object.withUnsafeBufferPointer { object in
            section.id.withUnsafeBufferPointer { id in
                writ_native_open(
                    object.baseAddress, Int64(object.count), id.baseAddress, &entry, &abi, &message, Int64(message.count))
            }
        }
        guard let handle, let entry else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(NativeLoadRefusal(reason: text))
        }
        let code = NativeCode(handle: handle, entry: entry)
        guard abi == Int64(NativeABI.version) else {
            return .failure(NativeLoadRefusal(reason: "the native object says interface version \(abi)"))
        }
        return .success(code)
    }
}

/// Why a bundle's native code is not used (the engine then interprets).
public struct NativeLoadRefusal: Error, Sendable, Hashable {
    /// One sentence.
    public var reason: String
}

/// How an engine runs its rules.
public enum ExecutionMode: Sendable, Hashable, CustomStringConvertible {
    /// Native code from the bundle.
    case native
    /// The interpreter; the reason native code is not used.
    case interpreter(String)

    /// `native`, or `interpreter (reason)`.
    public var description: String {
        switch self {
        case .native: "native"
        case .interpreter(let why): "interpreter (\(why))"
        }
    }
}

/// The calls back from native code: `ctx.machine` is the machine running it.
private func machine(_ ctx: UnsafeMutablePointer<writ_native_ctx>?) -> UnsafeMutablePointer<Machine> {
    ctx.unsafelyUnwrapped.pointee.machine.unsafelyUnwrapped.assumingMemoryBound(to: Machine.self)
}

private let nativeStep: writ_native_callback = { ctx, pc in
    machine(ctx).pointee.nativeStep(Int(pc)) ? 1 : 0
}

private let nativeNextRule: writ_native_callback = { ctx, fired in
    Int64(machine(ctx).pointee.nativeNextRule(fired: fired != 0))
}

private let nativeFault: writ_native_callback = { ctx, pc in
    // The failure path reads and clears the machine's memo return: lend it the native code's.
    let m = machine(ctx)
    let c = ctx.unsafelyUnwrapped
    let outer = m.pointee.memoReturn
    m.pointee.memoReturn = Int(c.pointee.memo_return)
    let next = m.pointee.nativeFault(Int(pc))
    c.pointee.memo_return = Int64(m.pointee.memoReturn)
    m.pointee.memoReturn = outer
    return Int64(next)
}

/// The native context of a machine, allocated once: its layout fields,
/// tables and calls back are set here; the per-run fields by `runNativeRules`.
func makeNativeContext(
    frame: RawBuffer<Int128>, present: RawBuffer<UInt8>, errorSlots: RawBuffer<EvalError>, memos: RawBuffer<MemoEntry>,
    bound: RawBuffer<BoundSet>, tables: RawBuffer<TableRT>, columns: RawBuffer<ColumnRT>,
    symbols: SymbolStore, tuples: TupleCache, state: NativeStateTables
) -> UnsafeMutablePointer<writ_native_ctx> {
    let c = UnsafeMutablePointer<writ_native_ctx>.allocate(capacity: 1)
    // Cells of static tables' columns; bound tables' change when they are bound again.
    let cells = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: Swift.max(1, columns.count))
    cells.initialize(repeating: nil, count: Swift.max(1, columns.count))
    for i in 0..<tables.count where tables[i].binding < 0 {
        let t = tables[i]
        for k in 0..<t.columnCount { cells[t.firstColumn + k] = UnsafeRawPointer(columns[t.firstColumn + k].cells.base) }
    }
    let t = UnsafeMutablePointer<writ_native_table>.allocate(capacity: Swift.max(1, tables.count))
    for i in 0..<tables.count {
        let x = tables[i]
        // Static tables keyed by text: native code finds their rows itself.
        let own = x.binding < 0 && x.keyKind.isText
        t[i] = writ_native_table(
            row_of_symbol: own ? UnsafePointer(x.rowOfSymbol.base) : nil, count: own ? Int64(x.rowOfSymbol.count) : 0)
    }
    var x = writ_native_ctx()
    // The machine's buffers are allocated once, with it.
    x.frame = UnsafeMutableRawPointer(frame.base)
    x.present = UnsafePointer(present.base)
    x.error_slots = UnsafeMutableRawPointer(errorSlots.base).assumingMemoryBound(to: UInt8.self)
    x.memos = UnsafeMutableRawPointer(memos.base).assumingMemoryBound(to: UInt8.self)
    x.step = nativeStep
    x.next_rule = nativeNextRule
    x.fault = nativeFault
    x.memo_return = -1
    x.rule_mode = 1
    x.error_stride = Int64(MemoryLayout<EvalError>.stride)
    x.error_code_offset = Int64(MemoryLayout<EvalError>.offset(of: \.code)!)
    x.memo_stride = Int64(MemoryLayout<MemoEntry>.stride)
    x.memo_stamp_offset = Int64(MemoryLayout<MemoEntry>.offset(of: \.stamp)!)
    x.memo_error_code_offset = Int64(
        MemoryLayout<MemoEntry>.offset(of: \.error)! + MemoryLayout<EvalError>.offset(of: \.code)!)
    x.memo_value_offset = Int64(MemoryLayout<MemoEntry>.offset(of: \.value)!)
    x.memo_second_offset = Int64(MemoryLayout<MemoEntry>.offset(of: \.second)!)
    x.tables = UnsafePointer(t)
    // Bound lists are read where they are (binding one replaces its entry in place).
    x.bound = UnsafeRawPointer(bound.base).assumingMemoryBound(to: UInt8.self)
    x.bound_stride = Int64(MemoryLayout<BoundSet>.stride)
    x.bound_is_bound_offset = Int64(MemoryLayout<BoundSet>.offset(of: \.isBound)!)
    x.bound_slots_offset = Int64(MemoryLayout<BoundSet>.offset(of: \.members.slots.base)!)
    x.bound_mask_offset = Int64(MemoryLayout<BoundSet>.offset(of: \.members.mask)!)
    x.bound_slot_stride = Int64(MemoryLayout<TableSlot<UInt8>>.stride)
    x.columns = UnsafePointer(cells)
    precondition(RuleRT.killOnlyBit == WRIT_KILL_ONLY_BIT, "the native code's kill-only bit is the engine's")
    // State tables are read where they are: their slot arrays are allocated once, with the machine.
    func stateTables<V>(_ buffer: RawBuffer<OpenTable<V>>) -> UnsafePointer<writ_native_state_table> {
        let t = UnsafeMutablePointer<writ_native_state_table>.allocate(capacity: Swift.max(1, buffer.count))
        let count = MemoryLayout<OpenTable<V>>.offset(of: \OpenTable<V>.count)!
        for i in 0..<buffer.count {
            let table = buffer[i]
            t[i] = writ_native_state_table(
                slots: UnsafeRawPointer(table.slots.base).assumingMemoryBound(to: UInt8.self), mask: Int64(table.mask),
                count: (UnsafeRawPointer(buffer.base + i) + count).assumingMemoryBound(to: Int64.self),
                capacity: Int64(table.capacity))
        }
        return UnsafePointer(t)
    }
    x.state_tables = stateTables(state.slotTables)
    x.day_tables = stateTables(state.dayTables)
    // Its count is in the machine (not known yet): its reads call back when the key has no entry.
    x.kills = writ_native_state_table(
        slots: UnsafeRawPointer(state.kills.slots.base).assumingMemoryBound(to: UInt8.self), mask: Int64(state.kills.mask),
        count: nil, capacity: 0)
    x.state_slot_stride = Int64(MemoryLayout<TableSlot<SlotEntry>>.stride)
    x.state_value_offset = Int64(MemoryLayout<TableSlot<SlotEntry>>.offset(of: \.value)!)
    x.day_slot_stride = Int64(MemoryLayout<TableSlot<Int64>>.stride)
    x.day_value_offset = Int64(MemoryLayout<TableSlot<Int64>>.offset(of: \.value)!)
    x.entry_sum_offset = Int64(MemoryLayout<SlotEntry>.offset(of: \.sum)!)
    x.entry_start_offset = Int64(MemoryLayout<SlotEntry>.offset(of: \.start)!)
    x.entry_count_offset = Int64(MemoryLayout<SlotEntry>.offset(of: \.count)!)
    x.entry_other_offset = Int64(MemoryLayout<SlotEntry>.offset(of: \.other)!)
    // Native code reads the event's time, kind and flags in the machine (native code never runs while tracing).
    x.machine_ts_offset = Int64(MemoryLayout<Machine>.offset(of: \Machine.ts)!)
    x.machine_dry_run_offset = Int64(MemoryLayout<Machine>.offset(of: \Machine.dryRun)!)
    x.machine_kind_offset = Int64(MemoryLayout<Machine>.offset(of: \Machine.kind)!)
    x.machine_recording_offset = Int64(MemoryLayout<Machine>.offset(of: \Machine.recordingReads)!)
    x.machine_read_epoch_offset = Int64(MemoryLayout<Machine>.offset(of: \Machine.readEpoch)!)
    x.machine_rates_pending_offset = Int64(MemoryLayout<Machine>.offset(of: \Machine.ratesPending)!)
    x.modify_kind = withUnsafeBytes(of: EventKind.modify) { $0[0] }
    x.order_qty_field = Int64(state.orderQty?.field ?? -1)
    x.order_qty_slot = Int64(state.orderQty?.slot ?? -1)
    x.slot_window = UnsafePointer(state.slotWindow.base)
    x.window_length = UnsafePointer(state.windowLengths.base)
    x.window_ts = state.windowCacheTs.base
    x.window_start = state.windowCacheStart.base
    x.day_ts = Int64.min
    x.day_start = windowStart(Int64.min, nanosPerDay)
    x.slot_reads = UnsafeMutableRawPointer(state.slotReads.base).assumingMemoryBound(to: UInt8.self)
    x.read_stride = Int64(MemoryLayout<SlotRead>.stride)
    x.read_stamp_offset = Int64(MemoryLayout<SlotRead>.offset(of: \.stamp)!)
    x.read_key_offset = Int64(MemoryLayout<SlotRead>.offset(of: \.key)!)
    x.read_amount_offset = Int64(MemoryLayout<SlotRead>.offset(of: \.amount)!)
    x.read_currency_offset = Int64(MemoryLayout<SlotRead>.offset(of: \.currency)!)
    x.previous = UnsafeRawPointer(state.previous.base).assumingMemoryBound(to: UInt8.self)
    x.previous_stride = Int64(MemoryLayout<PreviousAmount>.stride)
    x.previous_ok_offset = Int64(MemoryLayout<PreviousAmount>.offset(of: \.ok)!)
    x.previous_amount_offset = Int64(MemoryLayout<PreviousAmount>.offset(of: \.amount)!)
    x.previous_currency_offset = Int64(MemoryLayout<PreviousAmount>.offset(of: \.currency)!)
    // Texts are read where the symbol table keeps them (its buffers are allocated once, with it).
    x.sym_static_bytes = UnsafePointer(symbols.statics.bytes.base)
    x.sym_static_offsets = UnsafePointer(symbols.statics.offsets.base)
    x.sym_static_count = Int64(symbols.base)
    x.sym_entries = symbols.entriesBase.assumingMemoryBound(to: UInt8.self)
    x.sym_capacity = Int64(symbols.capacity)
    x.sym_entry_stride = Int64(MemoryLayout<SymbolEntry>.stride)
    x.sym_length_offset = Int64(MemoryLayout<SymbolEntry>.offset(of: \.length)!)
    x.sym_inline_offset = Int64(MemoryLayout<SymbolEntry>.offset(of: \.inline)!)
    x.sym_inline_length = Int64(SymbolStore.inlineLength)
    x.tuple_recent = UnsafeRawPointer(tuples.recent.base).assumingMemoryBound(to: UInt8.self)
    x.tuple_recent_mask = Int64(TupleCache.recentCapacity - 1)
    x.tuple_recent_stride = Int64(MemoryLayout<TupleRecentEntry>.stride)
    x.tuple_parts_offset = Int64(MemoryLayout<TupleRecentEntry>.offset(of: \.parts)!)
    x.tuple_composite_offset = Int64(MemoryLayout<TupleRecentEntry>.offset(of: \.composite)!)
    x.tuple_id_offset = Int64(MemoryLayout<TupleRecentEntry>.offset(of: \.id)!)
    x.tuple_stamp_offset = Int64(MemoryLayout<TupleRecentEntry>.offset(of: \.stamp)!)
    x.machine_removals_offset = Int64(MemoryLayout<Machine>.offset(of: \Machine.symbols.removals)!)
    c.initialize(to: x)
    return c
}

/// The machine's state tables and window cache that native code reads in place.
struct NativeStateTables {
    var slotTables: RawBuffer<OpenTable<SlotEntry>>
    var dayTables: RawBuffer<OpenTable<Int64>>
    var kills: OpenTable<SlotEntry>
    var slotWindow: RawBuffer<Int32>
    var windowLengths: RawBuffer<Int64>
    var windowCacheTs: RawBuffer<Int64>
    var windowCacheStart: RawBuffer<Int64>
    var slotReads: RawBuffer<SlotRead>
    /// Per state slot: a modify's previous amount (`Machine.previous`).
    var previous: RawBuffer<PreviousAmount>
    /// The order's quantity field (its presence byte) and frame slot, if any.
    var orderQty: (field: Int, slot: Int)?
}

/// Frees what `makeNativeContext` allocated.
func freeNativeContext(_ c: UnsafeMutablePointer<writ_native_ctx>) {
    UnsafeMutablePointer(mutating: c.pointee.tables)?.deallocate()
    UnsafeMutablePointer(mutating: c.pointee.columns)?.deallocate()
    UnsafeMutablePointer(mutating: c.pointee.state_tables)?.deallocate()
    UnsafeMutablePointer(mutating: c.pointee.day_tables)?.deallocate()
    c.deallocate()
}

extension Machine {
    /// Runs the rules listed at `ruleLists[list]` through native code, as
    /// `runRules` does through the interpreter.
    @inline(__always)
    mutating func runNativeRules(_ list: Int, _ d: UnsafeMutablePointer<Decision>, _ entry: writ_native_entry) {
        keyGroupInFrame = -1
        var k = 0
        let pc = nextRule(list, &k, d)
        if pc < 0 { return }
        nativeDecision = d
        let c = prepareNative(list: list, k: k, rules: true)
        let r = enterNative(entry, pc)
        nativeDecision = nil
        if r == -2 {
            // Not an entry of the code: cannot happen for code built from this
            // program; fail closed rather than decide on what ran.
            d.pointee.add(FiredRule(index: Int16(ruleLists[list + Int(c.pointee.k)]), error: EvalError(code: .engineFault)))
            rulesRejected = true
        }
    }

    /// Runs `block` through native code, as `run` does through the
    /// interpreter: the pc of its `ret`, or -1 (`error` says why). It may
    /// run inside native rules (a state read's key block): what it changes
    /// of the context is put back.
    @inline(__always)
    mutating func runNativeBlock(_ block: Int, _ entry: writ_native_entry) -> Int {
        keyGroupInFrame = -1
        let c = nativeContext
        let saved = (c.pointee.memo_return, c.pointee.rule_mode, c.pointee.list, c.pointee.k, nativeDecision)
        nativeDecision = nil
        _ = prepareNative(list: -1, k: 0, rules: false)
        let r = enterNative(entry, Int(blockStart[block]))
        (c.pointee.memo_return, c.pointee.rule_mode, c.pointee.list, c.pointee.k, nativeDecision) = saved
        if r == -2 {
            error = EvalError(code: .engineFault)
            return -1
        }
        return Int(r)
    }

    /// Sets the context's per-run fields (running a rule list, or one
    /// block); the context.
    @inline(__always)
    private mutating func prepareNative(list: Int, k: Int, rules: Bool) -> UnsafeMutablePointer<writ_native_ctx> {
        let c = nativeContext
        c.pointee.memo_epoch = memoEpoch
        c.pointee.memo_return = -1
        c.pointee.rule_mode = rules ? 1 : 0
        c.pointee.list = Int64(list)
        c.pointee.k = Int64(k)
        if rules {
            c.pointee.list_next = UnsafePointer(ruleListEntries.base + list + 1)
            c.pointee.list_count = Int64(ruleListEntries[list])
        }
        c.pointee.no_kills = kills.count == 0 && !kills.isFull ? 1 : 0
        c.pointee.market_unavailable = marketUnavailable ? 1 : 0
        return c
    }

    /// Calls native code at `pc` with this machine in the context.
    @inline(__always)
    private mutating func enterNative(_ entry: writ_native_entry, _ pc: Int) -> Int64 {
        let c = nativeContext
        return withUnsafeMutablePointer(to: &self) { m -> Int64 in
            c.pointee.machine = UnsafeMutableRawPointer(m)
            // The performance checker cannot see through a function pointer:
            // the code runs no allocation or lock of its own, and its calls
            // back run the loop's own instructions (counted by `writ bench`).
            return _unsafePerformance { entry(c, Int64(pc)) }
        }
    }

    /// Runs the instruction at `pc` for native code; true if it failed.
    mutating func nativeStep(_ pc: Int) -> Bool {
        let i = code[pc]
        switch i.op {
        case .rate, .execs, .otr, .pos, .dup, .wsum, .latch, .osum, .killed:
            // What the loop's case does, without entering the loop.
            return !readState(i)
        case .wmax, .wmin:
            readHistory(i)
            return false
        // The cases the loop runs through a helper, without entering the loop.
        case .row: return !readRow(i, frame.base)
        case .inrow: return testRow(i, frame.base) == nil
        case .col, .colq, .hascol: return !readColumn(i, frame.base)
        case .inbound: return testBound(i, frame.base) == nil
        case .tuple: return !makeTuple(i, frame.base)
        case .sstarts, .sends, .scontains:
            let f = frame.base
            f[Int(i.a)] = textTest(i.op, f[Int(i.b)], f[Int(i.c)]) ? 1 : 0
            return false
        case .between:
            let f = frame.base
            f[Int(i.a)] = inRange(f[Int(i.b)], betweens[Int(i.aux)]) ? 1 : 0
            return false
        case .jmp, .jf, .jt, .jeq, .jne, .jlt, .jle, .jgt, .jge, .jabsent, .jpresent, .ret, .mret:
            // Native code runs control flow itself; a call here is a fault in it.
            error = EvalError(code: .engineFault)
            return true
        default:
            return execute(pc, rules: -1, decision: nil, traced: SingleStep.self) < 0
        }
    }

    /// A rule's `ret` in native code: records the rule at the context's
    /// position if it fired; the next rule's pc or -1.
    mutating func nativeNextRule(fired: Bool) -> Int {
        guard let d = nativeDecision else { return -1 }
        let c = nativeContext
        let list = Int(c.pointee.list)
        var k = Int(c.pointee.k)
        recordRule(Int(ruleLists[list + k]), fired: fired, d)
        let pc = nextRule(list, &k, d)
        c.pointee.k = Int64(k)
        return pc
    }

    /// A failure at `pc` in native code with no handler in its block.
    mutating func nativeFault(_ pc: Int) -> Int {
        let c = nativeContext
        var k = Int(c.pointee.k)
        let next = failureTarget(pc, nativeDecision == nil ? -1 : Int(c.pointee.list), &k, nativeDecision, traced: SingleStep.self)
        c.pointee.k = Int64(k)
        return next
    }
}
