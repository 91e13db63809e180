/// One announcement of the catalog: one part (a clip, a spoken text, or both), or a sequence of
/// parts — e.g. Mandarin speech, then a dialect clip or English.
///
/// Contract: the horn treats an announcement as one item whatever its parts: one queue entry, one
/// rendered audio (the parts in order with `pause` of silence between them), preempted, expired,
/// coalesced and counted as a whole. A part that cannot be rendered is left out (logged); an
/// announcement none of whose parts renders plays the fallback tone.
public struct Announcement: Sendable, Hashable, Codable {
    public var id: String
    /// In playing order; never empty.
    public var parts: [AnnouncementPart]
    /// Silence between two parts (ms resolution).
    public var pause: Duration
    /// Plays at this priority whatever asked for it (e.g. the fever warning is always an alarm);
    /// nil: the requester's priority (gate events: feedback; schedules: scheduled).
    public var priority: AnnouncementPriority?

    /// The silence between parts when the configuration names none.
    public static let defaultPause: Duration = .milliseconds(300)

    /// A one-part announcement.
    public init(id: String, clip: String? = nil, text: String? = nil, voice: String = "cmn", priority: AnnouncementPriority? = nil) {
        self.init(id: id, parts: [AnnouncementPart(clip: clip, text: text, voice: voice)], priority: priority)
    }

    /// A sequence; `parts` must not be empty.
    public init(id: String, parts: [AnnouncementPart], pause: Duration = Announcement.defaultPause, priority: AnnouncementPriority? = nil) {
        precondition(!parts.isEmpty, "an announcement has at least one part")
        self.id = id
        self.parts = parts
        self.pause = pause
        self.priority = priority
    }

    /// The text of a one-part announcement; nil for a sequence or a clip without text.
    public var text: String? { parts.count == 1 ? parts[0].text : nil }
}
