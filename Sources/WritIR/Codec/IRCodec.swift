/// The IR's bundle sections (docs/ir.md, "Bundle sections"): `SYMB`
/// symbols, `CNST` constants, `SCHM` enums and schema layout, `DATA`
/// tables, sets, bindings, time ranges, zones and patterns, `CODE`
/// instructions, handlers and blocks, `SPAN` source spans, `RULE`
/// jurisdictions and rules, `INDX` the decision index, `STAT` state slots.
/// Each starts with a u16 format version; integers are little-endian.
/// Decoding reads every section completely and then validates every index
/// and length (`IRValidator`), so a damaged but correctly signed bundle is
/// refused with a reason, never trusted.

/// Encodes and decodes IR programs as bundle sections.
public enum IRCodec {
    /// The format version of every IR section.
    public static let version: UInt16 = 3
    /// The section tags, in the order they are written.
    public static let tags = ["SYMB", "CNST", "SCHM", "DATA", "CODE", "SPAN", "RULE", "INDX", "STAT", "REPT"]

    // MARK: Encoding

    /// The sections of `ir`, in `tags` order.
    public static func sections(_ ir: IRProgram) -> [(tag: String, bytes: [UInt8])] {
        var s = [
            ("SYMB", symb(ir)), ("CNST", cnst(ir)), ("SCHM", schm(ir)), ("DATA", data(ir)), ("CODE", codeSection(ir)),
            ("SPAN", span(ir)), ("RULE", rule(ir)), ("INDX", indx(ir)), ("STAT", stat(ir)),
            ("REPT", rept(ir)),
        ]
        if let p = ir.platform { s.append((platformTag, plat(p))) }
        return s
    }

    /// A bundle container holding `ir` and `metadata` (encode it with `BundleContainer.encode`).
    public static func container(_ ir: IRProgram, metadata: [String: String] = [:]) -> BundleContainer {
        var meta = metadata
        meta["writ.ir.format"] = String(version)
        return BundleContainer(sections: sections(ir), metadata: meta)
    }

    private static func start() -> ByteWriter {
        var w = ByteWriter()
        w.append(version)
        return w
    }

    private static func symb(_ ir: IRProgram) -> [UInt8] {
        var w = start()
        w.u32(ir.symbols.count)
        for s in ir.symbols { w.string(s) }
        return w.bytes
    }

    private static func cnst(_ ir: IRProgram) -> [UInt8] {
        var w = start()
        w.u32(ir.constants.count)
        for (v, k) in zip(ir.constants, ir.constantKinds) {
            w.append(k.rawValue)
            w.i128(v)
        }
        return w.bytes
    }

    private static func schm(_ ir: IRProgram) -> [UInt8] {
        var w = start()
        w.u32(ir.enums.count)
        for e in ir.enums {
            w.string(e.name)
            w.u32(e.cases.count)
            for c in e.cases { w.string(c) }
        }
        w.u32(ir.schemas.count)
        for s in ir.schemas {
            w.string(s.name)
            w.u32(s.slotBase)
            w.u32(s.slotCount)
            w.u32(s.fields.count)
            for f in s.fields {
                w.string(f.name)
                w.append(f.kind.rawValue)
                w.append(UInt8(f.optional ? 1 : 0))
                w.u32(f.slot)
                w.optionalIndex(f.enumIndex)
                w.optionalIndex(f.currencyField)
                w.optionalIndex(f.fixedCurrency)
                w.optionalIndex(f.defaultBlock)
                w.string(f.zone ?? "")
            }
        }
        return w.bytes
    }

    private static func data(_ ir: IRProgram) -> [UInt8] {
        var w = start()
        w.u32(ir.tables.count)
        for t in ir.tables {
            w.string(t.name)
            w.append(t.keyKind.rawValue)
            w.u32(t.keys.count)
            for k in t.keys { w.i128(k) }
            w.u32(t.columns.count)
            for c in t.columns {
                w.string(c.name)
                w.append(c.kind.rawValue)
                w.u32(c.cells.count)
                for v in c.cells { w.i128(v) }
            }
        }
        w.u32(ir.sets.count)
        for s in ir.sets {
            w.append(s.kind.rawValue)
            w.u32(s.members.count)
            for m in s.members { w.i128(m) }
        }
        w.u32(ir.bindings.count)
        for b in ir.bindings {
            w.string(b.name)
            w.string(b.declaration)
            w.append(b.kind.rawValue)
            w.append(UInt8(b.defaults == nil ? 0 : 1))
            if let d = b.defaults {
                w.u32(d.count)
                for t in d { w.string(t) }
            }
            w.u32(b.table + 1)
            w.u32(b.currencies.count)
            for c in b.currencies { w.string(c) }
            w.u32(b.keyColumns.count)
            for k in b.keyColumns { w.u32(k) }
        }
        w.u32(ir.betweens.count)
        for b in ir.betweens {
            w.u32(b.zone)
            w.u32(b.from)
            w.u32(b.to)
        }
        w.u32(ir.zones.count)
        for z in ir.zones {
            w.string(z.name)
            w.u32(z.transitions.count)
            for t in z.transitions { w.i64(t) }
            for o in z.offsets { w.i32(Int(o)) }
        }
        w.u32(ir.regexes.count)
        for r in ir.regexes { w.string(r) }
        return w.bytes
    }

