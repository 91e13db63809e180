import CheckpointCore
import Foundation

extension SQLCentralStorage {
    static let maxSoftwareVersionBytes = 128
    static let maxDevicesPerHeartbeat = 64
    static let maxDeviceDetailBytes = 1_024

    static func validate(_ heartbeat: Heartbeat) throws {
        if heartbeat.softwareVersion.utf8.count > maxSoftwareVersionBytes {
            throw CentralStoreError.invalidInput("softwareVersion longer than \(maxSoftwareVersionBytes) bytes")
        }
        if heartbeat.bootID.utf8.count > 64 { throw CentralStoreError.invalidInput("bootID longer than 64 bytes") }
        if heartbeat.devices.count > maxDevicesPerHeartbeat {
            throw CentralStoreError.invalidInput("more than \(maxDevicesPerHeartbeat) devices")
        }
        for device in heartbeat.devices {
            if device.id.isEmpty || device.id.utf8.count > FieldLimits.maxDeviceIDBytes {
                throw CentralStoreError.invalidInput("device id empty or longer than \(FieldLimits.maxDeviceIDBytes) bytes")
            }
            if (device.detail?.utf8.count ?? 0) > maxDeviceDetailBytes || (device.model?.utf8.count ?? 0) > maxDeviceDetailBytes {
                throw CentralStoreError.invalidInput("device \(device.id): model or detail longer than \(maxDeviceDetailBytes) bytes")
            }
            if let rejections = device.rejections {
                if rejections.count > 32 || rejections.contains(where: { $0.key.isEmpty || $0.key.utf8.count > 40 || $0.value < 0 }) {
                    throw CentralStoreError.invalidInput("device \(device.id): rejections must be at most 32 reasons of 1…40 bytes with counts ≥ 0")
                }
            }
        }
    }

    public func gateHealth(scope: PlaceScope?) async throws -> [GateHealth] {
        try await read { session in
            try await PlaceSQL.requireExists(scope, in: session)
            let place = PlaceSQL.filter(scope)
            let epochRows = try await session.query("""
                SELECT p.gate, p.journal_epoch, p.contiguous_through, p.highest_seq, p.last_received_at_ms
                FROM epochs p JOIN gates g ON g.id = p.gate \(PlaceSQL.joinFromGates) WHERE 1 = 1\(place.sql)
                """, place.arguments)
            var epochsOf: [String: [EpochProgress]] = [:]
            for row in epochRows {
                epochsOf[try row.text(0), default: []].append(
                    EpochProgress(journalEpoch: try row.uuid(1), contiguousThrough: try row.int(2), highestSeq: try row.int(3),
                                  lastReceivedAt: try row.date(4)))
            }
            let rows = try await session.query("""
                SELECT g.id, g.checkpoint, g.secret_sha256, g.revoked_at_ms, g.last_ingest_at_ms, h.received_at_ms, h.backlog,
                    h.clock_offset_ms, h.clock_synced, h.software_version, h.boot_id, h.journal_epoch, h.last_seq, h.devices_json
                FROM gates g \(PlaceSQL.joinFromGates) LEFT JOIN heartbeats h ON h.gate = g.id WHERE 1 = 1\(place.sql)
                """, place.arguments)
            return try rows.map { row in
                let gate = try row.text(0)
                let devices = try row.optionalText(13).map { try Self.decodeJSON([DeviceState].self, $0) } ?? []
                return GateHealth(
                    gate: gate, checkpoint: try row.text(1), canIngest: !row.isNull(2) && row.isNull(3),
                    lastContact: try row.optionalDate(5), lastIngestAt: try row.optionalDate(4), backlog: try row.optionalInt(6),
                    clockOffsetMillis: try row.optionalInt(7), clockSynced: try row.optionalBool(8),
                    softwareVersion: try row.optionalText(9), bootID: try row.optionalText(10),
                    journalEpoch: try row.optionalUUID(11), lastSeq: try row.optionalInt(12), devices: devices,
                    epochs: (epochsOf[gate] ?? []).sorted { ($0.lastReceivedAt, $0.journalEpoch.uuidString) > ($1.lastReceivedAt, $1.journalEpoch.uuidString) })
            }.sorted { $0.gate < $1.gate }
        }
    }

    public func gaps(gate: String) async throws -> [SequenceGap] {
        try await read { session in
            // Only seqs above each epoch's contiguous mark can border a gap.
            let rows = try await session.query("""
                SELECT journal_epoch, previous + 1, seq - 1 FROM (
                    SELECT k.journal_epoch, k.seq,
                        COALESCE(LAG(k.seq) OVER (PARTITION BY k.journal_epoch ORDER BY k.seq), k.contiguous_through) AS previous
                    FROM (SELECT e.journal_epoch, e.seq, p.contiguous_through FROM entries e
                              JOIN epochs p ON p.gate = e.gate AND p.journal_epoch = e.journal_epoch
                              WHERE e.gate = ? AND e.seq > p.contiguous_through
                          UNION ALL
                          SELECT q.journal_epoch, q.seq, p.contiguous_through FROM quarantine q
                              JOIN epochs p ON p.gate = q.gate AND p.journal_epoch = q.journal_epoch
                              WHERE q.gate = ? AND q.seq > p.contiguous_through) k) w
                WHERE seq > previous + 1
                """, [.text(gate), .text(gate)])
            return try rows.map { row in
                SequenceGap(gate: gate, journalEpoch: try row.uuid(0), fromSeq: try row.int(1), throughSeq: try row.int(2))
            }.sorted { ($0.journalEpoch.uuidString, $0.fromSeq) < ($1.journalEpoch.uuidString, $1.fromSeq) }
        }
    }
}
