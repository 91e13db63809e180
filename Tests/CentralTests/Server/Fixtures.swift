import CentralStore
import CheckpointCore
import Foundation
import TestSupport

/// Places, records and batches for the server tests.
enum Fixtures {
    /// Street s1 → community c1 → checkpoint cp1 → gates g1, g2.
    static let places = PlaceDirectory(streets: [
        StreetOffice(id: "s1", name: "河西街道", communities: [
            Community(id: "c1", name: "幸福社区", checkpoints: [
                CheckpointPlace(id: "cp1", name: "北门卡点", gates: [GatePlace(id: "g1"), GatePlace(id: "g2")]),
            ]),
        ]),
    ])

    static let allTime = TimeRange(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 4_102_444_800))

    static var openAPIPath: URL {
        BuildProducts.packageRoot.appendingPathComponent("Sources/CentralServer/openapi.yaml")
    }

    /// A valid record of `gate`, seq `seq` in `epoch`, decided `minutesAgo` minutes ago.
    static func record(gate: String, epoch: UUID, seq: Int64, payload: String? = nil, celsius: Double = 36.5,
                       decision: Decision = .admit, reason: ReasonCode = .admitted, occurredAt: Date? = nil) -> EntryRecord {
        EntryRecord(gate: gate, journalEpoch: epoch, seq: seq,
                    occurredAt: occurredAt ?? Date().addingTimeInterval(-60),
                    clockSynced: true, bootID: "boot-1", monotonicNanos: UInt64(seq) * 1_000_000, lane: "north-in",
                    direction: .in,
                    credential: Credential(kind: .code, payload: payload ?? "HC-\(seq)", symbology: .qr),
                    temperature: TemperatureReading(celsius: celsius, kind: .body, raw: celsius, device: "therm-0"),
                    decision: decision, reason: reason, policyVersion: "policy-1")
    }

    /// A batch of `count` records of `gate` starting at `firstSeq`.
    static func batch(gate: String, epoch: UUID = UUID(), firstSeq: Int64 = 1, count: Int) -> IngestBatch {
        IngestBatch(gate: gate, records: (0..<Int64(count)).map { record(gate: gate, epoch: epoch, seq: firstSeq + $0) })
    }
}
