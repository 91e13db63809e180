/// One stretch of sound in an announcement: a recorded clip, a text spoken by text-to-speech, or
/// both (the clip plays; the text is spoken instead if the clip cannot be read).
public struct AnnouncementPart: Sendable, Hashable, Codable {
    /// Path of a WAV file (PCM 16-bit, mono or stereo).
    public var clip: String?
    /// Text for speech synthesis.
    public var text: String?
    /// The espeak-ng voice for `text`, e.g. `cmn` (Mandarin), `yue` (Cantonese), `en`.
    public var voice: String

    public init(clip: String? = nil, text: String? = nil, voice: String = "cmn") {
        self.clip = clip
        self.text = text
        self.voice = voice
    }
}