    private static func codeSection(_ ir: IRProgram) -> [UInt8] {
        var w = start()
        w.u32(ir.registerCount)
        w.u32(ir.errorSlotCount)
        w.u32(ir.code.count)
        for (i, h) in zip(ir.code, ir.handlers) {
            w.append(i.op.rawValue)
            w.append(i.a)
            w.append(i.b)
            w.append(i.c)
            w.append(i.aux)
            w.append(h)
        }
        w.u32(ir.blocks.count)
        for b in ir.blocks {
            w.append(b.kind.rawValue)
            w.u32(b.owner)
            w.u32(b.start)
            w.u32(b.end)
        }
        return w.bytes
    }

    private static func span(_ ir: IRProgram) -> [UInt8] {
        var w = start()
        w.u32(ir.files.count)
        for f in ir.files { w.string(f) }
        w.u32(ir.spans.count)
        for s in ir.spans {
            w.u32(s.pc)
            w.u32(s.file)
            w.u32(s.line)
            w.u32(s.column)
            w.string(s.text)
            w.append(s.kind.rawValue)
            w.append(UInt8(s.operand))
            w.optionalIndex(s.enumIndex)
        }
        return w.bytes
    }

    private static func rule(_ ir: IRProgram) -> [UInt8] {
        var w = start()
        w.u32(ir.jurisdictions.count)
        for j in ir.jurisdictions {
            w.string(j.name)
            w.string(j.title)
            w.optionalIndex(j.appliesBlock)
            w.optionalBool(j.appliesConstant)
            w.u32(j.firstRule)
            w.u32(j.ruleCount)
        }
        w.u32(ir.rules.count)
        for r in ir.rules {
            w.u32(r.jurisdiction)
            w.string(r.name)
            w.append(r.severity.rawValue)
            w.string(r.message)
            w.string(r.citation)
            w.append(UInt8(truncatingIfNeeded: r.code))
            w.optionalIndex(r.block)
            w.optionalBool(r.constant)
        }
        return w.bytes
    }

    private static func indx(_ ir: IRProgram) -> [UInt8] {
        var w = start()
        w.optionalIndex(ir.index.venueField)
        w.u32(ir.index.venues.count)
        for v in ir.index.venues {
            w.append(UInt8(v == nil ? 0 : 1))
            if let v {
                w.u32(v.count)
                for id in v { w.u32(id) }
            }
        }
        w.u32(ir.index.rules.count)
        for r in ir.index.rules {
            w.u32(r.fields.count)
            for (k, f) in r.fields.enumerated() {
                w.u32(f)
                w.u32(r.radices[k])
                w.append(UInt8(r.presence[k] ? 1 : 0))
            }
            w.u32(r.candidates.count)
            for c in r.candidates {
                w.u32(c.count)
                for x in c { w.u32(x) }
            }
        }
        return w.bytes
    }

    private static func stat(_ ir: IRProgram) -> [UInt8] {
        var w = start()
        w.u32(ir.stateSlots.count)
        for s in ir.stateSlots {
            w.append(s.kind.rawValue)
            w.i64(s.window)
            w.u32(s.scope)
            w.u32(s.keyBlock)
            w.append(s.amountKind.rawValue)
            w.string(s.text)
            if s.kind == .latch { w.u32(s.owner) }
        }
        return w.bytes
    }

    // MARK: Decoding

