import CheckpointCore

/// What the policy decided for one paired entry.
public struct DecisionOutcome: Sendable, Hashable {
    public var decision: Decision
    public var reason: ReasonCode
    /// True for what the person on duty and the central store must see at once (fever, isolation exit).
    public var alert: Bool
    /// Human-readable detail for logs (which rule, which colour, which °C); not journaled.
    public var detail: String

    public init(decision: Decision, reason: ReasonCode, alert: Bool = false, detail: String = "") {
        self.decision = decision
        self.reason = reason
        self.alert = alert
        self.detail = detail
    }
}
