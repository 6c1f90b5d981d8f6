/// The text form of an IR program (`writ build --dump-ir`): stable and
/// readable, per jurisdiction and rule, one instruction per line as
/// `#pc opcode operands ; source text`. Golden tests keep it stable.

/// Prints IR programs.
public enum IRDump {
    /// The whole program as text.
    public static func dump(_ ir: IRProgram) -> String {
        var d = Printer(ir: ir)
        return d.program()
    }

    private struct Printer {
        let ir: IRProgram
        var out = ""
        /// pc → source text of its result.
        var textAt: [Int: String] = [:]
        /// frame slot → field label.
        var inputName: [Int: String] = [:]

        init(ir: IRProgram) {
            self.ir = ir
            for s in ir.spans where s.operand == 0 { textAt[s.pc] = s.text }
            for s in ir.schemas {
                for f in s.fields where f.kind != .none {
                    inputName[f.slot] = "\(s.name).\(f.name)"
                    if f.kind == .money { inputName[f.slot + 1] = "\(s.name).\(f.name).currency" }
                }
            }
        }

        mutating func line(_ s: String) { out += s + "\n" }

        mutating func program() -> String {
            line("; writ IR")
            line(
                "; \(ir.symbols.count) symbols, \(ir.constants.count) constant slots, \(ir.inputCount) input slots, "
                    + "\(ir.registerCount) registers, \(ir.code.count) instructions")
            for s in ir.schemas {
                line("")
                line("schema \(s.name)")
                for f in s.fields {
                    var desc = "  \(f.name): \(f.kind)"
                    if let e = f.enumIndex { desc += " \(ir.enums[e].name)" }
                    if f.optional { desc += "?" }
                    desc += f.kind == .none ? " (not held)" : " @\(f.slot)"
                    line(desc)
                    if let b = f.defaultBlock {
                        line("    default:")
                        block(b, indent: "      ")
                    }
                }
            }
            for (ti, t) in ir.tables.enumerated() {
                line("")
                let cols = t.columns.map { "\($0.name): \($0.kind)" }.joined(separator: ", ")
                line("table \(tableName(ti)) (\(t.rowCount) rows, key \(t.keyKind); \(cols))")
            }
            for (si, s) in ir.sets.enumerated() {
                line("set s\(si) \(s.kind) \(setText(si, limit: 12))")
            }
            for b in ir.bindings {
                line(
                    "bound \(b.declaration) \"\(b.name)\" \(b.kind)"
                        + (b.table >= 0 ? " table \(b.table)" + (b.defaults != nil ? " = []" : "") : ""))
            }
            for (i, s) in ir.stateSlots.enumerated() {
                line("")
                var w = ""
                if s.window > 0 { w = " window \(ir.format(Int128(s.window), kind: .duration))" }
                line("state \(i) \(s.kind.name)\(w) ; \(s.text)")
                block(s.keyBlock, indent: "  ")
            }
            for (m, b) in ir.memoBlocks.enumerated() where b >= 0 {
                line("")
                line("memo m\(m)")
                block(b, indent: "  ")
            }
            for (ji, j) in ir.jurisdictions.enumerated() {
                line("")
                line("jurisdiction \(j.name)" + (j.title.isEmpty ? "" : " \"\(j.title)\""))
                if let venues = ji < ir.index.venues.count ? ir.index.venues[ji] : nil {
                    let names = venues.map { ir.symbols[$0] }.joined(separator: ", ")
                    line("  applies by index: venue in {\(names)}")
                } else if let c = j.appliesConstant {
                    line("  applies: \(c)")
                } else if let b = j.appliesBlock {
                    line("  applies:")
                    block(b, indent: "    ")
                }
                if ji < ir.index.rules.count {
                    let ri = ir.index.rules[ji]
                    if !ri.fields.isEmpty {
                        let names = ri.fields.enumerated().map { k, f in
                            ri.presence.count > k && ri.presence[k] ? "has(\(ir.allFields[f].name))" : ir.allFields[f].name
                        }.joined(separator: ", ")
                        line("  rule index on \(names): \(ri.candidates.count) combinations")
                    }
                }
                for r in j.firstRule..<(j.firstRule + j.ruleCount) {
                    let rule = ir.rules[r]
                    var head = "  rule \(rule.name) \(rule.severity.name) \"\(rule.message)\""
                    if !rule.citation.isEmpty { head += " cite \"\(rule.citation)\"" }
                    if rule.code != 99 { head += " code \(rule.code)" }
                    line(head)
                    if let c = rule.constant {
                        line("    constant \(c)")
                    } else if let b = rule.block {
                        block(b, indent: "    ")
                    }
                }
            }
            for r in ir.reports {
                line("")
                line("report \(r.name) on \(r.record) \(r.format)" + (r.schema.isEmpty ? "" : " \"\(r.schema)\""))
                if let b = r.selectBlock {
                    line("  select:")
                    block(b, indent: "    ")
                }
                for f in r.fields {
                    line("  field \"\(f.name)\" \(f.kind)" + (f.enumIndex.map { " \(ir.enums[$0].name)" } ?? ""))
                    block(f.block, indent: "    ")
                }
            }
            if let p = ir.platform {
                line("")
                for l in p.dumpLines() { line(l) }
            }
            return out
        }

