/// Validation of a decoded IR program: every index, length, operand, jump
/// target and handler is checked before the engine sees the program, so
/// that even a damaged bundle signed with a trusted key is refused with a
/// reason instead of crashing or looping. A program that passes cannot make
/// the engine read or write outside its buffers, and its blocks always end.

/// Checks a decoded `IRProgram`.
struct IRValidator {
    let ir: IRProgram
    /// Every field of every schema (computed once).
    let allFields: [IRField]
    /// Per memo slot: whether its value is money (two slots), from its `memo` instructions.
    private var memoWide: [Bool] = []

    init(_ ir: IRProgram) {
        self.ir = ir
        allFields = ir.allFields
    }

    private func fail(_ section: String, _ problem: String) -> IRCodecError {
        IRCodecError(section: section, problem)
    }

    func validate() throws(IRCodecError) {
        var v = self
        try v.check()
    }

    private mutating func check() throws(IRCodecError) {
        try symbols()
        try layout()
        try data()
        try blocks()
        try rules()
        try index()
        try state()
        try spans()
        try reports()
        try platform()
    }

    private var frameSize: Int { ir.frameSize }

    private func symbols() throws(IRCodecError) {
        for i in ir.symbols.indices.dropFirst()
        where !Array(ir.symbols[i - 1].utf8).lexicographicallyPrecedes(Array(ir.symbols[i].utf8)) {
            throw fail("SYMB", "symbols are not sorted and distinct at \(i)")
        }
        for (i, k) in ir.constantKinds.enumerated() where k.isText || k == .money {
            let v = k == .money ? (i + 1 < ir.constants.count ? ir.constants[i + 1] : -1) : ir.constants[i]
            guard v == ValueKind.nullMarker || (v >= 0 && v < Int128(ir.symbols.count)) else {
                throw fail("CNST", "constant \(i) names symbol \(v), which does not exist")
            }
        }
    }

    private func layout() throws(IRCodecError) {
        guard ir.frameSize < Int(FrameIndex.max), ir.registerCount >= 0, ir.errorSlotCount < 65_536 else {
            throw fail("CODE", "the frame has \(ir.frameSize) slots, more than 65534")
        }
        var slot = ir.inputBase
        var index = 0
        for s in ir.schemas {
            guard s.slotBase == slot else { throw fail("SCHM", "schema `\(s.name)` does not start at slot \(slot)") }
            for f in s.fields {
                guard f.index == index, f.slot == slot else {
                    throw fail("SCHM", "field `\(s.name).\(f.name)` is not at slot \(slot)")
                }
                if f.kind == .enumeration {
                    guard let e = f.enumIndex, e < ir.enums.count else {
                        throw fail("SCHM", "field `\(s.name).\(f.name)` names no enum")
                    }
                }
                if let c = f.currencyField {
                    let first = s.fields.first?.index ?? 0
                    guard f.kind == .money, c >= first, c < first + s.fields.count,
                        allFields[c].kind.isText
                    else { throw fail("SCHM", "field `\(s.name).\(f.name)` names a wrong currency field") }
                }
                if let c = f.fixedCurrency, c >= ir.symbols.count || f.kind != .money {
                    throw fail("SCHM", "field `\(s.name).\(f.name)` names a wrong currency")
                }
                if let b = f.defaultBlock {
                    guard b < ir.blocks.count, ir.blocks[b].kind == .fieldDefault, ir.blocks[b].owner == index else {
                        throw fail("SCHM", "field `\(s.name).\(f.name)` names a wrong default block")
                    }
                }
                slot += f.kind.width
                index += 1
            }
            guard slot - s.slotBase == s.slotCount else { throw fail("SCHM", "schema `\(s.name)` has a wrong size") }
        }
    }

