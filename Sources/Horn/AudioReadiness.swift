/// Whether an announcement's audio can be played now (`AnnouncementLibrary.readiness(of:)`).
public enum AudioReadiness: Sendable, Hashable {
    /// Decoded and in memory: starting it costs no rendering.
    case ready
    /// Waiting for, or in, the background renderer (espeak-ng, WAV decoding).
    case rendering
    /// It cannot be rendered (unknown id, unreadable clip, synthesizer failure: the text says
    /// which); the fallback tone plays in its place.
    case failed(String)
}
