import CheckpointCore
import GateService
import Journal

/// Where the daemon's device services hand their events to the gate, in order (one stream, one
/// consumer), and where the gate resets a scanner's duplicate-scan window after a decision
/// (docs/gate.md). Device ids are `[[device]]` ids.
///
/// Every event is stamped with the time it came off its device (`SystemClock.bootTime()`, the
/// gate's pairing clock) when it is handed in, so time spent waiting in this queue never changes
/// how it pairs.
///
/// A scanner service calls `scan(device:_:)` for every new scan and `registerDuplicateReset` once
/// per scanner runner (`ScannerRunner.resetDuplicateWindow`); availability changes go to
/// `availability(device:_:)`.
final class GateInbox: Sendable {
    private let stream = AsyncStream.makeStream(of: GateEvent.self)
    private let resets = Mutex([String: @Sendable () -> Void]())

    var events: AsyncStream<GateEvent> { stream.stream }

    func scan(device: String, _ scan: Scan) {
        stream.continuation.yield(.scan(device: device, scan, receivedAt: SystemClock.bootTime()))
    }

    func card(device: String, _ credential: Credential) {
        stream.continuation.yield(.card(device: device, credential, receivedAt: SystemClock.bootTime()))
    }

    func reading(device: String, _ reading: TemperatureReading) {
        stream.continuation.yield(.reading(device: device, reading, receivedAt: SystemClock.bootTime()))
    }

    func availability(device: String, _ available: Bool) {
        stream.continuation.yield(.deviceAvailability(device: device, available: available, receivedAt: SystemClock.bootTime()))
    }

    func scanRejected(device: String, reason: String, asksForRescan: Bool) {
        stream.continuation.yield(.scanRejected(device: device, reason: reason, asksForRescan: asksForRescan,
                                                receivedAt: SystemClock.bootTime()))
    }

    func registerDuplicateReset(device: String, _ reset: @escaping @Sendable () -> Void) {
        resets.withLock { $0[device] = reset }
    }

    /// Resets the duplicate-scan windows of `devices` (a lane's scanners).
    func resetDuplicateWindows(_ devices: [String]) {
        let chosen = resets.withLock { r in devices.compactMap { r[$0] } }
        for reset in chosen { reset() }
    }

    func finish() { stream.continuation.finish() }
}
