import CheckpointCore
import Foundation

/// Why an alert was raised. Each ingested record raises at most one alert, of the most specific kind
/// that applies (decision ≠ admit): reason `fever` → `.fever`; `isolationExit` → `.isolationExit`;
/// `watchListed` → `.watchListed`; any other reason with decision `refuse` → `.refusal`.
/// "All refusals" is an `AlertQuery` with `decisions: [.refuse]` (fever refusals included).
/// A sequence conflict raises `.conflict` (one per conflicting key), persisted even though the batch
/// is refused. The gate's health raises `.gateSilent`, `.clockSkew` and `.deviceFault`
/// (`GateAlertRules`); those carry no record. A gate's door events (reasons `doorForced`,
/// `doorHeldOpen`, docs/contracts.md §3) raise `.doorForced` / `.doorHeldOpen` and are stored only
/// as these alerts, never as ledger entries. Raw values are the wire and database spelling.
public enum AlertKind: String, Codable, Sendable, CaseIterable, Hashable {
    case fever, refusal, isolationExit, watchListed, conflict
    /// No heartbeat nor ingest from a gate for longer than `GateAlertRules.silentAfter`.
    case gateSilent
    /// A heartbeat's clock offset (server time − the gate's `sentAt`) beyond `GateAlertRules.clockOffsetBound`.
    case clockSkew
    /// A heartbeat reports a device in one of `GateAlertRules.faultStatuses`.
    case deviceFault
    /// A lane's door opened without a release by the relay (a door event record).
    case doorForced
    /// A lane's door stayed open longer than the gate's `heldOpenSeconds` (a door event record).
    case doorHeldOpen

    /// Raised by a gate's health rather than by a record: such alerts have no epoch, seq, entry id,
    /// decision, reason, payload or temperature.
    public var isGateHealth: Bool { self == .gateSilent || self == .clockSkew || self == .deviceFault }
}

/// One alert. `id` is a strictly increasing cursor: list with `AlertQuery.after` = the last id seen.
/// The record's fields (`journalEpoch`, `seq`, `entryID`, `decision`, `reason`) are nil exactly for
/// the gate-health kinds (`AlertKind.isGateHealth`).
public struct StoredAlert: Codable, Sendable, Hashable {
    public var id: Int64
    public var kind: AlertKind
    /// Server time when the alert was raised (the ingest's or heartbeat's `receivedAt`, or when the
    /// silence was noticed).
    public var raisedAt: Date
    public var gate: String
    public var journalEpoch: UUID?
    public var seq: Int64?
    /// The record's `occurredAt` (for a conflict: the presented record's; for a gate-health alert: `raisedAt`).
    public var occurredAt: Date
    /// The record's id (for a conflict: the presented id; the stored id is in `detail`).
    public var entryID: UUID?
    public var decision: Decision?
    public var reason: ReasonCode?
    public var credentialPayload: String?
    public var celsius: Double?
    /// Human-readable detail (for a conflict: both ids; for a gate-health alert: what was seen, in English).
    public var detail: String
    /// Who acknowledged it (username or `token:<label>`); nil while unacknowledged.
    public var acknowledgedBy: String?
    /// When it was acknowledged (server time).
    public var acknowledgedAt: Date?

    public init(id: Int64, kind: AlertKind, raisedAt: Date, gate: String, journalEpoch: UUID?, seq: Int64?,
                occurredAt: Date, entryID: UUID?, decision: Decision?, reason: ReasonCode?,
                credentialPayload: String?, celsius: Double?, detail: String,
                acknowledgedBy: String? = nil, acknowledgedAt: Date? = nil) {
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.id = id
        self.kind = kind
        self.raisedAt = raisedAt
        self.gate = gate
        self.journalEpoch = journalEpoch
        self.seq = seq
        self.occurredAt = occurredAt
        self.entryID = entryID
        self.decision = decision
        self.reason = reason
        self.credentialPayload = credentialPayload
        self.celsius = celsius
        self.detail = detail
    }
}

/// Which alerts to list. All filters are ANDed; nil = no restriction.
public struct AlertQuery: Sendable, Hashable {
    /// Only alerts with `id` > `after` (0 = from the start).
    public var after: Int64
    /// On `occurredAt`.
    public var range: TimeRange?
    public var kinds: Set<AlertKind>?
    public var decisions: Set<Decision>?
    public var scope: PlaceScope?
    /// 1…1000; larger values are clamped.
    public var limit: Int

    public init(after: Int64 = 0, range: TimeRange? = nil, kinds: Set<AlertKind>? = nil,
                decisions: Set<Decision>? = nil, scope: PlaceScope? = nil, limit: Int = 100) {
        self.after = after
        self.range = range
        self.kinds = kinds
        self.decisions = decisions
        self.scope = scope
        self.limit = limit
    }
}

/// A page of alerts in ascending `id`. `nextAfter` is the cursor for the next page (the last id of
/// this one); nil when no alert matching the query follows.
public struct AlertPage: Codable, Sendable, Hashable {
    public var alerts: [StoredAlert]
    public var nextAfter: Int64?

    public init(alerts: [StoredAlert], nextAfter: Int64?) {
        self.alerts = alerts
        self.nextAfter = nextAfter
    }
}

extension AlertKind {
    /// The alert a stored record raises, if any (see `AlertKind`).
    public static func raised(by decision: Decision, reason: ReasonCode) -> AlertKind? {
        if reason == .doorForced { return .doorForced }
        if reason == .doorHeldOpen { return .doorHeldOpen }
        guard decision != .admit else { return nil }
        switch reason {
        case .fever: return .fever
        case .isolationExit: return .isolationExit
        case .watchListed: return .watchListed
        default: return decision == .refuse ? .refusal : nil
        }
    }
}
