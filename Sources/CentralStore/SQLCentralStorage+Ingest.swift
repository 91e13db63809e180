import CheckpointCore
import Foundation

extension SQLCentralStorage {
    static let alertColumns = [
        "kind", "raised_at_ms", "gate", "journal_epoch", "seq", "occurred_at_ms", "entry_id", "decision", "reason",
        "credential_payload", "temperature_celsius", "detail",
    ]
    static let registrationColumns = ["gate", "journal_epoch", "seq", "occurred_at_ms", "lane", "name", "citizen_number", "address", "host"]
    static let quarantineColumns = ["gate", "journal_epoch", "seq", "id", "received_at_ms", "reasons_json", "record_json"]
    /// The alert kinds that hold a door event's journal key (an SQL list of literals).
    static let doorKinds = "('\(AlertKind.doorForced.rawValue)', '\(AlertKind.doorHeldOpen.rawValue)')"
    /// Seqs per `IN (…)` list when looking up held keys.
    static let keyLookupChunk = 500
    /// Seqs examined per step when advancing contiguity.
    static let contiguityWindow: Int64 = 2_000

    public func ingest(gate: String, records: [EntryRecord], receivedAt: Date) async throws -> IngestResponse {
        guard records.count <= FieldLimits.maxRecordsPerBatch else {
            throw CentralStoreError.batchTooLarge(count: records.count, limit: FieldLimits.maxRecordsPerBatch)
        }
        if let foreign = records.first(where: { $0.gate != gate }) {
            throw CentralStoreError.gateMismatch(authenticated: gate, presented: foreign.gate)
        }
        do {
            return try await write { session in
                guard !records.isEmpty else {
                    try await Self.requireActiveGate(gate, in: session)
                    return IngestResponse(stored: [], duplicates: [], quarantined: [], acknowledged: [])
                }
                let firstRegistration = try await Self.claimGateForIngest(gate, at: receivedAt, in: session)
                return try await self.ingestLocked(gate: gate, records: records, receivedAt: receivedAt,
                                                   time: PlausibleTime(firstRegistration: firstRegistration, receivedAt: receivedAt),
                                                   session: session)
            }
        } catch let found as ConflictFound {
            let conflicts = found.conflicts
            try await write { session in
                let rows = conflicts.map { item in
                    Self.alertRow(kind: .conflict, record: item.presented, raisedAt: receivedAt,
                                  detail: "seq \(item.conflict.seq) of epoch \(item.conflict.journalEpoch.uuidString.lowercased()) holds id "
                                      + "\(item.conflict.storedID?.uuidString.lowercased() ?? "?"); presented id \(item.conflict.presentedID.uuidString.lowercased())")
                }
                try await self.insertRows(session, table: "alerts", columns: Self.alertColumns, rows: rows)
            }
            logger.warning("ingest refused: sequence conflict", metadata: ["gate": "\(gate)", "keys": "\(conflicts.count)"])
            throw CentralStoreError.conflict(conflicts.map(\.conflict))
        }
    }

