import CheckpointCore
import Foundation
import Logging

/// Plays announcements through ALSA. Each item is resolved to PCM (clip or cached speech), scaled
/// to its volume, and written on a playback thread in 10 ms chunks into a 40 ms buffer; `stop`
/// makes the thread drop the buffer, so sound ends within about 50 ms (one chunk plus the drop).
public final class AlsaPlayer: AnnouncementOutput, Sendable {
    public typealias Resolver = @Sendable (QueuedAnnouncement) throws -> PCMAudio

    private let device: String
    private let configuration: String?
    private let resolve: Resolver
    private let logger: Logger
    private let current = Mutex<Playback?>(nil)
    private let stopLatency = Mutex<Duration?>(nil)

    /// From the last `stop` call to the playback thread leaving its write loop (no further samples
    /// are written; `snd_pcm_drop` follows). A diagnostic of the ≤ 50 ms stop requirement.
    public var lastStopLatency: Duration? { stopLatency.withLock { $0 } }

    /// One item being played; `stopRequested` is read by the playback thread between chunks.
    final class Playback: Sendable {
        let stopRequested = Mutex(false)
        /// When `stop` was called (monotonic), for `lastStopLatency`.
        let stopCalledAt = Mutex<ContinuousClock.Instant?>(nil)
        /// Signalled once the thread has closed the PCM.
        let closed = DispatchSemaphore(value: 0)
    }

    /// How long `start` waits for a stopped item to close its PCM (a `hw:` device opens only once).
    static let closeWait: DispatchTimeInterval = .milliseconds(500)

    /// - Parameters:
    ///   - device: the ALSA PCM name (`default`, `plughw:1,0`, …).
    ///   - configuration: ALSA configuration text defining `device` (instead of the system's), or nil.
    ///   - resolve: turns a queued item into audio (catalog lookup, WAV read, speech).
    public init(device: String, configuration: String? = nil, logger: Logger = Logger(label: "checkpoint.horn.alsa"),
                resolve: @escaping Resolver) {
        self.device = device
        self.configuration = configuration
        self.resolve = resolve
        self.logger = logger
    }

    public func start(_ item: QueuedAnnouncement, volume: Double, finished: @escaping @Sendable () -> Void) throws {
        let audio = try resolve(item).scaled(by: volume)
        // The previous item, stopped or still playing, must have closed the PCM first.
        if let previous = current.withLock({ $0 }) {
            stop()
            if previous.closed.wait(timeout: .now() + Self.closeWait) == .timedOut {
                logger.warning("horn: the previous item did not release \(device) within 500 ms")
            }
        }
        let pcm = try AlsaPCM(device: device, configuration: configuration, channels: audio.channels, rate: audio.sampleRate)
        let playback = Playback()
        current.withLock { $0 = playback }
        let logger = self.logger
        let thread = Thread { [weak self] in
            do {
                if try pcm.write(audio.samples, shouldStop: { playback.stopRequested.withLock { $0 } }) {
                    pcm.drain()
                } else {
                    if let t = playback.stopCalledAt.withLock({ $0 }) {
                        let latency = ContinuousClock.now - t
                        self?.stopLatency.withLock { $0 = latency }
                    }
                    pcm.drop()
                }
            } catch {
                logger.error("horn: \(error)")
                pcm.drop()
            }
            pcm.close()
            playback.closed.signal()
            self?.current.withLock { if $0 === playback { $0 = nil } }
            finished()
        }
        thread.name = "horn-playback"
        thread.start()
    }

    /// Asks the item playing to stop. It stays `current` until its thread has closed the PCM, so a
    /// `start` right after (a preempting alarm) waits for the device instead of failing to open it
    /// (`snd_pcm_open`: EBUSY on a `hw:` device).
    public func stop() {
        current.withLock { p in
            p?.stopCalledAt.withLock { $0 = ContinuousClock.now }
            p?.stopRequested.withLock { $0 = true }
        }
    }

    /// Plays `audio` to the end on the calling thread (for `checkpointctl horn play` without a daemon).
    public static func playBlocking(_ audio: PCMAudio, device: String, configuration: String? = nil) throws {
        let pcm = try AlsaPCM(device: device, configuration: configuration, channels: audio.channels, rate: audio.sampleRate)
        if try pcm.write(audio.samples, shouldStop: { false }) { pcm.drain() }
    }
}
