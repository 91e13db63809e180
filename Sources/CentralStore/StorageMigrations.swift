import Foundation

/// The versioned schema of the central store. Each migration is a list of DDL statements written
/// once with type placeholders, so both engines get the same logical schema:
/// `{UUID}` (SQLite TEXT, lowercase / PostgreSQL UUID), `{BOOL}` (INTEGER 0/1 / BOOLEAN),
/// `{DOUBLE}` (REAL / DOUBLE PRECISION), `{SERIAL}` (an auto-increment BIGINT primary key).
/// Times are BIGINT milliseconds since 1970-01-01T00:00:00Z (`*_ms` columns).
///
/// Migrations are applied at open, in order, in one transaction together with their rows in
/// `schema_migrations`; applying is idempotent (re-opening applies nothing). A database whose
/// version is newer than `latestVersion` is refused. Never edit a released migration: add one.
public enum StorageMigrations {
    struct Migration {
        let version: Int
        let description: String
        let statements: [String]
    }

    /// The schema version this program writes.
    public static var latestVersion: Int { all.last?.version ?? 0 }

    static let tableOfMigrations = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at_ms BIGINT NOT NULL)
        """

    static let all: [Migration] = [
        Migration(version: 1, description: "places, gates, credentials, entries, quarantine, epochs, alerts, heartbeats, watch list", statements: [
            "CREATE TABLE streets (id TEXT PRIMARY KEY, name TEXT NOT NULL)",
            """
            CREATE TABLE communities (id TEXT PRIMARY KEY, street TEXT NOT NULL REFERENCES streets (id),
                name TEXT NOT NULL)
            """,
            """
            CREATE TABLE checkpoints (id TEXT PRIMARY KEY, community TEXT NOT NULL REFERENCES communities (id),
                name TEXT NOT NULL)
            """,
            // secret_sha256: hex SHA-256 of the 32 secret bytes; NULL until a secret is issued.
            """
            CREATE TABLE gates (id TEXT PRIMARY KEY, checkpoint TEXT NOT NULL REFERENCES checkpoints (id),
                name TEXT, secret_sha256 TEXT, registered_at_ms BIGINT, revoked_at_ms BIGINT, last_ingest_at_ms BIGINT)
            """,
            "CREATE INDEX gates_checkpoint ON gates (checkpoint)",
            """
            CREATE TABLE admin_tokens (label TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL UNIQUE,
                created_at_ms BIGINT NOT NULL, revoked_at_ms BIGINT)
            """,
            // One row per stored record; the primary key is the deduplication key.
            // credential_sha256 indexes payloads of any length (PostgreSQL B-tree rows are limited).
            """
            CREATE TABLE entries (
                gate TEXT NOT NULL REFERENCES gates (id),
                journal_epoch {UUID} NOT NULL,
                seq BIGINT NOT NULL,
                id {UUID} NOT NULL,
                occurred_at_ms BIGINT NOT NULL,
                received_at_ms BIGINT NOT NULL,
                clock_synced {BOOL} NOT NULL,
                boot_id TEXT NOT NULL,
                monotonic_nanos BIGINT NOT NULL,
                lane TEXT NOT NULL,
                direction TEXT NOT NULL,
                credential_kind TEXT,
                credential_payload TEXT,
                credential_symbology TEXT,
                credential_sha256 TEXT,
                temperature_celsius {DOUBLE},
                temperature_kind TEXT,
                temperature_raw {DOUBLE},
                temperature_device TEXT,
                decision TEXT NOT NULL,
                reason TEXT NOT NULL,
                policy_version TEXT NOT NULL,
                recorded_by TEXT,
                PRIMARY KEY (gate, journal_epoch, seq))
            """,
            "CREATE INDEX entries_occurred ON entries (occurred_at_ms, id)",
            "CREATE INDEX entries_gate_occurred ON entries (gate, occurred_at_ms, id)",
            "CREATE INDEX entries_credential ON entries (credential_sha256, occurred_at_ms)",
            // Records the store could not accept; they share the key space of entries.
            """
            CREATE TABLE quarantine (
                gate TEXT NOT NULL REFERENCES gates (id),
                journal_epoch {UUID} NOT NULL,
                seq BIGINT NOT NULL,
                id {UUID},
                received_at_ms BIGINT NOT NULL,
                reasons_json TEXT NOT NULL,
                record_json TEXT NOT NULL,
                PRIMARY KEY (gate, journal_epoch, seq))
            """,
            "CREATE INDEX quarantine_received ON quarantine (received_at_ms)",
            // Per (gate, epoch): 1…contiguous_through all held (entries ∪ quarantine).
            """
            CREATE TABLE epochs (
                gate TEXT NOT NULL REFERENCES gates (id),
                journal_epoch {UUID} NOT NULL,
                contiguous_through BIGINT NOT NULL,
                highest_seq BIGINT NOT NULL,
                first_received_at_ms BIGINT NOT NULL,
                last_received_at_ms BIGINT NOT NULL,
                PRIMARY KEY (gate, journal_epoch))
            """,
            """
            CREATE TABLE alerts (
                id {SERIAL},
                kind TEXT NOT NULL,
                raised_at_ms BIGINT NOT NULL,
                gate TEXT NOT NULL,
                journal_epoch {UUID} NOT NULL,
                seq BIGINT NOT NULL,
                occurred_at_ms BIGINT NOT NULL,
                entry_id {UUID} NOT NULL,
                decision TEXT NOT NULL,
                reason TEXT NOT NULL,
                credential_payload TEXT,
                temperature_celsius {DOUBLE},
                detail TEXT NOT NULL)
            """,
            "CREATE INDEX alerts_occurred ON alerts (occurred_at_ms)",
            "CREATE INDEX alerts_gate ON alerts (gate, id)",
            // The latest heartbeat of each gate.
            """
            CREATE TABLE heartbeats (
                gate TEXT PRIMARY KEY REFERENCES gates (id),
                received_at_ms BIGINT NOT NULL,
                sent_at_ms BIGINT NOT NULL,
                clock_offset_ms BIGINT NOT NULL,
                clock_synced {BOOL} NOT NULL,
                boot_id TEXT NOT NULL,
                monotonic_nanos BIGINT NOT NULL,
                journal_epoch {UUID} NOT NULL,
                last_seq BIGINT NOT NULL,
                backlog BIGINT NOT NULL,
                software_version TEXT NOT NULL,
                devices_json TEXT NOT NULL)
            """,
            // The watch list; keyed by the payload's SHA-256 (payloads may exceed B-tree limits).
            """
            CREATE TABLE watch_list (
                credential_sha256 TEXT PRIMARY KEY,
                credential TEXT NOT NULL,
                colour TEXT NOT NULL,
                isolation {BOOL} NOT NULL,
                reason TEXT NOT NULL,
                valid_until_ms BIGINT,
                version BIGINT NOT NULL,
                changed_at_ms BIGINT NOT NULL)
            """,
            "CREATE INDEX watch_list_version ON watch_list (version)",
            """
            CREATE TABLE watch_removals (
                credential_sha256 TEXT PRIMARY KEY,
                credential TEXT NOT NULL,
                version BIGINT NOT NULL,
                removed_at_ms BIGINT NOT NULL)
            """,
            "CREATE INDEX watch_removals_version ON watch_removals (version)",
            // One row: the list's version and how far removal history has been pruned.
            """
            CREATE TABLE watch_state (
                singleton BIGINT PRIMARY KEY CHECK (singleton = 1),
                version BIGINT NOT NULL,
                removals_pruned_through BIGINT NOT NULL)
            """,
            "INSERT INTO watch_state (singleton, version, removals_pruned_through) VALUES (1, 0, 0)",
        ]),
        // Visitors' registrations (外来人员登记): only entries with reason visitorRegistration carry them.
        Migration(version: 2, description: "registrations", statements: [
            """
            CREATE TABLE registrations (
                gate TEXT NOT NULL,
                journal_epoch {UUID} NOT NULL,
                seq BIGINT NOT NULL,
                occurred_at_ms BIGINT NOT NULL,
                lane TEXT NOT NULL,
                name TEXT NOT NULL,
                citizen_number TEXT NOT NULL,
                address TEXT NOT NULL,
                host TEXT,
                PRIMARY KEY (gate, journal_epoch, seq),
                FOREIGN KEY (gate, journal_epoch, seq) REFERENCES entries (gate, journal_epoch, seq))
            """,
            "CREATE INDEX registrations_occurred ON registrations (occurred_at_ms)",
        ]),
        Migration(version: 3, description: "accounts, sessions, audit log, scoped admin tokens, alert acknowledgement, first registration", statements: [
            // password_hash: bcrypt (made by the server); scope_*: NULL for district-wide roles.
            """
            CREATE TABLE accounts (username TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL,
                scope_level TEXT, scope_id TEXT, password_hash TEXT NOT NULL, created_at_ms BIGINT NOT NULL,
                disabled_at_ms BIGINT)
            """,
            // token_sha256: hex SHA-256 of the session cookie's value (the cookie itself is never stored).
            """
            CREATE TABLE sessions (token_sha256 TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES accounts (username),
                csrf_token TEXT NOT NULL, created_at_ms BIGINT NOT NULL, expires_at_ms BIGINT NOT NULL)
            """,
            "CREATE INDEX sessions_expires ON sessions (expires_at_ms)",
            """
            CREATE TABLE audit_log (id {SERIAL}, at_ms BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                target TEXT NOT NULL, detail TEXT NOT NULL)
            """,
            "CREATE INDEX audit_log_at ON audit_log (at_ms)",
            "ALTER TABLE admin_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'districtAdmin'",
            "ALTER TABLE admin_tokens ADD COLUMN scope_level TEXT",
            "ALTER TABLE admin_tokens ADD COLUMN scope_id TEXT",
            "ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT",
            "ALTER TABLE alerts ADD COLUMN acknowledged_at_ms BIGINT",
            // When the gate got its first secret (rotation keeps it): records long before it are implausible.
            "ALTER TABLE gates ADD COLUMN first_registered_at_ms BIGINT",
            "UPDATE gates SET first_registered_at_ms = registered_at_ms",
        ]),
        Migration(version: 4, description: "webhook deliveries", statements: [
            // One row per alert to deliver to one endpoint URL: the delivery log. No payload is copied here:
            // the body is made from the alert at each attempt (an erased alert is never sent).
            """
            CREATE TABLE webhook_deliveries (id {SERIAL}, url TEXT NOT NULL, alert_id BIGINT NOT NULL,
                alert_kind TEXT NOT NULL, status TEXT NOT NULL, attempts BIGINT NOT NULL, created_at_ms BIGINT NOT NULL,
                last_attempt_at_ms BIGINT, next_attempt_at_ms BIGINT, delivered_at_ms BIGINT, last_status_code BIGINT,
                last_error TEXT, UNIQUE (url, alert_id))
            """,
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (url, status, next_attempt_at_ms)",
            // Per endpoint URL: the highest alert id already looked at, and when the endpoint was first seen.
            "CREATE TABLE webhook_cursors (url TEXT PRIMARY KEY, last_alert_id BIGINT NOT NULL, since_ms BIGINT NOT NULL)",
        ]),
        Migration(version: 5, description: "gate profiles, clips, gates' applied profile", statements: [
            // One row per change of one place's profile level (street, community or checkpoint); the
            // latest row of a place is its level. version rises across all places (docs/fleet.md).
            """
            CREATE TABLE profile_levels (version {SERIAL}, level TEXT NOT NULL, place TEXT NOT NULL, toml TEXT NOT NULL,
                changed_by TEXT NOT NULL, changed_at_ms BIGINT NOT NULL)
            """,
            "CREATE INDEX profile_levels_place ON profile_levels (level, place, version)",
            // Uploaded announcement clips by the SHA-256 (lowercase hex) of their bytes, stored as base64.
            """
            CREATE TABLE profile_clips (sha256 TEXT PRIMARY KEY, base64 TEXT NOT NULL, bytes BIGINT NOT NULL,
                uploaded_by TEXT NOT NULL, uploaded_at_ms BIGINT NOT NULL)
            """,
            // What each gate last reported of its profile in a heartbeat.
            """
            CREATE TABLE gate_profiles (gate TEXT PRIMARY KEY REFERENCES gates (id), applied_version BIGINT NOT NULL,
                refused_version BIGINT, refusal TEXT, reported_at_ms BIGINT NOT NULL)
            """,
        ]),
        Migration(version: 6, description: "door alerts held by their journal key, remote-open commands", statements: [
            // A gate's door events are stored only as alerts (never in the ledgers); ingest looks their keys up here.
            "CREATE INDEX alerts_record_key ON alerts (gate, journal_epoch, seq)",
            // Commands to gates (open a lane once): handed out until acknowledged or expired.
            """
            CREATE TABLE gate_commands (id {UUID} PRIMARY KEY, gate TEXT NOT NULL, lane TEXT NOT NULL, kind TEXT NOT NULL,
                requested_by TEXT NOT NULL, created_at_ms BIGINT NOT NULL, expires_at_ms BIGINT NOT NULL,
                delivered_at_ms BIGINT, acknowledged_at_ms BIGINT, outcome TEXT, detail TEXT)
            """,
            "CREATE INDEX gate_commands_pending ON gate_commands (gate, acknowledged_at_ms, expires_at_ms)",
        ]),
        Migration(version: 7, description: "ledger counts from the gates' index alone", statements: [
            // A place's hourly counts read (gate, occurred_at_ms, decision) for each of its gates without
            // visiting the rows (Benchmarks/RESULTS.md, "Scale of the central store").
            "DROP INDEX entries_gate_occurred",
            "CREATE INDEX entries_gate_occurred_decision ON entries (gate, occurred_at_ms, id, decision)",
        ]),
    ]

    /// `statement` with its type placeholders spelled for `engine`.
    static func spell(_ statement: String, for engine: StorageEngine) -> String {
        let types: [(String, String)]
        switch engine {
        case .sqlite:
            types = [("{UUID}", "TEXT"), ("{BOOL}", "INTEGER"), ("{DOUBLE}", "REAL"),
                     ("{SERIAL}", "INTEGER PRIMARY KEY AUTOINCREMENT")]
        case .postgres:
            types = [("{UUID}", "UUID"), ("{BOOL}", "BOOLEAN"), ("{DOUBLE}", "DOUBLE PRECISION"),
                     ("{SERIAL}", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")]
        }
        return types.reduce(statement) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    /// Applies every migration newer than the database's version; returns the resulting version.
    static func migrate(_ database: any SQLDatabase, at now: Date) async throws -> Int {
        let engine = database.engine
        return try await database.transaction { session in
            if engine == .postgres {
                // Two servers opening one database at once: one migrates, the other waits and sees it done.
                try await session.execute("SELECT pg_advisory_xact_lock(hashtext('checkpoint-migrations'))::text")
            }
            try await session.execute(tableOfMigrations)
            let current = Int(try await session.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first?.int(0) ?? 0)
            guard current <= latestVersion else {
                throw CentralStoreError.migration("database schema version \(current) is newer than this program's \(latestVersion)")
            }
            for migration in all where migration.version > current {
                for statement in migration.statements {
                    do {
                        try await session.execute(spell(statement, for: engine))
                    } catch {
                        throw CentralStoreError.migration("version \(migration.version): \(error)")
                    }
                }
                try await session.execute("INSERT INTO schema_migrations (version, description, applied_at_ms) VALUES (?, ?, ?)",
                                          [.int(Int64(migration.version)), .text(migration.description), .millis(now)])
            }
            return latestVersion
        }
    }
}
