/// The decision line (docs/engine-semantics.md, "Decision output"):
/// `{"id":…,"verdict":…,"jurisdictions":[…],"rules":[…],"reasons":[…],"citations":[…]}`,
/// compact, keys in this order. Fixed texts are pre-escaped at load; only
/// error reasons are built as strings.

import WritIR
import WritSyntax
import WritValue

/// Writes decision lines and the texts of errors.
struct DecisionRenderer {
    let engine: Engine
    var program: EngineProgram { engine.program }

    func render(_ d: Decision, into out: inout [UInt8]) {
        out.append(contentsOf: Array(#"{"id":"#.utf8))
        if d.idCount >= 0 {
            withUnsafeBytes(of: d.idText) { raw in
                JSONText.append(quoted: UnsafeRawBufferPointer(rebasing: raw[0..<d.idCount]), to: &out)
            }
        } else {
            JSONText.append(quoted: Array("line \(d.lineNumber)".utf8), to: &out)
        }
        out.append(contentsOf: Array(#","verdict":""#.utf8))
        out.append(contentsOf: Array(d.verdict.description.utf8))
        out.append(contentsOf: Array(#"","jurisdictions":["#.utf8))
        var first = true
        for j in 0..<program.ir.jurisdictions.count where d.applied(j) {
            if !first { out.append(0x2C) }
            first = false
            out.append(contentsOf: program.jurisdictionJSON[j])
        }
        out.append(contentsOf: Array(#"],"rules":["#.utf8))
        first = true
        for k in 0..<d.firedCount where !d.fired[k].isApplies {
            if !first { out.append(0x2C) }
            first = false
            out.append(contentsOf: program.ruleIDJSON[Int(d.fired[k].index)])
        }
        let gate = platformEntries(d)
        for g in gate {
            if !first { out.append(0x2C) }
            first = false
            JSONText.append(quoted: Array(g.name.utf8), to: &out)
        }
        out.append(contentsOf: Array(#"],"reasons":["#.utf8))
        first = true
        for k in 0..<d.firedCount {
            if !first { out.append(0x2C) }
            first = false
            let f = d.fired[k]
            if f.isApplies {
                let j = program.ir.jurisdictions[Int(f.index)].name
                JSONText.append(quoted: Array("cannot decide whether \(j) applies: \(errorText(f.error))".utf8), to: &out)
            } else if f.error.code != .none {
                let r = program.ir.rules[Int(f.index)]
                let id = "\(program.ir.jurisdictions[r.jurisdiction].name).\(r.name)"
                JSONText.append(quoted: Array("\(id) could not be evaluated: \(errorText(f.error))".utf8), to: &out)
            } else {
                out.append(contentsOf: program.ruleMessageJSON[Int(f.index)])
            }
        }
        for g in gate {
            if !first { out.append(0x2C) }
            first = false
            JSONText.append(quoted: Array(g.reason.utf8), to: &out)
        }
        if d.problem != .none {
            if !first { out.append(0x2C) }
            first = false
            JSONText.append(quoted: Array(problemText(d).utf8), to: &out)
        }
        if d.stateFullAfterRules {
            if !first { out.append(0x2C) }
            JSONText.append(quoted: Array("state table full".utf8), to: &out)
        }
        out.append(contentsOf: Array(#"],"citations":["#.utf8))
        first = true
        for k in 0..<d.firedCount where !d.fired[k].isApplies {
            if !first { out.append(0x2C) }
            first = false
            out.append(contentsOf: program.ruleCitationJSON[Int(d.fired[k].index)])
        }
        for _ in gate {
            if !first { out.append(0x2C) }
            first = false
            out.append(contentsOf: Array(#""""#.utf8))
        }
        out.append(0x5D)
        if d.verdict == .reject {
            out.append(contentsOf: Array(#","reject_code":"#.utf8))
            if let r = rejectingRule(d) {
                out.append(contentsOf: program.ruleCodeJSON[r])
            } else {
                out.append(contentsOf: Array("99".utf8))
            }
        }
        platformKeys(d, into: &out)
        out.append(0x7D)
    }

    /// The rule whose `code` a reject carries: the first fired entry that
    /// rejects, if it is a `reject` rule that evaluated without error (nil:
    /// an error, a refused line or a platform gate rejects, with 99).
    func rejectingRule(_ d: Decision) -> Int? {
        for k in 0..<d.firedCount {
            let f = d.fired[k]
            if f.isApplies || f.error.code != .none { return nil }
            let r = Int(f.index)
            if program.ir.rules[r].severity == .reject { return r }
        }
        return nil
    }

    private func symbol(_ v: Int128) -> String { engine.m.pointee.symbols.string(Int(v)) }

    private func fieldName(_ f: Int32) -> String {
        if f == -1 { return "event" }
        guard f >= 0, Int(f) < program.fieldNames.count else { return "ts" }
        return program.ir.allFields[Int(f)].name
    }

    /// The text of a value used as a key in a message: texts quoted, numbers as digits.
    private func keyText(_ v: Int128, _ kind: ValueKind) -> String {
        switch kind {
        case .string, .symbol, .currency: Value.quote(symbol(v))
        case .int: String(v)
        case .decimal: Fixed(raw: v).description
        default: program.ir.format(v, kind: kind)
        }
    }

    /// The clause of an evaluation error (the oracle's texts).
    func errorText(_ e: EvalError) -> String {
        switch e.code {
        case .none: return "no error"
        case .missingField:
            return "\(program.fieldNames[Int(e.a)]) is missing"
        case .noRow:
            let t = program.ir.tables[Int(e.a)]
            let k = keyText(e.b, t.keyKind)
            if t.name == "{}" { return "no entry for \(k) in the map" }
            if t.name == "[]" { return "index \(k) is out of range" }
            return "no row for \(k) in \(t.name)"
        case .missingCell:
            let t = program.ir.tables[Int(e.a)]
            return "\(t.name).\(t.columns[Int(e.b)].name) is missing"
        case .decimalOverflow: return "decimal overflow"
        case .intOverflow: return "int overflow"
        case .divisionByZero: return "division by zero"
        case .currencyMismatch: return "currency mismatch: \(symbol(e.a)) vs \(symbol(e.b))"
        case .stateTableFull: return "state table full"
        case .unbound: return "\(program.ir.bindings[Int(e.a)].name) is not bound"
        case .invalidKey: return "invalid key: a part contains U+001F or the key is longer than 256 bytes"
        case .engineFault: return "engine fault: the native code could not run this rule; rebuild the bundle"
        }
    }

    /// The reason of a refused line (the oracle's texts).
    func problemText(_ d: Decision) -> String {
        let text = withUnsafeBytes(of: d.problemText) { raw in
            String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<d.problemTextCount]), as: UTF8.self)
        }
        let name = fieldName(d.problemField)
        switch d.problem {
        case .none: return ""
        case .notJSON: return "the line is not valid JSON"
        case .notObject: return "the line is not a JSON object"
        case .missing: return "missing field `\(name)`"
        case .mustBe: return "field `\(name)` must be \((MustBe(rawValue: d.problemDetail) ?? .string).text)"
        case .notDecimal: return "field `\(name)` is not a decimal: `\(text)`"
        case .notInteger: return "field `\(name)` is not an integer: `\(text)`"
        case .notTimestamp: return "field `\(name)` is not an RFC 3339 timestamp: `\(text)`"
        case .notCase:
            let e = d.problemDetail >= 0 && Int(d.problemDetail) < program.ir.enums.count
                ? program.ir.enums[Int(d.problemDetail)].name : "?"
            return "field `\(name)` is not a case of `\(e)`: `\(text)`"
        case .notInEvents: return "field `\(name)` cannot be given in an event"
        case .noCurrency: return "field `\(name)` has no currency"
        case .unknownEvent: return "unknown event `\(text)`"
        case .tooLong: return "field `\(name)` is longer than \(SymbolStore.maxLength) bytes"
        case .unknownOrder: return "unknown order id"
        case .stateTableFull: return "state table full"
        case .unknownLatch: return "unknown latch `\(text)`"
        case .boundTable: return text
        case .notPositive: return "field `\(name)` must be above 0"
        case .controlCharacter: return "field `\(name)` has a control character (U+0000 to U+001F)"
        case .givenTwice: return "field `\(name)` is given twice"
        case .invisibleCharacter:
            return "field `\(name)` has an invisible character (\(Lexer.codePoint(UInt32(bitPattern: d.problemDetail)))); ids and names must be printable"
        case .edgeSpace:
            return "field `\(name)` starts or ends with a space (\(Lexer.codePoint(UInt32(bitPattern: d.problemDetail)))); give the id without it"
        case .platform:
            let f = d.problemField >= 0 && Int(d.problemField) < PlatformField.names.count
                ? PlatformField.names[Int(d.problemField)] : "?"
            return (PlatformProblem(rawValue: d.problemDetail) ?? .missing).text(f, text)
        }
    }

    /// The rule-list names and reasons of the platform's gate (level first, then route).
    func platformEntries(_ d: Decision) -> [(name: String, reason: String)] {
        guard let ir = program.ir.platform, d.gate != .none else { return [] }
        var out: [(String, String)] = []
        if d.gate != .noRoute, let dr = ir.dr, d.drLevel >= 0 {
            let l = dr.levels[Int(d.drLevel)]
            let what: String
            if d.gate == .cancel {
                what = "allows no cancels"
            } else if l.allows & (1 << UInt8(IRCapability.reduceOnly.rawValue)) != 0 {
                what = "allows only orders that reduce a position"
            } else {
                what = "allows no orders"
            }
            out.append(("\(dr.name).\(l.name)", "DR level `\(l.name)` of `\(dr.name)` \(what)"))
        }
        if d.gate == .noRoute || d.gate == .both, d.routeIndex >= 0 {
            let r = ir.routes[Int(d.routeIndex)].name
            out.append((r, "route `\(r)` found no cluster for the order"))
        }
        return out
    }

    /// Explain's lines for the platform: the level, the route, the gate.
    func platformExplanation(_ d: Decision) -> [String] {
        guard d.hasPlatform, let ir = program.ir.platform else { return [] }
        var out: [String] = []
        if let dr = ir.dr, d.drLevel >= 0 {
            let l = dr.levels[Int(d.drLevel)]
            let allows = IRCapability.names.enumerated().filter { l.allows & (1 << UInt8($0.offset)) != 0 }.map(\.element)
            out.append("DR level `\(l.name)` of `\(dr.name)` allows \(allows.joined(separator: ", "))")
        }
        if d.routeIndex >= 0 {
            let r = ir.routes[Int(d.routeIndex)].name
            let c = d.route >= 0 ? "`\(ir.strings[ir.clusters[Int(d.route)].name])`" : "no cluster"
            out.append("route `\(r)` chose \(c)")
        } else if !ir.routes.isEmpty {
            out.append("no route applies to the order")
        }
        for g in platformEntries(d) { out.append("rejected: \(g.reason)") }
        return out
    }

    /// `,"route":…,"dr_level":…` of a line with a platform.
    func platformKeys(_ d: Decision, into out: inout [UInt8]) {
        guard d.hasPlatform, let ir = program.ir.platform else { return }
        if !ir.routes.isEmpty {
            out.append(contentsOf: Array(#","route":"#.utf8))
            if d.route >= 0 {
                JSONText.append(quoted: Array(ir.strings[ir.clusters[Int(d.route)].name].utf8), to: &out)
            } else {
                out.append(contentsOf: Array("null".utf8))
            }
        }
        if let dr = ir.dr, d.drLevel >= 0 {
            out.append(contentsOf: Array(#","dr_level":"#.utf8))
            JSONText.append(quoted: Array(dr.levels[Int(d.drLevel)].name.utf8), to: &out)
        }
    }
}