    private func data() throws(IRCodecError) {
        func text(_ v: Int128) -> Bool { v == ValueKind.nullMarker || (v >= 0 && v < Int128(ir.symbols.count)) }
        for t in ir.tables {
            for c in t.columns where c.cells.count != t.keys.count * Swift.max(1, c.kind.width) {
                throw fail("DATA", "column `\(t.name).\(c.name)` has \(c.cells.count) cells for \(t.keys.count) rows")
            }
            for c in t.columns where c.kind.isText || c.kind == .money {
                let w = Swift.max(1, c.kind.width)
                for r in 0..<t.keys.count where !text(c.cells[r * w + w - 1]) {
                    throw fail("DATA", "column `\(t.name).\(c.name)` names a symbol that does not exist")
                }
            }
        }
        for b in ir.bindings where b.table >= 0 {
            guard b.table < ir.tables.count, ir.tables[b.table].keys.isEmpty,
                b.currencies.count == ir.tables[b.table].columns.count, !b.keyColumns.isEmpty,
                b.keyColumns.allSatisfy({ $0 >= 0 && $0 < ir.tables[b.table].columns.count })
            else { throw fail("DATA", "bound data `\(b.declaration)` names a wrong table") }
        }
        for (i, s) in ir.sets.enumerated() {
            for k in s.members.indices.dropFirst() where s.members[k - 1] >= s.members[k] {
                throw fail("DATA", "set \(i) is not sorted")
            }
            if s.kind.isText || s.kind == .enumeration || s.kind == .bool {
                let limit: Int128 = s.kind.isText ? Int128(ir.symbols.count) : 65_536
                guard s.members.allSatisfy({ $0 >= 0 && $0 < limit }) else {
                    throw fail("DATA", "set \(i) has a member out of range")
                }
            }
        }
        for b in ir.betweens {
            guard b.zone < ir.zones.count, (0...86_400).contains(b.from), (0...86_400).contains(b.to) else {
                throw fail("DATA", "a time range is out of range")
            }
        }
        for z in ir.zones {
            guard z.offsets.count == z.transitions.count + 1,
                z.offsets.allSatisfy({ abs($0) <= 24 * 3600 }),
                zip(z.transitions, z.transitions.dropFirst()).allSatisfy({ $0 < $1 })
            else { throw fail("DATA", "zone `\(z.name)` is not well formed") }
        }
        for r in ir.regexes {
            if case .failure(let e) = RegexCode.compile(r) { throw fail("DATA", "pattern `\(r)`: \(e.reason)") }
        }
    }

    // MARK: Code

    private mutating func blocks() throws(IRCodecError) {
        guard ir.handlers.count == ir.code.count else { throw fail("CODE", "handlers and code differ in length") }
        try memoSlots()
        var covered = 0
        for (bi, b) in ir.blocks.enumerated() {
            guard b.start == covered, b.end > b.start, b.end <= ir.code.count else {
                throw fail("CODE", "block \(bi) does not follow the previous one")
            }
            covered = b.end
            try block(bi, b)
        }
        guard covered == ir.code.count else { throw fail("CODE", "instructions after the last block") }
    }

    /// Memo blocks are slots 0..<n, one block each; every `memo` of a slot
    /// agrees on its width. (Where `memo` and `mret` may stand: `block`.)
    private mutating func memoSlots() throws(IRCodecError) {
        var owners = Set<Int>()
        for b in ir.blocks where b.kind == .memo {
            guard b.owner >= 0, owners.insert(b.owner).inserted else {
                throw fail("CODE", "memo slot \(b.owner) has more than one block")
            }
        }
        guard owners.count == ir.memoBlocks.count, owners.allSatisfy({ $0 < owners.count }) else {
            throw fail("CODE", "memo slots are not numbered from 0")
        }
        var wide = [Bool?](repeating: nil, count: owners.count)
        for (pc, i) in ir.code.enumerated() where i.op == .memo {
            let slot = Int(i.aux & 0xFFFF)
            guard slot < wide.count, i.aux >> 17 == 0 else { throw fail("CODE", "instruction \(pc) names a missing memo slot") }
            let w = i.aux & 0x1_0000 != 0
            if let known = wide[slot], known != w { throw fail("CODE", "memo slot \(slot) is read with two widths") }
            wide[slot] = w
        }
        memoWide = wide.map { $0 ?? false }
    }

