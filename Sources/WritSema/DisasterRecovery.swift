/// The DR policy: ordered levels from the most to the least permissive,
/// what each allows, the trigger that enters it (over DR inputs only), its
/// hysteresis and who is notified.

import WritSyntax
import WritValue

extension Analyzer {
    func checkDR(_ dr: DRDecl) {
        let owner = "dr `\(dr.name.text)`"
        let s = platformScope
        let props = propertyTable(dr.properties, allowed: ["notify", "recover_after"], owner: owner)
        let notify = props["notify"].flatMap { stringListProperty($0, s) } ?? []
        let recover = props["recover_after"].flatMap { durationProperty($0, s, positive: false) }
        if dr.levels.isEmpty { report(Messages.noLevels(dr.name.text, at: dr.name.span)) }
        var levels: [CheckedLevel] = []
        var seen: [String: Span] = [:]
        let triggerScope = Scope(place: "a DR trigger", drInputs: true)
        for (i, l) in dr.levels.enumerated() {
            if let first = seen[l.name.text] {
                report(Messages.duplicateMember(l.name, what: "level", in: owner, first: first))
                continue
            }
            seen[l.name.text] = l.name.span
            let lowner = "level `\(l.name.text)`"
            let lp = propertyTable(
                l.properties, allowed: ["allows", "trigger", "recover_after", "notify"], owner: lowner)
            let allows = requiredProperty(
                lp, "allows", owner: lowner, at: l.name.span, example: "[trading, compliance]"
            )
            .flatMap { enumListValue($0, "Capability", s) }
            var trigger: Expr?
            if i == 0 {
                if let p = lp["trigger"] {
                    report(
                        Messages.propertyNotApplicable(
                            "trigger", because: "to the first level, where the platform starts", at: p.name.span))
                }
            } else if let p = requiredProperty(
                lp, "trigger", owner: lowner, at: l.name.span, example: "down_count(primary) >= 1")
            {
                if require(p.value, triggerScope, .bool, what: "the trigger of `\(l.name.text)`") != .error {
                    trigger = p.value
                }
            }
            let lrecover = lp["recover_after"].flatMap { durationProperty($0, s, positive: false) }
            let lnotify = lp["notify"].flatMap { stringListProperty($0, s) } ?? []
            levels.append(
                CheckedLevel(
                    name: l.name.text, title: l.title, allows: allows ?? [], trigger: trigger, recoverAfter: lrecover,
                    notify: lnotify, span: l.span))
        }
        program.dr = CheckedDRPolicy(
            name: dr.name.text, title: dr.title, levels: levels, notify: notify, recoverAfter: recover, span: dr.span)
    }
}
