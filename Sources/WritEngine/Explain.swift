/// `explain(line:)`: the slow path that says why a line is decided as it
/// is — which jurisdictions were considered and whether they applied, which
/// rules were visited (with the value of each sub-expression of their
/// condition, and the citation) and which the decision index skipped. It
/// evaluates like `process` but changes no state.

import WritIR
import WritValue

/// Why a decision is what it is.
public struct Explanation: Sendable {
    /// A jurisdiction that could apply to the order's venue.
    public struct Jurisdiction: Sendable {
        /// Its name.
        public var name: String
        /// Whether it applies (`nil`: its `applies` could not be evaluated).
        public var applies: Bool?
        /// `true` when the decision index decided it without evaluating `applies`.
        public var byIndex: Bool
        /// Why `applies` failed, if it did.
        public var error: String?
    }

    /// A rule the engine evaluated.
    public struct Rule: Sendable {
        /// `EU.price_collar`.
        public var id: String
        /// Whether it fired (`nil`: it could not be evaluated).
        public var fired: Bool?
        /// Why it could not be evaluated.
        public var error: String?
        /// The citation ("" when none).
        public var citation: String
        /// Each sub-expression of the condition and its value, in source order.
        public var operands: [(text: String, value: String)]
    }

    /// The decision line (nil for events without one).
    public var decision: String?
    /// For a reject: the FIX OrdRejReason (tag 103) it carries.
    public var rejectCode: Int?
    /// The rule whose `code` that is (nil: 99, for an error, a refused line or a platform gate).
    public var rejectCodeRule: String?
    /// Jurisdictions the venue index made candidates, in declaration order.
    public var jurisdictions: [Jurisdiction] = []
    /// Jurisdictions the venue index left out.
    public var notCandidates: [String] = []
    /// Rules evaluated, in declaration order.
    public var visited: [Rule] = []
    /// Rules of applying jurisdictions that the index skipped (they cannot fire for this order).
    public var skipped: [String] = []
    /// The platform's part: the DR level, the route, and why they rejected the order.
    public var platform: [String] = []

    /// A readable rendering.
    public var text: String {
        var out = "decision: \(decision ?? "(none)")\n"
        if let c = rejectCode {
            out += "reject code: \(c) (FIX OrdRejReason)" + (rejectCodeRule.map { ", from rule \($0)" } ?? "") + "\n"
        }
        for j in jurisdictions {
            let how = j.byIndex ? " (by the venue index)" : ""
            if let e = j.error {
                out += "jurisdiction \(j.name): applies could not be evaluated: \(e)\n"
            } else {
                out += "jurisdiction \(j.name): applies \(j.applies == true)\(how)\n"
            }
        }
        if !notCandidates.isEmpty { out += "not candidates for this venue: \(notCandidates.joined(separator: ", "))\n" }
        for r in visited {
            let outcome = r.error.map { "could not be evaluated: \($0)" } ?? (r.fired == true ? "fired" : "did not fire")
            out += "rule \(r.id): \(outcome)" + (r.citation.isEmpty ? "" : " [\(r.citation)]") + "\n"
            for o in r.operands { out += "  \(o.text) = \(o.value)\n" }
        }
        if !skipped.isEmpty { out += "skipped by the index: \(skipped.joined(separator: ", "))\n" }
        for p in platform { out += "platform: \(p)\n" }
        return out
    }
}