    private func block(_ bi: Int, _ b: IRBlock) throws(IRCodecError) {
        let F = frameSize
        let registerBase = ir.registerBase
        func bad(_ pc: Int, _ what: String) -> IRCodecError { fail("CODE", "instruction \(pc) \(what)") }
        func inFrame(_ x: FrameIndex, wide: Bool = false) -> Bool { Int(x) + (wide ? 1 : 0) < F }
        for pc in b.start..<b.end {
            let i = ir.code[pc]
            let h = ir.handlers[pc]
            guard h == Instruction.noHandler || (Int(h) >= b.start && Int(h) < b.end && Int(h) != pc) else {
                throw bad(pc, "has a handler outside its block")
            }
            if i.fallsThrough && pc + 1 >= b.end { throw bad(pc, "runs off the end of its block") }
            if i.isJump && !(Int(i.aux) >= b.start && Int(i.aux) < b.end) { throw bad(pc, "jumps outside its block") }
            // Reads.
            for k in i.readsMask() where i.op != .ret {
                let x = [i.a, i.b, i.c][k]
                guard inFrame(x) else { throw bad(pc, "reads slot \(x) outside the frame") }
            }
            if i.writesA {
                guard Int(i.a) >= registerBase, inFrame(i.a) else { throw bad(pc, "writes slot \(i.a), not a register") }
            }
            let aux = Int(i.aux)
            if (i.op == .ret) == (b.kind == .memo) && (i.op == .ret || i.op == .mret) {
                throw bad(pc, i.op == .ret ? "ends a memo block with `ret`" : "is an `mret` outside a memo block")
            }
            switch i.op {
            case .ret:
                try ret(pc, i, b)
            case .memo:
                // A memo block is entered only from a rule's condition, and never from another memo block.
                guard b.kind == .rule else { throw bad(pc, "reads a memo slot outside a rule") }
                guard inFrame(i.a, wide: memoWide[aux & 0xFFFF]) else { throw bad(pc, "writes outside the frame") }
            case .mret:
                guard inFrame(i.a, wide: b.owner < memoWide.count && memoWide[b.owner]) else {
                    throw bad(pc, "returns a slot outside the frame")
                }
            case .fail:
                guard EvalErrorCode(rawValue: UInt8(truncatingIfNeeded: aux)) != nil, aux < 256 else {
                    throw bad(pc, "raises an unknown error")
                }
            case .clrerr, .rethrow:
                guard aux < ir.errorSlotCount else { throw bad(pc, "names a missing error slot") }
            case .catchErr:
                guard aux & 0xFFFF < ir.errorSlotCount else { throw bad(pc, "names a missing error slot") }
            case .req, .has, .hasx:
                guard aux < allFields.count else { throw bad(pc, "names a missing field") }
            case .jabsent, .jpresent:
                guard Int(i.b) < allFields.count else { throw bad(pc, "names a missing field") }
            case .scmp:
                guard aux <= 3 else { throw bad(pc, "has an unknown comparison") }
            case .tostr:
                guard let k = ValueKind(rawValue: UInt8(aux & 0xFF)), k != .enumeration || aux >> 8 < ir.enums.count
                else { throw bad(pc, "converts an unknown kind") }
            case .row, .inrow:
                guard aux < ir.tables.count else { throw bad(pc, "names a missing table") }
            case .col, .colq, .hascol:
                let t = aux >> 16
                guard t < ir.tables.count, aux & 0xFFFF < ir.tables[t].columns.count else {
                    throw bad(pc, "names a missing column")
                }
                if i.op != .hascol, ir.tables[t].columns[aux & 0xFFFF].kind.width == 2, !inFrame(i.a, wide: true) {
                    throw bad(pc, "writes outside the frame")
                }
            case .inset:
                guard aux < ir.sets.count else { throw bad(pc, "names a missing set") }
            case .rank:
                guard aux & 0xFFFF < ir.sets.count, aux >> 16 <= 3 else { throw bad(pc, "names a missing set or comparison") }
                let k = ir.sets[aux & 0xFFFF].kind
                guard !(k.isText || k == .enumeration || k == .bool) else { throw bad(pc, "ranks in a set of \(k)") }
            case .eq, .ne, .lt, .le, .gt, .ge:
                guard aux <= 1 else { throw bad(pc, "has an unknown comparison flag") }
                if aux == 1, !(inFrame(i.b, wide: true) && inFrame(i.c, wide: true)) {
                    throw bad(pc, "reads outside the frame")
                }
            case .inbound:
                guard aux < ir.bindings.count else { throw bad(pc, "names missing bound data") }
            case .between:
                guard aux < ir.betweens.count else { throw bad(pc, "names a missing time range") }
            case .tuple:
                guard aux <= 1 else { throw bad(pc, "has an unknown key flag") }
            case .smatch:
                guard aux < ir.regexes.count else { throw bad(pc, "names a missing pattern") }
            case .rate, .wsum, .execs, .otr, .pos, .killed, .dup, .latch, .osum:
                guard aux < ir.stateSlots.count else { throw bad(pc, "names a missing state slot") }
                let kind = ir.stateSlots[aux].kind
                let expected: IRStateKind =
                    switch i.op {
                    case .rate: .rate
                    case .wsum: .windowSum
                    case .execs: .executions
                    case .otr: .otr
                    case .pos: .position
                    case .killed: .killed
                    case .latch: .latch
                    case .osum: .openSum
                    default: .duplicate
                    }
                guard kind == expected else { throw bad(pc, "reads a state slot of another kind") }
                if i.op == .wsum || i.op == .osum, ir.stateSlots[aux].amountKind == .money,
                    !(inFrame(i.c, wide: true) && inFrame(i.a, wide: true))
                {
                    throw bad(pc, "reads or writes outside the frame")
                }
            case .wmax, .wmin:
                guard aux < ir.stateSlots.count else { throw bad(pc, "names a missing state slot") }
                let slot = ir.stateSlots[aux]
                guard slot.kind == (i.op == .wmax ? .windowMax : .windowMin) else {
                    throw bad(pc, "reads a state slot of another kind")
                }
                let wide = slot.amountKind == .money
                guard inFrame(i.a, wide: wide), inFrame(i.b, wide: wide) else {
                    throw bad(pc, "reads or writes outside the frame")
                }
            default:
                break
            }
        }
        try acyclic(b)
    }

