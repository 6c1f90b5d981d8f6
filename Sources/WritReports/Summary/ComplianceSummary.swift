/// The numbers of a day's compliance summary, for people: decisions by
/// verdict, rejects and holds by regime and rule, the kill-switch events
/// and the DR-level changes. Markdown and HTML renderings read only this.

/// Rejects and holds caused by one rule.
public struct RuleTally: Sendable, Hashable {
    /// The jurisdiction (`EU`), or `input` for lines refused before any rule.
    public var regime: String
    /// The rule (`EU.price_collar`), or `refused line`.
    public var rule: String
    /// Rejected decisions it caused.
    public var rejects: Int
    /// Held decisions it caused.
    public var holds: Int
}

/// Rejected and held decisions per regime (a decision counts once per regime).
public struct RegimeTally: Sendable, Hashable {
    /// The jurisdiction.
    public var regime: String
    /// Rejected decisions with a rule of this regime among their causes.
    public var rejects: Int
    /// Held decisions with a rule of this regime among their causes.
    public var holds: Int
}

/// The summary of one day.
public struct ComplianceSummary: Sendable {
    /// The day.
    public var date: ReportDate
    /// The firm's name.
    public var firmName: String
    /// The firm's LEI.
    public var firmLEI: String
    /// Decisions that allowed the order.
    public var allowed = 0
    /// Decisions that held it.
    public var held = 0
    /// Decisions that rejected it.
    public var rejected = 0
    /// By rule, sorted by regime, then by rejects + holds (most first), then by rule.
    public var rules: [RuleTally] = []
    /// By regime, sorted by regime.
    public var regimes: [RegimeTally] = []
    /// Kill-switch events in time order.
    public var killSwitches: [KillSwitchEvent] = []
    /// DR-level changes in time order.
    public var drChanges: [DRLevelChange] = []

    /// All decisions.
    public var decisions: Int { allowed + held + rejected }

    /// Counts `inputs` (already selected for the day). A rejected (held)
    /// decision counts for each rule it lists whose severity is reject (hold)
    /// or unknown; alert and report rules, and hold rules of a rejected
    /// decision, did not decide it and are not counted. A refused line counts
    /// under regime `input`.
    public init(_ inputs: ReportInputs, date: ReportDate, firm: FirmConfig) {
        self.date = date
        self.firmName = firm.name
        self.firmLEI = firm.lei
        var byRule: [String: RuleTally] = [:]
        var byRegime: [String: RegimeTally] = [:]
        for d in inputs.decisions {
            switch d.verdict {
            case .allow: allowed += 1
            case .hold: held += 1
            case .reject: rejected += 1
            }
            guard d.verdict != .allow else { continue }
            // The causes: the rules whose severity is the verdict (or unknown);
            // failing that (a rule that could not be evaluated rejects whatever
            // its severity), every rule listed.
            var causes = d.rules.filter { $0.severity == nil || $0.severity?.rawValue == d.verdict.rawValue }
            if causes.isEmpty { causes = d.rules }
            var keys = causes.map { (regime: $0.regime, rule: $0.rule) }
            if keys.isEmpty && d.verdict == .reject { keys.append(("input", "refused line")) }
            for c in keys {
                var t = byRule[c.rule] ?? RuleTally(regime: c.regime, rule: c.rule, rejects: 0, holds: 0)
                if d.verdict == .reject { t.rejects += 1 } else { t.holds += 1 }
                byRule[c.rule] = t
            }
            // A decision counts once per regime.
            for regime in Set(keys.map(\.regime)) {
                var t = byRegime[regime] ?? RegimeTally(regime: regime, rejects: 0, holds: 0)
                if d.verdict == .reject { t.rejects += 1 } else { t.holds += 1 }
                byRegime[regime] = t
            }
        }
        rules = byRule.values.sorted {
            ($0.regime, -($0.rejects + $0.holds), $0.rule) < ($1.regime, -($1.rejects + $1.holds), $1.rule)
        }
        regimes = byRegime.values.sorted { $0.regime < $1.regime }
        killSwitches = inputs.killSwitches.sorted {
            ($0.timestamp, $0.scope, $0.key, $0.action) < ($1.timestamp, $1.scope, $1.key, $1.action)
        }
        drChanges = inputs.drChanges.sorted {
            ($0.timestamp, $0.to, $0.from ?? "", $0.reason ?? "") < (
                $1.timestamp, $1.to, $1.from ?? "", $1.reason ?? ""
            )
        }
    }
}
