import CheckpointCore
import DeviceIO
import Foundation
import Logging

/// The horn as the daemon runs it: the `HornController` on the real monotonic clock, the schedule
/// planner on the wall clock in the configured time zone, quiet hours, volume bands, ALSA output
/// and the GPIO lines. `run()` sleeps until the next deadline (amplifier timing, next broadcast, at
/// most a minute, so a changed wall clock is noticed) or until something is requested or an
/// announcement's audio has been rendered. Rendering happens in the library's background renderer,
/// never on the play path. `apply(_:)` takes a reloaded `[horn]` section while it runs.
public final class HornService: Sendable {
    public let library: AnnouncementLibrary
    /// What a reload can change: the configuration in force, its calendar and schedule planner.
    private let live: Mutex<Live>
    private typealias Live = (configuration: HornConfiguration, calendar: Calendar, planner: SchedulePlanner)
    private let logger: Logger
    private let wakeup = Wakeup()
    private let monotonicNow: @Sendable () -> Duration
    private let wallNow: @Sendable () -> Date
    private let amplifier: any OutputLine
    private let relay: (any OutputLine)?
    private let controllerBox = Mutex<HornController?>(nil)
    private let rescan: Mutex<RescanThrottle>

    /// - Parameters:
    ///   - amplifier: the amplifier line (a simulated stand-in when the box has none).
    ///   - output: where audio goes; nil: ALSA on `configuration.device`.
    public init(configuration: HornConfiguration, amplifier: any OutputLine, relay: (any OutputLine)?,
                output: (any AnnouncementOutput)? = nil, library: AnnouncementLibrary? = nil,
                logger: Logger = Logger(label: "checkpoint.horn"),
                monotonicNow: @escaping @Sendable () -> Duration = MonotonicClock.now,
                wallNow: @escaping @Sendable () -> Date = { Date() }) {
        let library = library ?? AnnouncementLibrary(catalog: configuration.catalog,
                                                     speech: SpeechSynthesizer(command: configuration.speechCommand,
                                                                               cacheDirectory: configuration.speechCache,
                                                                               timeout: configuration.speechTimeout,
                                                                               maximumCacheBytes: UInt64(configuration.speechCacheMaxMB) << 20),
                                                     logger: logger)
        self.library = library
        let live = Mutex(Self.live(configuration))
        self.live = live
        self.logger = logger
        self.monotonicNow = monotonicNow
        self.wallNow = wallNow
        self.amplifier = amplifier
        self.relay = relay
        self.rescan = Mutex(RescanThrottle(interval: configuration.rescanMinInterval))
        let output = output ?? AlsaPlayer(device: configuration.device, logger: logger) { item in library.playableAudio(item) }
        let controller = HornController(
            settings: .init(timing: configuration.timing, feedbackStartLimit: configuration.feedbackStartLimit,
                            queueCapacity: configuration.queueCapacity, audioWait: configuration.audioWait),
            amplifier: amplifier, relay: relay, output: output,
            volume: { p in
                let (volume, calendar) = live.withLock { ($0.configuration.volume, $0.calendar) }
                return volume.volume(for: p, at: wallNow(), calendar: calendar)
            },
            readiness: { id in library.readiness(of: id) },
            logger: logger,
            onFinished: { [weak self] serial in
                guard let self else { return }
                self.controller.playbackFinished(serial: serial, now: self.monotonicNow())
                self.wakeup.signal()
            })
        controllerBox.withLock { $0 = controller }
        // An item waiting for its audio starts as soon as the renderer has it.
        let wakeup = self.wakeup
        library.onRendered { _ in wakeup.signal() }
    }

    /// Opens the configured lines (a simulated stand-in when no amplifier line is configured).
    public static func open(configuration: HornConfiguration, logger: Logger = Logger(label: "checkpoint.horn")) throws -> HornService {
        let relay = try configuration.externalHornRelay.map { try OutputLineFactory.open($0, consumer: "checkpoint-horn-relay") }
        let amplifier = try configuration.amplifier.map { try OutputLineFactory.open($0, consumer: "checkpoint-horn-amplifier") }
            ?? SimulatedOutputLine(name: "amplifier (not configured)", now: MonotonicClock.now)
        return HornService(configuration: configuration, amplifier: amplifier, relay: relay, logger: logger)
    }

