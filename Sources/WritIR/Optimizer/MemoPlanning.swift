/// Cross-rule common sub-expressions: which pure expressions the rules that
/// can run for one order compute more than once, so that the lowering gives
/// each a memo slot (computed once per evaluation, on first use, value or
/// error kept; see `MemoLowering.swift` and docs/ir.md "Memo slots").
///
/// An expression qualifies when it reads only the order and market records,
/// constants, data tables, sets and bound data — never state (`rate`,
/// `window_sum`, `latch`, …, whose value belongs to the point of the
/// evaluation where it is read), nor a macro's variable — and when it costs
/// enough to be worth a slot. Occurrences are counted per jurisdiction, the
/// jurisdictions that always apply (GLOBAL) being added to every other: a
/// slot pays off when one order evaluates the expression twice.

import WritSema
import WritSyntax

/// Chooses the memo slots of a checked program.
struct MemoPlanning {
    let program: CheckedProgram
    let cost: CostModel

    /// The least estimated cost (`CostModel`) of an expression given a slot:
    /// below it, a `memo` read costs about what the expression does.
    static let minimumCost = 5
    /// What a slot costs in `CostModel` units: a `memo` read, plus entering
    /// and leaving the block on the first read.
    static let readCost = 3
    /// The least gain, (uses − 1) × (cost − `readCost`), that makes a slot:
    /// a table cell (cost 5) needs four reads, the notional (8) two.
    static let minimumGain = 5

    init(_ program: CheckedProgram) {
        self.program = program
        cost = CostModel(program: program)
    }

    /// The built-ins that read state or bind variables: never memoized.
    static let impure: Set<String> = [
        "rate", "window_sum", "executions", "position", "otr", "killed", "duplicate", "latch", "open_sum",
        "window_max", "window_min", "all", "exists", "exists_one", "filter", "map",
    ]

    /// A structural key of `e` when it is pure (equal keys: equal code and
    /// value in any rule of the program); nil when it is not memoizable.
    /// Names are keyed by what they resolved to, so a limit of one
    /// jurisdiction never matches another's of the same name.
    func key(_ e: Expr) -> String? {
        let type = program.types[e.id].map { "\($0)" } ?? "?"
        let conversion = program.conversions[e.id].map { "→\($0)" } ?? ""
        let suffix = ":" + type + conversion
        if let c = program.constants[e.id] { return "c(\(c))" + suffix }
        switch e.kind {
        case .identifier:
            guard let r = program.resolutions[e.id], Self.pureName(r) else { return nil }
            return "n(\(r))" + suffix
        case .select(let base, _):
            guard let r = program.resolutions[e.id], Self.pureName(r) else { return nil }
            if case .column = r {
                guard let b = key(base) else { return nil }
                return "n(\(r))[\(b)]" + suffix
            }
            return "n(\(r))" + suffix
        case .call(let target, let fn, let args):
            guard !Self.impure.contains(fn.text), program.slotOfCall[e.id] == nil else { return nil }
            var parts: [String] = []
            if let t = target {
                guard let k = key(t) else { return nil }
                parts.append(k)
            }
            for a in args {
                guard let k = key(a) else { return nil }
                parts.append(k)
            }
            return "call(\(fn.text))(\(parts.joined(separator: ",")))" + suffix
        case .unary(let op, let x):
            guard let k = key(x) else { return nil }
            return "u(\(op))(\(k))" + suffix
        case .binary(let op, let l, let r):
            guard let a = key(l), let b = key(r) else { return nil }
            return "b(\(op))(\(a),\(b))" + suffix
        case .conditional(let c, let a, let b):
            guard let x = key(c), let y = key(a), let z = key(b) else { return nil }
            return "?(\(x),\(y),\(z))" + suffix
        case .index(let base, let index):
            guard let x = key(base), let y = key(index) else { return nil }
            return "[](\(x),\(y))" + suffix
        case .literal, .list, .map, .tuple, .error:
            return nil
        }
    }

