import CheckpointCore
import Logging

/// The horn's behaviour: queue, preemption, expiry and amplifier sequencing, driven by explicit
/// times on a monotonic clock (a `Duration` since its origin). It has no clock or timer of its own:
/// the caller (`HornService`, or a test on a virtual clock) calls `advance(now:)` at
/// `nextDeadline`, and `playbackFinished` when the output reports the end of an item.
///
/// Sequencing: the external-horn relay (if any) closes first; `relayLead` later the amplifier is
/// enabled; `warmup` later the first item starts. Items follow each other with the amplifier on.
/// `tail` after the last item ends the amplifier is disabled, then the relay opens. An alarm
/// stops a less urgent item at once (the output's `stop` discards its buffer) and starts.
///
/// Audio readiness: an item whose audio is still rendering when its turn comes waits for it (the
/// amplifier on) and starts as soon as it is ready; after `audioWait`, or at once if rendering
/// failed, the fallback tone plays in its place. A more urgent request meanwhile goes first and the
/// waiting item goes back to the front of its priority. Each wait and each tone is counted and
/// logged — an item is never dropped silently.
public final class HornController: @unchecked Sendable {
    public struct Settings: Sendable {
        public var timing: AmplifierTiming
        /// Gate feedback that cannot start within this time after it was requested is dropped (3 s).
        public var feedbackStartLimit: Duration
        public var queueCapacity: Int
        /// How long an item whose turn has come waits for its audio before the fallback tone plays
        /// in its place (2 s).
        public var audioWait: Duration

        public init(timing: AmplifierTiming = AmplifierTiming(), feedbackStartLimit: Duration = .seconds(3), queueCapacity: Int = 16,
                    audioWait: Duration = .seconds(2)) {
            self.timing = timing
            self.feedbackStartLimit = feedbackStartLimit
            self.queueCapacity = queueCapacity
            self.audioWait = audioWait
        }
    }

    private let settings: Settings
    private let amplifier: any OutputLine
    private let relay: (any OutputLine)?
    private let output: any AnnouncementOutput
    private let volume: @Sendable (AnnouncementPriority) -> Double
    private let readiness: @Sendable (String) -> AudioReadiness
    private let logger: Logger
    private let lock = Mutex<Inner>(Inner())
    /// Told the serial of an item whose playback ended (wired by `HornService` to `playbackFinished`).
    private let onFinished: @Sendable (UInt64) -> Void

    struct Inner {
        var queue = AnnouncementQueue()
        var state: HornState = .idle
        var failures = 0
        var audioLate = 0
        var fallbackTones = 0
    }

    /// - Parameters:
    ///   - amplifier: the amplifier enable line (active = on).
    ///   - relay: the optional external-horn relay line, switched before the amplifier.
    ///   - volume: the volume for a priority now (time bands are the caller's business).
    ///   - readiness: whether an announcement's audio can be played now (`AnnouncementLibrary`).
    ///   - onFinished: called (from the output's context) with the serial of an item that ended.
    public init(settings: Settings = Settings(), amplifier: any OutputLine, relay: (any OutputLine)? = nil,
                output: any AnnouncementOutput,
                volume: @escaping @Sendable (AnnouncementPriority) -> Double = { _ in 1 },
                readiness: @escaping @Sendable (String) -> AudioReadiness = { _ in .ready },
                logger: Logger = Logger(label: "checkpoint.horn"),
                onFinished: @escaping @Sendable (UInt64) -> Void = { _ in }) {
        self.settings = settings
        self.amplifier = amplifier
        self.relay = relay
        self.output = output
        self.volume = volume
        self.readiness = readiness
        self.logger = logger
        self.onFinished = onFinished
        lock.withLock { $0.queue = AnnouncementQueue(capacity: settings.queueCapacity) }
    }

    // MARK: Inputs

    /// Requests an announcement. `quiet`: quiet hours apply now (only alarms pass).
    @discardableResult
    public func enqueue(_ announcementID: String, priority: AnnouncementPriority, now: Duration, quiet: Bool = false) -> AnnouncementQueue.Outcome {
        lock.withLock { s in
            let startBy = priority == .feedback ? now + settings.feedbackStartLimit : nil
            let outcome = s.queue.enqueue(QueuedAnnouncement(announcementID: announcementID, priority: priority,
                                                             enqueuedAt: now, startBy: startBy), quiet: quiet)
            switch outcome {
            case .queued, .queuedDroppingLowest:
                react(&s, now: now)
            case .coalesced, .droppedQueueFull, .rejectedQuietHours:
                logger.debug("horn: \(announcementID) not queued: \(outcome)")
            }
            return outcome
        }
    }

    /// Processes whatever is due at `now` (warm-up done, tail over, test over, expiries, audio
    /// that became ready).
    public func advance(now: Duration) {
        lock.withLock { s in react(&s, now: now) }
    }

    /// The output reports that item `serial` ended (or was stopped). Stale serials are ignored.
    public func playbackFinished(serial: UInt64, now: Duration) {
        lock.withLock { s in
            guard case .playing(let item) = s.state, item.serial == serial else { return }
            startNext(&s, now: now)
        }
    }

    /// `horn.stop`: clears the queue and stops what plays; the amplifier goes through its tail.
    /// Returns how many pending items were removed.
    @discardableResult
    public func stop(now: Duration) -> Int {
        lock.withLock { s in
            // An item waiting for its audio has not started: it is removed like a pending one.
            if case .awaitingAudio(let item, _) = s.state { s.queue.putBack(item) }
            let n = s.queue.clear()
            switch s.state {
            case .playing:
                output.stop()
                beginTail(&s, now: now)
            case .awaitingAudio:
                beginTail(&s, now: now)
            case .relaySettling, .warmingUp, .testingAmplifier:
                powerDown(&s)
            case .idle, .tail:
                break
            }
            return n
        }
    }

