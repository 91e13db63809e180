import CheckpointCore
import Foundation
import Gate
import Journal
import Logging

/// The gate's decision loop: device events → the lane's pairing and policy → `EntryPath`
/// (journal, then lines and horn, then uplink). One instance serves every lane of the box.
///
/// Time: pairing deadlines run on CLOCK_BOOTTIME (`monotonicNow`), the watch list's `validUntil`
/// on the wall clock. A single timer task sleeps until the earliest pairing deadline; nothing polls.
/// Degrading: a scan on a lane whose thermometer is unavailable is decided at once (refer,
/// `thermometerMissing`); events from a device no lane names are counted and logged. Events carry
/// the time they were received (`GateEvent`), and pairing runs on those times.
public actor GateService {
    private var lanes: [String: GateLane]
    private var laneOfDevice: [String: String]
    private var thermometerOfLane: [String: String]
    private var unavailable: Set<String> = []
    private var watchList: WatchListIndex
    /// The district digest the lanes find scans in a keyed watch list by (kept across reloads:
    /// the key is not part of `[policy]`).
    private let watchListDigest: CredentialDigest?
    private let entryPath: EntryPath
    private let monotonicNow: @Sendable () -> Duration
    private let wallNow: @Sendable () -> Date
    private let logger: Logger
    private var timer: Task<Void, Never>?
    private let counters = Mutex((unrouted: 0, decisions: 0, journalFailures: 0, rejectedScans: [String: Int](),
                                  journaledByReason: [String: Int]()))

    /// Events ignored: from a device no lane uses that way, or a scan beyond the payload limit.
    public nonisolated var unroutedEvents: Int { counters.withLock { $0.unrouted } }
    /// Decisions made (journaled or not).
    public nonisolated var decisions: Int { counters.withLock { $0.decisions } }
    /// Decisions the journal refused (nothing was actuated for them).
    public nonisolated var journalFailures: Int { counters.withLock { $0.journalFailures } }
    /// Journaled decisions by `ReasonCode` raw value.
    public nonisolated var journaledByReason: [String: Int] { counters.withLock { $0.journaledByReason } }
    /// Scanner input that did not become a scan, by `ScanRejectionReason.code` (each asked the
    /// person to scan again).
    public nonisolated var rejectedScans: [String: Int] { counters.withLock { $0.rejectedScans } }

    /// - Parameter surfaceToBody: the surface → body conversions the thermometers' catalog models
    ///   declare, by `[[device]]` id (a lane's thermometer without one never feeds the fever rule with
    ///   a surface reading).
    public init(lanes: [LaneConfiguration], policy: Policy, entryPath: EntryPath, watchList: WatchListIndex = WatchListIndex(),
                surfaceToBody: [String: SurfaceToBody] = [:],
                monotonicNow: @escaping @Sendable () -> Duration = { MonotonicClock.now() },
                wallNow: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "checkpoint.gate")) {
        (self.laneOfDevice, self.thermometerOfLane) = Self.routes(lanes)
        self.lanes = Dictionary(lanes.map { lane in
            (lane.id, GateLane(lane: lane, policy: policy, surfaceToBody: lane.thermometer.flatMap { surfaceToBody[$0] }))
        }, uniquingKeysWith: { a, _ in a })
        self.entryPath = entryPath
        self.watchList = watchList
        self.watchListDigest = policy.watchListDigest
        self.monotonicNow = monotonicNow
        self.wallNow = wallNow
        self.logger = logger
    }

    /// Decides from now on with a reloaded `[[lane]]` list and `[policy]`. Runs between two events
    /// (the actor never applies it in the middle of a decision). A lane whose configuration, thermometer
    /// conversion and pairing parameters are unchanged keeps what is waiting to be paired and takes the
    /// new policy; any other lane starts afresh (a scan waiting on it is dropped, logged: the person
    /// scans again; nothing is admitted for it). Removed lanes are dropped, new ones start empty.
    public func apply(lanes configured: [LaneConfiguration], policy: PolicyConfiguration,
                      surfaceToBody: [String: SurfaceToBody] = [:]) {
        var next: [String: GateLane] = [:]
        for lane in configured {
            let conversion = lane.thermometer.flatMap { surfaceToBody[$0] }
            if var old = lanes[lane.id], old.lane == lane, old.surfaceToBody == conversion, old.pairsAlike(policy) {
                old.replacePolicy(policy)
                next[lane.id] = old
                continue
            }
            if lanes[lane.id]?.nextDeadline != nil {
                logger.notice("lane \(lane.id): reconfigured while a scan or reading waited to be paired; it was dropped (scan again)")
            }
            next[lane.id] = GateLane(lane: lane, policy: Policy(policy, watchListDigest: watchListDigest), surfaceToBody: conversion)
        }
        for id in lanes.keys where next[id] == nil && lanes[id]?.nextDeadline != nil {
            logger.notice("lane \(id): removed while a scan or reading waited to be paired; it was dropped")
        }
        lanes = next
        (laneOfDevice, thermometerOfLane) = Self.routes(configured)
        reschedule(now: monotonicNow())
    }

    /// The lane of each device and the thermometer of each lane.
    private static func routes(_ lanes: [LaneConfiguration]) -> (byDevice: [String: String], thermometers: [String: String]) {
        var byDevice: [String: String] = [:]
        var thermometers: [String: String] = [:]
        for lane in lanes {
            for s in lane.scanners + lane.idReaders { byDevice[s] = lane.id }
            if let t = lane.thermometer {
                byDevice[t] = lane.id
                thermometers[lane.id] = t
            }
        }
        return (byDevice, thermometers)
    }

    /// The policy version each lane decides with, by lane id.
    public var policyVersions: [String: String] { lanes.mapValues(\.policy.version) }

    /// Replaces the watch list (after the uplink applied a delta). A list older than the one in
    /// force is ignored, so updates that arrive out of order never roll the list back.
    public func updateWatchList(_ list: WatchListIndex) {
        guard list.version >= watchList.version else {
            logger.notice("watch list version \(list.version) is older than \(watchList.version): ignored")
            return
        }
        watchList = list
    }

    public var watchListVersion: Int64 { watchList.version }

    /// Handles one device event and waits until what it decided is journaled (and actuated);
    /// returns those records (possibly none).
    @discardableResult
    public func handle(_ event: GateEvent) async -> [EntryRecord] {
        await complete(process(event))
    }

    /// Handles one device event without waiting for the journal: decisions are submitted in
    /// order and entries arriving together share a transaction (group commit). The daemon feeds
    /// its devices' events through this.
    public func accept(_ event: GateEvent) {
        for d in process(event) { submit(d) }
    }

    private func process(_ event: GateEvent) -> [LaneDecision] {
        let now = monotonicNow()
        let wall = wallNow()
        var produced: [LaneDecision] = []
        switch event {
        case let .scan(device, scan, receivedAt):
            let at = receivedAt.map { min($0, now) } ?? now
            guard let id = laneOfDevice[device], var lane = lanes[id], lane.lane.scanners.contains(device) else {
                return unrouted("scan", device)
            }
            guard scan.text.utf8.count <= FieldLimits.maxCredentialPayloadBytes, !scan.text.isEmpty else {
                logger.warning("lane \(id): scan of \(scan.text.utf8.count) bytes refused (limit \(FieldLimits.maxCredentialPayloadBytes))")
                counters.withLock { $0.unrouted += 1 }
                return []
            }
            let available = thermometerOfLane[id].map { !unavailable.contains($0) } ?? false
            produced = lane.scan(scan.credential, at: at, wallClock: wall, thermometerAvailable: available, watchList: watchList)
            lanes[id] = lane
        case let .card(device, credential, receivedAt):
            let at = receivedAt.map { min($0, now) } ?? now
            guard let id = laneOfDevice[device], var lane = lanes[id], lane.lane.idReaders.contains(device), credential.kind == .idCard,
                  !credential.payload.isEmpty, credential.payload.utf8.count <= FieldLimits.maxCredentialPayloadBytes else {
                return unrouted("ID card", device)
            }
            let available = thermometerOfLane[id].map { !unavailable.contains($0) } ?? false
            produced = lane.scan(credential, at: at, wallClock: wall, thermometerAvailable: available, watchList: watchList)
            lanes[id] = lane
        case let .reading(device, reading, receivedAt):
            let at = receivedAt.map { min($0, now) } ?? now
            guard let id = laneOfDevice[device], var lane = lanes[id], thermometerOfLane[id] == device else {
                return unrouted("reading", device)
            }
            produced = lane.reading(reading, at: at, wallClock: wall, watchList: watchList)
            lanes[id] = lane
        case let .deviceAvailability(device, available, receivedAt):
            let at = receivedAt.map { min($0, now) } ?? now
            let wasUnavailable = unavailable.contains(device)
            if available { unavailable.remove(device) } else { unavailable.insert(device) }
            logger.notice("device \(device) \(available ? "available" : "unavailable")")
            if let id = laneOfDevice[device], var lane = lanes[id] {
                if !available, thermometerOfLane[id] == device {
                    produced = lane.thermometerLost(at: at, wallClock: wall, watchList: watchList)
                } else if available, wasUnavailable || thermometerOfLane[id] != device {
                    // A scanner (re)opened, or the thermometer is back: nothing received before pairs.
                    produced = lane.deviceAttached(at: at, wallClock: wall, watchList: watchList)
                }
                lanes[id] = lane
            }
        case let .scanRejected(device, reason, asksForRescan, _):
            guard let id = laneOfDevice[device], lanes[id]?.lane.scanners.contains(device) == true else {
                return unrouted("rejected scan", device)
            }
            counters.withLock { $0.rejectedScans[reason, default: 0] += 1 }
            if asksForRescan {
                logger.notice("lane \(id): scan from \(device) rejected (\(reason)): asking to scan again")
                entryPath.showRejectedScan(lane: id, device: device, reason: reason)
            }
        }
        produced += expire(now: now, wall: wall)
        reschedule(now: now)
        return produced
    }

    /// Completes whatever pairing deadline has passed (called by the timer).
    public func tick() {
        let now = monotonicNow()
        let produced = expire(now: now, wall: wallNow())
        reschedule(now: now)
        for d in produced { submit(d) }
    }

    /// A manual record by the person on duty (a person without a scannable code):
    /// `manualEntry` with what they showed (credential kind `manual`) and, if measured by hand, the
    /// reading; or `manualOpen` (the gate opened by hand, no person recorded). Journaled, actuated
    /// and forwarded like any entry. Throws `ManualEntryError` for bad input, or the journal's error.
    public func manual(lane id: String, decision: Decision, open: Bool, shown: String?, reading: TemperatureReading?,
                       recordedBy: String) async throws -> EntryRecord {
        guard let lane = lanes[id] else { throw ManualEntryError("no lane \"\(id)\" (lanes: \(lanes.keys.sorted().joined(separator: ", ")))") }
        guard !recordedBy.isEmpty, recordedBy.utf8.count <= FieldLimits.maxRecordedByBytes else {
            throw ManualEntryError("recordedBy must be 1…\(FieldLimits.maxRecordedByBytes) bytes")
        }
        if let shown, shown.isEmpty || shown.utf8.count > FieldLimits.maxCredentialPayloadBytes {
            throw ManualEntryError("shown must be 1…\(FieldLimits.maxCredentialPayloadBytes) bytes")
        }
        if open && (decision != .admit || shown != nil || reading != nil) {
            throw ManualEntryError("a manual open admits and records no person (no shown, no reading)")
        }
        let entry = PairedEntry(credential: shown.map { Credential(kind: .manual, payload: $0, symbology: .unknown) }, reading: reading,
                                thermometerAvailable: true, pairedAt: monotonicNow())
        let d = LaneDecision(lane: id, direction: lane.lane.direction, entry: entry,
                             outcome: DecisionOutcome(decision: decision, reason: open ? .manualOpen : .manualEntry,
                                                      detail: "recorded by \(recordedBy)"),
                             policyVersion: lane.policy.version, recordedBy: recordedBy)
        return try await withCheckedThrowingContinuation { c in submit(d) { c.resume(with: $0) } }
    }

    /// The person on duty says whom the next visitor registered at `lane` visits (`checkpointctl gate
    /// host`); throws `ManualEntryError` for an unknown lane, one that does not register, or a bad host.
    public func setVisitorHost(lane id: String, host: String) throws {
        guard var lane = lanes[id] else { throw ManualEntryError("no lane \"\(id)\" (lanes: \(lanes.keys.sorted().joined(separator: ", ")))") }
        guard lane.lane.registration else { throw ManualEntryError("lane \"\(id)\" does not register visitors (registration = true)") }
        guard !host.isEmpty, host.utf8.count <= FieldLimits.maxRegistrationFieldBytes else {
            throw ManualEntryError("host must be 1…\(FieldLimits.maxRegistrationFieldBytes) bytes")
        }
        lane.setVisitorHost(host, at: monotonicNow())
        lanes[id] = lane
    }

    /// The earliest pairing deadline of any lane.
    public var nextDeadline: Duration? { lanes.values.compactMap(\.nextDeadline).min() }

    /// Stops the timer.
    public func stop() {
        timer?.cancel()
        timer = nil
    }

    private func expire(now: Duration, wall: Date) -> [LaneDecision] {
        var out: [LaneDecision] = []
        for id in lanes.keys.sorted() {
            guard var lane = lanes[id], let d = lane.nextDeadline, d <= now else { continue }
            out += lane.advance(to: now, wallClock: wall, watchList: watchList)
            lanes[id] = lane
        }
        return out
    }

    private func reschedule(now: Duration) {
        timer?.cancel()
        timer = nil
        guard let deadline = nextDeadline else { return }
        let delay = max(.zero, deadline - now)
        timer = Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            await self?.tick()
        }
    }

    private func submit(_ d: LaneDecision, done: @escaping @Sendable (Result<EntryRecord, any Error>) -> Void = { _ in }) {
        counters.withLock { $0.decisions += 1 }
        entryPath.submit(d) { [counters] result in
            switch result {
            case .success(let record): counters.withLock { $0.journaledByReason[record.reason.rawValue, default: 0] += 1 }
            case .failure: counters.withLock { $0.journalFailures += 1 }
            }
            done(result)
        }
    }

    /// Submits each decision and waits for it before the next (tests and `handle` want the records).
    private func complete(_ decided: [LaneDecision]) async -> [EntryRecord] {
        var results: [Result<EntryRecord, any Error>] = []
        for d in decided {
            results.append(await withCheckedContinuation { c in submit(d) { c.resume(returning: $0) } })
        }
        return results.compactMap { try? $0.get() }
    }

    private func unrouted(_ what: String, _ device: String) -> [LaneDecision] {
        counters.withLock { $0.unrouted += 1 }
        logger.warning("\(what) from device \(device), which no lane uses for that: ignored")
        return []
    }
}

/// Why a manual entry was refused before journaling.
public struct ManualEntryError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
