import CheckpointCore
import Foundation

extension SQLCentralStorage {
    public func recordHeartbeat(gate: String, _ heartbeat: Heartbeat, receivedAt: Date,
                                rules: GateAlertRules?) async throws -> (response: HeartbeatResponse, alertsRaised: Int) {
        guard heartbeat.gate == gate else {
            throw CentralStoreError.gateMismatch(authenticated: gate, presented: heartbeat.gate)
        }
        try Self.validate(heartbeat)
        let devices = try Self.json(heartbeat.devices)
        let offset = SQLTime.millis(receivedAt) - SQLTime.millis(heartbeat.sentAt)
        return try await write { session in
            // The gate's check and its previous heartbeat in one statement.
            let rows = try await session.query("""
                SELECT g.secret_sha256, g.revoked_at_ms, h.gate, h.clock_offset_ms, h.devices_json
                FROM gates g LEFT JOIN heartbeats h ON h.gate = g.id WHERE g.id = ?
                """, [.text(gate)])
            guard let row = rows.first, !row.isNull(0) else { throw CentralStoreError.unknownGate(gate) }
            guard row.isNull(1) else { throw CentralStoreError.gateRevoked(gate) }
            var raised = 0
            if let rules {
                let previous = row.isNull(2) ? nil : (offsetMillis: try row.int(3), devicesJSON: try row.text(4))
                let alerts = try Self.heartbeatAlerts(gate: gate, heartbeat, offsetMillis: offset, receivedAt: receivedAt,
                                                      rules: rules, previous: previous)
                try await self.insertRows(session, table: "alerts", columns: Self.alertColumns, rows: alerts)
                raised = alerts.count
            }
            try await Self.upsertHeartbeat(gate: gate, heartbeat, offsetMillis: offset, devicesJSON: devices, receivedAt: receivedAt,
                                           session: session)
            let versions = try await Self.recordProfileReport(gate: gate, heartbeat.profile, at: receivedAt, session: session)
            var response = HeartbeatResponse(serverTime: receivedAt, watchListVersion: versions.watchList)
            response.profileVersion = versions.profile
            return (response, raised)
        }
    }

    /// The alerts this heartbeat starts, compared with the gate's previous heartbeat (nil: its first).
    private static func heartbeatAlerts(gate: String, _ heartbeat: Heartbeat, offsetMillis: Int64, receivedAt: Date,
                                        rules: GateAlertRules, previous: (offsetMillis: Int64, devicesJSON: String)?) throws -> [[SQLValue]] {
        let previousOffset = previous?.offsetMillis
        let previousDevices = try previous.map { try decodeJSON([DeviceState].self, $0.devicesJSON) } ?? []
        var rows: [[SQLValue]] = []
        let bound = Int64((rules.clockOffsetBound * 1000).rounded())
        if abs(offsetMillis) > bound, previousOffset.map({ abs($0) <= bound }) ?? true {
            rows.append(gateAlertRow(kind: .clockSkew, gate: gate, at: receivedAt,
                                     detail: String(format: "clock offset %+.1f s (server − gate), beyond ±%.0f s; gate clock %@",
                                                    Double(offsetMillis) / 1000, rules.clockOffsetBound,
                                                    heartbeat.clockSynced ? "synchronised" : "not synchronised")))
        }
        let wasFaulty = Set(previousDevices.filter { rules.faultStatuses.contains($0.status) }.map(\.id))
        for device in heartbeat.devices where rules.faultStatuses.contains(device.status) && !wasFaulty.contains(device.id) {
            var detail = "\(device.role.rawValue) \(device.id) \(device.status.rawValue)"
            if let model = device.model { detail += " (\(model))" }
            if let text = device.detail, !text.isEmpty { detail += ": " + String(decoding: Array(text.utf8.prefix(300)), as: UTF8.self) }
            rows.append(gateAlertRow(kind: .deviceFault, gate: gate, at: receivedAt, detail: detail))
        }
        return rows
    }

    private static func upsertHeartbeat(gate: String, _ heartbeat: Heartbeat, offsetMillis: Int64, devicesJSON: String, receivedAt: Date,
                                        session: any SQLSession) async throws {
        try await session.execute("""
            INSERT INTO heartbeats (gate, received_at_ms, sent_at_ms, clock_offset_ms, clock_synced, boot_id, monotonic_nanos,
                journal_epoch, last_seq, backlog, software_version, devices_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (gate) DO UPDATE SET received_at_ms = excluded.received_at_ms, sent_at_ms = excluded.sent_at_ms,
                clock_offset_ms = excluded.clock_offset_ms, clock_synced = excluded.clock_synced, boot_id = excluded.boot_id,
                monotonic_nanos = excluded.monotonic_nanos, journal_epoch = excluded.journal_epoch,
                last_seq = excluded.last_seq, backlog = excluded.backlog, software_version = excluded.software_version,
                devices_json = excluded.devices_json
            """, [.text(gate), .millis(receivedAt), .millis(heartbeat.sentAt), .int(offsetMillis), .bool(heartbeat.clockSynced),
                  .text(heartbeat.bootID), .int(Int64(bitPattern: heartbeat.monotonicNanos)), .uuid(heartbeat.journalEpoch),
                  .int(heartbeat.lastSeq), .int(heartbeat.backlog), .text(heartbeat.softwareVersion), .text(devicesJSON)])
    }

    public func raiseSilentGateAlerts(silentAfter: TimeInterval, now: Date) async throws -> Int {
        let raised = try await write { session in
            let rows = try await session.query("""
                SELECT g.id, g.registered_at_ms, g.last_ingest_at_ms, h.received_at_ms,
                    (SELECT MAX(a.raised_at_ms) FROM alerts a WHERE a.gate = g.id AND a.kind = ?)
                FROM gates g LEFT JOIN heartbeats h ON h.gate = g.id
                WHERE g.secret_sha256 IS NOT NULL AND g.revoked_at_ms IS NULL
                """, [.text(AlertKind.gateSilent.rawValue)])
            let limit = SQLTime.millis(now.addingTimeInterval(-silentAfter))
            var alerts: [[SQLValue]] = []
            for row in rows {
                let heard = try [row.optionalInt(1), row.optionalInt(2), row.optionalInt(3)].compactMap { $0 }.max()
                guard let lastContact = heard, lastContact < limit else { continue }
                if let lastAlert = try row.optionalInt(4), lastAlert >= lastContact { continue }
                let minutes = Int((now.timeIntervalSince(SQLTime.date(lastContact)) / 60).rounded(.down))
                alerts.append(Self.gateAlertRow(kind: .gateSilent, gate: try row.text(0), at: now,
                                                detail: "no heartbeat or ingest for \(minutes) min (last contact "
                                                    + "\(ISO8601DateFormatter().string(from: SQLTime.date(lastContact))))"))
            }
            try await self.insertRows(session, table: "alerts", columns: Self.alertColumns, rows: alerts)
            return alerts.count
        }
        if raised > 0 { logger.warning("gates silent", metadata: ["count": "\(raised)"]) }
        return raised
    }

    /// A gate-health alert: the record columns hold placeholders (read back as nil, see `alert(_:)`).
    static func gateAlertRow(kind: AlertKind, gate: String, at: Date, detail: String) -> [SQLValue] {
        let none = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        return [.text(kind.rawValue), .millis(at), .text(gate), .uuid(none), .int(0), .millis(at), .uuid(none), .text(""), .text(""),
                .null, .null, .text(detail)]
    }
}
