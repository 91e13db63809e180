/// One announcement of the catalog: a recorded clip, a text spoken by text-to-speech, or both
/// (the clip is played; the text is spoken instead if the clip cannot be read).
public struct Announcement: Sendable, Hashable, Codable {
    public var id: String
    /// Path of a WAV file (PCM 16-bit, mono or stereo).
    public var clip: String?
    /// Text for speech synthesis.
    public var text: String?
    /// The espeak-ng voice for `text`, e.g. `cmn` (Mandarin).
    public var voice: String
    /// Plays at this priority whatever asked for it (e.g. the fever warning is always an alarm);
    /// nil: the requester's priority (gate events: feedback; schedules: scheduled).
    public var priority: AnnouncementPriority?

    public init(id: String, clip: String? = nil, text: String? = nil, voice: String = "cmn", priority: AnnouncementPriority? = nil) {
        self.id = id
        self.clip = clip
        self.text = text
        self.voice = voice
        self.priority = priority
    }
}