    var controller: HornController { controllerBox.withLock { $0! } }

    /// The configuration in force.
    public var configuration: HornConfiguration { live.withLock { $0.configuration } }

    private static func live(_ configuration: HornConfiguration) -> Live {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.timeZone
        return (configuration, calendar,
                SchedulePlanner(rules: configuration.schedules, timeZone: configuration.timeZone, grace: configuration.scheduleGrace))
    }

    // MARK: Reloading

    /// Takes a reloaded `[horn]` section without stopping: announcements and gate feedback (changed
    /// ones are rendered again in the background, as at start), schedules, time zone, quiet hours,
    /// volume bands and the rescan interval apply from the next request or schedule check. What the
    /// horn was opened with (ALSA device, lines, amplifier timing, queue capacity, speech command
    /// cache and limits) stays: returns a note for each of those that changed (they take effect at the
    /// next start). What is queued or playing is not touched.
    @discardableResult
    public func apply(_ next: HornConfiguration) -> [String] {
        let previous = configuration
        var notes: [String] = []
        func keep<T: Equatable>(_ key: String, _ path: KeyPath<HornConfiguration, T>) {
            if previous[keyPath: path] != next[keyPath: path] { notes.append("[horn] \(key) changed: takes effect after a restart") }
        }
        keep("device", \.device)
        keep("warmupMs/tailMs/relayLeadMs", \.timing)
        keep("feedbackStartWithinMs", \.feedbackStartLimit)
        keep("audioWaitMs", \.audioWait)
        keep("queueCapacity", \.queueCapacity)
        keep("amplifier", \.amplifier)
        keep("externalHornRelay", \.externalHornRelay)
        keep("speechCommand", \.speechCommand)
        keep("speechCache", \.speechCache)
        keep("speechCacheMaxMB", \.speechCacheMaxMB)
        keep("speechTimeoutMs", \.speechTimeout)
        var applied = next
        (applied.device, applied.timing, applied.feedbackStartLimit, applied.audioWait, applied.queueCapacity) =
            (previous.device, previous.timing, previous.feedbackStartLimit, previous.audioWait, previous.queueCapacity)
        (applied.amplifier, applied.externalHornRelay, applied.speechCommand, applied.speechCache) =
            (previous.amplifier, previous.externalHornRelay, previous.speechCommand, previous.speechCache)
        (applied.speechCacheMaxMB, applied.speechTimeout) = (previous.speechCacheMaxMB, previous.speechTimeout)
        live.withLock { $0 = Self.live(applied) }
        if next.rescanMinInterval != previous.rescanMinInterval {
            rescan.withLock { $0.change(interval: next.rescanMinInterval) }
        }
        let queued = library.replaceCatalog(next.catalog)
        logger.info("horn: reloaded: \(next.schedules.count) schedule(s), \(next.catalog.announcements.count) announcement(s), \(queued) to render")
        wakeup.signal()
        return notes
    }

    // MARK: Requests

    /// Requests announcement `id` (a catalog id or `say:TEXT`) at `priority` (the announcement's
    /// own priority, if it has one, wins). Returns at once: audio not rendered yet is rendered in
    /// the background, and the item plays when it is ready (or as the fallback tone, see
    /// `HornController`). Throws for an unknown id or an empty text.
    @discardableResult
    public func play(_ id: String, priority: AnnouncementPriority = .feedback) throws -> AnnouncementQueue.Outcome {
        let announcement = try library.announcement(id)
        library.request(id)
        let p = AnnouncementCatalog.priority(of: announcement, requested: priority)
        let outcome = controller.enqueue(id, priority: p, now: monotonicNow(), quiet: isQuiet(at: wallNow()))
        wakeup.signal()
        return outcome
    }

    /// Announces a gate decision, if the catalog maps it to something; returns what was queued.
    @discardableResult
    public func announce(reason: ReasonCode, decision: Decision) -> AnnouncementQueue.Outcome? {
        guard let a = library.catalog.announcement(for: reason, decision: decision) else { return nil }
        return try? play(a.id, priority: .feedback)
    }

