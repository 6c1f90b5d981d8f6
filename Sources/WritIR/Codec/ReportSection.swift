/// The `REPT` bundle section: the report definitions (docs/bundle-format.md).
/// A bundle without it has no reports. Its blocks are checked like every
/// other block (a `select` returns a bool, a field its value).

extension IRCodec {
    /// The `REPT` section of `ir`: u16 version, u32 count, then per report
    /// its name, title, regulator, record, format, schema and schedule
    /// (strings), the select block (i32, -1 none) and its fields (u32
    /// count; per field the name, the kind (u8), the enum index (i32, -1
    /// none) and the block (u32)).
    static func rept(_ ir: IRProgram) -> [UInt8] {
        var w = ByteWriter()
        w.append(version)
        w.u32(ir.reports.count)
        for r in ir.reports {
            for s in [r.name, r.title, r.regulator, r.record, r.format, r.schema, r.schedule] { w.string(s) }
            w.optionalIndex(r.selectBlock)
            w.u32(r.fields.count)
            for f in r.fields {
                w.string(f.name)
                w.append(f.kind.rawValue)
                w.optionalIndex(f.enumIndex)
                w.u32(f.block)
            }
        }
        return w.bytes
    }

    /// Reads the `REPT` section into `ir.reports` (nothing when the bundle has none).
    static func decodeReports(_ c: BundleContainer, into ir: inout IRProgram) throws(IRCodecError) {
        guard let bytes = c.section("REPT") else { return }
        var r = SectionReader("REPT", bytes)
        try r.version(version)
        for _ in 0..<(try r.count(36)) {
            var texts: [String] = []
            for _ in 0..<7 { texts.append(try r.string()) }
            let select = try r.index()
            var fields: [IRReportField] = []
            for _ in 0..<(try r.count(13)) {
                let name = try r.string()
                let kind = try r.kind()
                let e = try r.index()
                fields.append(IRReportField(name: name, kind: kind, enumIndex: e, block: try r.u32()))
            }
            ir.reports.append(
                IRReport(
                    name: texts[0], title: texts[1], regulator: texts[2], record: texts[3], format: texts[4],
                    schema: texts[5], schedule: texts[6], selectBlock: select, fields: fields))
        }
        try r.end()
    }
}

extension IRValidator {
    /// Every report reads an input schema, and its blocks exist and belong to it.
    func reports() throws(IRCodecError) {
        for (ri, r) in ir.reports.enumerated() {
            guard ir.schema(r.record) != nil else {
                throw IRCodecError(section: "REPT", "report `\(r.name)` reads `\(r.record)`, which is not a schema")
            }
            if let b = r.selectBlock {
                guard b >= 0, b < ir.blocks.count, ir.blocks[b].kind == .reportSelect, ir.blocks[b].owner == ri else {
                    throw IRCodecError(section: "REPT", "report `\(r.name)` names a wrong select block")
                }
            }
            guard r.fields.count < 65_536 else {
                throw IRCodecError(section: "REPT", "report `\(r.name)` has too many fields")
            }
            for (fi, f) in r.fields.enumerated() {
                guard f.block < ir.blocks.count, ir.blocks[f.block].kind == .reportField,
                    ir.blocks[f.block].owner == ri * 65_536 + fi, f.kind != .none,
                    (f.enumIndex ?? 0) >= 0, (f.enumIndex ?? 0) < Swift.max(1, ir.enums.count)
                else { throw IRCodecError(section: "REPT", "field `\(f.name)` of report `\(r.name)` is wrong") }
            }
        }
    }
}
