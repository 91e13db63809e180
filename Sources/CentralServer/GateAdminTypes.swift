import CentralStore
import Foundation

/// Body of `POST /v1/gates`: register a gate under a checkpoint (or re-register it: a new secret).
public struct RegisterGateRequest: Codable, Sendable, Hashable {
    public var id: String
    public var checkpoint: String

    public init(id: String, checkpoint: String) {
        self.id = id
        self.checkpoint = checkpoint
    }
}

/// Reply to `POST /v1/gates`: the secret, shown this once. The gate's uplink presents
/// `Authorization: Bearer <credential>`.
public struct RegisteredGate: Codable, Sendable, Hashable {
    public var gate: String
    public var checkpoint: String
    public var secret: String
    /// `<gate>:<secret>`, the bearer credential exactly as the gate sends it.
    public var credential: String

    public init(gate: String, checkpoint: String, secret: String) {
        self.gate = gate
        self.checkpoint = checkpoint
        self.secret = secret
        self.credential = "\(gate):\(secret)"
    }
}

/// One gate with its health and its sequence gaps (records that should exist but never arrived).
public struct GateStatus: Codable, Sendable, Hashable {
    public var gate: GateInfo
    /// nil for a gate that has neither sent a heartbeat nor a record.
    public var health: GateHealth?
    public var gaps: [SequenceGap]
    /// Sum of the gaps' counts.
    public var missingRecords: Int64

    public init(gate: GateInfo, health: GateHealth?, gaps: [SequenceGap]) {
        self.gate = gate
        self.health = health
        self.gaps = gaps
        self.missingRecords = gaps.reduce(0) { $0 + $1.count }
    }
}

/// Reply to `GET /v1/gates`.
public struct GateList: Codable, Sendable, Hashable {
    public var gates: [GateStatus]
    public init(gates: [GateStatus]) { self.gates = gates }

    /// Every gate (or those under `scope`) with its health and gaps, sorted by id.
    public static func collect(from store: any CentralStorage, scope: PlaceScope?) async throws -> GateList {
        let health = Dictionary(try await store.gateHealth(scope: scope).map { ($0.gate, $0) },
                                uniquingKeysWith: { first, _ in first })
        var statuses: [GateStatus] = []
        for gate in try await store.gates() where scope == nil || health[gate.id] != nil {
            statuses.append(GateStatus(gate: gate, health: health[gate.id], gaps: try await store.gaps(gate: gate.id)))
        }
        return GateList(gates: statuses)
    }
}
