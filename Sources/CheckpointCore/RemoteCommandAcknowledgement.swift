/// `POST /v1/commands/{id}/ack`: what the gate did with a command.
public struct RemoteCommandAcknowledgement: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        /// Journaled and the relay pulsed.
        case executed
        /// Past its expiry when the gate got to it: not executed.
        case expired
        /// Already executed before (a resend), or refused (unknown lane, journal failure): `detail` says.
        case refused
    }

    public var outcome: Outcome
    public var detail: String?

    public init(outcome: Outcome, detail: String? = nil) {
        self.outcome = outcome
        self.detail = detail
    }
}
