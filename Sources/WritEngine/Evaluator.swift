/// The register machine's run loop: a `switch` over the instructions of one
/// block, reading and writing the flat frame. An instruction that fails
/// records the error and continues at its handler (or ends the block).
/// No allocation, no locks, no reference counting on this path.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import WritIR
import WritValue

/// One executed instruction, recorded when tracing (explain): the values of
/// its operands and of the slots after them (the currency of money).
struct TraceEntry: BitwiseCopyable {
    var pc: Int32
    var failed: Bool
    var values: (Int128, Int128, Int128, Int128, Int128, Int128)
    var error: EvalError
}

extension Int128 {
    /// `x` sign-extended, inline (the generic `Int128(truncatingIfNeeded:)`
    /// is an out-of-line call in the run loop).
    @inline(__always)
    init(widening x: Int64) {
        self.init(_low: UInt64(bitPattern: x), _high: x >> 63)
    }
}

/// Whether a copy of the run loop records what it executes. The loop is
/// generic over it so that each copy is specialized with the answer as a
/// constant (a `Bool` parameter was tested at run time on every instruction).
protocol TraceMode {
    /// Whether instructions are recorded.
    static var isOn: Bool { get }
    /// Whether the loop runs one instruction and returns (for native code).
    static var isSingleStep: Bool { get }
}

/// The run loop of explain: every instruction is recorded.
enum Traced: TraceMode {
    static var isOn: Bool { true }
    static var isSingleStep: Bool { false }
}

/// The run loop of decisions: nothing is recorded.
enum Untraced: TraceMode {
    static var isOn: Bool { false }
    static var isSingleStep: Bool { false }
}

/// One instruction for native code (`NativeCode.swift`): run as explain
/// runs it (no shortcuts that take the next instructions too), unrecorded.
enum SingleStep: TraceMode {
    static var isOn: Bool { false }
    static var isSingleStep: Bool { true }
}

extension Machine {
    /// Records an executed instruction when tracing.
    @inline(__always)
    mutating func trace(_ pc: Int, _ i: Instruction, _ failed: Bool) {
        guard traceCount < trace.count else { return }
        func value(_ x: Int) -> Int128 { x < frame.count ? frame[x] : 0 }
        let a = Int(i.a)
        let b = Int(i.b)
        let c = Int(i.c)
        trace[traceCount] = TraceEntry(
            pc: Int32(pc), failed: failed,
            values: (value(a), value(b), value(c), value(a + 1), value(b + 1), value(c + 1)), error: error)
        traceCount += 1
    }

    #if DEBUG
        /// Runs `block`; returns the pc of its `ret`, or -1 if it failed (`error` says why).
        mutating func run(_ block: Int) -> Int {
            // A block run from inside a memo block (a state read's key block) is not part of it.
            let outer = memoReturn
            memoReturn = -1
            defer { memoReturn = outer }
            if tracing { return execute(block, rules: -1, decision: nil, traced: Traced.self) }
            if let entry = nativeEntry { return runNativeBlock(block, entry) }
            return execute(block, rules: -1, decision: nil, traced: Untraced.self)
        }

        /// Runs the candidate rules listed at `ruleLists[list]` one after the
        /// other in one pass of the loop, recording each that fires or fails
        /// in `d` (and in `rulesRejected`, `rulesHeld`).
        mutating func runRules(_ list: Int, _ d: UnsafeMutablePointer<Decision>) {
            if tracing {
                _ = execute(-1, rules: list, decision: d, traced: Traced.self)
            } else if let entry = nativeEntry {
                runNativeRules(list, d, entry)
            } else {
                _ = execute(-1, rules: list, decision: d, traced: Untraced.self)
            }
        }
    #else
        /// Runs `block`; returns the pc of its `ret`, or -1 if it failed (`error` says why).
        /// Optimized builds check that it neither allocates nor locks (the
        /// checks need specialized generics, so debug builds skip them).
        @_noAllocation @_noLocks
        mutating func run(_ block: Int) -> Int {
            // A block run from inside a memo block (a state read's key block) is not part of it.
            let outer = memoReturn
            memoReturn = -1
            defer { memoReturn = outer }
            if tracing { return execute(block, rules: -1, decision: nil, traced: Traced.self) }
            if let entry = nativeEntry { return runNativeBlock(block, entry) }
            return execute(block, rules: -1, decision: nil, traced: Untraced.self)
        }