    /// Decodes and validates the IR sections of a verified bundle.
    public static func decode(_ c: BundleContainer) throws(IRCodecError) -> IRProgram {
        func section(_ tag: String) throws(IRCodecError) -> SectionReader {
            guard let b = c.section(tag) else { throw IRCodecError(section: tag, "the section is missing") }
            var r = SectionReader(tag, b)
            try r.version(version)
            return r
        }
        var ir = IRProgram()
        var r = try section("SYMB")
        for _ in 0..<(try r.count(4)) { ir.symbols.append(try r.string()) }
        try r.end()

        r = try section("CNST")
        for _ in 0..<(try r.count(17)) {
            ir.constantKinds.append(try r.kind())
            ir.constants.append(try r.i128())
        }
        try r.end()

        r = try section("SCHM")
        for _ in 0..<(try r.count(8)) {
            let name = try r.string()
            var cases: [String] = []
            for _ in 0..<(try r.count(4)) { cases.append(try r.string()) }
            ir.enums.append(IREnum(name: name, cases: cases))
        }
        var fieldIndex = 0
        for _ in 0..<(try r.count(16)) {
            let name = try r.string()
            let base = try r.u32()
            let slots = try r.u32()
            var fields: [IRField] = []
            for _ in 0..<(try r.count(30)) {
                let fname = try r.string()
                let kind = try r.kind()
                let optional = try r.u8()
                guard optional <= 1 else { throw r.fail("a flag is not 0 or 1") }
                let slot = try r.u32()
                let enumIndex = try r.index()
                let currencyField = try r.index()
                let fixedCurrency = try r.index()
                let defaultBlock = try r.index()
                let zone = try r.string()
                fields.append(
                    IRField(
                        index: fieldIndex, name: fname, kind: kind, optional: optional == 1, slot: slot,
                        enumIndex: enumIndex, currencyField: currencyField, fixedCurrency: fixedCurrency,
                        defaultBlock: defaultBlock, zone: zone.isEmpty ? nil : zone))
                fieldIndex += 1
            }
            ir.schemas.append(IRSchema(name: name, fields: fields, slotBase: base, slotCount: slots))
        }
        try r.end()

        r = try section("DATA")
        for _ in 0..<(try r.count(13)) {
            let name = try r.string()
            let keyKind = try r.kind()
            var keys: [Int128] = []
            for _ in 0..<(try r.count(16)) { keys.append(try r.i128()) }
            var columns: [IRColumn] = []
            for _ in 0..<(try r.count(9)) {
                let cname = try r.string()
                let kind = try r.kind()
                var cells: [Int128] = []
                for _ in 0..<(try r.count(16)) { cells.append(try r.i128()) }
                columns.append(IRColumn(name: cname, kind: kind, cells: cells))
            }
            ir.tables.append(IRTable(name: name, keyKind: keyKind, keys: keys, columns: columns))
        }
        for _ in 0..<(try r.count(5)) {
            let kind = try r.kind()
            var members: [Int128] = []
            for _ in 0..<(try r.count(16)) { members.append(try r.i128()) }
            ir.sets.append(IRSet(kind: kind, members: members))
        }
        for _ in 0..<(try r.count(9)) {
            let name = try r.string()
            let decl = try r.string()
            let kind = try r.kind()
            var defaults: [String]?
            if try r.u8() != 0 {
                var d: [String] = []
                for _ in 0..<(try r.count(4)) { d.append(try r.string()) }
                defaults = d
            }
            let table = try r.u32() - 1
            var currencies: [String] = []
            for _ in 0..<(try r.count(4)) { currencies.append(try r.string()) }
            var keyColumns: [Int] = []
            for _ in 0..<(try r.count(4)) { keyColumns.append(try r.u32()) }
            ir.bindings.append(
                IRBinding(
                    name: name, declaration: decl, kind: kind, defaults: defaults, table: table,
                    currencies: currencies, keyColumns: keyColumns))
        }
        for _ in 0..<(try r.count(12)) {
            ir.betweens.append(IRBetween(zone: try r.u32(), from: try r.u32(), to: try r.u32()))
        }
        for _ in 0..<(try r.count(12)) {
            let name = try r.string()
            let n = try r.count(12)
            var transitions: [Int64] = []
            for _ in 0..<n { transitions.append(try r.i64()) }
            var offsets: [Int32] = []
            for _ in 0...n { offsets.append(Int32(try r.i32())) }
            ir.zones.append(IRZone(name: name, transitions: transitions, offsets: offsets))
        }
        for _ in 0..<(try r.count(4)) { ir.regexes.append(try r.string()) }
        try r.end()

        r = try section("CODE")
        ir.registerCount = try r.u32()
        ir.errorSlotCount = try r.u32()
        for _ in 0..<(try r.count(15)) {
            guard let op = Opcode(rawValue: try r.u8()) else { throw r.fail("an opcode is unknown") }
            let a = try r.u16()
            let b = try r.u16()
            let c = try r.u16()
            let aux = UInt32(truncatingIfNeeded: try r.u32())
            ir.code.append(Instruction(op, a: a, b: b, c: c, aux: aux))
            ir.handlers.append(UInt32(truncatingIfNeeded: try r.u32()))
        }
        for _ in 0..<(try r.count(13)) {
            guard let kind = IRBlockKind(rawValue: try r.u8()) else { throw r.fail("a block kind is unknown") }
            ir.blocks.append(IRBlock(kind: kind, owner: try r.u32(), start: try r.u32(), end: try r.u32()))
        }
        try r.end()

        r = try section("SPAN")
        for _ in 0..<(try r.count(4)) { ir.files.append(try r.string()) }
        for _ in 0..<(try r.count(26)) {
            let pc = try r.u32()
            let file = try r.u32()
            let line = try r.u32()
            let column = try r.u32()
            let text = try r.string()
            let kind = try r.kind()
            let operand = Int(try r.u8())
            let enumIndex = try r.index()
            ir.spans.append(
                IRSpan(
                    pc: pc, file: file, line: line, column: column, text: text, kind: kind, operand: operand,
                    enumIndex: enumIndex))
        }
        try r.end()

        r = try section("RULE")
        for _ in 0..<(try r.count(21)) {
            let name = try r.string()
            let title = try r.string()
            let block = try r.index()
            let constant = try r.optionalBool()
            ir.jurisdictions.append(
                IRJurisdiction(
                    name: name, title: title, appliesBlock: block, appliesConstant: constant,
                    firstRule: try r.u32(), ruleCount: try r.u32()))
        }
        for _ in 0..<(try r.count(23)) {
            let j = try r.u32()
            let name = try r.string()
            guard let severity = IRSeverity(rawValue: try r.u8()) else { throw r.fail("a severity is unknown") }
            let message = try r.string()
            let citation = try r.string()
            let code = Int(try r.u8())
            let block = try r.index()
            let constant = try r.optionalBool()
            ir.rules.append(
                IRRule(
                    jurisdiction: j, name: name, severity: severity, message: message, citation: citation,
                    code: code, block: block, constant: constant))
        }
        try r.end()

        r = try section("INDX")
        ir.index.venueField = try r.index()
        for _ in 0..<(try r.count(1)) {
            switch try r.u8() {
            case 0: ir.index.venues.append(nil)
            case 1:
                var ids: [Int] = []
                for _ in 0..<(try r.count(4)) { ids.append(try r.u32()) }
                ir.index.venues.append(ids)
            default: throw r.fail("a flag is not 0 or 1")
            }
        }
        ir.index.rules = []
        for _ in 0..<(try r.count(8)) {
            var fields: [Int] = []
            var radices: [Int] = []
            var presence: [Bool] = []
            for _ in 0..<(try r.count(9)) {
                fields.append(try r.u32())
                radices.append(try r.u32())
                let p = try r.u8()
                guard p <= 1 else { throw r.fail("a flag is not 0 or 1") }
                presence.append(p == 1)
            }
            var candidates: [[Int]] = []
            for _ in 0..<(try r.count(4)) {
                var list: [Int] = []
                for _ in 0..<(try r.count(4)) { list.append(try r.u32()) }
                candidates.append(list)
            }
            ir.index.rules.append(IRRuleIndex(fields: fields, presence: presence, radices: radices, candidates: candidates))
        }
        try r.end()

        r = try section("STAT")
        for _ in 0..<(try r.count(22)) {
            guard let kind = IRStateKind(rawValue: try r.u8()) else { throw r.fail("a state kind is unknown") }
            let window = try r.i64()
            let scope = try r.u32()
            let block = try r.u32()
            let amountKind = try r.kind()
            let text = try r.string()
            let owner = kind == .latch ? try r.u32() : -1
            ir.stateSlots.append(
                IRStateSlot(
                    kind: kind, window: window, scope: scope, keyBlock: block, amountKind: amountKind, text: text,
                    owner: owner))
        }
        try r.end()

        try decodeReports(c, into: &ir)
        if let b = c.section(platformTag) { ir.platform = try decodePlatform(b) }
        try IRValidator(ir).validate()
        return ir
    }
}