    /// Names whose value is the same wherever they are read during one evaluation.
    private static func pureName(_ s: Symbol) -> Bool {
        switch s {
        case .input, .field, .column, .constant, .limit, .set, .data, .enumType, .enumCase: true
        default: false
        }
    }

    /// The keys given a memo slot, and for each rule condition's node that
    /// is read through one, its key.
    func plan() -> [NodeID: String] {
        // Occurrences per key and jurisdiction.
        var counts: [String: [Int: Int]] = [:]
        var costs: [String: Int] = [:]
        var always = Set<Int>()
        for (ji, j) in program.jurisdictions.enumerated() {
            if let a = j.applies, case .bool(true)? = program.constants[a.id] { always.insert(ji) }
            if j.applies == nil { continue }
            for r in j.rules where program.constants[r.condition.id] == nil {
                visit(r.condition) { e, k in
                    counts[k, default: [:]][ji, default: 0] += 1
                    if costs[k] == nil { costs[k] = cost.cost(e) }
                }
            }
        }
        func uses(_ k: String) -> Int {
            let per = counts[k] ?? [:]
            let base = always.reduce(0) { $0 + (per[$1] ?? 0) }
            var best = base
            for (j, n) in per where !always.contains(j) { best = max(best, base + n) }
            return best
        }
        func worth(_ k: String) -> Bool {
            let u = uses(k)
            let c = costs[k] ?? 0
            // A saturated cost (`Int.max`) must not overflow the gain.
            let (gain, overflow) = (u - 1).multipliedReportingOverflow(by: c - Self.readCost)
            return u >= 2 && c >= Self.minimumCost && (overflow || gain >= Self.minimumGain)
        }
        // Outermost qualifying expressions first: what a chosen one contains is
        // computed in its slot. Occurrences inside another slot's expression
        // are not reads: a slot left with too few reads is dropped, and the
        // marking runs again without it.
        var dropped = Set<String>()
        var out: [NodeID: String] = [:]
        for _ in 0..<4 {
            out = [:]
            for j in program.jurisdictions where j.applies != nil {
                for r in j.rules where program.constants[r.condition.id] == nil {
                    mark(r.condition, { worth($0) && !dropped.contains($0) }, &out)
                }
            }
            var reads: [String: [Int: Int]] = [:]
            for (ji, j) in program.jurisdictions.enumerated() where j.applies != nil {
                for r in j.rules where program.constants[r.condition.id] == nil {
                    var marked: [NodeID: String] = [:]
                    mark(r.condition, { worth($0) && !dropped.contains($0) }, &marked)
                    for k in marked.values { reads[k, default: [:]][ji, default: 0] += 1 }
                }
            }
            counts = reads
            let few = Set(out.values).filter { !worth($0) }
            if few.isEmpty { break }
            dropped.formUnion(few)
        }
        return out.filter { !dropped.contains($0.value) }
    }

    /// Calls `f` for every memoizable node of `e` (outer ones first).
    private func visit(_ e: Expr, _ f: (Expr, String) -> Void) {
        if program.constants[e.id] == nil, let k = key(e) { f(e, k) }
        for c in children(e) { visit(c, f) }
    }

    private func mark(_ e: Expr, _ chosen: (String) -> Bool, _ out: inout [NodeID: String]) {
        if program.constants[e.id] == nil, let k = key(e), chosen(k) {
            out[e.id] = k
            return
        }
        for c in children(e) { mark(c, chosen, &out) }
    }

    private func children(_ e: Expr) -> [Expr] {
        switch e.kind {
        case .literal, .identifier, .error: []
        case .select(let b, _): [b]
        case .call(let t, _, let args): (t.map { [$0] } ?? []) + args
        case .index(let b, let i): [b, i]
        case .unary(_, let x): [x]
        case .binary(_, let l, let r): [l, r]
        case .conditional(let c, let a, let b): [c, a, b]
        case .list(let xs), .tuple(let xs): xs
        case .map(let es): es.flatMap { [$0.key, $0.value] }
        }
    }
}