        /// Runs the candidate rules listed at `ruleLists[list]` one after the
        /// other in one pass of the loop, recording each that fires or fails
        /// in `d` (and in `rulesRejected`, `rulesHeld`).
        @_noAllocation @_noLocks
        mutating func runRules(_ list: Int, _ d: UnsafeMutablePointer<Decision>) {
            if tracing {
                _ = execute(-1, rules: list, decision: d, traced: Traced.self)
            } else if let entry = nativeEntry {
                runNativeRules(list, d, entry)
            } else {
                _ = execute(-1, rules: list, decision: d, traced: Untraced.self)
            }
        }
    #endif

    /// The pc of the next rule of the list to evaluate (rules that always
    /// fire are recorded on the way), or -1 at the end of the list.
    @inline(__always)
    mutating func nextRule(_ list: Int, _ k: inout Int, _ d: UnsafeMutablePointer<Decision>) -> Int {
        let entries = ruleListEntries
        let count = Int(entries[list])
        // No kill switch set (the usual case): the rules that only test one are not run.
        let noKills = kills.count == 0 && !kills.isFull && !tracing
        while k < count {
            k += 1
            let e = entries[list + k]
            if e >= 0 {
                if e & RuleRT.killOnlyBit == 0 { return Int(e) }
                if !noKills { return Int(e & ~RuleRT.killOnlyBit) }
            } else if e == -2 {
                recordRule(Int(ruleLists[list + k]), fired: true, d)
            }
        }
        return -1
    }

    /// Executes the moves and error-slot clears from `pc` on in place and
    /// returns the pc of the first other instruction. Neither can fail nor
    /// branch, so this is what the loop would do, minus a dispatch each
    /// (a third of the instructions an order runs). Not used when tracing:
    /// explain records every instruction. (Skipping more kinds here — `req`
    /// of a present field, `not`, `has` — measured slower: this runs after
    /// every instruction.)
    @inline(__always)
    private func skipTrivial(_ pc: Int, _ code: UnsafeMutablePointer<Instruction>, _ f: UnsafeMutablePointer<Int128>) -> Int {
        var p = pc
        while true {
            let n = code[p]
            if n.op == .mov {
                f[Int(n.a)] = f[Int(n.b)]
            } else if n.op == .clrerr {
                errorSlots.base[Int(n.aux)].code = .none
            } else {
                return p
            }
            p &+= 1
        }
    }

    /// `inrow r; jf r` (`jt r`), and the same after `inbound`, `hasx`, `killed`: when
    /// the instruction after `pc` is a conditional jump on the bool just
    /// written to `a`, the pc to go on at minus one (the jump taken here
    /// rather than dispatched; the loop's tail goes on after it); else nil.
    @inline(__always)
    private func branch(_ value: Bool, after pc: Int, _ a: Int, _ code: UnsafeMutablePointer<Instruction>) -> Int? {
        let n = code[pc &+ 1]
        guard (n.op == .jf || n.op == .jt) && Int(n.b) == a else { return nil }
        return (value == (n.op == .jt) ? Int(n.aux) : pc &+ 2) &- 1
    }

    /// A column read (`col`, `colq`, `hascol`); false (with `error` set) if it fails.
    @inline(__always)
    mutating func readColumn(_ i: Instruction, _ f: UnsafeMutablePointer<Int128>) -> Bool {
        let t = Int(i.aux >> 16)
        let column = columns[tables.base[t].firstColumn + Int(i.aux & 0xFFFF)]
        let at = Int(f[Int(i.b)]) * column.width
        let v = column.cells[at]
        let a = Int(i.a)
        if i.op == .hascol {
            f[a] = v == ValueKind.nullMarker ? 0 : 1
        } else if v == ValueKind.nullMarker && i.op == .col {
            error = EvalError(code: .missingCell, a: Int128(t), b: Int128(i.aux & 0xFFFF))
            return false
        } else {
            f[a] = v
            if column.width == 2 { f[a + 1] = column.cells[at + 1] }
        }
        return true
    }

