import CheckpointCore
import Foundation

/// The central store's storage: one interface, two engines (SQLite for one site, PostgreSQL for a
/// district), one conformance suite. Open one with `CentralStorageFactory.open(_:logger:)`.
///
/// Conventions for every method:
/// - Times passed in (`at:`, `receivedAt:`) are the server's wall clock, given by the caller so that
///   tests control time. Stored times are UTC with millisecond precision.
/// - Every method is atomic: it happens completely or not at all. Errors are `CentralStoreError`.
/// - Identifiers (gate, places) must satisfy `FieldLimits.isValidIdentifier`.
/// - Safe to call concurrently from many tasks.
public protocol CentralStorage: Sendable {
    /// Which engine this is.
    var engine: StorageEngine { get }

    /// The schema version after the migrations applied at open (= `StorageMigrations.latestVersion`).
    func schemaVersion() async throws -> Int

    /// The engine's durability settings, read back now, by name (SQLite: `journal_mode` = `wal`,
    /// `synchronous` = `2` (FULL); PostgreSQL: `fsync`, `synchronous_commit`, `full_page_writes`,
    /// `wal_sync_method`). Opening already refused anything less durable.
    func durabilitySettings() async throws -> [String: String]

    /// The same settings as read once when the store opened (no database access).
    var durabilityAtOpen: [String: String] { get }

    /// Waits for operations in flight to finish (a batch being ingested commits or rolls back), then
    /// releases connections. Calls after `close` fail with `.engine`. Idempotent.
    func close() async

    // MARK: Places

    /// Inserts or updates every place of `directory` (names, parents; a gate listed here is placed
    /// under its checkpoint, keeping any secret it has). Places not listed are left as they are.
    /// Throws `.invalidInput` for a bad identifier/name or an id listed twice at one level, and then
    /// changes nothing.
    func upsertPlaces(_ directory: PlaceDirectory) async throws

    /// Every place, as a directory sorted by id at every level.
    func places() async throws -> PlaceDirectory

    // MARK: Gates and credentials

    /// Issues the first secret of `gate` and returns it — the only time it is ever visible; the store
    /// keeps its SHA-256. Creates the gate under `checkpoint` if it does not exist (a gate listed in
    /// the places but never issued a secret is placed under `checkpoint`).
    /// Throws `.gateExists` if the gate already holds a secret (revoked or not: use
    /// `rotateGateSecret`), `.unknownPlace(.checkpoint, …)` if the checkpoint does not exist,
    /// `.invalidInput` for a bad gate id.
    func registerGate(_ gate: String, checkpoint: String, at: Date) async throws -> IssuedSecret

    /// Replaces the secret of an existing gate with a new one (returned once) and clears a
    /// revocation. Throws `.unknownGate` if no such gate.
    func rotateGateSecret(_ gate: String, at: Date) async throws -> IssuedSecret

    /// Checks a presented secret in constant time. `.accepted` only for a registered, non-revoked
    /// gate whose secret this is.
    func verifyGateSecret(gate: String, secret: String) async throws -> CredentialCheck

    /// Revokes the gate's secret: from now on `verifyGateSecret` answers `.revoked` and `ingest` /
    /// `recordHeartbeat` throw `.gateRevoked`. Its records stay in the ledgers.
    /// Throws `.unknownGate` if no such gate.
    func revokeGate(_ gate: String, at: Date) async throws

    /// Every gate, sorted by id.
    func gates() async throws -> [GateInfo]

    /// Issues an administrator token under a unique `label` (1…64 identifier characters) with a role
    /// and the scope that role needs, and returns it once (stored as SHA-256). Throws `.invalidInput`
    /// if the label is bad or already in use or the scope does not fit the role, `.unknownPlace` if
    /// the scope's place does not exist.
    /// (The server may additionally accept a token configured at startup; that is its business.)
    func createAdminToken(label: String, role: Role, scope: PlaceScope?, at: Date) async throws -> IssuedSecret

    /// Checks a presented administrator token: `.accepted` (with label, role, scope), `.revoked`, or `.unknown`.
    func authenticateAdminToken(_ token: String) async throws -> AdminTokenGrant

    /// Revokes the token with this label. Throws `.invalidInput` if no such label.
    func revokeAdminToken(label: String, at: Date) async throws

    /// Every administrator token (never the token itself), sorted by label.
    func adminTokens() async throws -> [AdminTokenInfo]

    // MARK: Ingest

