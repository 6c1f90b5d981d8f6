/// Lowering of calls: `has`, `size`, `abs`, `min`, `max`, conversions, text
/// methods, `between`, and the stateful built-ins (each reads its state
/// slot; the key is evaluated where the call is).

import WritSema
import WritSyntax
import WritValue

extension Lowerer {
    func call(_ e: Expr, _ target: Expr?, _ fn: Name, _ args: [Expr]) throws(IRCompileError) -> Operand {
        if let target {
            switch fn.text {
            case "all", "exists", "exists_one":
                return try macroPredicate(e, target, fn.text, args)
            case "size":
                return try size(e, target)
            case "matches":
                return try matches(e, target, args[0])
            case "startsWith", "endsWith", "contains":
                let s = try value(target)
                let x = try value(args[0])
                let op: Opcode = fn.text == "startsWith" ? .sstarts : fn.text == "endsWith" ? .sends : .scontains
                return node(op, newRegister(.bool), (target, s), (args[0], x), for: e, kind: .bool)
            default:
                throw unsupported(e, "the method `\(fn.text)` in")
            }
        }
        switch fn.text {
        case "has":
            return try has(e, args[0])
        case "size":
            return try size(e, args[0])
        case "abs":
            let v = try value(args[0])
            let k = effectiveKind(args[0])
            switch k {
            case .int, .duration: return node(.iabs, newRegister(k), (args[0], v), for: e, kind: k)
            case .decimal, .percent: return node(.fabs, newRegister(k), (args[0], v), for: e, kind: k)
            case .money:
                let d = newRegister(.money)
                emit(.mov, d.next, v.next)
                return node(.fabs, d, (args[0], v), for: e, kind: .money)
            default: throw unsupported(e, "`abs` of")
            }
        case "min", "max":
            let a = try value(args[0])
            let b = try value(args[1])
            let k = kind(of: e)
            let op: Opcode = fn.text == "min" ? .min : .max
            if k == .money {
                emit(LInst(op: .cur, b: a.next, c: b.next, span: e.span))
                let d = newRegister(.money)
                emit(.mov, d.next, a.next)
                return node(op, d, (args[0], a), (args[1], b), for: e, kind: .money)
            }
            return node(op, newRegister(k), (args[0], a), (args[1], b), for: e, kind: k)
        case "int":
            let v = try value(args[0])
            if effectiveKind(args[0]) == .int { return v }
            return node(.f2i, newRegister(.int), (args[0], v), for: e, kind: .int)
        case "decimal":
            let v = try value(args[0])
            if effectiveKind(args[0]) == .decimal { return v }
            return node(.i2f, newRegister(.decimal), (args[0], v), for: e, kind: .decimal)
        case "string":
            let v = try value(args[0])
            let k = effectiveKind(args[0])
            if k.isText { return v }
            var aux = UInt32(k.rawValue)
            if k == .enumeration, case .enumeration(let n)? = p.types[args[0].id], let ei = enc.enumIndex[n] {
                aux |= UInt32(ei) << 8
            }
            return node(.tostr, newRegister(.string), (args[0], v), aux: aux, for: e, kind: .string)
        case "between":
            return try between(e, args)
        case "matches":
            return try matches(e, args[0], args[1])
        case "rate", "window_sum", "executions", "position", "otr", "killed", "duplicate", "latch", "open_sum",
            "window_max", "window_min":
            return try stateful(e, fn.text, args)
        default:
            throw unsupported(e, "the function `\(fn.text)` in")
        }
    }

    private func matches(_ e: Expr, _ subject: Expr, _ pattern: Expr) throws(IRCompileError) -> Operand {
        guard case .string(let p)? = p.constants[pattern.id] else { throw unsupported(e, "`matches` with a pattern that is not constant") }
        if case .failure(let why) = RegexCode.compile(p) {
            throw IRCompileError("the engine cannot evaluate the pattern `\(p)`: \(why.reason)", at: pattern.span)
        }
        var ri = ir.regexes.firstIndex(of: p) ?? -1
        if ri < 0 {
            ri = ir.regexes.count
            ir.regexes.append(p)
        }
        let s = try value(subject)
        return node(.smatch, newRegister(.bool), (subject, s), aux: UInt32(ri), for: e, kind: .bool)
    }

    private func has(_ e: Expr, _ x: Expr) throws(IRCompileError) -> Operand {
        switch p.resolutions[x.id] {
        case .field(let schema, let field)?:
            guard let f = fields[schema]?[field] else { throw unsupported(e, "`has` of") }
            if !needsGuard(f, schema: schema) { return bool(true) }
            // Only the order's own record is always available.
            let op: Opcode = schema == "order" ? .has : .hasx
            return emit(op, newRegister(.bool), aux: UInt32(f.index), for: e, kind: .bool)
        case .column(_, let column)?:
            guard case .select(let base, _) = x.kind else { throw unsupported(e, "`has` of") }
            let (row, ti) = try rowOf(base)
            guard let ci = ir.tables[ti].columns.firstIndex(where: { $0.name == column }) else {
                throw unsupported(e, "`has` of")
            }
            return emit(.hascol, newRegister(.bool), row, aux: UInt32(ti << 16 | ci), for: e, kind: .bool)
        default:
            throw unsupported(e, "`has` of")
        }
    }