    /// `row a, T[b]`: the row into `f[a]`; false (with `error` set) if
    /// there is none or the table is bound data that is not bound.
    @inline(__always)
    mutating func readRow(_ i: Instruction, _ f: UnsafeMutablePointer<Int128>) -> Bool {
        let b = Int(i.b)
        let r = tables.base[Int(i.aux)].row(f[b])
        if r < 0 {
            error =
                r == -2
                ? EvalError(code: .unbound, a: Int128(tables[Int(i.aux)].binding))
                : EvalError(code: .noRow, a: Int128(i.aux), b: f[b])
            return false
        }
        f[Int(i.a)] = Int128(widening: Int64(r))
        return true
    }

    /// `inrow a, T[b]`: whether there is a row into `f[a]`; the row (-1:
    /// none), or nil (with `error` set) if the table is bound data that is not bound.
    @inline(__always)
    mutating func testRow(_ i: Instruction, _ f: UnsafeMutablePointer<Int128>) -> Int? {
        let r = tables.base[Int(i.aux)].row(f[Int(i.b)])
        if r == -2 {
            error = EvalError(code: .unbound, a: Int128(tables[Int(i.aux)].binding))
            return nil
        }
        f[Int(i.a)] = r >= 0 ? 1 : 0
        return r
    }

    /// `inbound a, S[b]`: membership into `f[a]` and returned; nil (with
    /// `error` set) if the bound list is not bound.
    @inline(__always)
    mutating func testBound(_ i: Instruction, _ f: UnsafeMutablePointer<Int128>) -> Bool? {
        let s = bound[Int(i.aux)]
        if !s.isBound {
            error = EvalError(code: .unbound, a: Int128(i.aux))
            return nil
        }
        let found = s.members.find(UInt64(truncatingIfNeeded: f[Int(i.b)])) != nil
        f[Int(i.a)] = found ? 1 : 0
        return found
    }

    /// `tuple a, b, c`: the composite key's id into `f[a]`; false (with `error` set) if it cannot be made.
    @inline(__always)
    mutating func makeTuple(_ i: Instruction, _ f: UnsafeMutablePointer<Int128>) -> Bool {
        let id = tupleKey(f[Int(i.b)], f[Int(i.c)], composite: i.aux != 0)
        if id < 0 {
            error = EvalError(code: id == -1 ? .invalidKey : .stateTableFull)
            return false
        }
        f[Int(i.a)] = Int128(id)
        return true
    }

    /// `row r, T[k]; col x, T[row r].c` (or `colq`, `hascol`): when the
    /// instruction after `pc` reads a column of the row just written to
    /// `r`, it runs here and its pc is returned (a failure sets `fault`, the
    /// loop's tail then handles it at that pc); else `pc`.
    @inline(__always)
    private mutating func fusedColumn(
        after pc: Int, _ r: Int, _ code: UnsafeMutablePointer<Instruction>, _ f: UnsafeMutablePointer<Int128>,
        _ fault: inout Bool
    ) -> Int {
        let n = code[pc &+ 1]
        guard (n.op == .col || n.op == .colq || n.op == .hascol) && Int(n.b) == r else { return pc }
        fault = !readColumn(n, f)
        return pc &+ 1
    }

    /// For a comparison that checks currencies (aux 1): whether the
    /// currencies of `f[b]` and `f[c]` differ, and if so the error a `cur`
    /// would have raised.
    @inline(__always)
    private mutating func currenciesDiffer(_ f: UnsafeMutablePointer<Int128>, _ b: Int, _ c: Int) -> Bool {
        let (x, y) = (f[b &+ 1], f[c &+ 1])
        if x == y { return false }
        error = EvalError(code: .currencyMismatch, a: x, b: y)
        return true
    }

    @inline(__always)
    mutating func recordRule(_ ri: Int, fired: Bool, _ d: UnsafeMutablePointer<Decision>) {
        guard fired else { return }
        d.pointee.add(FiredRule(index: Int16(ri)))
        let severity = rules[ri].severity
        if severity == .reject { rulesRejected = true }
        if severity == .hold { rulesHeld = true }
    }