    /// Stores one batch of the authenticated `gate`'s records in ONE transaction.
    ///
    /// Refused as a whole (nothing stored, error thrown), checked in this order:
    /// - `.batchTooLarge` if more than `FieldLimits.maxRecordsPerBatch` records;
    /// - `.gateMismatch` if any record's `gate` ≠ `gate`;
    /// - `.unknownGate` / `.gateRevoked` if `gate` cannot ingest (also for an empty batch);
    /// - `.conflict` if any key (gate, journalEpoch, seq) is already held — stored or quarantined, or
    ///   earlier in the same batch — by a different `id`. A `.conflict` alert per key is persisted in
    ///   its own transaction before the error is thrown.
    ///
    /// Otherwise, per record: same key and same id as already held → `duplicates` (not stored again;
    /// a quarantined record sent again is reported in `quarantined` again); a record with
    /// `violations()` → quarantine with those reasons, listed in `quarantined`; else stored, listed in
    /// `stored`, and an alert raised as `AlertKind` describes. `acknowledged` has one element per
    /// epoch of the batch (in order of first appearance): 1…`contiguousThrough` are all held, stored
    /// or quarantined. An empty batch returns an empty response.
    func ingest(gate: String, records: [EntryRecord], receivedAt: Date) async throws -> IngestResponse

    /// Quarantined records, newest first; `gate` nil = all gates. `limit` 1…1000.
    func quarantined(gate: String?, limit: Int) async throws -> [StoredQuarantine]

    // MARK: Alerts

    /// Alerts matching `query`, ascending `id`.
    func alerts(_ query: AlertQuery) async throws -> AlertPage

    /// Marks alert `id` acknowledged by `actor` at `at` and returns it; acknowledging again keeps the
    /// first acknowledgement. Throws `.notFound` if no such alert.
    func acknowledgeAlert(_ id: Int64, by actor: String, at: Date) async throws -> StoredAlert

    // MARK: Remote commands (docs/central-api.md "Remote open")

    /// Records a command to open `lane` of `gate` once, valid until `expiresAt`. Throws
    /// `.unknownGate` / `.gateRevoked`, `.invalidInput` for a bad lane, requester or expiry.
    func createCommand(gate: String, lane: String, requestedBy: String, at: Date, expiresAt: Date) async throws -> RemoteCommand

    /// The gate's commands not yet acknowledged and not expired at `now`, oldest first; marks them
    /// delivered (the first time). An expired command is never handed out.
    func pendingCommands(gate: String, now: Date) async throws -> [RemoteCommand]

    /// Records what the gate did with command `id`; the first acknowledgement stays. Throws
    /// `.notFound` if the gate has no such command.
    func acknowledgeCommand(gate: String, id: UUID, acknowledgement: RemoteCommandAcknowledgement, at: Date) async throws

    /// One command with its fate; nil if unknown.
    func command(_ id: UUID) async throws -> StoredCommand?

    // MARK: Webhook deliveries

    /// Queues a `pending` delivery to `url` (due at `at`) for every alert raised since the last call for
    /// this URL whose kind is in `kinds` (nil = every kind), and returns how many were queued. The
    /// first call for a URL queues nothing: it starts after the newest alert (an endpoint gets the
    /// alerts raised once it is configured, not the history). Each alert is queued at most once per
    /// URL. Throws `.invalidInput` for a URL longer than 2048 bytes or empty.
    func enqueueWebhookDeliveries(url: String, kinds: Set<AlertKind>?, at: Date) async throws -> Int

    /// Pending deliveries to `url` whose next attempt is at or before `now`, ascending id, at most
    /// `limit` (1…1000), each with its alert (nil if it is no longer stored).
    func dueWebhookDeliveries(url: String, now: Date, limit: Int) async throws -> [DueWebhookDelivery]

    /// When the earliest pending delivery to `url` is due; nil if none is pending.
    func nextWebhookAttempt(url: String) async throws -> Date?

    /// Records one attempt of delivery `id` made at `at` (attempts + 1). A delivery that is no longer
    /// pending is left as it is (an answer never turns a delivered row back). Throws `.notFound` for
    /// an unknown id.
    func recordWebhookAttempt(_ id: Int64, _ attempt: WebhookAttempt, at: Date) async throws

    /// The delivery log, newest first: deliveries with id < `before` (nil = from the newest), of
    /// `status` if given, at most `limit` (1…1000).
    func webhookDeliveries(before: Int64?, status: WebhookDelivery.Status?, limit: Int) async throws -> [WebhookDelivery]

    // MARK: Personal data

    /// Deletes what `policy` no longer keeps at `now` (entries by `occurredAt`, alerts by `raisedAt`,
    /// quarantine by arrival, audit by time, the webhook delivery log like alerts by queueing time) and
    /// every expired session, in one transaction.
    /// Sequence acknowledgement (`epochs`) is kept, so a gate never re-sends what was purged.
    func purge(_ policy: RetentionPolicy, now: Date) async throws -> PurgeReport