    private func ret(_ pc: Int, _ i: Instruction, _ b: IRBlock) throws(IRCodecError) {
        func ok(_ x: FrameIndex, wide: Bool = false) -> Bool { Int(x) + (wide ? 1 : 0) < frameSize }
        switch b.kind {
        case .rule, .applies, .reportSelect:
            guard ok(i.a) else { throw fail("CODE", "instruction \(pc) returns a slot outside the frame") }
        case .fieldDefault:
            let wide = b.owner < allFields.count && allFields[b.owner].kind == .money
            guard ok(i.a, wide: wide) else { throw fail("CODE", "instruction \(pc) returns a slot outside the frame") }
        case .memo:
            break  // a memo block ends with `mret`
        case .reportField:
            let ri = b.owner / 65_536
            let fi = b.owner % 65_536
            let wide = ri < ir.reports.count && fi < ir.reports[ri].fields.count && ir.reports[ri].fields[fi].kind == .money
            guard ok(i.a, wide: wide) else { throw fail("CODE", "instruction \(pc) returns a slot outside the frame") }
        case .stateKey:
            guard b.owner < ir.stateSlots.count, ok(i.a) else {
                throw fail("CODE", "instruction \(pc) returns a slot outside the frame")
            }
            let s = ir.stateSlots[b.owner]
            if s.kind == .position, !ok(i.b) { throw fail("CODE", "instruction \(pc) returns no second key") }
            if s.kind == .latch, !ok(i.b) { throw fail("CODE", "instruction \(pc) returns no condition") }
            if s.kind == .windowSum || s.kind == .openSum, !ok(i.c, wide: s.amountKind == .money) {
                throw fail("CODE", "instruction \(pc) returns no amount")
            }
        }
    }