    /// The run loop, specialized twice (`Traced`, `Untraced`): the traced
    /// copy (explain) records every instruction; the untraced one tests nothing for tracing, runs moves
    /// and error-slot clears without dispatching them, and takes the branch
    /// of `inrow r; jf r` and `jabsent x; req x` pairs in one step.
    @inline(__always)
    mutating func execute<Mode: TraceMode>(
        _ block: Int, rules list: Int, decision: UnsafeMutablePointer<Decision>?, traced _: Mode.Type
    ) -> Int {
        let tracing = Mode.isOn
        // Shortcuts that run more than the instruction at hand: not when
        // tracing, not when running one instruction.
        let plain = tracing || Mode.isSingleStep
        // Whatever runs now writes registers: no key block's values are left (see `sharedKeys`).
        keyGroupInFrame = -1
        let f = frame.base
        let code = self.code.base
        var k = 0
        var pc: Int
        if Mode.isSingleStep {
            pc = block
        } else if list >= 0, let d = decision {
            pc = nextRule(list, &k, d)
            if pc < 0 { return -1 }
        } else {
            pc = Int(blockStart[block])
        }
        if !plain { pc = skipTrivial(pc, code, f) }
        while true {
            let i = code[pc]
            let a = Int(i.a)
            let b = Int(i.b)
            let c = Int(i.c)
            var fault = false
            switch i.op {
            case .nop:
                break
            case .jmp:
                if tracing {
                    trace(pc, i, false)
                    pc = Int(i.aux)
                    continue
                }
                pc = Int(i.aux) &- 1
            // Each conditional jump has its own case (one indirect branch per
            // instruction). Untraced, a taken jump sets `pc` to its target − 1
            // and leaves the switch: the tail below goes on at the target as
            // after any instruction (moves skipped, a rule's `ret` recorded
            // without a dispatch).
            case .jf:
                if f[b] == 0 {
                    if tracing {
                        pc = tracedJump(pc, i)
                        continue
                    }
                    pc = Int(i.aux) &- 1
                }
            case .jt:
                if f[b] != 0 {
                    if tracing {
                        pc = tracedJump(pc, i)
                        continue
                    }
                    pc = Int(i.aux) &- 1
                }
            case .jeq:
                if f[b] == f[c] {
                    if tracing {
                        pc = tracedJump(pc, i)
                        continue
                    }
                    pc = Int(i.aux) &- 1
                }
            case .jne:
                if f[b] != f[c] {
                    if tracing {
                        pc = tracedJump(pc, i)
                        continue
                    }
                    pc = Int(i.aux) &- 1
                }
            case .jlt:
                if f[b] < f[c] {
                    if tracing {
                        pc = tracedJump(pc, i)
                        continue
                    }
                    pc = Int(i.aux) &- 1
                }
            case .jle:
                if f[b] <= f[c] {
                    if tracing {
                        pc = tracedJump(pc, i)
                        continue
                    }
                    pc = Int(i.aux) &- 1
                }
            case .jgt:
                if f[b] > f[c] {
                    if tracing {
                        pc = tracedJump(pc, i)
                        continue
                    }
                    pc = Int(i.aux) &- 1
                }
            case .jge:
                if f[b] >= f[c] {
                    if tracing {
                        pc = tracedJump(pc, i)
                        continue
                    }
                    pc = Int(i.aux) &- 1
                }
            case .jabsent:
                if present[b] == 0 {
                    if tracing {
                        pc = tracedJump(pc, i)
                        continue
                    }
                    pc = Int(i.aux) &- 1
                } else if !plain && code[pc + 1].op == .req && Int(code[pc + 1].aux) == b {
                    // `jabsent x; req x` not taken: x is present, the `req` cannot fail
                    // (the tail goes on after it). Only here: a `req x` at the
                    // target of the taken jump must fail.
                    pc &+= 1
                }
            case .jpresent:
                if present[b] != 0 {
                    if tracing {
                        pc = tracedJump(pc, i)
                        continue
                    }
                    pc = Int(i.aux) &- 1
                }
            case .ret:
                if tracing { trace(pc, i, false) }
                guard list >= 0, let d = decision else { return pc }
                recordRule(Int(ruleLists[list + k]), fired: f[a] != 0, d)
                pc = nextRule(list, &k, d)
                if pc < 0 { return -1 }
                if !tracing { pc = skipTrivial(pc, code, f) }
                continue
            case .memo:
                let slot = Int(i.aux & 0xFFFF)
                let m = memos.base + slot
                if m.pointee.stamp == memoEpoch {
                    if m.pointee.error.code == .none {
                        f[a] = m.pointee.value
                        if i.aux & 0x1_0000 != 0 { f[a + 1] = m.pointee.second }
                    } else {
                        error = m.pointee.error
                        fault = true
                    }
                } else {
                    // First read in this evaluation: run the memo block, back at `mret`.
                    memoReturn = pc
                    pc = Int(memoStart[slot])
                    if !tracing { pc = skipTrivial(pc, code, f) }
                    continue
                }
            case .mret:
                if tracing { trace(pc, i, false) }
                let at = memoReturn
                memoReturn = -1
                let entry = code[at]
                let m = memos.base + Int(entry.aux & 0xFFFF)
                m.pointee.stamp = memoEpoch
                m.pointee.error.code = .none
                m.pointee.value = f[a]
                f[Int(entry.a)] = f[a]
                if entry.aux & 0x1_0000 != 0 {
                    m.pointee.second = f[a + 1]
                    f[Int(entry.a) + 1] = f[a + 1]
                }
                if tracing { trace(at, entry, false) }
                pc = tracing ? at + 1 : skipTrivial(at + 1, code, f)
                continue
            case .fail:
                error = EvalError(code: EvalErrorCode(rawValue: UInt8(truncatingIfNeeded: i.aux)) ?? .none)
                fault = true
            case .clrerr:
                errorSlots.base[Int(i.aux)].code = .none
            case .catchErr:
                let slot = Int(i.aux & 0xFFFF)
                let rank = Int32(i.aux >> 16)
                if errorSlots[slot].code == .none || rank < errorSlots[slot].rank {
                    var e = error
                    e.rank = rank
                    errorSlots[slot] = e
                }
            case .rethrow:
                let e = errorSlots[Int(i.aux)]
                if e.code != .none {
                    error = e
                    fault = true
                }
            case .mov:
                f[a] = f[b]
            case .req:
                let field = Int(i.aux)
                if present[field] == 0 {
                    if marketUnavailable && Int(fieldSchema[field]) == marketSchema {
                        error = EvalError(code: .stateTableFull)
                    } else {
                        error = EvalError(code: .missingField, a: Int128(field))
                    }
                    fault = true
                }
            case .has:
                f[a] = Int128(widening: Int64(present[Int(i.aux)]))
            case .hasx:
                let field = Int(i.aux)
                if marketUnavailable && Int(fieldSchema[field]) == marketSchema {
                    error = EvalError(code: .stateTableFull)
                    fault = true
                } else {
                    let found = present[field] != 0
                    f[a] = found ? 1 : 0
                    if !plain, let next = branch(found, after: pc, a, code) { pc = next }
                }
            case .not:
                f[a] = f[b] == 0 ? 1 : 0
            case .eq:
                if i.aux != 0 && currenciesDiffer(f, b, c) {
                    fault = true
                } else {
                    f[a] = f[b] == f[c] ? 1 : 0
                }
            case .ne:
                if i.aux != 0 && currenciesDiffer(f, b, c) {
                    fault = true
                } else {
                    f[a] = f[b] != f[c] ? 1 : 0
                }
            case .lt:
                if i.aux != 0 && currenciesDiffer(f, b, c) {
                    fault = true
                } else {
                    f[a] = f[b] < f[c] ? 1 : 0
                }
            case .le:
                if i.aux != 0 && currenciesDiffer(f, b, c) {
                    fault = true
                } else {
                    f[a] = f[b] <= f[c] ? 1 : 0
                }
            case .gt:
                if i.aux != 0 && currenciesDiffer(f, b, c) {
                    fault = true
                } else {
                    f[a] = f[b] > f[c] ? 1 : 0
                }
            case .ge:
                if i.aux != 0 && currenciesDiffer(f, b, c) {
                    fault = true
                } else {
                    f[a] = f[b] >= f[c] ? 1 : 0
                }
            case .min:
                f[a] = Swift.min(f[b], f[c])
            case .max:
                f[a] = Swift.max(f[b], f[c])
            case .iadd, .isub, .imul:
                let x = Int64(truncatingIfNeeded: f[b])
                let y = Int64(truncatingIfNeeded: f[c])
                let (r, o) =
                    i.op == .iadd
                    ? x.addingReportingOverflow(y)
                    : i.op == .isub ? x.subtractingReportingOverflow(y) : x.multipliedReportingOverflow(by: y)
                if o {
                    error = EvalError(code: .intOverflow)
                    fault = true
                } else {
                    f[a] = Int128(widening: r)
                }
            case .idiv, .irem:
                let x = Int64(truncatingIfNeeded: f[b])
                let y = Int64(truncatingIfNeeded: f[c])
                if y == 0 {
                    error = EvalError(code: .divisionByZero)
                    fault = true
                } else {
                    let (r, o) =
                        i.op == .idiv ? x.dividedReportingOverflow(by: y) : x.remainderReportingOverflow(dividingBy: y)
                    if o {
                        error = EvalError(code: .intOverflow)
                        fault = true
                    } else {
                        f[a] = Int128(widening: r)
                    }
                }
            case .ineg, .iabs:
                let x = Int64(truncatingIfNeeded: f[b])
                if i.op == .iabs && x >= 0 {
                    f[a] = Int128(widening: x)
                } else if x == Int64.min {
                    error = EvalError(code: .intOverflow)
                    fault = true
                } else {
                    f[a] = Int128(widening: -x)
                }
            case .fadd, .fsub:
                let (r, o) = i.op == .fadd ? f[b].addingReportingOverflow(f[c]) : f[b].subtractingReportingOverflow(f[c])
                if o || r == Int128.min || r == Int128.max {
                    error = EvalError(code: .decimalOverflow)
                    fault = true
                } else {
                    f[a] = r
                }
            case .fmul:
                if let r = FixedMath.multiply(f[b], f[c]) {
                    f[a] = r
                } else {
                    error = EvalError(code: .decimalOverflow)
                    fault = true
                }
            case .fdiv:
                if f[c] == 0 {
                    error = EvalError(code: .divisionByZero)
                    fault = true
                } else if let r = FixedMath.divide(f[b], f[c]) {
                    f[a] = r
                } else {
                    error = EvalError(code: .decimalOverflow)
                    fault = true
                }
            case .fneg:
                f[a] = 0 &- f[b]
            case .fabs:
                f[a] = f[b] < 0 ? 0 &- f[b] : f[b]
            case .i2f:
                f[a] = f[b] &* fixedOne
            case .f2i:
                if let r = FixedMath.truncate(f[b]) {
                    f[a] = Int128(truncatingIfNeeded: r)
                } else {
                    error = EvalError(code: .intOverflow)
                    fault = true
                }
            case .cur:
                if f[b] != f[c] {
                    error = EvalError(code: .currencyMismatch, a: f[b], b: f[c])
                    fault = true
                }
            case .scmp:
                let r = compareText(f[b], f[c])
                switch i.aux {
                case 0: f[a] = r < 0 ? 1 : 0
                case 1: f[a] = r <= 0 ? 1 : 0
                case 2: f[a] = r > 0 ? 1 : 0
                default: f[a] = r >= 0 ? 1 : 0
                }
            case .ssize:
                let (p, n) = symbols.text(Int(f[b]))
                var count = 0
                for k in 0..<n where p.load(fromByteOffset: k, as: UInt8.self) & 0xC0 != 0x80 { count += 1 }
                f[a] = Int128(count)
            case .sstarts, .sends, .scontains:
                f[a] = textTest(i.op, f[b], f[c]) ? 1 : 0
            case .sconcat:
                if let id = concat(f[b], f[c]) {
                    f[a] = Int128(id)
                } else {
                    error = EvalError(code: .stateTableFull)
                    fault = true
                }
            case .tuple:
                fault = !makeTuple(i, f)
            case .tostr:
                let x = f[b]
                let aux = i.aux
                if let id = _unsafePerformance({ toText(x, aux: aux) }) {
                    f[a] = Int128(id)
                } else {
                    error = EvalError(code: .stateTableFull)
                    fault = true
                }
            case .row:
                if !readRow(i, f) {
                    fault = true
                } else if !plain {
                    pc = fusedColumn(after: pc, a, code, f, &fault)
                }
            case .inrow:
                guard let r = testRow(i, f) else {
                    fault = true
                    break
                }
                let found = r >= 0
                if !plain, let next = branch(found, after: pc, a, code) {
                    pc = next
                    // `inrow r, T[k]; jf r, @L; row q, T[k]`: the row is the one just found.
                    let n = code[pc &+ 1]
                    if found && n.op == .row && n.aux == i.aux && n.b == i.b {
                        pc &+= 1
                        f[Int(n.a)] = Int128(widening: Int64(r))
                        pc = fusedColumn(after: pc, Int(n.a), code, f, &fault)
                    }
                }
            case .col, .colq, .hascol:
                fault = !readColumn(i, f)
            case .inset:
                f[a] = sets[Int(i.aux)].contains(f[b]) ? 1 : 0
            case .rank:
                f[a] = Int128(sets[Int(i.aux & 0xFFFF)].rank(f[b], Int(i.aux >> 16)))
            case .inbound:
                if let found = testBound(i, f) {
                    if !plain, let next = branch(found, after: pc, a, code) { pc = next }
                } else {
                    fault = true
                }
            case .between:
                f[a] = inRange(f[b], betweens[Int(i.aux)]) ? 1 : 0
            case .smatch:
                let (p, n) = symbols.text(Int(f[b]))
                f[a] = regexMatches(regexes[Int(i.aux)], p, n) ? 1 : 0
            case .killed:
                // No switch set (the usual case): 0 without a call (`readState` says the same).
                if kills.count == 0 && !kills.isFull {
                    f[a] = 0
                    if !plain, let next = branch(false, after: pc, a, code) { pc = next }
                } else {
                    fault = !readState(i)
                }
            case .rate, .execs, .otr, .pos, .dup, .wsum, .latch, .osum:
                fault = !readState(i)
            case .wmax, .wmin:
                readHistory(i)
            }
            if tracing { trace(pc, i, fault) }
            if Mode.isSingleStep { return fault ? -1 : pc }
            if fault {
                pc = failureTarget(pc, list, &k, decision, traced: Mode.self)
                if pc < 0 { return -1 }
                if !tracing { pc = skipTrivial(pc, code, f) }
                continue
            } else if tracing {
                pc += 1
            } else {
                pc = skipTrivial(pc + 1, code, f)
                // A rule's `ret` right after (`gt r, x, y; ret r`): record the
                // rule here and go on to the next one, without a dispatch.
                if list >= 0, let d = decision, code[pc].op == .ret {
                    recordRule(Int(ruleLists[list + k]), fired: f[Int(code[pc].a)] != 0, d)
                    pc = nextRule(list, &k, d)
                    if pc < 0 { return -1 }
                    pc = skipTrivial(pc, code, f)
                }
            }
        }
    }

