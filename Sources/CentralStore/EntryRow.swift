import CheckpointCore
import Foundation

/// How an `EntryRecord` maps onto the `entries` table and back.
enum EntryRow {
    static let columns = [
        "gate", "journal_epoch", "seq", "id", "occurred_at_ms", "received_at_ms", "clock_synced", "boot_id",
        "monotonic_nanos", "lane", "direction", "credential_kind", "credential_payload", "credential_symbology",
        "credential_sha256", "temperature_celsius", "temperature_kind", "temperature_raw", "temperature_device",
        "decision", "reason", "policy_version", "recorded_by",
    ]

    static func values(_ r: EntryRecord, receivedAt: Date) -> [SQLValue] {
        [
            .text(r.gate), .uuid(r.journalEpoch), .int(r.seq), .uuid(r.id), .millis(r.occurredAt), .millis(receivedAt),
            .bool(r.clockSynced), .text(r.bootID), .int(Int64(bitPattern: r.monotonicNanos)), .text(r.lane),
            .text(r.direction.rawValue), .optional(r.credential?.kind.rawValue), .optional(r.credential?.payload),
            .optional(r.credential?.symbology.rawValue), .optional(r.credential.map { Secrets.sha256(text: $0.payload) }),
            .optional(r.temperature?.celsius), .optional(r.temperature?.kind.rawValue), .optional(r.temperature?.raw),
            .optional(r.temperature?.device), .text(r.decision.rawValue), .text(r.reason.rawValue), .text(r.policyVersion),
            .optional(r.recordedBy),
        ]
    }

    /// The select list matching `decode`: entry columns (`e`) then checkpoint, community, street.
    static let selectList = columns.filter { $0 != "credential_sha256" }.map { "e.\($0)" }.joined(separator: ", ")
        + ", g.checkpoint, c.community, m.street"

    /// `FROM entries e` with the joins `selectList` needs.
    static let fromJoined = "FROM entries e JOIN gates g ON g.id = e.gate " + PlaceSQL.joinFromGates

    static func decode(_ row: SQLRow) throws -> StoredEntry {
        var credential: Credential?
        if let kind = try row.optionalText(11), let payload = try row.optionalText(12), let symbology = try row.optionalText(13) {
            credential = Credential(kind: try parse(CredentialKind.self, kind), payload: payload,
                                    symbology: try parse(Symbology.self, symbology))
        }
        var temperature: TemperatureReading?
        if let celsius = try row.optionalDouble(14), let kind = try row.optionalText(15) {
            temperature = TemperatureReading(celsius: celsius, kind: try parse(TemperatureKind.self, kind),
                                             raw: try row.optionalDouble(16) ?? celsius, device: try row.optionalText(17) ?? "")
        }
        let record = EntryRecord(
            id: try row.uuid(3), gate: try row.text(0), journalEpoch: try row.uuid(1), seq: try row.int(2),
            occurredAt: try row.date(4), clockSynced: try row.bool(6), bootID: try row.text(7),
            monotonicNanos: UInt64(bitPattern: try row.int(8)), lane: try row.text(9),
            direction: try row.rawEnum(10, as: Direction.self), credential: credential, temperature: temperature,
            decision: try row.rawEnum(18, as: Decision.self), reason: try row.rawEnum(19, as: ReasonCode.self),
            policyVersion: try row.text(20), recordedBy: try row.optionalText(21))
        return StoredEntry(record: record, receivedAt: try row.date(5), checkpoint: try row.text(22),
                           community: try row.text(23), street: try row.text(24))
    }

    private static func parse<E: RawRepresentable>(_ type: E.Type, _ text: String) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: text) else { throw CentralStoreError.engine("stored \(E.self) \(text) is unknown") }
        return value
    }
}