    /// After `claimGateForIngest`: plans the batch against what the store holds and writes it.
    private func ingestLocked(gate: String, records: [EntryRecord], receivedAt: Date, time: PlausibleTime,
                              session: any SQLSession) async throws -> IngestResponse {
        let held = try await heldRecords(gate: gate, records: records, session: session)
        let plan = IngestPlan(gate: gate, records: records, held: held, time: time)
        guard plan.conflicts.isEmpty else { throw ConflictFound(conflicts: plan.conflicts) }

        // Door events are held by their alert only (docs/contracts.md §3): never in the ledgers.
        try await insertRows(session, table: "entries", columns: EntryRow.columns,
                             rows: plan.toStore.filter { !$0.reason.isDoorEvent }.map { EntryRow.values($0, receivedAt: receivedAt) })
        try await insertRows(session, table: "quarantine", columns: Self.quarantineColumns, rows: try plan.toQuarantine.map { item in
            [.text(gate), .uuid(item.record.journalEpoch), .int(item.record.seq), .uuid(item.record.id), .millis(receivedAt),
             .text(try Self.json(item.reasons)), .text(try Self.json(item.record))]
        })
        try await insertRows(session, table: "registrations", columns: Self.registrationColumns, rows: plan.toStore.compactMap { r in
            guard r.reason == .visitorRegistration, let reg = r.credential?.registration else { return nil }
            return [.text(r.gate), .uuid(r.journalEpoch), .int(r.seq), .millis(r.occurredAt), .text(r.lane), .text(reg.name),
                    .text(reg.citizenNumber), .text(reg.address), .optional(reg.host)]
        })
        let alerts = plan.toStore.compactMap { record in
            AlertKind.raised(by: record.decision, reason: record.reason).map { kind in
                Self.alertRow(kind: kind, record: record, raisedAt: receivedAt, detail: Self.alertDetail(record))
            }
        }
        try await insertRows(session, table: "alerts", columns: Self.alertColumns, rows: alerts)

        var acknowledged: [EpochAcknowledgement] = []
        for epoch in plan.epochs {
            let batchSeqs = records.lazy.filter { $0.journalEpoch == epoch }.map(\.seq).sorted()
            let through = try await advanceEpoch(gate: gate, epoch: epoch, batchSeqs: batchSeqs, receivedAt: receivedAt, session: session)
            acknowledged.append(EpochAcknowledgement(journalEpoch: epoch, contiguousThrough: through))
        }
        return IngestResponse(stored: plan.toStore.map(\.id), duplicates: plan.duplicates,
                              quarantined: plan.quarantinedReport, acknowledged: acknowledged)
    }

    /// What the store holds under the batch's keys (entries and quarantine).
    private func heldRecords(gate: String, records: [EntryRecord], session: any SQLSession) async throws -> [SequenceKey: HeldRecord] {
        var seqsByEpoch: [UUID: Set<Int64>] = [:]
        for record in records { seqsByEpoch[record.journalEpoch, default: []].insert(record.seq) }
        var held: [SequenceKey: HeldRecord] = [:]
        for (epoch, seqSet) in seqsByEpoch {
            let seqs = seqSet.sorted()
            var start = 0
            while start < seqs.count {
                let chunk = seqs[start..<min(seqs.count, start + Self.keyLookupChunk)]
                let list = Self.placeholders(chunk.count)
                let seqArgs = chunk.map { SQLValue.int($0) }
                let rows = try await session.query("""
                    SELECT seq, id, NULL FROM entries WHERE gate = ? AND journal_epoch = ? AND seq IN (\(list))
                    UNION ALL
                    SELECT seq, id, reasons_json FROM quarantine WHERE gate = ? AND journal_epoch = ? AND seq IN (\(list))
                    UNION ALL
                    SELECT seq, entry_id, NULL FROM alerts WHERE gate = ? AND journal_epoch = ? AND seq IN (\(list)) AND kind IN \(Self.doorKinds)
                    """, [.text(gate), .uuid(epoch)] + seqArgs + [.text(gate), .uuid(epoch)] + seqArgs + [.text(gate), .uuid(epoch)] + seqArgs)
                for row in rows {
                    let reasons = try row.optionalText(2).map { try Self.decodeJSON([String].self, $0) }
                    held[SequenceKey(journalEpoch: epoch, seq: try row.int(0))] = HeldRecord(id: try row.optionalUUID(1),
                                                                                           quarantineReasons: reasons)
                }
                start += chunk.count
            }
        }
        return held
    }

