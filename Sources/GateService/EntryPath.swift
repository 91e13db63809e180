import CheckpointCore
import CoreMetrics
import Foundation
import Gate
import Journal
import Logging

/// The order every decided entry goes through (docs/contracts.md §9):
/// 1. journal (group commit; returns only after the transaction holding the entry committed),
/// 2. only then: the lane's lines (relay pulse / indicators) and the announcement,
/// 3. the follower (the uplink) is told and the scanners' duplicate-scan window reset (§10).
/// If journaling fails, nothing opens: the lane shows red and the failure is announced as a
/// referral, because an entry that is not journaled must not be acted on.
public final class EntryPath: Sendable {
    /// What happens around a journaled entry, supplied by the service.
    public struct Effects: Sendable {
        /// After the commit and the lines: announce (horn), log.
        public var journaled: @Sendable (LaneDecision, EntryRecord) -> Void
        /// The journal refused the entry: nothing was actuated.
        public var journalFailed: @Sendable (LaneDecision, any Error) -> Void
        /// After either: a decision was made (reset the lane's duplicate-scan window).
        public var decided: @Sendable (LaneDecision) -> Void
        /// A scanner's input on `lane` was rejected (`reason`: `ScanRejectionReason.code`): ask the
        /// person to scan again (the horn's throttled rescan prompt). Nothing is journaled.
        public var scanRejected: @Sendable (_ lane: String, _ device: String, _ reason: String) -> Void

        public init(journaled: @escaping @Sendable (LaneDecision, EntryRecord) -> Void = { _, _ in },
                    journalFailed: @escaping @Sendable (LaneDecision, any Error) -> Void = { _, _ in },
                    decided: @escaping @Sendable (LaneDecision) -> Void = { _ in },
                    scanRejected: @escaping @Sendable (String, String, String) -> Void = { _, _, _ in }) {
            self.journaled = journaled
            self.journalFailed = journalFailed
            self.decided = decided
            self.scanRejected = scanRejected
        }
    }

    /// The swift-metrics timer of each entry from submission to its commit (or the journal's
    /// refusal): group-commit wait plus the transaction (a histogram in `checkpointd`'s metrics).
    public static let commitTimerLabel = "checkpoint_journal_commit_seconds"

    private let committer: GroupCommitter
    private let actuatorTable: Mutex<[String: LaneActuator]>
    private let clock: @Sendable () -> ClockFacts
    private let effects: Effects
    private let follower: (any JournalFollower)?
    private let logger: Logger

    /// - Parameter follower: told after each commit (after `Effects.journaled`); the uplink.
    public init(committer: GroupCommitter, actuators: [LaneActuator], effects: Effects = Effects(),
                follower: (any JournalFollower)? = nil,
                clock: @escaping @Sendable () -> ClockFacts = { SystemClock.now() },
                logger: Logger = Logger(label: "checkpoint.gate")) {
        self.follower = follower
        self.committer = committer
        self.actuatorTable = Mutex(Dictionary(actuators.map { ($0.lane, $0) }, uniquingKeysWith: { a, _ in a }))
        self.clock = clock
        self.effects = effects
        self.logger = logger
    }

    /// The lanes' actuators, by lane id.
    public var actuators: [String: LaneActuator] { actuatorTable.withLock { $0 } }

    /// Replaces the lanes' actuators (a reloaded configuration); entries committed from now on
    /// drive the new ones.
    public func replaceActuators(_ actuators: [LaneActuator]) {
        actuatorTable.withLock { $0 = Dictionary(actuators.map { ($0.lane, $0) }, uniquingKeysWith: { a, _ in a }) }
    }

    /// A rejected or unreadable scan on `lane`: the lane shows red (no relay, nothing journaled)
    /// and `Effects.scanRejected` asks for a rescan.
    public func showRejectedScan(lane: String, device: String, reason: String) {
        actuators[lane]?.actuate(.refuse)
        effects.scanRejected(lane, device, reason)
    }

    /// Journals a door event (`ReasonCode.isDoorEvent`, docs/contracts.md §3): no line is driven and
    /// nothing is announced; the follower (the uplink) is told after the commit, so it reaches the
    /// store as an alert exactly once.
    public func recordDoorEvent(_ content: EntryContent, done: @escaping @Sendable (Result<EntryRecord, any Error>) -> Void = { _ in }) {
        committer.submit(EntryDraft(clock: clock(), content: content)) { [self] result in
            switch result {
            case .success(let record):
                logger.warning("lane \(record.lane) seq \(record.seq): door event \(record.reason.rawValue)")
                follower?.journalAdvanced()
            case .failure(let error):
                logger.critical("lane \(content.lane): door event \(content.reason.rawValue) NOT journaled: \(error)")
            }
            done(result)
        }
    }

    /// Journals `decision`, then actuates and announces it. Returns the journaled record, or
    /// throws the journal's error (after showing red on the lane).
    @discardableResult
    public func complete(_ decision: LaneDecision) async throws -> EntryRecord {
        try await withCheckedThrowingContinuation { continuation in
            submit(decision) { continuation.resume(with: $0) }
        }
    }

    /// Queues `decision` for the journal without waiting (decisions submitted together share a
    /// transaction; seqs follow the order of submission); actuation, announcement and `done`
    /// follow the commit.
    public func submit(_ decision: LaneDecision, done: @escaping @Sendable (Result<EntryRecord, any Error>) -> Void = { _ in }) {
        let draft = EntryDraft(clock: clock(), content: EntryContent(
            lane: decision.lane, direction: decision.direction, credential: decision.entry.credential,
            temperature: decision.entry.reading, decision: decision.outcome.decision, reason: decision.outcome.reason,
            policyVersion: decision.policyVersion, recordedBy: decision.recordedBy))
        let submitted = Int64(MonotonicClock.nowNanos())
        committer.submit(draft) { [self] result in
            CoreMetrics.Timer(label: Self.commitTimerLabel).recordNanoseconds(Int64(MonotonicClock.nowNanos()) - submitted)
            switch result {
            case .success(let record):
                actuators[decision.lane]?.actuate(record.decision)
                logger.info("lane \(record.lane) seq \(record.seq): \(record.decision.rawValue) (\(record.reason.rawValue)) \(decision.outcome.detail)")
                effects.journaled(decision, record)
                follower?.journalAdvanced()
            case .failure(let error):
                logger.critical("lane \(decision.lane): entry NOT journaled, gate stays closed: \(error)")
                actuators[decision.lane]?.actuate(.refer)
                effects.journalFailed(decision, error)
            }
            effects.decided(decision)
            done(result)
        }
    }
}