    /// Where the loop goes on after the instruction at `pc` failed: its
    /// handler; else, in a memo block, the memo slot keeps the error and the
    /// `memo` that entered the block fails in turn; else the rule is listed
    /// with its error (it rejects) and the next rule's pc is returned (-1:
    /// none, or not running rules).
    @inline(__always)
    mutating func failureTarget<Mode: TraceMode>(
        _ at: Int, _ list: Int, _ k: inout Int, _ decision: UnsafeMutablePointer<Decision>?, traced _: Mode.Type
    ) -> Int {
        var pc = at
        var h = handlers[pc]
        if h == Instruction.noHandler && memoReturn >= 0 {
            // A memo block failed: its slot keeps the error, which the `memo` raises.
            let entry = memoReturn
            memoReturn = -1
            let m = memos.base + Int(code[entry].aux & 0xFFFF)
            m.pointee.stamp = memoEpoch
            m.pointee.error = error
            if Mode.isOn { trace(entry, code[entry], true) }
            pc = entry
            h = handlers[entry]
        }
        guard h == Instruction.noHandler else { return Int(h) }
        guard list >= 0, let d = decision else { return -1 }
        // The rule could not be evaluated: it is listed with its error and rejects.
        d.pointee.add(FiredRule(index: Int16(ruleLists[list + k]), error: error))
        rulesRejected = true
        return nextRule(list, &k, d)
    }

