import CheckpointCore

/// Watches one lane's door contact against the lane's releases (relay pulses after an admitting
/// or manual decision). Pure: debounced door levels, releases and the time (CLOCK_BOOTTIME) are
/// passed in.
///
/// Contract:
/// - a door that opens within `releaseWindowMs` after a release is authorised; one that opens
///   otherwise raises `.forced` once (a person pushed it, or the lock failed);
/// - a door open for `heldOpenMs` raises `.heldOpen` once per opening, whether authorised or not;
/// - closing ends the opening; `.closedAfterHeldOpen` says when a held-open door finally closed.
public struct DoorMonitor: Sendable, Hashable {
    /// What the person on duty and the store are told.
    public enum Alert: Sendable, Hashable {
        /// Opened without a release within the window.
        case forced
        /// Open for at least `heldOpenMs`.
        case heldOpen
        /// A door that was reported held open is closed again.
        case closedAfterHeldOpen
    }

    /// After a release, how long the door may take to open and still count as authorised, in ms.
    public let releaseWindowMs: Int
    /// How long the door may stay open before `.heldOpen`, in ms.
    public let heldOpenMs: Int
    /// Whether the door is open now.
    public private(set) var isOpen = false
    private var lastRelease: Duration?
    private var openedAt: Duration?
    private var heldReported = false

    public init(releaseWindowMs: Int, heldOpenMs: Int) {
        self.releaseWindowMs = max(0, releaseWindowMs)
        self.heldOpenMs = max(1, heldOpenMs)
    }

    /// The lane's relay released the door at `time`.
    public mutating func released(at time: Duration) {
        lastRelease = time
    }

    /// The contact reports the door opened at `time`.
    public mutating func opened(at time: Duration) -> [Alert] {
        guard !isOpen else { return [] }
        isOpen = true
        openedAt = time
        heldReported = false
        if let r = lastRelease, time >= r, time - r <= .milliseconds(releaseWindowMs) {
            lastRelease = nil
            return []
        }
        return [.forced]
    }

    /// The contact reports the door closed at `time`.
    public mutating func closed(at time: Duration) -> [Alert] {
        guard isOpen else { return [] }
        var alerts = advance(to: time)
        isOpen = false
        openedAt = nil
        if heldReported { alerts.append(.closedAfterHeldOpen) }
        heldReported = false
        return alerts
    }

    /// When `advance(to:)` may raise `.heldOpen`.
    public var deadline: Duration? {
        guard isOpen, !heldReported, let o = openedAt else { return nil }
        return o + .milliseconds(heldOpenMs)
    }

    /// Raises `.heldOpen` once the open door has reached `heldOpenMs` by `time`.
    public mutating func advance(to time: Duration) -> [Alert] {
        guard let d = deadline, time >= d else { return [] }
        heldReported = true
        return [.heldOpen]
    }
}
