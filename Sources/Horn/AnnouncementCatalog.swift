import CheckpointCore

/// The announcements by id, and which one answers each gate event: first by reason code, then by
/// decision; and which one asks a person to scan again after a rejected scan. Built from the
/// `[horn]` configuration over the Mandarin defaults.
public struct AnnouncementCatalog: Sendable, Hashable {
    public var announcements: [String: Announcement]
    public var byReason: [ReasonCode: String]
    public var byDecision: [Decision: String]
    /// The rescan prompt's id (`HornService.announceRescan()`); "" or nil: silence.
    public var rescan: String?

    public init(announcements: [Announcement], byReason: [ReasonCode: String] = [:], byDecision: [Decision: String] = [:],
                rescan: String? = nil) {
        self.announcements = Dictionary(announcements.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.byReason = byReason
        self.byDecision = byDecision
        self.rescan = rescan
    }

    public func announcement(_ id: String) -> Announcement? { announcements[id] }

    /// The announcement that answers a gate decision, nil if the configuration gives none.
    public func announcement(for reason: ReasonCode, decision: Decision) -> Announcement? {
        if let id = byReason[reason], let a = announcements[id] { return a }
        if let id = byDecision[decision], let a = announcements[id] { return a }
        return nil
    }

    /// The priority a request for `announcement` plays at when asked for at `requested`.
    public static func priority(of announcement: Announcement, requested: AnnouncementPriority) -> AnnouncementPriority {
        announcement.priority ?? requested
    }

    /// The defaults: the checkpoint's Mandarin phrases, spoken by espeak-ng's `cmn` voice.
    public static let mandarinDefaults = AnnouncementCatalog(
        announcements: [
            Announcement(id: "pass", text: "体温正常,请通行"),
            Announcement(id: "fever", text: "体温异常,请留步", priority: .alarm),
            Announcement(id: "remeasure", text: "请重新测量体温"),
            Announcement(id: "showCode", text: "请出示健康码"),
            Announcement(id: "refused", text: "禁止通行,请联系值班人员"),
            Announcement(id: "refer", text: "请稍候,工作人员马上就到"),
            Announcement(id: "rescan", text: "请重新扫码"),
            Announcement(id: "remoteOpen", text: "值班人员已远程开门,请通行"),
            Announcement(id: "reminder", text: "居民朋友请注意,减少外出、亲友聚会,避免人员聚集,出门要戴好口罩,做好防护措施。",
                         priority: .scheduled),
        ],
        byReason: [
            .admitted: "pass",
            .fever: "fever",
            .temperatureOutOfRange: "remeasure",
            .noReading: "remeasure",
            .noCredential: "showCode",
            .codeUnrecognized: "showCode",
            .watchListed: "refer",
            .isolationExit: "refer",
        ],
        byDecision: [
            .admit: "pass",
            .refuse: "refused",
            .refer: "refer",
            .remeasure: "remeasure",
        ],
        rescan: "rescan")
}
