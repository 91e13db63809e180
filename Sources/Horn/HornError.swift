/// Errors of the horn that are not configuration errors (those are `ConfigError`).
public enum HornError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownAnnouncement(String)
    /// A WAV file the player cannot use; names the file and what is wrong with its format.
    case unsupportedAudio(file: String, reason: String)
    case speech(String)
    case alsa(device: String, call: String, message: String)

    public var description: String {
        switch self {
        case .unknownAnnouncement(let id): return "no announcement \"\(id)\" in the catalog"
        case .unsupportedAudio(let file, let reason): return "\(file): \(reason)"
        case .speech(let m): return "text to speech: \(m)"
        case .alsa(let device, let call, let message): return "ALSA device \"\(device)\": \(call): \(message)"
        }
    }
}
