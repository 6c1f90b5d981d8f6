/// The platform events a compliance summary lists besides decisions: kill
/// switches set and cleared, and changes of the disaster-recovery level.

/// A kill switch set (`kill`) or cleared (`unkill`).
public struct KillSwitchEvent: Sendable, Hashable {
    /// When, in nanoseconds since the epoch (UTC).
    public var timestamp: Int64
    /// `kill` or `unkill`.
    public var action: String
    /// What it covers: `venue`, `trader`, `desk`, `client`, `algo`, …
    public var scope: String
    /// Which one: the venue's MIC, the trader's id, …
    public var key: String

    /// Creates an event.
    public init(timestamp: Int64, action: String, scope: String, key: String) {
        self.timestamp = timestamp
        self.action = action
        self.scope = scope
        self.key = key
    }
}

/// A change of the platform's disaster-recovery level.
public struct DRLevelChange: Sendable, Hashable {
    /// When, in nanoseconds since the epoch (UTC).
    public var timestamp: Int64
    /// The level before, if known.
    public var from: String?
    /// The level after.
    public var to: String
    /// The trigger or the person that caused it.
    public var reason: String?

    /// Creates a change.
    public init(timestamp: Int64, from: String? = nil, to: String, reason: String? = nil) {
        self.timestamp = timestamp
        self.from = from
        self.to = to
        self.reason = reason
    }
}