    /// Erases every record of the credential with exactly this payload: ledger entries, alerts,
    /// quarantined records, and its watch-list entry (removed as a normal watch-list change, so gates
    /// drop it too; counted in `other`). Throws `.invalidInput` for an empty or oversized payload.
    func eraseCredential(_ payload: String, at: Date) async throws -> PurgeReport

    // MARK: Accounts, sessions, audit

    /// Creates an account with a password hash made by the caller (bcrypt; the store never sees the
    /// password). Throws `.invalidInput` for a bad username or display name, a username in use, a
    /// scope that does not fit the role; `.unknownPlace` if the scope's place does not exist.
    func createAccount(_ account: Account, passwordHash: String) async throws

    /// The account and its password hash, or nil if no such username (disabled accounts included:
    /// the caller checks `disabledAt`).
    func accountCredentials(username: String) async throws -> (account: Account, passwordHash: String)?

    /// Every account, sorted by username.
    func accounts() async throws -> [Account]

    /// Replaces the password hash. Throws `.notFound` if no such account.
    func setPasswordHash(username: String, passwordHash: String) async throws

    /// Disables the account and ends its sessions. Throws `.notFound` if no such account.
    func disableAccount(username: String, at: Date) async throws

    /// Stores a session of `username` under the SHA-256 (hex) of its cookie value.
    func createSession(username: String, tokenSHA256: String, csrfToken: String, expiresAt: Date, at: Date) async throws

    /// The live session with this cookie digest: nil if unknown, expired at `now`, or its account disabled.
    func session(tokenSHA256: String, now: Date) async throws -> AccountSession?

    /// Ends one session (sign-out); unknown digests are ignored. Also forgets every session expired at `now`.
    func deleteSession(tokenSHA256: String, now: Date) async throws

    /// Appends one event; returns its id. Throws `.invalidInput` for oversized fields.
    @discardableResult
    func appendAudit(_ event: AuditEvent) async throws -> Int64

    /// Audit events with id > `after`, ascending, at most `limit` (1…1000); `actor` / `action` filter.
    func auditLog(after: Int64, actor: String?, action: AuditAction?, limit: Int) async throws -> [AuditEvent]

    // MARK: Ledgers

    /// A page of the entries matching `query` (ledger of a street / community / checkpoint / gate, or
    /// everything when `scope` is nil), ascending (`occurredAt`, `id`). Quarantined records are never
    /// in a ledger. Throws `.unknownPlace` if the scope's place does not exist.
    func entries(_ query: LedgerQuery) async throws -> LedgerPage

    /// Entries per UTC hour × decision of `occurredAt` within `range`, for `scope` (nil = all),
    /// ascending hour then decision raw value. Throws `.unknownPlace` like `entries`.
    func hourlyCounts(scope: PlaceScope?, range: TimeRange) async throws -> [HourlyCount]

    /// The tracing question: every stored passage of the credential with exactly this payload, at any
    /// gate within `scope` (nil = all), ascending `occurredAt` (within `range` if given), at most
    /// `limit` (1…5000).
    func passages(credentialPayload: String, range: TimeRange?, scope: PlaceScope?, limit: Int) async throws -> [StoredEntry]

    /// Visitors' registrations (entries with reason `visitorRegistration`) at gates within `scope`
    /// (nil = all), ascending `occurredAt` (within `range` if given), at most `limit` (1…5000).
    /// Throws `.unknownPlace` if the scope's place does not exist.
    func registrations(range: TimeRange?, scope: PlaceScope?, limit: Int) async throws -> [StoredRegistration]

    // MARK: Gate health

    /// Records a heartbeat of the authenticated `gate` received at server time `receivedAt`
    /// (clock offset = `receivedAt` − `heartbeat.sentAt`) and answers with `receivedAt` and the current
    /// watch-list version. With `rules`, in the same transaction, raises the `.clockSkew` and
    /// `.deviceFault` alerts this heartbeat starts compared with the gate's previous one
    /// (`GateAlertRules`), and returns how many. Throws `.gateMismatch` if `heartbeat.gate` ≠ `gate`,
    /// `.unknownGate` / `.gateRevoked` like `ingest`, `.invalidInput` for oversized strings (software
    /// version, boot id > 64 bytes, more than 64 devices).
    func recordHeartbeat(gate: String, _ heartbeat: Heartbeat, receivedAt: Date,
                         rules: GateAlertRules?) async throws -> (response: HeartbeatResponse, alertsRaised: Int)

