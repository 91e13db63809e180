import CheckpointCore
import Foundation

/// The `[horn]` section of the gate's configuration (keys documented in docs/horn.md), read by
/// HornConfig: absent keys take the defaults; unknown keys and bad values are errors naming file,
/// line and key.
public struct HornConfiguration: Sendable {
    /// The ALSA PCM to play to (`default`, `hw:0,0`, `plughw:1`, a name from asound.conf).
    public var device = "default"
    public var timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
    public var timing = AmplifierTiming()
    public var feedbackStartLimit: Duration = .seconds(3)
    /// How long an item whose turn came waits for its audio before the fallback tone replaces it.
    public var audioWait: Duration = .seconds(2)
    /// The rescan prompt plays at most once per this interval; more requests are counted, not played.
    public var rescanMinInterval: Duration = .seconds(3)
    public var queueCapacity = 16
    /// How late a scheduled broadcast may still play (missed ones are not replayed in a burst).
    public var scheduleGrace: Duration = .seconds(60)
    /// The amplifier enable line; nil: no amplifier control (always-on amplifier).
    public var amplifier: OutputLineSpec?
    /// The external-horn relay, switched before the amplifier.
    public var externalHornRelay: OutputLineSpec?
    public var volume = VolumePolicy()
    public var quietHours: QuietHours?
    public var catalog = AnnouncementCatalog.mandarinDefaults
    public var schedules: [ScheduleRule] = []
    /// The espeak-ng executable.
    public var speechCommand = "espeak-ng"
    /// Where rendered speech is cached, keyed by (voice, text).
    public var speechCache = "/var/cache/checkpoint/speech"
    /// The speech cache's size limit (oldest files evicted first).
    public var speechCacheMaxMB = 64
    /// The longest one espeak-ng run may take before it is killed.
    public var speechTimeout: Duration = .seconds(10)

    public init() {}
}