extension Engine {
    /// Explains how `line` would be decided now, without changing state.
    public func explain(line: String) -> Explanation {
        // The order decided last is applied before the dry run starts.
        settle()
        var e = Explanation()
        var d = Decision()
        var bytes = Array(line.utf8)
        let ir = program.ir
        let renderer = DecisionRenderer(engine: self)
        bytes.withUnsafeMutableBytes { raw in
            d.reset(line: lineCount + 1)
            m.pointee.dryRun = true
            defer {
                m.pointee.dryRun = false
                m.pointee.tracing = false
            }
            // Decide as `process` would, without changing state.
            m.pointee.process(UnsafeRawBufferPointer(raw), &d)
            let kind = m.pointee.kind
            guard kind == .new || kind == .modify, d.problem == .none else { return }
            // Then walk the jurisdictions again, tracing each block.
            var candidates = Set<Int>()
            let list = m.pointee.candidateList()
            for k in 0..<Int(m.pointee.candidateLists[list]) {
                candidates.insert(Int(m.pointee.candidateLists[list + 1 + k]))
            }
            m.pointee.tracing = true
            // Memo slots are computed anew, so the first read traces the expression.
            m.pointee.newMemoEpoch()
            for (j, jur) in ir.jurisdictions.enumerated() {
                guard candidates.contains(j) else {
                    if jur.appliesConstant != false { e.notCandidates.append(jur.name) }
                    continue
                }
                let jr = m.pointee.jurisdictions[j]
                var applies = true
                if jr.appliesBlock >= 0 {
                    m.pointee.traceCount = 0
                    let pc = m.pointee.run(Int(jr.appliesBlock))
                    if pc < 0 {
                        e.jurisdictions.append(
                            .init(name: jur.name, applies: nil, byIndex: false, error: renderer.errorText(m.pointee.error)))
                        continue
                    }
                    applies = m.pointee.frame[Int(m.pointee.code[pc].a)] != 0
                    e.jurisdictions.append(.init(name: jur.name, applies: applies, byIndex: false, error: nil))
                } else {
                    e.jurisdictions.append(.init(name: jur.name, applies: true, byIndex: jur.appliesConstant == nil, error: nil))
                }
                guard applies else { continue }
                var combo = 0
                let first = Int(jr.firstIndexField)
                for x in 0..<Int(jr.indexFieldCount) {
                    let slot = Int(m.pointee.indexFieldSlot[first + x])
                    let v = slot >= 0 ? Int(truncatingIfNeeded: m.pointee.frame[slot]) : Int(m.pointee.present[-slot - 1])
                    combo += v * Int(m.pointee.indexStride[first + x])
                }
                let off = Int(m.pointee.ruleListOffset[Int(jr.firstCombination) + combo])
                var listed = Set<Int>()
                for x in 0..<Int(m.pointee.ruleLists[off]) { listed.insert(Int(m.pointee.ruleLists[off + 1 + x])) }
                for ri in jur.firstRule..<(jur.firstRule + jur.ruleCount) {
                    let rule = ir.rules[ri]
                    let id = "\(jur.name).\(rule.name)"
                    guard listed.contains(ri) else {
                        e.skipped.append(id)
                        continue
                    }
                    if rule.constant == true {
                        e.visited.append(.init(id: id, fired: true, error: nil, citation: rule.citation, operands: []))
                        continue
                    }
                    guard let block = rule.block else { continue }
                    m.pointee.traceCount = 0
                    let pc = m.pointee.run(block)
                    let operands = traceOperands()
                    if pc < 0 {
                        e.visited.append(
                            .init(
                                id: id, fired: nil, error: renderer.errorText(m.pointee.error), citation: rule.citation,
                                operands: operands))
                    } else {
                        let fired = m.pointee.frame[Int(m.pointee.code[pc].a)] != 0
                        e.visited.append(.init(id: id, fired: fired, error: nil, citation: rule.citation, operands: operands))
                    }
                }
            }
        }
        e.platform = renderer.platformExplanation(d)
        if d.hasLine {
            var out: [UInt8] = []
            render(d, into: &out)
            e.decision = String(decoding: out, as: UTF8.self)
            if d.verdict == .reject {
                let r = renderer.rejectingRule(d)
                e.rejectCode = r.map { ir.rules[$0].code } ?? 99
                e.rejectCodeRule = r.map { "\(ir.jurisdictions[ir.rules[$0].jurisdiction].name).\(ir.rules[$0].name)" }
            }
        }
        return e
    }

    /// The sub-expressions the last traced block computed, with their values, in source order.
    private func traceOperands() -> [(text: String, value: String)] {
        let ir = program.ir
        var byPC: [Int: [IRSpan]] = [:]
        for s in ir.spans where s.kind != .none { byPC[s.pc, default: []].append(s) }
        var seen: [String: (line: Int, column: Int, value: String)] = [:]
        let renderer = DecisionRenderer(engine: self)
        for k in 0..<m.pointee.traceCount {
            let t = m.pointee.trace[k]
            guard let spans = byPC[Int(t.pc)] else { continue }
            for s in spans {
                let value: String
                if t.failed && s.operand == 0 {
                    value = "error: " + renderer.errorText(t.error)
                } else {
                    var (v, next) =
                        s.operand == 0 ? (t.values.0, t.values.3) : s.operand == 1 ? (t.values.1, t.values.4) : (t.values.2, t.values.5)
                    // Money moved into a register gets its currency from the
                    // `mov` into the next register, which runs after this one:
                    // take the currency from there, not the stale slot.
                    if s.operand == 0, s.kind == .money, ir.code[Int(t.pc)].op == .mov {
                        let dest = ir.code[Int(t.pc)].a
                        for j in (k + 1)..<Swift.min(k + 4, m.pointee.traceCount) {
                            let u = m.pointee.trace[j]
                            let ui = ir.code[Int(u.pc)]
                            if ui.op == .mov, ui.a == dest + 1 {
                                next = u.values.0
                                break
                            }
                        }
                    }
                    value = ir.format(v, kind: s.kind, second: next, enumIndex: s.enumIndex) { id in
                        self.m.pointee.symbols.string(Int(id))
                    }
                }
                let text = s.text.split(separator: "\n").joined(separator: " ")
                seen[text] = (s.line, s.column, value)
            }
        }
        return seen.sorted { ($0.value.line, $0.value.column, $0.key) < ($1.value.line, $1.value.column, $1.key) }
            .map { (text: $0.key, value: $0.value.value) }
    }
}
