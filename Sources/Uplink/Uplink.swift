import CheckpointCore
import CoreMetrics
import CredentialDigest
import Foundation
import Journal
import Logging

/// Forwards the journal to the central store and keeps the local watch list current.
///
/// - Ingest: batches of at most `batchSize` (≤ `FieldLimits.maxRecordsPerBatch`) unacknowledged
///   records in seq order, resuming from the acknowledged seq after every restart; each record goes
///   out as the JSON the journal holds (`JournaledRecord`), not decoded and encoded again. The store's
///   `contiguousThrough` for our epoch is written to the journal (quarantined records count: the
///   store says so). A 409 conflict stops ingest (logged, raised in the status) — never retried.
/// - A record the store refuses on its own (400 for a batch: the batch is bisected down to the
///   refused records; 413: the batch is halved, for good, down to one record) is marked rejected in
///   the journal (kept, never resent, counted in the status and reported in heartbeats as the
///   `uplink` device) and the rest goes on: one bad record never stops a gate. Records in a batch
///   the store answered 2xx are stored there, so acknowledgement moves past rejected seqs.
/// - 401/403 (the store refuses this gate's credential): a critical state in the status, retried
///   every `credentialRetry`, not faster.
/// - 503 `busy` (the store is overloaded and refused the request unstarted): at least `busyRetry`,
///   up to twice it (jitter spreads the gates out), or the backoff if that is longer.
/// - Other failures back off exponentially with jitter (`Backoff`); success resets it.
/// - Heartbeats every `heartbeatInterval` (and after each ingest cycle) carry backlog, clock and
///   device states; a newer watch-list version (or `watchListInterval` passing) fetches the delta
///   incrementally and stores it in the journal, then hands the applied list to `onWatchList`.
/// - Heartbeats carry the `profiles` report; a reply naming another profile version hands it to
///   `profiles` (`ProfileSync`), which fetches, validates and applies it.
/// - A reply's pending remote commands go to `commands` (the gate's `CommandPoller.handle`, which
///   executes each id once however it arrives): the fallback when the long-poll does not get through.
/// - Between cycles it sleeps until `notify()` (new entries) or the next heartbeat — no polling.
public actor Uplink {
    public struct Settings: Sendable {
        /// Records per ingest request; the store's limit by default (fewer requests, fewer commits: a
        /// backlog drains faster).
        public var batchSize: Int = FieldLimits.maxRecordsPerBatch
        public var heartbeatInterval: Duration = .seconds(30)
        public var watchListInterval: Duration = .seconds(60)
        public var backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(60))
        public var softwareVersion = "0.1.0"
        /// The wait after a 401/403 (the credential is wrong or revoked: retrying fast helps no one).
        public var credentialRetry: Duration = .seconds(300)
        /// The least wait after a 503 `busy` (the store's `Retry-After`).
        public var busyRetry: Duration = .seconds(5)
        /// True if the gate holds the district key and so can match a keyed watch list
        /// (`WatchListDelta.keyed`); without it a keyed list is refused, not applied.
        public var matchesKeyedWatchList = false
        public init() {}
    }

    private let journal: Journal
    private let client: CentralClient
    private let settings: Settings
    private let devices: @Sendable () -> [DeviceState]
    private let onWatchList: @Sendable (Int64, [WatchListEntry]) -> Void
    private let profiles: ProfileSync?
    private let commands: (@Sendable (RemoteCommandsResponse, Duration) async -> Void)?
    private let logger: Logger
    private var status: UplinkStatus
    private var lastHeartbeat: ContinuousClock.Instant?
    private var lastWatchListFetch: ContinuousClock.Instant?
    private var knownWatchListVersion: Int64 = 0
    private var waiter: CheckedContinuation<Void, Never>?
    private var waiterToken = 0
    private var wokenEarly = false
    /// The batch size now: `settings.batchSize`, halved by every 413.
    private var batchSize: Int
    /// Seqs of this epoch that a 2xx ingest answer covered (stored or quarantined at the store).
    private var delivered = Set<Int64>()
    /// Seqs the store rejected (the journal's `rejected` table), read once and kept current by `reject`.
    private var rejectedSeqs: Set<Int64>?

    public init(journal: Journal, client: CentralClient, settings: Settings = Settings(),
                devices: @escaping @Sendable () -> [DeviceState] = { [] },
                onWatchList: @escaping @Sendable (Int64, [WatchListEntry]) -> Void = { _, _ in },
                profiles: ProfileSync? = nil,
                commands: (@Sendable (_ reply: RemoteCommandsResponse, _ receivedAt: Duration) async -> Void)? = nil,
                logger: Logger = Logger(label: "checkpoint.uplink")) {
        self.profiles = profiles
        self.commands = commands
        self.journal = journal
        self.client = client
        var s = settings
        s.batchSize = min(max(1, s.batchSize), FieldLimits.maxRecordsPerBatch)
        self.settings = s
        self.devices = devices
        self.onWatchList = onWatchList
        self.logger = logger
        self.status = UplinkStatus(centralURL: client.baseURL)
        self.batchSize = s.batchSize
    }

    /// A snapshot of the uplink's state.
    public func currentStatus() -> UplinkStatus { status }

    /// Closes the HTTP client; call once `run()` has returned, before the uplink is released.
    public func close() async { await client.shutdown() }

    /// Wakes the uplink: new entries were journaled. Safe to call from anywhere.
    public nonisolated func notify() {
        Task { await self.wake() }
    }

    /// Runs until the task is cancelled.
    public func run() async {
        if let wl = try? journal.watchList() { knownWatchListVersion = wl.version }
        if let rejected = try? journal.rejected() { noteRejected(rejected) }
        status.profile = await profiles?.currentReport()
        while !Task.isCancelled {
            do {
                try await cycle()
                status.consecutiveFailures = 0
                status.lastError = nil
                status.credentialRefused = nil
                await sleep(for: settings.heartbeatInterval, wakeable: true)
            } catch {
                status.consecutiveFailures += 1
                status.lastError = "\(error)"
                var wait = settings.backoff.delay(afterFailures: status.consecutiveFailures, random: Double.random(in: 0...1))
                if case .status(let code, _, _)? = error as? CentralClientError, code == 401 || code == 403 {
                    if status.credentialRefused == nil {
                        logger.critical("uplink: the central store refuses this gate's credential (\(error)); check [central] secretsFile and the gate's registration; retrying every \(settings.credentialRetry)")
                    }
                    status.credentialRefused = "\(error)"
                    wait = settings.credentialRetry
                }
                if case .status(503, "busy"?, _)? = error as? CentralClientError {
                    wait = max(wait, settings.busyRetry * (1 + Double.random(in: 0...1)))
                }
                logger.warning("uplink: \(error); retrying in \(wait)", metadata: ["failures": "\(status.consecutiveFailures)"])
                // New entries do not cut a backoff short.
                await sleep(for: wait, wakeable: false)
            }
        }
    }

    /// One cycle: send every unacknowledged record, then heartbeat and watch list when due.
    /// Throws on the first failure (the caller backs off).
    public func cycle() async throws {
        let sentBefore = status.recordsSent
        if status.conflict == nil { try await sendBacklog() }
        let now = ContinuousClock.now
        let sinceHeartbeat = lastHeartbeat.map { now - $0 }
        if sinceHeartbeat.map({ $0 >= settings.heartbeatInterval || (status.recordsSent > sentBefore && $0 >= .seconds(1)) }) ?? true {
            try await heartbeat()
        }
        if lastWatchListFetch.map({ ContinuousClock.now - $0 >= settings.watchListInterval }) ?? true {
            try await fetchWatchList()
        }
    }

    private func sendBacklog() async throws {
        var cursor = try journal.sequenceCounters().ackedThrough
        while true {
            let records = try journal.pendingJournaled(after: cursor, limit: batchSize)
            guard let last = records.last else { break }
            try await deliver(records[...])
            cursor = last.seq
        }
        delivered.removeAll()
        let counters = try journal.sequenceCounters()
        status.backlog = counters.lastSeq - counters.ackedThrough
    }

    /// The swift-metrics timer of each POST /v1/ingest, answered or not (a histogram in `checkpointd`'s metrics).
    public static let ingestTimerLabel = "checkpoint_uplink_ingest_seconds"


    /// Sends `records` as one batch; on 400 bisects it, on 413 halves it, down to single records
    /// that are then marked rejected.
    private func deliver(_ records: ArraySlice<JournaledRecord>) async throws {
        guard let first = records.first, let last = records.last else { return }
        let response: IngestResponse
        do {
            let started = Int64(MonotonicClock.nowNanos())
            defer { CoreMetrics.Timer(label: Self.ingestTimerLabel).recordNanoseconds(Int64(MonotonicClock.nowNanos()) - started) }
            response = try await client.ingest(gate: journal.gate, encodedRecords: records.map(\.json))
        } catch CentralClientError.conflict(let message) {
            status.conflict = "seq \(first.seq)…\(last.seq): \(message)"
            logger.critical("uplink: the central store reports a conflict (same gate/epoch/seq, different id); ingest stopped until resolved: \(message)")
            throw CentralClientError.conflict(message)
        } catch CentralClientError.status(let code, let apiCode, let message) where code == 400 || code == 413 {
            status.lastContact = Date()
            if code == 413, records.count > 1, batchSize > records.count / 2 {
                batchSize = max(1, records.count / 2)
                status.batchSize = batchSize
                logger.warning("uplink: the central store finds a batch of \(records.count) too large; batches are now at most \(batchSize) records")
            }
            if records.count == 1 {
                try reject(first, "HTTP \(code)\(apiCode.map { " \($0)" } ?? ""): \(message)")
                return
            }
            let middle = records.startIndex + records.count / 2
            try await deliver(records[..<middle])
            try await deliver(records[middle...])
            return
        }
        status.lastContact = Date()
        status.recordsSent += records.count
        for q in response.quarantined {
            logger.error("uplink: the central store quarantined seq \(q.seq): \(q.reasons.joined(separator: "; "))")
        }
        delivered.formUnion(records.map(\.seq))
        let storeAck = response.acknowledged.first { $0.journalEpoch == journal.epoch }?.contiguousThrough ?? 0
        try acknowledge(storeAck)
        if status.acknowledgedThrough < last.seq, status.rejectedRecords == 0 {
            logger.warning("uplink: the store acknowledges through \(status.acknowledgedThrough) after receiving up to \(last.seq)")
        }
    }

    /// Acknowledges through the store's `contiguousThrough`, then on past every seq that a 2xx
    /// answer covered or that is rejected (the store never holds a rejected one, so its own
    /// contiguous count stops before it).
    private func acknowledge(_ storeAck: Int64) throws {
        var through = max(storeAck, try journal.sequenceCounters().ackedThrough)
        let rejected = try rejectedSeqs ?? Set(journal.rejected().map(\.seq))
        rejectedSeqs = rejected
        while delivered.contains(through + 1) || rejected.contains(through + 1) { through += 1 }
        status.acknowledgedThrough = try journal.acknowledge(epoch: journal.epoch, contiguousThrough: through)
    }

    private func reject(_ record: JournaledRecord, _ reason: String) throws {
        try journal.markRejected(seq: record.seq, reason: reason)
        logger.error("uplink: the central store refuses seq \(record.seq) (\(record.id)): \(reason) — kept in the journal as rejected, not resent")
        let rejected = try journal.rejected()
        rejectedSeqs = Set(rejected.map(\.seq))
        noteRejected(rejected)
        try acknowledge(0)
    }

    private func noteRejected(_ rejected: [RejectedRecord]) {
        status.rejectedRecords = rejected.count
        status.lastRejection = rejected.max { $0.rejectedAt < $1.rejectedAt }.map { "seq \($0.seq): \($0.reason)" }
    }

    /// The heartbeat's `uplink` entry: present once the store has rejected a record.
    private func uplinkDevice() -> DeviceState? {
        guard status.rejectedRecords > 0 else { return nil }
        let detail = "\(status.rejectedRecords) record(s) rejected by the store, kept in the journal; last \(status.lastRejection ?? "")"
        return DeviceState(id: "uplink", role: .uplink, status: .degraded, detail: String(detail.prefix(200)))
    }

    private func heartbeat() async throws {
        let state = try journal.state()
        let clock = SystemClock.now()
        var hb = Heartbeat(gate: journal.gate, sentAt: clock.wallClock, clockSynced: clock.clockSynced, bootID: clock.bootID,
                           monotonicNanos: clock.monotonicNanos, journalEpoch: journal.epoch, lastSeq: state.lastSeq,
                           backlog: state.backlog, softwareVersion: settings.softwareVersion, devices: devices() + (uplinkDevice().map { [$0] } ?? []))
        hb.profile = await profiles?.currentReport()
        status.profile = hb.profile
        let reply = try await client.heartbeat(hb)
        let receivedAt = MonotonicClock.now()
        let received = Date()
        lastHeartbeat = ContinuousClock.now
        status.lastContact = received
        status.backlog = state.backlog
        status.clockOffsetSeconds = reply.serverTime.timeIntervalSince(clock.wallClock.addingTimeInterval(received.timeIntervalSince(clock.wallClock) / 2))
        if reply.watchListVersion != knownWatchListVersion { try await fetchWatchList() }
        if let profiles, let version = reply.profileVersion {
            try await profiles.offer(version, client: client)
            status.profile = await profiles.currentReport()
        }
        if let commands, let pending = reply.commands, !pending.isEmpty {
            await commands(RemoteCommandsResponse(serverTime: reply.serverTime, commands: pending), receivedAt)
        }
    }

    private func fetchWatchList() async throws {
        var delta = try await client.watchList(since: knownWatchListVersion)
        lastWatchListFetch = ContinuousClock.now
        if delta.keyed && !settings.matchesKeyedWatchList {
            let why = "the store sends it as keyed digests and this gate has no district key ([central] districtKeyFile)"
            if status.watchListRefused == nil { logger.critical("uplink: watch list version \(delta.version) not applied: \(why)") }
            status.watchListRefused = why
            return
        }
        status.watchListRefused = nil
        if !delta.full, knownWatchListVersion > 0, try journal.watchList().entries.contains(where: { CredentialDigester.isDigest($0.credential) != delta.keyed }) {
            // The store started or stopped keying its list: a delta cannot change the form of the
            // entries this gate holds, so take the whole list in the new form.
            logger.notice("uplink: the watch list's form changed (keyed: \(delta.keyed)); fetching it whole")
            delta = try await client.watchList(since: 0)
        }
        if delta.full || delta.version != knownWatchListVersion || !delta.upserts.isEmpty || !delta.removals.isEmpty {
            try journal.applyWatchList(delta)
            let list = try journal.watchList()
            knownWatchListVersion = list.version
            status.watchListVersion = list.version
            onWatchList(list.version, list.entries)
            logger.info("uplink: watch list now at version \(list.version) (\(list.entries.count) entries)")
        }
    }

    // MARK: Waiting without polling

    private var wakeable = true

    private func wake() {
        if !wakeable { return }
        if let w = waiter {
            waiter = nil
            w.resume()
        } else {
            wokenEarly = true
        }
    }

    private func timerFired(_ token: Int) {
        guard token == waiterToken, let w = waiter else { return }
        waiter = nil
        w.resume()
    }

    private func cancelWait() {
        if let w = waiter {
            waiter = nil
            w.resume()
        }
    }

    private func sleep(for duration: Duration, wakeable: Bool) async {
        self.wakeable = wakeable
        defer { self.wakeable = true }
        if wakeable && wokenEarly {
            wokenEarly = false
            return
        }
        waiterToken += 1
        let token = waiterToken
        let timer = Task { [weak self] in
            try? await Task.sleep(for: duration)
            await self?.timerFired(token)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                if Task.isCancelled { c.resume() } else { waiter = c }
            }
        } onCancel: {
            Task { await self.cancelWait() }
        }
        timer.cancel()
        wokenEarly = false
    }
}

extension Uplink: JournalFollower {
    /// Wakes the uplink (`notify()`).
    public nonisolated func journalAdvanced() { notify() }
}
