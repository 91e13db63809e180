import CheckpointCore

/// Pairs one lane's scans with its temperature readings on a monotonic clock (time passed in as
/// `Duration` since an arbitrary origin, e.g. CLOCK_BOOTTIME; tests pass virtual times). Every time
/// passed in is when the scan or reading was *received* from its device, not when it is processed.
///
/// Rules (docs/gate.md, "Pairing"):
/// - A scan pairs with a pending reading no older than `readingMaxAge`; otherwise it waits up to
///   `window` for the next reading, then completes without one (the policy says `noReading`).
/// - A reading pairs with the waiting scan; otherwise it waits (a newer reading replaces it: the
///   person measured again). A reading is used for at most one entry and never after `readingMaxAge`
///   (stale readings are not reused for the next person); an unclaimed one completes alone.
/// - Nobody in front of the sensor (`personLeft`), a lost thermometer, or a (re)attached device
///   ends a pending reading: it completes alone and is never paired with a later scan.
/// - A second scan of the same payload while it waits is ignored. A *different* scan while one
///   waits means two people wait on one reading: the pairing cannot tell whose the next reading is,
///   so the waiting scan completes at once and the new one is marked contested — both entries carry
///   an `uncertainty` (the policy refers them as `pairingUncertain`).
/// - A lane without a working thermometer completes a scan at once.
///
/// Call `advance(to:)` at `nextDeadline` (the caller owns the timer; this type does no I/O).
public struct LanePairing: Sendable {
    public var window: Duration
    public var readingMaxAge: Duration
    /// False for a lane configured without a thermometer.
    public var laneHasThermometer: Bool

    private var pendingScan: (credential: Credential, at: Duration, contested: Bool)?
    private var pendingReading: (reading: TemperatureReading, at: Duration)?

    /// Why an entry whose scan followed another waiting scan cannot be trusted.
    static let contestedScan = "another person's scan was waiting for the same reading"
    /// Why a waiting scan cut short by another person's scan cannot be trusted.
    static let displacedScan = "another person scanned before this scan's reading arrived"

    public init(window: Duration, readingMaxAge: Duration, laneHasThermometer: Bool) {
        self.window = window
        self.readingMaxAge = readingMaxAge
        self.laneHasThermometer = laneHasThermometer
    }

    /// True while a scan waits for its reading.
    public var isWaitingForReading: Bool { pendingScan != nil }

    /// True while a reading waits for a scan.
    public var hasPendingReading: Bool { pendingReading != nil }

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

    /// A scan received at `now`; `thermometerAvailable` is the lane thermometer's current state.
    public mutating func scan(_ credential: Credential, at now: Duration, thermometerAvailable: Bool) -> [PairedEntry] {
        var out = advance(to: now)
        var contested = false
        if let waiting = pendingScan {
            if waiting.credential == credential { return out }
            out.append(PairedEntry(credential: waiting.credential, reading: nil, thermometerAvailable: true, pairedAt: now,
                                   uncertainty: Self.displacedScan))
            pendingScan = nil
            contested = true
        }
        if let r = pendingReading {
            pendingReading = nil
            out.append(PairedEntry(credential: credential, reading: r.reading, thermometerAvailable: true, pairedAt: now,
                                   uncertainty: contested ? Self.contestedScan : nil))
            return out
        }
        if !laneHasThermometer || !thermometerAvailable {
            out.append(PairedEntry(credential: credential, reading: nil, thermometerAvailable: false, pairedAt: now))
            return out
        }
        pendingScan = (credential, now, contested)
        return out
    }

    /// A scan that the policy decides without a temperature (refused on its code alone): it does
    /// not wait. A different waiting scan completes first, marked uncertain (it was cut short); a
    /// fresh waiting reading is attached (it was this person's) and consumed.
    public mutating func scanDecidedAtOnce(_ credential: Credential, at now: Duration) -> [PairedEntry] {
        var out = advance(to: now)
        if let waiting = pendingScan {
            pendingScan = nil
            if waiting.credential != credential {
                out.append(PairedEntry(credential: waiting.credential, reading: nil, thermometerAvailable: true, pairedAt: now,
                                       uncertainty: Self.displacedScan))
            }
        }
        let reading = pendingReading?.reading
        pendingReading = nil
        out.append(PairedEntry(credential: credential, reading: reading, thermometerAvailable: true, pairedAt: now))
        return out
    }

    /// A reading received at `now`.
    public mutating func reading(_ reading: TemperatureReading, at now: Duration) -> [PairedEntry] {
        var out = advance(to: now)
        if let waiting = pendingScan {
            pendingScan = nil
            out.append(PairedEntry(credential: waiting.credential, reading: reading, thermometerAvailable: true, pairedAt: now,
                                   uncertainty: waiting.contested ? Self.contestedScan : nil))
        } else {
            pendingReading = (reading, now)
        }
        return out
    }

    /// The sensor saw nobody at `now` (a reading below the presence minimum): the person measured
    /// before has left, so their pending reading completes alone and is never given to the next one.
    public mutating func personLeft(at now: Duration) -> [PairedEntry] {
        var out = advance(to: now)
        out += completePendingReading(at: now)
        return out
    }

    /// A device of the lane was (re)attached at `now`: a pending reading from before is never
    /// paired with what comes next (it completes alone).
    public mutating func deviceAttached(at now: Duration) -> [PairedEntry] {
        var out = advance(to: now)
        out += completePendingReading(at: now)
        return out
    }

    /// The lane's thermometer went away: a waiting scan completes at once without a reading, and a
    /// pending reading completes alone (it is never paired once its device has reconnected).
    public mutating func thermometerLost(at now: Duration) -> [PairedEntry] {
        var out = advance(to: now)
        if let waiting = pendingScan {
            pendingScan = nil
            out.append(PairedEntry(credential: waiting.credential, reading: nil, thermometerAvailable: false, pairedAt: now))
        }
        out += completePendingReading(at: now)
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

    private mutating func completePendingReading(at now: Duration) -> [PairedEntry] {
        guard let r = pendingReading else { return [] }
        pendingReading = nil
        return [PairedEntry(credential: nil, reading: r.reading, thermometerAvailable: true, pairedAt: now)]
    }
}
