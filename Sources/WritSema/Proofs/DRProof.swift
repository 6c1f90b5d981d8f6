/// Proof (d): the DR levels are ordered, reachable and exitable. Each level
/// after the first allows no more than the level above it (`trading`
/// includes `reduce_only` and `cancels`: a level that allows trading also
/// allows orders that reduce a position, and cancels), and something less
/// (a warning otherwise); its
/// trigger can hold (so the level can be entered) and can clear (so the
/// level can be left: recovery waits for the trigger to clear, for
/// `recover_after`). Triggers are evaluated by `ProofWorld` with nothing
/// known of health, incidents or lag, but with their bounds:
/// `down_count(x)` lies between 0 and the number of clusters of role or
/// continent `x`, and `lag(t)` is never negative.

import WritSyntax

extension Analyzer {
    /// What a list of capabilities allows, with what each implies.
    static func capabilityClosure(_ allows: [String]) -> Set<String> {
        var s = Set(allows)
        if s.contains("trading") { s.formUnion(["reduce_only", "cancels"]) }
        return s
    }

    func proveDR() {
        guard let dr = program.dr, case .dr(let decl)? = names[dr.name] else { return }
        var world = ProofWorld(program: program)
        world.down = nil
        for (i, level) in dr.levels.enumerated() where i > 0 {
            let above = dr.levels[i - 1]
            let aboveAllows = Self.capabilityClosure(above.allows)
            let ast = decl.levels.first { $0.name.text == level.name }
            let allowsProp = ast?.properties.first { $0.name.text == "allows" }
            let aboveProp = decl.levels.first { $0.name.text == above.name }?.properties.first {
                $0.name.text == "allows"
            }
            for cap in level.allows where !aboveAllows.contains(cap) {
                report(
                    ProofMessages.levelAllowsMore(
                        level.name, cap, above: above.name, at: capabilitySpan(allowsProp, cap) ?? level.span,
                        aboveSpan: aboveProp?.span ?? above.span))
            }
            if Self.capabilityClosure(level.allows) == aboveAllows {
                report(
                    ProofMessages.levelRestrictsNothing(
                        level.name, above: above.name, at: allowsProp?.span ?? level.span,
                        aboveSpan: aboveProp?.span ?? above.span))
            }
            guard let trigger = level.trigger else { continue }
            switch world.eval(trigger).bool {
            case false?:
                report(ProofMessages.unreachableLevel(level.name, trigger: text(trigger.span), at: trigger.span))
            case true?:
                report(ProofMessages.inescapableLevel(level.name, trigger: text(trigger.span), at: trigger.span))
            case nil: break
            }
        }
    }

    /// Where capability `cap` is written in an `allows` list.
    private func capabilitySpan(_ p: Property?, _ cap: String) -> Span? {
        guard let p, case .list(let xs) = p.value.kind else { return p?.value.span }
        return xs.first { x in
            if case .enumCase(_, let c)? = program.constants[x.id] { return c == cap }
            return false
        }?.span
    }
}