    /// Asks the person at the gate to scan again (a rejected or unreadable scan), at most once per
    /// `rescanMinIntervalMs`; requests in between are counted (`rescanSuppressed`) and not played.
    /// Returns what was queued; nil if suppressed or the configuration silences the prompt.
    @discardableResult
    public func announceRescan() -> AnnouncementQueue.Outcome? {
        guard let id = library.catalog.rescan, !id.isEmpty else { return nil }
        guard rescan.withLock({ $0.admit(now: monotonicNow()) }) else {
            logger.debug("horn: rescan prompt suppressed (at most one per \(configuration.rescanMinInterval))")
            return nil
        }
        return try? play(id, priority: .feedback)
    }

    /// Renders every announcement the configuration can play (gate feedback, schedules, the rescan
    /// prompt) into the speech cache in the background, retrying earlier failures; returns at once.
    /// `run()` calls it at start; call it again after the configuration was reloaded.
    @discardableResult
    public func prepareAnnouncements() -> Int { library.prepareAll() }

    /// `horn.stop`: returns how many pending items were removed.
    @discardableResult
    public func stop() -> Int {
        defer { wakeup.signal() }
        return controller.stop(now: monotonicNow())
    }

    /// `horn.testAmplifier`: relay and amplifier on for `duration`; false if the horn is busy.
    public func testAmplifier(duration: Duration) -> Bool {
        defer { wakeup.signal() }
        return controller.testAmplifier(now: monotonicNow(), duration: duration)
    }

    public var snapshot: HornSnapshot {
        var s = controller.snapshot
        (s.rescanRequested, s.rescanSuppressed) = rescan.withLock { ($0.requested, $0.suppressed) }
        return s
    }

    /// Each schedule of the configuration in force with its next broadcast after `time` (nil: none
    /// within eight days), in configuration order.
    public func nextBroadcasts(after time: Date) -> [(rule: ScheduleRule, at: Date?)] {
        let planner = live.withLock { $0.planner }
        let end = time.addingTimeInterval(8 * 86_400)
        return planner.rules.map { ($0, $0.occurrences(after: time, through: end, calendar: planner.calendar).first) }
    }

    /// Whether quiet hours apply at `time`.
    public func isQuiet(at time: Date) -> Bool {
        let (quietHours, calendar) = live.withLock { ($0.configuration.quietHours, $0.calendar) }
        return quietHours?.contains(time, calendar: calendar) ?? false
    }

    // MARK: Running

    /// Runs schedules and timing until cancelled or, with `untilIdle`, until nothing plays or waits;
    /// then stops playback and drives the lines inactive.
    public func run(untilIdle: Bool = false) async {
        var lastChecked: Date? = nil
        // Render the catalog's phrases ahead of time (in the background) so no feedback waits for them.
        if !untilIdle { prepareAnnouncements() }
        while !Task.isCancelled {
            let wall = wallNow()
            let planner = live.withLock { $0.planner }
            if !untilIdle {
                for due in planner.due(lastChecked: lastChecked, now: wall) {
                    do { try play(due.announcementID, priority: .scheduled) } catch {
                        logger.error("horn: schedule \(due.rule): \(error)")
                    }
                }
                lastChecked = wall
            }
            let now = monotonicNow()
            controller.advance(now: now)
            if untilIdle, case .idle = controller.snapshot.state, controller.snapshot.pending.isEmpty { break }
            var wait: Duration = .seconds(60)
            if let d = controller.nextDeadline { wait = min(wait, d - now) }
            if !untilIdle, let next = planner.nextOccurrence(after: wall) {
                wait = min(wait, .milliseconds(Int64(next.timeIntervalSince(wall) * 1000)))
            }
            await wakeup.wait(timeout: max(wait, .milliseconds(1)))
        }
        shutDown()
    }

    /// Stops playback and drives the relay and amplifier inactive (also done by `ExecStopPost=`).
    public func shutDown() {
        controller.stop(now: monotonicNow())
        for line in [amplifier, relay].compactMap({ $0 }) {
            do { try line.drive(.inactive) } catch { logger.error("horn: \(error)") }
        }
    }
}
