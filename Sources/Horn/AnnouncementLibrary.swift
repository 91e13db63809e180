import CheckpointCore
import Foundation
import Logging

/// Turns queued requests into audio: catalog ids to clips or speech, ad-hoc `say:` text to speech,
/// with decoded audio kept in memory.
public final class AnnouncementLibrary: @unchecked Sendable {
    /// Prefix of ad-hoc ids: `say:请排队` speaks the text in the default voice.
    public static let adHocPrefix = "say:"

    public let catalog: AnnouncementCatalog
    private let speech: SpeechSynthesizer
    private let defaultVoice: String
    private let logger: Logger
    private let cache = Mutex<[String: PCMAudio]>([:])

    public init(catalog: AnnouncementCatalog, speech: SpeechSynthesizer, defaultVoice: String = "cmn",
                logger: Logger = Logger(label: "checkpoint.horn")) {
        self.catalog = catalog
        self.speech = speech
        self.defaultVoice = defaultVoice
        self.logger = logger
    }

    /// The announcement for `id`: a catalog entry or an ad-hoc `say:` text.
    public func announcement(_ id: String) throws -> Announcement {
        if id.hasPrefix(Self.adHocPrefix) {
            let text = String(id.dropFirst(Self.adHocPrefix.count))
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw HornError.speech("nothing to say") }
            return Announcement(id: id, text: text, voice: defaultVoice)
        }
        guard let a = catalog.announcement(id) else { throw HornError.unknownAnnouncement(id) }
        return a
    }

    /// The audio of announcement `id` (decoded once, then from memory).
    public func audio(_ id: String) throws -> PCMAudio {
        if let hit = cache.withLock({ $0[id] }) { return hit }
        let a = try announcement(id)
        let audio = try render(a)
        // Ad-hoc texts stay in the disk cache only, so memory does not grow with every phrase typed.
        if !id.hasPrefix(Self.adHocPrefix) { cache.withLock { $0[id] = audio } }
        return audio
    }

    /// Renders every catalog entry ahead of time, so the first gate feedback is not late; returns
    /// the failures (id, error) — each is also logged.
    @discardableResult
    public func prepareAll() -> [(String, Error)] {
        var failures: [(String, Error)] = []
        for id in catalog.announcements.keys.sorted() {
            do { _ = try audio(id) } catch {
                logger.error("horn: announcement \(id): \(error)")
                failures.append((id, error))
            }
        }
        return failures
    }

    private func render(_ a: Announcement) throws -> PCMAudio {
        if let clip = a.clip {
            do { return try WAVReader.read(clip) } catch {
                guard a.text != nil else { throw error }
                logger.warning("horn: \(a.id): \(error); speaking its text instead")
            }
        }
        guard let text = a.text else { throw HornError.unknownAnnouncement(a.id) }
        return try WAVReader.read(try speech.render(text: text, voice: a.voice))
    }
}
