import CheckpointCore
import Foundation

/// When a record's `occurredAt` can have happened: not more than `margin` before the gate was first
/// registered (a gate may journal while it is being installed), and not more than `margin` after
/// the store received it (gate clocks run a little ahead). A record outside is quarantined with a
/// reason that says which bound it broke; it still counts toward the gate's contiguity.
struct PlausibleTime {
    /// One day, in seconds.
    static let margin: TimeInterval = 86_400

    /// nil = the gate's first registration is unknown (registered before it was recorded).
    let firstRegistration: Date?
    let receivedAt: Date

    func violations(_ record: EntryRecord) -> [String] {
        var reasons: [String] = []
        if let firstRegistration, record.occurredAt < firstRegistration.addingTimeInterval(-Self.margin) {
            reasons.append("occurredAt \(CheckpointJSON.formatTimestamp(record.occurredAt)) is more than a day before the gate was "
                           + "registered (\(CheckpointJSON.formatTimestamp(firstRegistration)))")
        }
        if record.occurredAt > receivedAt.addingTimeInterval(Self.margin) {
            reasons.append("occurredAt \(CheckpointJSON.formatTimestamp(record.occurredAt)) is more than a day after it was received "
                           + "(\(CheckpointJSON.formatTimestamp(receivedAt)))")
        }
        return reasons
    }
}
