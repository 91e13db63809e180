import CheckpointCore
import Foundation
import Logging

/// Turns queued requests into audio: catalog ids to clips or speech, ad-hoc `say:` text to speech.
///
/// Rendering (espeak-ng, WAV decoding) never happens on the play path: `prepareAll()` and
/// `request(_:)` hand ids to one background renderer, and the horn asks `readiness(of:)` before it
/// starts an item. Requests for something about to play are rendered before preparation work.
/// Catalog audio stays in memory; of ad-hoc texts only the `adHocLimit` most recent do (the disk
/// cache keeps the rest), so memory does not grow with every phrase typed.
public final class AnnouncementLibrary: Sendable {
    /// Prefix of ad-hoc ids: `say:请排队` speaks the text in the default voice.
    public static let adHocPrefix = "say:"
    /// Ad-hoc texts kept in memory.
    static let adHocLimit = 16

    /// The catalog in force (replaced by `replaceCatalog` when the configuration is reloaded).
    public var catalog: AnnouncementCatalog { state.withLock { $0.catalog } }
    private let speech: SpeechSynthesizer
    private let defaultVoice: String
    private let logger: Logger
    private let state: Mutex<State>
    private let renderer = DispatchQueue(label: "checkpoint.horn.render", qos: .utility)

    enum Entry {
        case rendering
        case ready(PCMAudio)
        case failed(String)
    }

    struct State {
        var catalog: AnnouncementCatalog
        /// Bumped by `replaceCatalog`: a rendering that began under an older catalog is not kept.
        var generation = 0
        var entries: [String: Entry] = [:]
        /// Ad-hoc ids holding an entry, oldest first.
        var adHoc: [String] = []
        /// Ids waiting for the renderer, next first.
        var work: [String] = []
        var rendererRunning = false
        var observers: [@Sendable (String) -> Void] = []
    }

