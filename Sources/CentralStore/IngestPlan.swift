import CheckpointCore
import Foundation

/// One deduplication key within a gate: (journalEpoch, seq).
struct SequenceKey: Hashable {
    let journalEpoch: UUID
    let seq: Int64
}

/// What the store already holds under a key: the record id, and the quarantine reasons if the
/// record is in quarantine (nil = stored entry).
struct HeldRecord {
    let id: UUID?
    let quarantineReasons: [String]?
}

/// The decision for every record of one batch, made without I/O from what the store already holds
/// (docs/contracts.md §2): same key and id → duplicate; same key, other id → conflict; violations →
/// quarantine; otherwise store. Keys repeated within the batch are judged against the earlier record.
struct IngestPlan {
    var toStore: [EntryRecord] = []
    var toQuarantine: [(record: EntryRecord, reasons: [String])] = []
    var duplicates: [UUID] = []
    /// Quarantined by this batch, or sent again while in quarantine: the response's `quarantined`.
    var quarantinedReport: [QuarantinedRecord] = []
    var conflicts: [(conflict: SequenceConflict, presented: EntryRecord)] = []
    /// Epochs in order of first appearance, with the highest seq of each in the batch.
    var epochs: [UUID] = []
    var highestSeq: [UUID: Int64] = [:]

    /// `time` nil = no plausibility check of `occurredAt` (field rules only).
    init(gate: String, records: [EntryRecord], held: [SequenceKey: HeldRecord], time: PlausibleTime? = nil) {
        var held = held
        for record in records {
            if highestSeq[record.journalEpoch] == nil { epochs.append(record.journalEpoch) }
            highestSeq[record.journalEpoch] = max(highestSeq[record.journalEpoch] ?? record.seq, record.seq)
            let key = SequenceKey(journalEpoch: record.journalEpoch, seq: record.seq)
            if let existing = held[key] {
                if existing.id == record.id {
                    if let reasons = existing.quarantineReasons {
                        quarantinedReport.append(QuarantinedRecord(journalEpoch: record.journalEpoch, seq: record.seq,
                                                                   id: record.id, reasons: reasons))
                    } else {
                        duplicates.append(record.id)
                    }
                } else {
                    conflicts.append((SequenceConflict(gate: gate, journalEpoch: record.journalEpoch, seq: record.seq,
                                                       storedID: existing.id, presentedID: record.id), record))
                }
                continue
            }
            let violations = record.violations() + (time?.violations(record) ?? [])
            if violations.isEmpty {
                toStore.append(record)
                held[key] = HeldRecord(id: record.id, quarantineReasons: nil)
            } else {
                toQuarantine.append((record, violations))
                quarantinedReport.append(QuarantinedRecord(journalEpoch: record.journalEpoch, seq: record.seq,
                                                           id: record.id, reasons: violations))
                held[key] = HeldRecord(id: record.id, quarantineReasons: violations)
            }
        }
    }
}