    /// Every path through the block ends: no cycle through jumps or handlers.
    private func acyclic(_ b: IRBlock) throws(IRCodecError) {
        var state = [UInt8](repeating: 0, count: b.end - b.start)  // 0 new, 1 on the path, 2 done
        var stack: [(pc: Int, next: Int)] = [(b.start, 0)]
        state[0] = 1
        while var top = stack.popLast() {
            let i = ir.code[top.pc]
            var succ: [Int] = []
            if i.isJump { succ.append(Int(i.aux)) }
            if i.fallsThrough { succ.append(top.pc + 1) }
            if ir.handlers[top.pc] != Instruction.noHandler { succ.append(Int(ir.handlers[top.pc])) }
            if top.next < succ.count {
                let s = succ[top.next]
                top.next += 1
                stack.append(top)
                switch state[s - b.start] {
                case 1: throw fail("CODE", "block at \(b.start) has a cycle through instruction \(s)")
                case 0:
                    state[s - b.start] = 1
                    stack.append((s, 0))
                default: break
                }
            } else {
                state[top.pc - b.start] = 2
            }
        }
    }

    // MARK: Rules, index, state, spans

    private func rules() throws(IRCodecError) {
        var next = 0
        for (j, jur) in ir.jurisdictions.enumerated() {
            guard jur.firstRule == next, jur.ruleCount >= 0 else {
                throw fail("RULE", "jurisdiction `\(jur.name)` does not own the rules that follow")
            }
            next += jur.ruleCount
            guard (jur.appliesBlock == nil) != (jur.appliesConstant == nil) else {
                throw fail("RULE", "jurisdiction `\(jur.name)` has no single `applies`")
            }
            if let b = jur.appliesBlock {
                guard b < ir.blocks.count, ir.blocks[b].kind == .applies, ir.blocks[b].owner == j else {
                    throw fail("RULE", "jurisdiction `\(jur.name)` names a wrong block")
                }
            }
        }
        guard next == ir.rules.count, ir.jurisdictions.count <= 256 else {
            throw fail("RULE", "the rules do not belong to the jurisdictions")
        }
        for (ri, r) in ir.rules.enumerated() {
            let j = ir.jurisdictions[r.jurisdiction < ir.jurisdictions.count ? r.jurisdiction : 0]
            guard r.jurisdiction < ir.jurisdictions.count, ri >= j.firstRule, ri < j.firstRule + j.ruleCount,
                (r.block == nil) != (r.constant == nil)
            else { throw fail("RULE", "rule `\(r.name)` is not well formed") }
            if let b = r.block {
                guard b < ir.blocks.count, ir.blocks[b].kind == .rule, ir.blocks[b].owner == ri else {
                    throw fail("RULE", "rule `\(r.name)` names a wrong block")
                }
            }
        }
        guard ir.rules.count < Int(Int16.max) else { throw fail("RULE", "there are too many rules") }
    }