    private func size(_ e: Expr, _ x: Expr) throws(IRCompileError) -> Operand {
        if effectiveKind(x).isText {
            let v = try value(x)
            return node(.ssize, newRegister(.int), (x, v), for: e, kind: .int)
        }
        if let n = try rankedCount(e, x) { return n }
        let elems = try list(x)
        if elems.allSatisfy({ $0.present == nil }) { return constant(Int128(elems.count), .int) }
        let n = newRegister(.int)
        emit(.mov, n, constant(0, .int))
        let one = constant(1, .int)
        for el in elems {
            if let present = el.present {
                let skip = newLabel()
                jump(.jf, present, to: skip)
                emit(.iadd, n, n, one)
                place(skip)
            } else {
                emit(.iadd, n, n, one)
            }
        }
        emit(.mov, n, n, for: e, kind: .int)
        return n
    }

    private func between(_ e: Expr, _ args: [Expr]) throws(IRCompileError) -> Operand {
        guard case .timeOfDay(let from, let zone)? = p.constants[args[1].id],
            case .timeOfDay(let to, _)? = p.constants[args[2].id]
        else { throw unsupported(e, "`between` with bounds that are not constant") }
        let zi: Int
        if let z = zoneIndex[zone] {
            zi = z
        } else {
            guard let z = TimeZoneTable.zone(named: zone) else {
                throw IRCompileError("the time zone `\(zone)` is not known on this machine", at: args[1].span)
            }
            zi = ir.zones.count
            ir.zones.append(z)
            zoneIndex[zone] = zi
        }
        let range = IRBetween(zone: zi, from: Int(from), to: Int(to))
        let bi: Int
        if let b = betweenIndex[range] {
            bi = b
        } else {
            bi = ir.betweens.count
            ir.betweens.append(range)
            betweenIndex[range] = bi
        }
        let ts = try value(args[0])
        return node(.between, newRegister(.bool), (args[0], ts), aux: UInt32(bi), for: e, kind: .bool)
    }

    private func stateful(_ e: Expr, _ fn: String, _ args: [Expr]) throws(IRCompileError) -> Operand {
        guard let slot = p.slotOfCall[e.id] else { throw unsupported(e, "the stateful call") }
        let aux = UInt32(slot)
        let k = kind(of: e)
        switch fn {
        case "rate":
            let key = try value(args[0])
            return node(.rate, newRegister(.int), (args[0], key), aux: aux, for: e, kind: .int)
        case "executions":
            let key = try value(args[0])
            return node(.execs, newRegister(.int), (args[0], key), aux: aux, for: e, kind: .int)
        case "otr":
            let key = try value(args[0])
            return node(.otr, newRegister(.decimal), (args[0], key), aux: aux, for: e, kind: .decimal)
        case "window_sum":
            let amount = try value(args[0])
            let key = try value(args[1])
            return node(
                .wsum, newRegister(k), (args[1], key), (args[0], amount), aux: aux, for: e, kind: k,
                wide: k == .money)
        case "open_sum":
            let amount = try value(args[0])
            let key = try value(args[1])
            return node(
                .osum, newRegister(k), (args[1], key), (args[0], amount), aux: aux, for: e, kind: k,
                wide: k == .money)
        case "position":
            let a = try value(args[0])
            let b = try value(args[1])
            return node(.pos, newRegister(.decimal), (args[0], a), (args[1], b), aux: aux, for: e, kind: .decimal)
        case "killed":
            let key = try value(args[1])
            return node(.killed, newRegister(.bool), (args[1], key), aux: aux, for: e, kind: .bool)
        case "duplicate":
            let key = try value(args[0])
            return node(.dup, newRegister(.bool), (args[0], key), aux: aux, for: e, kind: .bool)
        case "window_max", "window_min":
            // The field's current value (its `req` fails when absent) is in
            // force now: the history's extreme includes it.
            let v = try value(args[0])
            let d = newRegister(k)
            if k == .money { emit(.mov, d.next, v.next) }
            return node(
                fn == "window_max" ? .wmax : .wmin, d, (args[0], v), aux: aux, for: e, kind: k, wide: k == .money)
        case "latch":
            // On for the key, else the condition now.
            let key = try value(args[1])
            let on = node(.latch, newRegister(.bool), (args[1], key), aux: aux, for: e, kind: .bool)
            let dst = newRegister(.bool)
            let done = newLabel()
            move(dst, on, .bool, for: e)
            jump(.jt, on, to: done)
            let c = try value(args[0])
            move(dst, c, .bool, for: e)
            place(done)
            return dst
        default:
            throw unsupported(e, "the stateful call")
        }
    }
}