    /// Raises a `.gateSilent` alert for every registered, non-revoked gate last heard from (heartbeat,
    /// ingest, or else its registration) more than `silentAfter` seconds before `now`, unless one
    /// was already raised since that contact; returns how many were raised.
    func raiseSilentGateAlerts(silentAfter: TimeInterval, now: Date) async throws -> Int

    /// Health of every gate within `scope` (nil = all), sorted by gate id.
    func gateHealth(scope: PlaceScope?) async throws -> [GateHealth]

    /// Missing seq ranges of `gate` (every epoch, below the highest seq received in it), ascending by
    /// epoch then seq. Empty for an unknown gate.
    func gaps(gate: String) async throws -> [SequenceGap]

    // MARK: Watch list

    /// The current watch-list version: 0 before the first change, +1 per successful change call.
    // MARK: Gate profiles (docs/fleet.md)

    /// Stores a new version of one place's profile level (a street, community or checkpoint that
    /// exists; `toml` already checked by `ProfileFragment`); returns it with its version.
    func putProfileLevel(_ place: PlaceScope, toml: String, by actor: String, at: Date) async throws -> ProfileLevel
    /// The place's current level, nil if never set.
    func profileLevel(_ place: PlaceScope) async throws -> ProfileLevel?
    /// The levels that apply to `gate`, street first, then community, then checkpoint (absent ones
    /// left out), and the gate's effective version (the highest of theirs; 0 with none).
    func profileLevels(gate: String) async throws -> (version: Int64, levels: [ProfileLevel])
    /// Stores a clip under the SHA-256 of its bytes (idempotent); returns that hash.
    func putClip(_ data: Data, by actor: String, at: Date) async throws -> String
    /// A clip's bytes; nil if the store has none with that hash.
    func clip(sha256: String) async throws -> Data?
    /// Which of `hashes` the store holds.
    func presentClips(_ hashes: [String]) async throws -> Set<String>
    /// Each gate of `scope` (nil: all) with its effective profile version and what it last reported.
    func gateProfiles(scope: PlaceScope?) async throws -> [GateProfileStatus]

    func watchListVersion() async throws -> Int64

    /// Adds or replaces the entries (one new version for the whole call, returned). Throws
    /// `.invalidInput` (nothing changed) for an empty or oversized credential or reason, or a
    /// credential listed twice.
    func upsertWatchList(_ changes: [WatchListChange], at: Date) async throws -> Int64

    /// Removes the credentials (one new version for the call, returned; unknown credentials are
    /// ignored; if none was on the list the version does not change).
    func removeFromWatchList(_ credentials: [String], at: Date) async throws -> Int64

    /// Removes every entry whose `validUntil` is at or before `now` (one new version, so gates drop
    /// them with their next delta); returns the credentials removed.
    func expireWatchList(now: Date) async throws -> [String]

    /// Every change after `since`: upserts with `version` > `since`, removals after `since`.
    /// `full` = true (all current entries in `upserts`, no removals) when `since` is 0, when it is
    /// older than the removal history kept (see `pruneWatchListRemovals`), or newer than the current
    /// version (a gate that knew another store).
    func watchListDelta(since: Int64) async throws -> WatchListDelta

    /// Forgets removal records at or below `version` (they grow without bound otherwise); a later
    /// delta since a version below it is `full`.
    func pruneWatchListRemovals(through version: Int64) async throws
}

/// The two engines.
public enum StorageEngine: String, Codable, Sendable, CaseIterable, Hashable {
    case sqlite, postgres
}

extension CentralStorage {
    /// A `districtAdmin` token (the only kind before roles existed).
    public func createAdminToken(label: String, at: Date) async throws -> IssuedSecret {
        try await createAdminToken(label: label, role: .districtAdmin, scope: nil, at: at)
    }

    /// Checks a presented administrator token: `.accepted`, `.revoked`, or `.unknown`.
    public func verifyAdminToken(_ token: String) async throws -> CredentialCheck {
        try await authenticateAdminToken(token).check
    }

    /// Records a heartbeat without raising gate-health alerts.
    public func recordHeartbeat(gate: String, _ heartbeat: Heartbeat, receivedAt: Date) async throws -> HeartbeatResponse {
        try await recordHeartbeat(gate: gate, heartbeat, receivedAt: receivedAt, rules: nil).response
    }

    /// Registrations at any gate.
    public func registrations(range: TimeRange?, limit: Int) async throws -> [StoredRegistration] {
        try await registrations(range: range, scope: nil, limit: limit)
    }

    /// Passages at any gate.
    public func passages(credentialPayload: String, range: TimeRange?, limit: Int) async throws -> [StoredEntry] {
        try await passages(credentialPayload: credentialPayload, range: range, scope: nil, limit: limit)
    }
}
