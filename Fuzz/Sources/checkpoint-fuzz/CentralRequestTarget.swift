import CheckpointCore
import Foundation

/// The central store's gate-facing request bodies (an ingest batch, a heartbeat) decoded with the
/// store's JSON rules, each record validated, and the timestamp syntax of the query parameters.
/// Contract checked: a record the validator passes has a temperature inside the wire range and a
/// credential payload within its limit.
enum CentralRequestTarget {
    static let target = FuzzTarget(
        name: "central-request",
        summary: "HTTP request bodies and query values in: IngestBatch/Heartbeat values with record violations, or errors",
        seeds: { [Array(#"{"gate":"gate-01","records":[]}"#.utf8), Array("2026-11-24T08:00:00+08:00".utf8)] },
        body: run)

    static func run(_ bytes: [UInt8]) {
        let data = Data(bytes)
        let decoder = CheckpointJSON.decoder()
        if let batch = try? decoder.decode(IngestBatch.self, from: data) {
            for record in batch.records where record.violations().isEmpty {
                if let celsius = record.temperature?.celsius {
                    FuzzCheck.require(FieldLimits.celsiusWireRange.contains(celsius), "a valid record at \(celsius) °C")
                }
                if let payload = record.credential?.payload {
                    FuzzCheck.require(payload.utf8.count <= FieldLimits.maxCredentialPayloadBytes,
                                      "a valid record with a \(payload.utf8.count)-byte payload")
                }
            }
        }
        _ = try? decoder.decode(Heartbeat.self, from: data)
        if let text = String(bytes: bytes, encoding: .utf8) { _ = CheckpointJSON.parseTimestamp(text) }
    }
}
