import CheckpointCore
import Foundation

/// One decided entry of a lane: what was paired and what the policy made of it.
public struct LaneDecision: Sendable, Hashable {
    public var lane: String
    public var direction: Direction
    public var entry: PairedEntry
    public var outcome: DecisionOutcome
    public var policyVersion: String
    /// Who recorded a manual entry or opened the gate by hand (`manualEntry`, `manualOpen`); nil otherwise.
    public var recordedBy: String?

    public init(lane: String, direction: Direction, entry: PairedEntry, outcome: DecisionOutcome, policyVersion: String,
                recordedBy: String? = nil) {
        self.lane = lane
        self.direction = direction
        self.entry = entry
        self.outcome = outcome
        self.policyVersion = policyVersion
        self.recordedBy = recordedBy
    }
}

/// A lane's pairing and the policy together: events in, decisions out (pure; the caller passes the
/// monotonic time, the wall clock and the current watch list). A code refused on its own (denied,
/// isolation exit, refusing watch-list colour) is decided at once instead of waiting for a reading.
///
/// After every decision the caller resets the scanners' duplicate-scan window (docs/contracts.md §10),
/// so a person asked to remeasure can scan again at once.
public struct GateLane: Sendable {
    public let lane: LaneConfiguration
    public private(set) var policy: Policy
    private var pairing: LanePairing
    /// Readings that completed alone and were not recorded (no person, or `readingWithoutScan = "ignore"`).
    public private(set) var ignoredLoneReadings = 0
    /// Whom the next visitor registered here visits, as the person on duty entered it, and when.
    private var pendingHost: (host: String, at: Duration)?
    /// How long an entered host waits for the visitor's card.
    public static let hostValidity: Duration = .seconds(120)

    /// The person on duty says whom the next visitor visits: the next registration at this lane
    /// within `hostValidity` records it (then it is used up).
    public mutating func setVisitorHost(_ host: String, at now: Duration) { pendingHost = (host, now) }

    /// The surface → body conversion the lane thermometer's catalog model declares, if any.
    public let surfaceToBody: SurfaceToBody?

    public init(lane: LaneConfiguration, policy: Policy, surfaceToBody: SurfaceToBody? = nil) {
        self.lane = lane
        self.policy = policy
        self.surfaceToBody = surfaceToBody
        self.pairing = LanePairing(window: .milliseconds(policy.configuration.pairingWindowMs),
                                   readingMaxAge: .milliseconds(policy.configuration.readingMaxAgeMs),
                                   laneHasThermometer: lane.thermometer != nil && policy.configuration.requireTemperature)
    }

    /// When `advance` must be called next.
    public var nextDeadline: Duration? { pairing.nextDeadline }

    /// Whether `configuration` pairs exactly as the policy in force does (same window, reading age
    /// and temperature requirement), so `replacePolicy` can keep what is waiting to be paired.
    public func pairsAlike(_ configuration: PolicyConfiguration) -> Bool {
        let mine = policy.configuration
        return mine.pairingWindowMs == configuration.pairingWindowMs && mine.readingMaxAgeMs == configuration.readingMaxAgeMs
            && mine.requireTemperature == configuration.requireTemperature
    }

    /// Decides from now on with `configuration` (a reloaded `[policy]`), keeping the pending pairing
    /// the surface → body conversions learned so far and the watch-list digest. Only for a
    /// configuration that `pairsAlike`; otherwise build a new lane.
    public mutating func replacePolicy(_ configuration: PolicyConfiguration) {
        policy = Policy(configuration, surfaceConversions: policy.surfaceConversions, watchListDigest: policy.watchListDigest)
    }

    public var isWaitingForReading: Bool { pairing.isWaitingForReading }

    public mutating func scan(_ credential: Credential, at now: Duration, wallClock: Date, thermometerAvailable: Bool,
                              watchList: WatchListIndex) -> [LaneDecision] {
        if policy.refusalOnCodeAlone(credential, direction: lane.direction, watchList: watchList, now: wallClock) != nil {
            return decide(pairing.scanDecidedAtOnce(credential, at: now), wallClock, watchList)
        }
        return decide(pairing.scan(credential, at: now, thermometerAvailable: thermometerAvailable), wallClock, watchList)
    }

    /// Readings below the policy's presence minimum were ignored (nobody in front of the sensor).
    public private(set) var absentReadings = 0

    /// A reading from the lane's thermometer. One whose body temperature is below
    /// `presenceMinimumCelsius` measured a wall or the air, not a person: it is not paired, and it
    /// ends the previous person's pending reading (they left).
    public mutating func reading(_ reading: TemperatureReading, at now: Duration, wallClock: Date,
                                 watchList: WatchListIndex) -> [LaneDecision] {
        if let conversion = surfaceToBody, reading.kind == .surface, policy.surfaceConversions[reading.device] != conversion {
            // The thermometer's identity is known once it reads: its model's conversion applies to it.
            policy = policy.converting(surfaceReadingsOf: reading.device, with: conversion)
        }
        if let body = policy.bodyCelsius(of: reading), body < policy.configuration.presenceMinimumCelsius {
            absentReadings += 1
            return decide(pairing.personLeft(at: now), wallClock, watchList)
        }
        return decide(pairing.reading(reading, at: now), wallClock, watchList)
    }

    /// One of the lane's devices was (re)attached at `now`: no reading received before it is
    /// paired with what comes after.
    public mutating func deviceAttached(at now: Duration, wallClock: Date, watchList: WatchListIndex) -> [LaneDecision] {
        decide(pairing.deviceAttached(at: now), wallClock, watchList)
    }

    public mutating func thermometerLost(at now: Duration, wallClock: Date, watchList: WatchListIndex) -> [LaneDecision] {
        decide(pairing.thermometerLost(at: now), wallClock, watchList)
    }

    public mutating func advance(to now: Duration, wallClock: Date, watchList: WatchListIndex) -> [LaneDecision] {
        decide(pairing.advance(to: now), wallClock, watchList)
    }

    private mutating func decide(_ entries: [PairedEntry], _ wallClock: Date, _ watchList: WatchListIndex) -> [LaneDecision] {
        var out: [LaneDecision] = []
        for e in entries {
            if e.credential == nil {
                guard let r = e.reading, policy.recordsLoneReading(r) else {
                    ignoredLoneReadings += 1
                    continue
                }
            }
            let outcome = policy.decide(e, direction: lane.direction, watchList: watchList, now: wallClock)
            var entry = e
            // Registration fields stay only in a visitor's registration at a lane configured for it.
            if outcome.reason != .visitorRegistration || !lane.registration { entry.credential?.registration = nil }
            if entry.credential?.registration != nil, let pending = pendingHost {
                if e.pairedAt - pending.at <= Self.hostValidity { entry.credential?.registration?.host = pending.host }
                pendingHost = nil
            }
            out.append(LaneDecision(lane: lane.id, direction: lane.direction, entry: entry, outcome: outcome,
                                    policyVersion: policy.version))
        }
        return out
    }
}