    /// A taken jump when tracing: recorded, then its target.
    @inline(__always)
    private mutating func tracedJump(_ pc: Int, _ i: Instruction) -> Int {
        trace(pc, i, false)
        return Int(i.aux)
    }

    // MARK: Text
    //
    // The helpers the loop calls out of line are `mutating` although they
    // change nothing: the loop runs on `inout self`, and a non-mutating call
    // would pass a copy of the whole machine (2 KB, memcpy'd per call).

    /// Byte-wise three-way comparison of two texts (UTF-8 order is scalar order).
    @inline(never)
    mutating func compareText(_ x: Int128, _ y: Int128) -> Int {
        if x == y { return 0 }
        let (p, n) = symbols.text(Int(x))
        let (q, m) = symbols.text(Int(y))
        let r = Bytes.compare(p, q, Swift.min(n, m))
        if r != 0 { return Int(r) }
        return n < m ? -1 : (n == m ? 0 : 1)
    }

    @inline(never)
    mutating func textTest(_ op: Opcode, _ x: Int128, _ y: Int128) -> Bool {
        let (p, n) = symbols.text(Int(x))
        let (q, m) = symbols.text(Int(y))
        if m == 0 { return true }
        if m > n { return false }
        switch op {
        case .sstarts: return Bytes.equal(p, q, m)
        case .sends: return Bytes.equal(p + (n - m), q, m)
        default:
            var k = 0
            while k + m <= n {
                if Bytes.equal(p + k, q, m) { return true }
                k += 1
            }
            return false
        }
    }

