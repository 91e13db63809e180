import CentralStore
import CheckpointCore
import Foundation
import Hummingbird
import Logging

/// The three routes a gate calls with its own credential: ingest, heartbeat, watch list.
/// Their shapes are fixed by the gate's uplink (CheckpointCore wire types).
struct GateRoutes {
    /// Heartbeats and other small bodies: far above any real one, far below the ingest limit.
    static let maxSmallBodyBytes = 256 * 1024

    let store: any CentralStorage
    let metrics: ServerMetrics
    let now: @Sendable () -> Date
    /// Told after every ingest that may have raised alerts (stored records or a conflict).
    let alertFeed: AlertFeed
    /// When heartbeats raise clock-offset and device-fault alerts.
    var gateAlerts: GateAlertRules = .standard
    /// Digests in the watch list for gates, and in the ledgers when the district keeps digests only.
    var privacy: CredentialPrivacy = .plain

    func register(on group: RouterGroup<CentralRequestContext>) {
        group.post("/v1/ingest", use: ingest)
        group.post("/v1/heartbeat", use: heartbeat)
        group.get("/v1/watchlist", use: watchList)
    }

    /// `POST /v1/ingest`: one batch, stored atomically (see `CentralStorage.ingest`).
    @Sendable func ingest(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let gate = try context.requireGate()
        var recordCount = 0
        context.logger.debug("ingest batch arriving")
        do {
            try RequestBodyReader.requireJSONContentType(request)
            let body = try await RequestBodyReader.collect(request, limit: FieldLimits.maxIngestBodyBytes)
            // The uplink sends the journal's canonical bytes; anything else takes the full parser.
            let batch = try EntryRecordJSON.decodeBatch(body) ?? RequestBodyReader.decode(IngestBatch.self, from: body)
            recordCount = batch.records.count
            guard batch.records.count <= FieldLimits.maxRecordsPerBatch else {
                throw APIError.tooLarge("batch of \(batch.records.count) records exceeds the limit of \(FieldLimits.maxRecordsPerBatch)")
            }
            guard batch.gate == gate else {
                throw APIError.forbidden("gate \(gate) cannot send a batch of gate \(batch.gate)", code: "gateMismatch")
            }
            let reply: IngestResponse
            do {
                reply = try await store.ingest(gate: gate, records: privacy.stored(batch.records), receivedAt: now())
            } catch {
                if case CentralStoreError.conflict(let keys) = error {
                    alertFeed.notify()
                    metrics.recordConflict()
                    context.logger.warning("ingest conflict", metadata: ["keys": "\(keys.count)"])
                }
                throw StoreErrorMapping.apiError(for: error, audience: .gate)
            }
            if !reply.stored.isEmpty { alertFeed.notify() }
            metrics.recordIngest(.stored, count: reply.stored.count)
            metrics.recordIngest(.duplicate, count: reply.duplicates.count)
            metrics.recordIngest(.quarantined, count: reply.quarantined.count)
            metrics.recordIngestBatch(status: 200)
            context.logger.debug("ingested", metadata: [
                "stored": "\(reply.stored.count)", "duplicates": "\(reply.duplicates.count)",
                "quarantined": "\(reply.quarantined.count)",
            ])
            return try JSONResponse.make(reply)
        } catch let error as APIError {
            metrics.recordIngest(.rejected, count: recordCount)
            metrics.recordIngestBatch(status: error.status.code)
            if error.status.code < 500 {
                context.logger.notice("ingest refused", metadata: ["status": "\(error.status.code)", "code": "\(error.code)"])
            }
            throw error
        } catch {
            metrics.recordIngest(.rejected, count: recordCount)
            metrics.recordIngestBatch(status: 500)
            throw error
        }
    }

    /// `POST /v1/heartbeat`: records the gate's health (raising the clock-offset and device-fault
    /// alerts it starts), answers with server time, list and profile versions, and the gate's pending
    /// remote commands (handed out, and so marked delivered, exactly as by `GET /v1/commands`).
    @Sendable func heartbeat(_ request: Request, context: CentralRequestContext) async throws -> Response {
        let gate = try context.requireGate()
        let heartbeat = try await RequestBodyReader.decodeJSON(Heartbeat.self, from: request, limit: Self.maxSmallBodyBytes)
        guard heartbeat.gate == gate else {
            throw APIError.forbidden("gate \(gate) cannot send a heartbeat of gate \(heartbeat.gate)", code: "gateMismatch")
        }
        do {
            let at = now()
            let recorded = try await store.recordHeartbeat(gate: gate, heartbeat, receivedAt: at, rules: gateAlerts)
            if recorded.alertsRaised > 0 { alertFeed.notify() }
            var response = recorded.response
            response.commands = try await store.pendingCommands(gate: gate, now: at)
            return try JSONResponse.make(response)
        } catch {
            throw StoreErrorMapping.apiError(for: error, audience: .gate)
        }
    }

    /// `GET /v1/watchlist?since=V`: every change after version V (0 or absent: the whole list);
    /// keyed digests without reasons when the store holds the district key.
    @Sendable func watchList(_ request: Request, context: CentralRequestContext) async throws -> Response {
        _ = try context.requireGate()
        let since = try QueryParameters(request).integer("since", in: 0...Int64.max) ?? 0
        do {
            return try JSONResponse.make(privacy.forGates(try await store.watchListDelta(since: since)))
        } catch {
            throw StoreErrorMapping.apiError(for: error, audience: .gate)
        }
    }
}