    /// Moves the epoch's contiguous mark as far as held seqs allow; returns it.
    /// `batchSeqs` (ascending) are the epoch's seqs in this batch: once the batch is planned without
    /// conflict, every one of them is held (stored, quarantined, a door alert or a duplicate). The mark
    /// moves through them in memory; the store is searched only when it already held seqs above them
    /// (a batch that arrived after a later one).
    private func advanceEpoch(gate: String, epoch: UUID, batchSeqs: [Int64], receivedAt: Date,
                              session: any SQLSession) async throws -> Int64 {
        let existing = try await session.query(
            "SELECT contiguous_through, highest_seq FROM epochs WHERE gate = ? AND journal_epoch = ?", [.text(gate), .uuid(epoch)])
        var through = try existing.first?.int(0) ?? 0
        let highest = max(try existing.first?.int(1) ?? 0, batchSeqs.last ?? 0)
        for seq in batchSeqs where seq > through {
            guard seq == through + 1 else { break }
            through = seq
        }
        while through < highest {
            let upper = through > Int64.max - Self.contiguityWindow ? Int64.max : through + Self.contiguityWindow
            let rows = try await session.query("""
                SELECT seq FROM entries WHERE gate = ? AND journal_epoch = ? AND seq > ? AND seq <= ?
                UNION ALL
                SELECT seq FROM quarantine WHERE gate = ? AND journal_epoch = ? AND seq > ? AND seq <= ?
                UNION ALL
                SELECT seq FROM alerts WHERE gate = ? AND journal_epoch = ? AND seq > ? AND seq <= ? AND kind IN \(Self.doorKinds)
                ORDER BY 1
                """, [.text(gate), .uuid(epoch), .int(through), .int(upper), .text(gate), .uuid(epoch), .int(through), .int(upper),
                      .text(gate), .uuid(epoch), .int(through), .int(upper)])
            var advanced = false
            for row in rows {
                let seq = try row.int(0)
                guard seq == through + 1 else { break }
                through = seq
                advanced = true
            }
            if !advanced || through < upper || upper == Int64.max { break }
        }
        try await session.execute("""
            INSERT INTO epochs (gate, journal_epoch, contiguous_through, highest_seq, first_received_at_ms, last_received_at_ms)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (gate, journal_epoch) DO UPDATE SET contiguous_through = excluded.contiguous_through,
                highest_seq = excluded.highest_seq, last_received_at_ms = excluded.last_received_at_ms
            """, [.text(gate), .uuid(epoch), .int(through), .int(highest), .millis(receivedAt), .millis(receivedAt)])
        return through
    }

    static func alertRow(kind: AlertKind, record: EntryRecord, raisedAt: Date, detail: String) -> [SQLValue] {
        [.text(kind.rawValue), .millis(raisedAt), .text(record.gate), .uuid(record.journalEpoch), .int(record.seq),
         .millis(record.occurredAt), .uuid(record.id), .text(record.decision.rawValue), .text(record.reason.rawValue),
         .optional(record.credential?.payload), .optional(record.temperature?.celsius), .text(detail)]
    }

    static func alertDetail(_ record: EntryRecord) -> String {
        if record.reason == .doorForced { return "door of lane \(record.lane) opened without a release" }
        if record.reason == .doorHeldOpen { return "door of lane \(record.lane) held open" }
        var parts = ["\(record.decision.rawValue) (\(record.reason.rawValue)) at lane \(record.lane) \(record.direction.rawValue)"]
        if let t = record.temperature { parts.append(String(format: "%.1f °C %@", t.celsius, t.kind.rawValue)) }
        return parts.joined(separator: ", ")
    }

    public func quarantined(gate: String?, limit: Int) async throws -> [StoredQuarantine] {
        let limit = Self.clamp(limit, 1_000)
        return try await read { session in
            let filter = gate == nil ? "" : " WHERE gate = ?"
            let rows = try await session.query("""
                SELECT gate, journal_epoch, seq, id, received_at_ms, reasons_json, record_json FROM quarantine\(filter)
                ORDER BY received_at_ms DESC, seq DESC LIMIT ?
                """, (gate.map { [SQLValue.text($0)] } ?? []) + [.int(Int64(limit))])
            return try rows.map { row in
                StoredQuarantine(gate: try row.text(0), journalEpoch: try row.uuid(1), seq: try row.int(2), id: try row.optionalUUID(3),
                                 receivedAt: try row.date(4), reasons: try Self.decodeJSON([String].self, try row.text(5)),
                                 recordJSON: try row.text(6))
            }
        }
    }
}