    /// The id of the composite key `x U+001F y`; -1 if a part contains
    /// U+001F (`x` only when it is not itself composite) or the key is too
    /// long, -2 if the symbol table is full.
    @inline(never)
    mutating func tupleKey(_ x: Int128, _ y: Int128, composite: Bool) -> Int {
        let cached = tupleCache.find(x, y, composite: composite, symbols)
        if cached >= 0 { return cached }
        let id = joinedKey(x, y, composite: composite)
        if id >= 0 { tupleCache.insert(x, y, composite: composite, id, symbols) }
        return id
    }

    /// `tupleKey` by interning the joined text.
    mutating func joinedKey(_ x: Int128, _ y: Int128, composite: Bool) -> Int {
        let (p, n) = symbols.text(Int(x))
        let (q, m) = symbols.text(Int(y))
        guard n + 1 + m <= SymbolStore.maxLength else { return -1 }
        if !composite && Bytes.contains(p, n, 0x1F) { return -1 }
        if Bytes.contains(q, m, 0x1F) { return -1 }
        let buf = textScratch.base
        Bytes.copy(buf, p, n)
        buf[n] = 0x1F
        Bytes.copy(buf + n + 1, q, m)
        return symbols.intern(UnsafeRawPointer(buf), n + 1 + m) ?? -2
    }

    @inline(never)
    mutating func concat(_ x: Int128, _ y: Int128) -> Int? {
        let (p, n) = symbols.text(Int(x))
        let (q, m) = symbols.text(Int(y))
        guard n + m <= SymbolStore.maxLength else { return nil }
        let buf = textScratch.base
        Bytes.copy(buf, p, n)
        Bytes.copy(buf + n, q, m)
        return symbols.intern(UnsafeRawPointer(buf), n + m)
    }

    // MARK: Time

    @inline(never)
    mutating func inRange(_ ts: Int128, _ r: BetweenRT) -> Bool {
        let t = Int64(truncatingIfNeeded: ts)
        let day: Int64 = 86_400_000_000_000
        let seconds = t >= 0 ? t / 1_000_000_000 : (t - 999_999_999) / 1_000_000_000
        let local = t &+ zones[r.zone].offset(at: seconds &* 1_000_000_000) &* 1_000_000_000
        var tod = local % day
        if tod < 0 { tod += day }
        let lo = r.from &* 1_000_000_000
        let hi = r.to &* 1_000_000_000
        return lo <= hi ? (lo <= tod && tod < hi) : (tod >= lo || tod < hi)
    }
}
