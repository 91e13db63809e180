import CheckpointCore

/// Two identical scans from the same device within `window` are one scan (people hold the code
/// under the reader). Each repeat refreshes the window, so a code held under the reader stays one
/// scan. `reset()` forgets everything: the gate calls it when it makes a decision (contract 9), so
/// a person asked to remeasure can scan again at once. Time is passed in (monotonic, any origin).
public struct DuplicateScanFilter: Sendable {
    public var window: Duration
    private var lastSeen: [Key: Duration] = [:]

    private struct Key: Hashable, Sendable {
        var device: String
        var bytes: [UInt8]
        var symbology: Symbology
    }

    public init(window: Duration = .seconds(3)) { self.window = window }

    /// True if `scan` at time `now` is new (pass it on); false if it repeats one seen within the window.
    public mutating func admit(_ scan: Scan, at now: Duration) -> Bool {
        let key = Key(device: scan.device, bytes: scan.bytes, symbology: scan.symbology)
        // Forget entries older than the window so the table stays small.
        lastSeen = lastSeen.filter { now - $0.value < window }
        let isRepeat = lastSeen[key].map { now - $0 < window } ?? false
        lastSeen[key] = now
        return !isRepeat
    }

    /// Forgets every scan seen: the next scan is new whatever it is.
    public mutating func reset() { lastSeen.removeAll() }
}
