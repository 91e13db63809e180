import CheckpointCore
import Control
import Foundation

/// The horn's control-socket commands (`checkpointctl horn …`). The daemon calls
/// `HornControlHandlers.register(service, on: router)` once at start.
///
/// - `horn.play` — `announcement` (a catalog id) or `text` (spoken in the default voice; synthesized
///   before it is queued, so a failed or overlong synthesis is an error);
///   optional `priority` (`alarm`, `feedback`, `scheduled`, `ambient`; default `feedback`).
/// - `horn.stop` — clears the queue and stops what plays.
/// - `horn.queue` — state, pending items, the schedules' next broadcasts and counters (`json` holds
///   the `HornSnapshot`).
/// - `horn.testAmplifier` — relay and amplifier on for `durationMs` (default 2000, at most 60000).
public enum HornControlHandlers {
    public static func register(_ service: HornService, on router: ControlRouter) {
        router.register(.hornPlay) { request in await play(service, request) }
        router.register(.hornStop) { _ in
            let removed = service.stop()
            return .success("stopped; \(removed) pending removed")
        }
        router.register(.hornQueue) { _ in queue(service) }
        router.register(.hornTestAmplifier) { request in
            let text = request.arguments["durationMs"] ?? "2000"
            guard let ms = Int(text), (1...60_000).contains(ms) else {
                return .failure("durationMs must be 1…60000, got \"\(text)\"")
            }
            return service.testAmplifier(duration: .milliseconds(ms))
                ? .success("amplifier on for \(ms) ms")
                : .failure("the horn is busy; stop it first (checkpointctl horn stop)")
        }
    }

    /// The longest `horn.play text=` accepted, in characters: a spoken line (about 20 s of Mandarin), not a speech.
    static let maxTextCharacters = 120

    static func play(_ service: HornService, _ request: ControlRequest) async -> ControlResponse {
        let id: String
        if let text = request.arguments["text"] {
            guard text.count <= maxTextCharacters else {
                return .failure("text is \(text.count) characters; at most \(maxTextCharacters) are spoken")
            }
            id = AnnouncementLibrary.adHocPrefix + text
            // Synthesized before it is queued (off the cooperative pool; at most `speechTimeoutMs`), so a
            // failed or overlong synthesis is answered as an error instead of playing the fallback tone.
            let rendered = await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: Result { try service.library.audio(id) }) }
            }
            if case .failure(let error) = rendered { return .failure("cannot speak the text: \(error)") }
        } else if let a = request.arguments["announcement"] {
            id = a
        } else {
            return .failure("horn.play needs announcement=ID or text=TEXT")
        }
        let priorityText = request.arguments["priority"] ?? AnnouncementPriority.feedback.rawValue
        guard let priority = AnnouncementPriority(rawValue: priorityText) else {
            return .failure("priority must be one of \(AnnouncementPriority.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        do {
            let outcome = try service.play(id, priority: priority)
            switch outcome {
            case .queued, .queuedDroppingLowest: return .success("queued \(id)")
            case .coalesced: return .success("already queued: \(id)")
            case .droppedQueueFull: return .failure("queue full of more urgent items; \(id) dropped")
            case .rejectedQuietHours: return .failure("quiet hours: only alarms play now")
            }
        } catch {
            return .failure("\(error)")
        }
    }

    static func queue(_ service: HornService) -> ControlResponse {
        let s = service.snapshot
        var lines = ["state: \(describe(s.state))"]
        lines += s.pending.map { "pending: \($0.announcementID) (\($0.priority.rawValue))" }
        let format = ISO8601DateFormatter()
        format.timeZone = service.configuration.timeZone
        lines += service.nextBroadcasts(after: Date()).map { rule, at in
            "schedule: \(rule.name) (\(rule.announcementID)) next \(at.map { format.string(from: $0) } ?? "none within 8 days")"
        }
        let c = s.counters
        lines.append("counters: queued \(c.queued), coalesced \(c.coalesced), dropped full \(c.droppedFull), expired \(c.expired), "
                     + "quiet \(c.rejectedQuiet), preempted \(c.preempted), cleared \(c.cleared), failures \(s.failures), "
                     + "audio late \(s.audioLate), fallback tones \(s.fallbackTones), "
                     + "rescan \(s.rescanRequested) (suppressed \(s.rescanSuppressed))")
        let json = (try? JSONEncoder().encode(s)).map { String(decoding: $0, as: UTF8.self) }
        return .success(lines.joined(separator: "\n"), json: json)
    }

    static func describe(_ state: HornState) -> String {
        switch state {
        case .idle: return "idle"
        case .relaySettling: return "relay settling"
        case .warmingUp: return "amplifier warming up"
        case .awaitingAudio(let item, _): return "waiting for the audio of \(item.announcementID) (\(item.priority.rawValue))"
        case .playing(let item):
            return "playing \(item.fallbackTone ? "the fallback tone for " : "")\(item.announcementID) (\(item.priority.rawValue))"
        case .tail: return "amplifier tail"
        case .testingAmplifier: return "testing amplifier"
        }
    }
}
