import CheckpointCore

/// Pairs one lane's scans with its temperature readings on a monotonic clock (time passed in as
/// `Duration` since an arbitrary origin, e.g. CLOCK_BOOTTIME; tests pass virtual times).
///
/// Rules:
/// - A scan pairs with a pending reading no older than `readingMaxAge`; otherwise it waits up to
///   `window` for the next reading, then completes without one (the policy says `noReading`).
/// - A reading pairs with the waiting scan; otherwise it waits (a newer reading replaces it: the
///   person measured again). A reading is used for at most one entry and never after `readingMaxAge`
///   (stale readings are not reused for the next person); an unclaimed one completes alone.
/// - A second scan of the same payload while it waits is ignored; a different payload completes
///   the waiting one without a reading first (that person left).
/// - A lane without a working thermometer completes a scan at once (unless a fresh reading waits).
///
/// Call `advance(to:)` at `nextDeadline` (the caller owns the timer; this type does no I/O).
public struct LanePairing: Sendable {
    public var window: Duration
    public var readingMaxAge: Duration
    /// False for a lane configured without a thermometer.
    public var laneHasThermometer: Bool

    private var pendingScan: (credential: Credential, at: Duration)?
    private var pendingReading: (reading: TemperatureReading, at: Duration)?

    public init(window: Duration, readingMaxAge: Duration, laneHasThermometer: Bool) {
        self.window = window
        self.readingMaxAge = readingMaxAge
        self.laneHasThermometer = laneHasThermometer
    }

    /// True while a scan waits for its reading.
    public var isWaitingForReading: Bool { pendingScan != nil }

    /// The earliest time at which `advance(to:)` will complete something, if any.
    public var nextDeadline: Duration? {
        let a = pendingScan.map { $0.at + window }
        let b = pendingReading.map { $0.at + readingMaxAge }
        switch (a, b) {
        case let (x?, y?): return min(x, y)
        case let (x?, nil): return x
        case let (nil, y?): return y
        case (nil, nil): return nil
        }
    }

    /// A scan arrived at `now`; `thermometerAvailable` is the lane thermometer's current state.
    public mutating func scan(_ credential: Credential, at now: Duration, thermometerAvailable: Bool) -> [PairedEntry] {
        var out = advance(to: now)
        if let waiting = pendingScan {
            if waiting.credential == credential { return out }
            out.append(PairedEntry(credential: waiting.credential, reading: nil, thermometerAvailable: true, pairedAt: now))
            pendingScan = nil
        }
        if let r = pendingReading {
            pendingReading = nil
            out.append(PairedEntry(credential: credential, reading: r.reading, thermometerAvailable: true, pairedAt: now))
            return out
        }
        if !laneHasThermometer || !thermometerAvailable {
            out.append(PairedEntry(credential: credential, reading: nil, thermometerAvailable: false, pairedAt: now))
            return out
        }
        pendingScan = (credential, now)
        return out
    }

    /// A scan that the policy decides without a temperature (refused on its code alone): it does
    /// not wait. A different waiting scan completes first without a reading; a fresh waiting
    /// reading is attached (it was this person's) and consumed.
    public mutating func scanDecidedAtOnce(_ credential: Credential, at now: Duration) -> [PairedEntry] {
        var out = advance(to: now)
        if let waiting = pendingScan {
            pendingScan = nil
            if waiting.credential != credential {
                out.append(PairedEntry(credential: waiting.credential, reading: nil, thermometerAvailable: true, pairedAt: now))
            }
        }
        let reading = pendingReading?.reading
        pendingReading = nil
        out.append(PairedEntry(credential: credential, reading: reading, thermometerAvailable: true, pairedAt: now))
        return out
    }

    /// A reading arrived at `now`.
    public mutating func reading(_ reading: TemperatureReading, at now: Duration) -> [PairedEntry] {
        var out = advance(to: now)
        if let waiting = pendingScan {
            pendingScan = nil
            out.append(PairedEntry(credential: waiting.credential, reading: reading, thermometerAvailable: true, pairedAt: now))
        } else {
            pendingReading = (reading, now)
        }
        return out
    }

    /// The lane's thermometer went away: a waiting scan completes at once without a reading.
    public mutating func thermometerLost(at now: Duration) -> [PairedEntry] {
        var out = advance(to: now)
        if let waiting = pendingScan {
            pendingScan = nil
            out.append(PairedEntry(credential: waiting.credential, reading: nil, thermometerAvailable: false, pairedAt: now))
        }
        return out
    }

    /// Completes whatever has expired by `now`, oldest first.
    public mutating func advance(to now: Duration) -> [PairedEntry] {
        var out: [(Duration, PairedEntry)] = []
        if let s = pendingScan, now >= s.at + window {
            pendingScan = nil
            out.append((s.at + window, PairedEntry(credential: s.credential, reading: nil, thermometerAvailable: true,
                                                   pairedAt: s.at + window)))
        }
        if let r = pendingReading, now >= r.at + readingMaxAge {
            pendingReading = nil
            out.append((r.at + readingMaxAge, PairedEntry(credential: nil, reading: r.reading, thermometerAvailable: true,
                                                          pairedAt: r.at + readingMaxAge)))
        }
        return out.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
