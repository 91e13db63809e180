import CheckpointCore
import DeviceIO
import Foundation
@testable import Horn

/// A virtual monotonic clock the test moves by hand; simulated lines read it.
final class VirtualClock: Sendable {
    private let time = Mutex<Duration>(.zero)
    var now: Duration { time.withLock { $0 } }
    func set(_ t: Duration) { time.withLock { $0 = t } }
    func advance(by d: Duration) { time.withLock { $0 += d } }
    var reader: @Sendable () -> Duration { { [self] in self.now } }
}

/// A stand-in for the ALSA player: records starts and stops at virtual times.
final class RecordingOutput: AnnouncementOutput, Sendable {
    enum Event: Hashable, CustomStringConvertible {
        case start(String, at: Duration, volume: Double)
        case stop(at: Duration)
        var description: String {
            switch self {
            case .start(let id, let at, let v): return "start \(id) @\(at) vol \(v)"
            case .stop(let at): return "stop @\(at)"
            }
        }
    }
    private let clock: VirtualClock
    private let state = Mutex<(events: [Event], failing: Set<String>, tones: [String])>(([], [], []))
    init(clock: VirtualClock) { self.clock = clock }
    var events: [Event] { state.withLock { $0.events } }
    var startedIDs: [String] { events.compactMap { if case .start(let id, _, _) = $0 { return id } else { return nil } } }
    /// The ids of started items that were played as the fallback tone, in order.
    var tones: [String] { state.withLock { $0.tones } }
    func failOn(_ id: String) { state.withLock { _ = $0.failing.insert(id) } }

    func start(_ item: QueuedAnnouncement, volume: Double, finished: @escaping @Sendable () -> Void) throws {
        let t = clock.now
        try state.withLock { s in
            if s.failing.contains(item.announcementID) { throw HornError.unknownAnnouncement(item.announcementID) }
            s.events.append(.start(item.announcementID, at: t, volume: volume))
            if item.fallbackTone { s.tones.append(item.announcementID) }
        }
    }
    func stop() {
        let t = clock.now
        state.withLock { $0.events.append(.stop(at: t)) }
    }
}

extension Duration {
    static func ms(_ n: Int) -> Duration { .milliseconds(n) }
}
