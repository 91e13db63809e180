import CheckpointCore
import Foundation

extension SQLCentralStorage {
    static let commandColumns = "id, kind, lane, requested_by, created_at_ms, expires_at_ms"

    public func createCommand(gate: String, lane: String, requestedBy: String, at: Date, expiresAt: Date) async throws -> RemoteCommand {
        guard FieldLimits.isValidIdentifier(lane) else { throw CentralStoreError.invalidInput("lane is not a valid identifier") }
        guard !requestedBy.isEmpty, requestedBy.utf8.count <= FieldLimits.maxRecordedByBytes else {
            throw CentralStoreError.invalidInput("requestedBy must be 1…\(FieldLimits.maxRecordedByBytes) bytes")
        }
        guard expiresAt > at else { throw CentralStoreError.invalidInput("a command must expire after it is created") }
        let command = RemoteCommand(id: UUIDv7.make(at: at), lane: lane, requestedBy: requestedBy, createdAt: at, expiresAt: expiresAt)
        try await write { session in
            _ = try await Self.requireActiveGate(gate, in: session)
            try await session.execute("""
                INSERT INTO gate_commands (id, gate, lane, kind, requested_by, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.uuid(command.id), .text(gate), .text(lane), .text(command.kind.rawValue), .text(requestedBy), .millis(at),
                      .millis(expiresAt)])
        }
        return command
    }

    public func pendingCommands(gate: String, now: Date) async throws -> [RemoteCommand] {
        try await write { session in
            let rows = try await session.query("""
                SELECT \(Self.commandColumns) FROM gate_commands
                WHERE gate = ? AND acknowledged_at_ms IS NULL AND expires_at_ms > ? ORDER BY created_at_ms, id
                """, [.text(gate), .millis(now)])
            let commands = try rows.map { row in
                RemoteCommand(id: try row.uuid(0), kind: try row.rawEnum(1, as: RemoteCommand.Kind.self), lane: try row.text(2),
                              requestedBy: try row.text(3), createdAt: try row.date(4), expiresAt: try row.date(5))
            }
            for command in commands {
                try await session.execute("UPDATE gate_commands SET delivered_at_ms = ? WHERE id = ? AND delivered_at_ms IS NULL",
                                          [.millis(now), .uuid(command.id)])
            }
            return commands
        }
    }

    public func acknowledgeCommand(gate: String, id: UUID, acknowledgement: RemoteCommandAcknowledgement, at: Date) async throws {
        try await write { session in
            let rows = try await session.query("SELECT acknowledged_at_ms FROM gate_commands WHERE id = ? AND gate = ?",
                                               [.uuid(id), .text(gate)])
            guard let row = rows.first else { throw CentralStoreError.notFound("no command \(id.uuidString.lowercased()) for gate \(gate)") }
            guard row.isNull(0) else { return }
            try await session.execute("""
                UPDATE gate_commands SET acknowledged_at_ms = ?, outcome = ?, detail = ?,
                    delivered_at_ms = COALESCE(delivered_at_ms, ?) WHERE id = ?
                """, [.millis(at), .text(acknowledgement.outcome.rawValue), .optional(acknowledgement.detail.map { String($0.prefix(500)) }),
                      .millis(at), .uuid(id)])
        }
    }

    public func command(_ id: UUID) async throws -> StoredCommand? {
        try await read { session in
            let rows = try await session.query("""
                SELECT \(Self.commandColumns), gate, delivered_at_ms, acknowledged_at_ms, outcome, detail FROM gate_commands WHERE id = ?
                """, [.uuid(id)])
            return try rows.first.map { row in
                StoredCommand(command: RemoteCommand(id: try row.uuid(0), kind: try row.rawEnum(1, as: RemoteCommand.Kind.self),
                                                     lane: try row.text(2), requestedBy: try row.text(3), createdAt: try row.date(4),
                                                     expiresAt: try row.date(5)),
                              gate: try row.text(6), deliveredAt: try row.optionalDate(7), acknowledgedAt: try row.optionalDate(8),
                              outcome: try row.optionalText(9).flatMap(RemoteCommandAcknowledgement.Outcome.init(rawValue:)),
                              detail: try row.optionalText(10))
            }
        }
    }
}