    private func index() throws(IRCodecError) {
        let fields = allFields
        let order = ir.schema("order")
        if let v = ir.index.venueField {
            guard v < fields.count, order?.field(fields[v].name)?.index == v, fields[v].kind.isText else {
                throw fail("INDX", "the venue field is wrong")
            }
        }
        guard ir.index.venues.count == ir.jurisdictions.count, ir.index.rules.count == ir.jurisdictions.count else {
            throw fail("INDX", "the index does not cover the jurisdictions")
        }
        for v in ir.index.venues {
            guard let v else { continue }
            guard ir.index.venueField != nil, v.allSatisfy({ $0 >= 0 && $0 < ir.symbols.count }) else {
                throw fail("INDX", "a venue set names a symbol that does not exist")
            }
        }
        for (j, r) in ir.index.rules.enumerated() {
            guard r.fields.count == r.radices.count, r.presence.count == r.fields.count else {
                throw fail("INDX", "a rule index is not well formed")
            }
            var product = 1
            for (k, f) in r.fields.enumerated() {
                let radix = r.radices[k]
                guard f < fields.count, order?.field(fields[f].name)?.index == f else {
                    throw fail("INDX", "a rule index names a wrong field")
                }
                if r.presence[k] {
                    guard fields[f].optional, radix == 2 else { throw fail("INDX", "a rule index names a wrong field") }
                } else {
                    guard fields[f].kind == .enumeration, !fields[f].optional, let e = fields[f].enumIndex,
                        ir.enums[e].cases.count == radix, radix > 0
                    else { throw fail("INDX", "a rule index names a wrong field") }
                }
                product *= radix
                guard product <= 1 << 16 else { throw fail("INDX", "a rule index is too large") }
            }
            guard r.candidates.count == product else { throw fail("INDX", "a rule index has the wrong size") }
            let jur = ir.jurisdictions[j]
            for c in r.candidates {
                guard zip(c, c.dropFirst()).allSatisfy({ $0 < $1 }),
                    c.allSatisfy({ $0 >= jur.firstRule && $0 < jur.firstRule + jur.ruleCount })
                else { throw fail("INDX", "a rule list of `\(jur.name)` names a rule of another jurisdiction") }
            }
        }
    }

    private func state() throws(IRCodecError) {
        let scopes = ir.enums.first { $0.name == "KillScope" }?.cases.count ?? 0
        for (i, s) in ir.stateSlots.enumerated() {
            guard s.keyBlock < ir.blocks.count, ir.blocks[s.keyBlock].kind == .stateKey, ir.blocks[s.keyBlock].owner == i
            else { throw fail("STAT", "state slot \(i) names a wrong block") }
            switch s.kind {
            case .rate, .windowSum, .executions, .otr:
                guard s.window > 0 else { throw fail("STAT", "state slot \(i) has no window") }
            case .killed:
                guard s.scope >= 0, s.scope < Swift.max(1, scopes) else { throw fail("STAT", "state slot \(i) has a wrong scope") }
            case .latch:
                guard s.scope >= 0, s.scope <= 2 else { throw fail("STAT", "state slot \(i) has a wrong end") }
                guard s.owner >= 0, s.owner < ir.rules.count else {
                    throw fail("STAT", "state slot \(i) belongs to a missing rule")
                }
            default:
                break
            }
            if s.kind == .windowMax || s.kind == .windowMin {
                // A field of the market schema, of the slot's kind, and a window cut into 10 buckets.
                let market = ir.schemas.first { $0.name == "market" }
                guard s.window > 0, s.window % 10 == 0, let market, market.field("ts")?.kind == .timestamp,
                    let f = market.fields.first(where: { $0.index == s.scope }), f.kind == s.amountKind,
                    [.int, .decimal, .money].contains(f.kind)
                else { throw fail("STAT", "state slot \(i) keeps the history of no market field") }
            }
            if s.kind == .openSum, ![.decimal, .money].contains(s.amountKind) {
                throw fail("STAT", "state slot \(i) sums values that cannot be summed")
            }
            if s.kind == .windowSum, ![.int, .decimal, .money, .percent].contains(s.amountKind) {
                throw fail("STAT", "state slot \(i) sums values that cannot be summed")
            }
        }
    }

    private func spans() throws(IRCodecError) {
        for s in ir.spans {
            guard s.pc < ir.code.count, s.file < Swift.max(1, ir.files.count), s.operand <= 2,
                (s.enumIndex ?? 0) < Swift.max(1, ir.enums.count)
            else {
                throw fail("SPAN", "a span names a missing instruction or file")
            }
        }
    }
}