        func tableName(_ ti: Int) -> String { ir.tables[ti].name.isEmpty ? "t\(ti)" : ir.tables[ti].name }

        func setText(_ si: Int, limit: Int) -> String {
            let s = ir.sets[si]
            let items = s.members.prefix(limit).map { ir.format($0, kind: s.kind) }
            return "{" + items.joined(separator: ", ") + (s.members.count > limit ? ", …" : "") + "}"
        }

        mutating func block(_ b: Int, indent: String) {
            let blk = ir.blocks[b]
            for pc in blk.start..<blk.end {
                var s = indent + "#\(pc) " + instruction(pc)
                if ir.handlers[pc] != Instruction.noHandler { s += " !@\(ir.handlers[pc])" }
                if let t = textAt[pc] { s += " ; " + t.split(separator: "\n").joined(separator: " ") }
                line(s)
            }
        }

        func operand(_ i: FrameIndex) -> String {
            if i == Instruction.unused { return "_" }
            let x = Int(i)
            if x < ir.constants.count {
                let k = ir.constantKinds[x]
                if k == .money, x + 1 < ir.constants.count {
                    return ir.format(ir.constants[x], kind: .money, second: ir.constants[x + 1])
                }
                return ir.format(ir.constants[x], kind: k)
            }
            if let n = inputName[x] { return n }
            if x >= ir.registerBase { return "r\(x - ir.registerBase)" }
            return "f\(x)"
        }

        func instruction(_ pc: Int) -> String {
            let ins = ir.code[pc]
            let a = operand(ins.a)
            let b = operand(ins.b)
            let c = operand(ins.c)
            let aux = Int(ins.aux)
            let name = ins.op.description
            switch ins.op {
            case .nop: return name
            case .jmp: return "\(name) @\(aux)"
            case .jf, .jt: return "\(name) \(b), @\(aux)"
            case .jeq, .jne, .jlt, .jle, .jgt, .jge: return "\(name) \(b), \(c), @\(aux)"
            case .jabsent, .jpresent: return "\(name) \(fieldName(Int(ins.b))), @\(aux)"
            case .ret: return "\(name) \(a)" + (ins.b == Instruction.unused && ins.c == Instruction.unused ? "" : ", \(b), \(c)")
            case .memo: return "\(name) \(a), m\(aux & 0xFFFF)"
            case .mret: return "\(name) \(a)"
            case .fail: return "\(name) \(EvalErrorCode(rawValue: UInt8(aux)).map { "\($0)" } ?? "?")"
            case .clrerr, .rethrow: return "\(name) e\(aux)"
            case .catchErr: return "\(name) e\(aux & 0xFFFF), rank \(aux >> 16)"
            case .req: return "\(name) \(fieldName(aux))"
            case .has, .hasx: return "\(name) \(a), \(fieldName(aux))"
            case .mov, .not, .ineg, .iabs, .fneg, .fabs, .i2f, .f2i, .ssize: return "\(name) \(a), \(b)"
            case .cur: return "\(name) \(b), \(c)"
            case .scmp: return "\(name) \(a), \(b) \(["<", "<=", ">", ">="][min(aux, 3)]) \(c)"
            case .tostr: return "\(name) \(a), \(b) as \(ValueKind(rawValue: UInt8(aux & 0xFF)).map { "\($0)" } ?? "?")"
            case .row, .inrow: return "\(name) \(a), \(tableName(aux))[\(b)]"
            case .col, .colq, .hascol:
                let t = aux >> 16
                let col = t < ir.tables.count && aux & 0xFFFF < ir.tables[t].columns.count
                    ? ir.tables[t].columns[aux & 0xFFFF].name : "?"
                return "\(name) \(a), \(tableName(t))[row \(b)].\(col)"
            case .inset: return "\(name) \(a), \(b) in s\(aux)"
            case .rank: return "\(name) \(a), count of s\(aux & 0xFFFF) \(["<", "<=", ">", ">="][min(aux >> 16, 3)]) \(b)"
            case .eq where aux == 1, .ne where aux == 1, .lt where aux == 1, .le where aux == 1, .gt where aux == 1,
                .ge where aux == 1:
                return "\(name) \(a), \(b), \(c), same currency"
            case .inbound:
                return "\(name) \(a), \(b) in \(aux < ir.bindings.count ? ir.bindings[aux].declaration : "?")"
            case .between:
                let r = ir.betweens[aux]
                let z = ir.zones[r.zone].name
                let from = ir.format(Int128(r.from), kind: .timeOfDay)
                let to = ir.format(Int128(r.to), kind: .timeOfDay)
                return "\(name) \(a), \(b) in [\(from), \(to)) \(z)"
            case .rate, .execs, .otr, .killed, .dup, .latch: return "\(name) \(a), s\(aux)[\(b)]"
            case .wmax, .wmin: return "\(name) \(a), s\(aux) with \(b)"
            case .wsum, .osum: return "\(name) \(a), s\(aux)[\(b)] + \(c)"
            case .pos: return "\(name) \(a), s\(aux)[\(b), \(c)]"
            default: return "\(name) \(a), \(b), \(c)"
            }
        }

        func fieldName(_ aux: Int) -> String {
            var i = aux
            for s in ir.schemas {
                if i < s.fields.count { return "\(s.name).\(s.fields[i].name)" }
                i -= s.fields.count
            }
            return "field\(aux)"
        }
    }
}
