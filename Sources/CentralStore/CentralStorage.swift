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

    /// Issues a new secret for `gate` and returns it — the only time it is ever visible; the store
    /// keeps its SHA-256. Creates the gate under `checkpoint` if it does not exist (moves it if it
    /// does); replaces any previous secret and clears a revocation (this is also how to rotate).
    /// Throws `.unknownPlace(.checkpoint, …)` if the checkpoint does not exist, `.invalidInput` for a
    /// bad gate id.
    func registerGate(_ gate: String, checkpoint: String, at: Date) async throws -> IssuedSecret

    /// Checks a presented secret in constant time. `.accepted` only for a registered, non-revoked
    /// gate whose secret this is.
    func verifyGateSecret(gate: String, secret: String) async throws -> CredentialCheck

    /// Revokes the gate's secret: from now on `verifyGateSecret` answers `.revoked` and `ingest` /
    /// `recordHeartbeat` throw `.gateRevoked`. Its records stay in the ledgers.
    /// Throws `.unknownGate` if no such gate.
    func revokeGate(_ gate: String, at: Date) async throws

    /// Every gate, sorted by id.
    func gates() async throws -> [GateInfo]

    /// Issues an administrator token under a unique `label` (1…64 identifier characters) and returns it
    /// once (stored as SHA-256). Throws `.invalidInput` if the label is bad or already in use.
    /// (The server may additionally accept a token configured at startup; that is its business.)
    func createAdminToken(label: String, at: Date) async throws -> IssuedSecret

    /// Checks a presented administrator token: `.accepted`, `.revoked`, or `.unknown`.
    func verifyAdminToken(_ token: String) async throws -> CredentialCheck

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

    // MARK: Ledgers

    /// A page of the entries matching `query` (ledger of a street / community / checkpoint / gate, or
    /// everything when `scope` is nil), ascending (`occurredAt`, `id`). Quarantined records are never
    /// in a ledger. Throws `.unknownPlace` if the scope's place does not exist.
    func entries(_ query: LedgerQuery) async throws -> LedgerPage

    /// Entries per UTC hour × decision of `occurredAt` within `range`, for `scope` (nil = all),
    /// ascending hour then decision raw value. Throws `.unknownPlace` like `entries`.
    func hourlyCounts(scope: PlaceScope?, range: TimeRange) async throws -> [HourlyCount]

    /// The tracing question: every stored passage of the credential with exactly this payload, at any
    /// gate, ascending `occurredAt` (within `range` if given), at most `limit` (1…5000).
    func passages(credentialPayload: String, range: TimeRange?, limit: Int) async throws -> [StoredEntry]

    /// Visitors' registrations (entries with reason `visitorRegistration`), ascending `occurredAt`
    /// (within `range` if given), at most `limit` (1…5000).
    func registrations(range: TimeRange?, limit: Int) async throws -> [StoredRegistration]

    // MARK: Gate health

    /// Records a heartbeat of the authenticated `gate` received at server time `receivedAt`
    /// (clock offset = `receivedAt` − `heartbeat.sentAt`) and answers with `receivedAt` and the current
    /// watch-list version. Throws `.gateMismatch` if `heartbeat.gate` ≠ `gate`, `.unknownGate` /
    /// `.gateRevoked` like `ingest`, `.invalidInput` for oversized strings (software version,
    /// boot id > 64 bytes, more than 64 devices).
    func recordHeartbeat(gate: String, _ heartbeat: Heartbeat, receivedAt: Date) async throws -> HeartbeatResponse

    /// Health of every gate within `scope` (nil = all), sorted by gate id.
    func gateHealth(scope: PlaceScope?) async throws -> [GateHealth]

    /// Missing seq ranges of `gate` (every epoch, below the highest seq received in it), ascending by
    /// epoch then seq. Empty for an unknown gate.
    func gaps(gate: String) async throws -> [SequenceGap]

    // MARK: Watch list

    /// The current watch-list version: 0 before the first change, +1 per successful change call.
    func watchListVersion() async throws -> Int64

    /// Adds or replaces the entries (one new version for the whole call, returned). Throws
    /// `.invalidInput` (nothing changed) for an empty or oversized credential or reason, or a
    /// credential listed twice.
    func upsertWatchList(_ changes: [WatchListChange], at: Date) async throws -> Int64

    /// Removes the credentials (one new version for the call, returned; unknown credentials are
    /// ignored; if none was on the list the version does not change).
    func removeFromWatchList(_ credentials: [String], at: Date) async throws -> Int64

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