    public init(catalog: AnnouncementCatalog, speech: SpeechSynthesizer, defaultVoice: String = "cmn",
                logger: Logger = Logger(label: "checkpoint.horn")) {
        state = Mutex(State(catalog: catalog))
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

    /// Takes a reloaded catalog: the audio of announcements whose clip, text or voice changed (and
    /// of removed ones) is dropped, then every announcement is prepared again in the background
    /// (`prepareAll`); unchanged ones keep their audio. Returns how many were handed to the renderer.
    @discardableResult
    public func replaceCatalog(_ next: AnnouncementCatalog) -> Int {
        state.withLock { s in
            let old = s.catalog.announcements
            s.catalog = next
            s.generation += 1
            for id in Set(old.keys).union(next.announcements.keys) where old[id] != next.announcements[id] {
                s.entries[id] = nil
                s.work.removeAll { $0 == id }
            }
        }
        return prepareAll()
    }

    // MARK: Background rendering

    /// Calls `observer` (on the renderer's thread) with each id whose rendering ended, ready or failed.
    public func onRendered(_ observer: @escaping @Sendable (String) -> Void) {
        state.withLock { $0.observers.append(observer) }
    }

    /// Renders every catalog announcement (gate feedback, schedules, the rescan prompt, operator
    /// additions) in the background, retrying those that failed before; returns at once with how
    /// many were handed to the renderer. Call at start and again after the configuration changed.
    @discardableResult
    public func prepareAll() -> Int {
        let ids = catalog.announcements.keys.sorted()
        let queued = state.withLock { s -> Int in
            var n = 0
            for id in ids {
                switch s.entries[id] {
                case .ready?, .rendering?: continue
                case .failed?, nil:
                    s.entries[id] = .rendering
                    s.work.append(id)
                    n += 1
                }
            }
            return n
        }
        startRenderer()
        return queued
    }

    /// Asks for `id` to be rendered ahead of other work (it is about to play); nothing if it is
    /// ready, rendering, or has failed.
    public func request(_ id: String) {
        let added = state.withLock { s -> Bool in
            guard s.entries[id] == nil else { return false }
            s.entries[id] = .rendering
            s.work.insert(id, at: 0)
            if id.hasPrefix(Self.adHocPrefix) { Self.remember(adHoc: id, in: &s) }
            return true
        }
        if added { startRenderer() }
    }

    /// Whether `id` can play now; an id never requested is requested (and is `rendering`).
    public func readiness(of id: String) -> AudioReadiness {
        switch state.withLock({ $0.entries[id] }) {
        case .ready?: return .ready
        case .rendering?: return .rendering
        case .failed(let why)?: return .failed(why)
        case nil:
            request(id)
            return readiness(of: id)
        }
    }

    /// What the player plays for `item`: its audio if ready, the fallback tone otherwise (and
    /// always for an item the horn marked `fallbackTone`).
    public func playableAudio(_ item: QueuedAnnouncement) -> PCMAudio {
        guard !item.fallbackTone, case .ready(let audio)? = state.withLock({ $0.entries[item.announcementID] }) else {
            return .fallbackTone
        }
        return audio
    }

    // MARK: Rendering on the caller's thread

    /// The audio of announcement `id`, rendered on the calling thread if it is not ready (for
    /// `checkpointctl horn play` without a daemon, where a bad clip or voice must be an error).
    public func audio(_ id: String) throws -> PCMAudio {
        if case .ready(let hit)? = state.withLock({ $0.entries[id] }) { return hit }
        let audio = try render(try announcement(id))
        state.withLock { s in
            s.entries[id] = .ready(audio)
            if id.hasPrefix(Self.adHocPrefix) { Self.remember(adHoc: id, in: &s) }
        }
        return audio
    }

    private func startRenderer() {
        let start = state.withLock { s -> Bool in
            guard !s.rendererRunning, !s.work.isEmpty else { return false }
            s.rendererRunning = true
            return true
        }
        if start { renderer.async { [self] in drainWork() } }
    }

    private func drainWork() {
        while let (id, generation) = state.withLock({ s -> (String, Int)? in
            if s.work.isEmpty { s.rendererRunning = false; return nil }
            return (s.work.removeFirst(), s.generation)
        }) {
            let entry: Entry
            do { entry = .ready(try render(try announcement(id))) } catch {
                logger.error("horn: announcement \(id) cannot be rendered: \(error); the fallback tone plays in its place")
                entry = .failed("\(error)")
            }
            let observers = state.withLock { s -> [@Sendable (String) -> Void] in
                if s.generation != generation, !id.hasPrefix(Self.adHocPrefix) {
                    // The catalog was replaced while it rendered: render it again from the new one.
                    if s.entries[id] == nil || s.entries[id].map({ if case .rendering = $0 { true } else { false } }) == true {
                        s.entries[id] = .rendering
                        s.work.append(id)
                    }
                    return []
                }
                // An ad-hoc text evicted while it rendered is not kept.
                if !id.hasPrefix(Self.adHocPrefix) || s.adHoc.contains(id) { s.entries[id] = entry }
                return s.observers
            }
            for observer in observers { observer(id) }
        }
    }

    /// Records ad-hoc `id` as the most recent, evicting the oldest beyond `adHocLimit`.
    private static func remember(adHoc id: String, in s: inout State) {
        s.adHoc.removeAll { $0 == id }
        s.adHoc.append(id)
        while s.adHoc.count > adHocLimit { s.entries[s.adHoc.removeFirst()] = nil }
    }

    /// The announcement's parts joined (see `Announcement`): a part that cannot be rendered is left
    /// out and logged; none rendering is an error (the fallback tone plays in its place).
    private func render(_ a: Announcement) throws -> PCMAudio {
        if a.parts.count == 1 { return try render(a.parts[0], of: a.id) }
        var pieces: [PCMAudio] = []
        var firstError: Error?
        for (i, part) in a.parts.enumerated() {
            do { pieces.append(try render(part, of: a.id)) } catch {
                logger.error("horn: \(a.id): part \(i + 1) of \(a.parts.count) cannot be rendered: \(error); it is left out")
                firstError = firstError ?? error
            }
        }
        if pieces.isEmpty, let firstError { throw firstError }
        return .sequence(pieces, pause: a.pause)
    }

    private func render(_ part: AnnouncementPart, of id: String) throws -> PCMAudio {
        if let clip = part.clip {
            do { return try WAVReader.read(clip) } catch {
                guard part.text != nil else { throw error }
                logger.warning("horn: \(id): \(error); speaking its text instead")
            }
        }
        guard let text = part.text else { throw HornError.unknownAnnouncement(id) }
        return try WAVReader.read(try speech.render(text: text, voice: part.voice))
    }
}