    /// `horn.testAmplifier`: switches relay and amplifier on for `duration` without audio, if idle.
    /// Returns false if the horn is busy.
    public func testAmplifier(now: Duration, duration: Duration) -> Bool {
        lock.withLock { s in
            guard case .idle = s.state else { return false }
            drive(relay, .active, &s)
            drive(amplifier, .active, &s)
            s.state = .testingAmplifier(until: now + duration)
            return true
        }
    }

    // MARK: Outputs

    /// When `advance(now:)` must next be called; nil if nothing will happen by itself.
    public var nextDeadline: Duration? {
        lock.withLock { s in
            switch s.state {
            case .relaySettling(let t), .warmingUp(let t), .tail(let t), .testingAmplifier(let t), .awaitingAudio(_, let t): return t
            case .idle, .playing: return nil
            }
        }
    }

    public var snapshot: HornSnapshot {
        lock.withLock {
            HornSnapshot(state: $0.state, pending: $0.queue.pending, counters: $0.queue.counters, failures: $0.failures,
                         audioLate: $0.audioLate, fallbackTones: $0.fallbackTones)
        }
    }

    // MARK: Transitions (called with the lock held)

    private func react(_ s: inout Inner, now: Duration) {
        switch s.state {
        case .idle:
            s.queue.dropExpired(now: now)
            if !s.queue.pending.isEmpty { powerUp(&s, now: now) }
        case .relaySettling(let until):
            if now >= until {
                drive(amplifier, .active, &s)
                s.state = .warmingUp(until: now + settings.timing.warmup)
                if settings.timing.warmup <= .zero { startNext(&s, now: now) }
            }
        case .warmingUp(let until):
            if now >= until { startNext(&s, now: now) }
        case .playing(let item):
            if item.priority < .alarm, s.queue.headPriority == .alarm {
                logger.info("horn: alarm preempts \(item.announcementID)")
                output.stop()
                s.queue.countPreempted()
                startNext(&s, now: now)
            }
        case .awaitingAudio(let item, let until):
            if let head = s.queue.headPriority, head > item.priority {
                logger.info("horn: \(head.rawValue) request goes before \(item.announcementID), which waits for its audio")
                s.queue.putBack(item)
                startNext(&s, now: now)
                return
            }
            switch readiness(item.announcementID) {
            case .ready:
                if !start(item, &s) { startNext(&s, now: now) }
            case .failed(let why):
                if !playFallback(item, because: why, &s) { startNext(&s, now: now) }
            case .rendering:
                if now >= until, !playFallback(item, because: "audio not ready after \(settings.audioWait)", &s) {
                    startNext(&s, now: now)
                }
            }
        case .tail(let until):
            s.queue.dropExpired(now: now)
            if !s.queue.pending.isEmpty {
                startNext(&s, now: now)
            } else if now >= until {
                powerDown(&s)
            }
        case .testingAmplifier(let until):
            if now >= until {
                powerDown(&s)
                react(&s, now: now)
            }
        }
    }

    private func powerUp(_ s: inout Inner, now: Duration) {
        if let relay {
            drive(relay, .active, &s)
            if settings.timing.relayLead > .zero {
                s.state = .relaySettling(until: now + settings.timing.relayLead)
                return
            }
        }
        drive(amplifier, .active, &s)
        s.state = .warmingUp(until: now + settings.timing.warmup)
        if settings.timing.warmup <= .zero { startNext(&s, now: now) }
    }

    /// Starts the most urgent pending item (amplifier already on) — or waits for its audio, or
    /// plays the fallback tone for it — or begins the tail.
    private func startNext(_ s: inout Inner, now: Duration) {
        while let item = s.queue.next(now: now) {
            switch readiness(item.announcementID) {
            case .ready:
                if start(item, &s) { return }
            case .failed(let why):
                if playFallback(item, because: why, &s) { return }
            case .rendering:
                s.audioLate += 1
                logger.warning("horn: audio for \(item.announcementID) is not ready; it plays when rendered, or the fallback tone after \(settings.audioWait)")
                s.state = .awaitingAudio(item, until: now + settings.audioWait)
                return
            }
        }
        beginTail(&s, now: now)
    }

    /// Hands `item` to the output; false (counted, logged) if the output refused it.
    private func start(_ item: QueuedAnnouncement, _ s: inout Inner) -> Bool {
        do {
            let serial = item.serial
            let notify = onFinished
            try output.start(item, volume: volume(item.priority)) { notify(serial) }
            s.state = .playing(item)
            return true
        } catch {
            s.failures += 1
            logger.error("horn: cannot play \(item.announcementID): \(error)")
            return false
        }
    }

    /// Plays the fallback tone in place of `item` (counted, logged); false if the output refused it.
    private func playFallback(_ item: QueuedAnnouncement, because why: String, _ s: inout Inner) -> Bool {
        var tone = item
        tone.fallbackTone = true
        s.fallbackTones += 1
        logger.error("horn: \(item.announcementID): \(why); playing the fallback tone in its place")
        return start(tone, &s)
    }

    private func beginTail(_ s: inout Inner, now: Duration) {
        s.state = .tail(until: now + settings.timing.tail)
        if settings.timing.tail <= .zero { powerDown(&s) }
    }

    private func powerDown(_ s: inout Inner) {
        drive(amplifier, .inactive, &s)
        drive(relay, .inactive, &s)
        s.state = .idle
    }

    private func drive(_ line: (any OutputLine)?, _ level: LineLevel, _ s: inout Inner) {
        guard let line else { return }
        do { try line.drive(level) } catch {
            s.failures += 1
            logger.error("horn: \(error)")
        }
    }
}
