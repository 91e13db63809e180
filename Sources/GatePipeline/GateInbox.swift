import CheckpointCore
import GateService
import Journal

/// Where the devices hand their reports to the gate, in order (one stream, one consumer: the
/// pipeline), and where the gate resets a scanner's duplicate-scan window after a decision
/// (docs/gate.md). Device ids are `[[device]]` ids.
///
/// Every report is stamped with the time it came off its device (`MonotonicClock.now()`, the
/// gate's pairing clock) when it is handed in, so time spent waiting in this queue never changes
/// how it pairs.
public final class GateInbox: Sendable {
    private let stream = AsyncStream.makeStream(of: DeviceReport.self)
    private let resets = Mutex([String: @Sendable () -> Void]())
    private let laneThermometers = Mutex(Set<String>())

    public init() {}

    /// The `[[device]]` ids of the lanes' thermometers: the fleet's events of these reach the gate
    /// (`connect(_:thermometers:)`); replaced when the lanes are reloaded.
    public var thermometers: Set<String> {
        get { laneThermometers.withLock { $0 } }
        set { laneThermometers.withLock { $0 = newValue } }
    }

    /// The reports in the order they were handed in; ends after `finish()`.
    public var reports: AsyncStream<DeviceReport> { stream.stream }

    public func scan(device: String, _ scan: Scan) {
        event(.scan(device: device, scan, receivedAt: MonotonicClock.now()))
    }

    public func card(device: String, _ credential: Credential) {
        event(.card(device: device, credential, receivedAt: MonotonicClock.now()))
    }

    public func reading(device: String, _ reading: TemperatureReading) {
        event(.reading(device: device, reading, receivedAt: MonotonicClock.now()))
    }

    /// A scanner or ID reader opened (`true`) or closed (`false`).
    public func availability(device: String, _ available: Bool) {
        event(.deviceAvailability(device: device, available: available, receivedAt: MonotonicClock.now()))
    }

    public func scanRejected(device: String, reason: String, asksForRescan: Bool) {
        event(.scanRejected(device: device, reason: reason, asksForRescan: asksForRescan, receivedAt: MonotonicClock.now()))
    }

    /// A device (a thermometer) went missing, with why.
    public func lost(device: String, detail: String) {
        stream.continuation.yield(.lost(device: device, detail: detail, receivedAt: MonotonicClock.now()))
    }

    /// A device's input was rejected and is only counted.
    public func rejected(device: String, reason: String) {
        stream.continuation.yield(.rejected(device: device, reason: reason))
    }

    public func registerDuplicateReset(device: String, _ reset: @escaping @Sendable () -> Void) {
        resets.withLock { $0[device] = reset }
    }

    /// Resets the duplicate-scan windows of `devices` (a lane's scanners).
    public func resetDuplicateWindows(_ devices: [String]) {
        let chosen = resets.withLock { r in devices.compactMap { r[$0] } }
        for reset in chosen { reset() }
    }

    /// Ends `reports`; later reports are dropped.
    public func finish() { stream.continuation.finish() }

    private func event(_ event: GateEvent) { stream.continuation.yield(.event(event)) }
}
