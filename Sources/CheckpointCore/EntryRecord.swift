import Foundation

/// One decided entry: the only schema for the gate's journal, the uplink and the central store's
/// ingest (BRIEF.md contract 1). Encode and decode it with `CheckpointJSON`.
///
/// Identity: `id` is a UUIDv7 made by the gate. The central store deduplicates on
/// (`gate`, `journalEpoch`, `seq`); the same key with a different `id` is a conflict.
public struct EntryRecord: Codable, Sendable, Hashable, Identifiable {
    /// UUIDv7 (RFC 9562), made by `UUIDv7.make()` when the gate decided.
    public var id: UUID
    /// The gate's identifier (`FieldLimits.isValidIdentifier`).
    public var gate: String
    /// Made when the gate's journal file was created; a re-imaged gate starts a new epoch at seq 1.
    public var journalEpoch: UUID
    /// Per epoch, from 1, gap-free.
    public var seq: Int64
    /// Wall-clock time of the decision, UTC.
    public var occurredAt: Date
    /// Whether the kernel considered the wall clock synchronised at that moment (adjtimex).
    public var clockSynced: Bool
    /// `/proc/sys/kernel/random/boot_id` at the time of the decision.
    public var bootID: String
    /// CLOCK_BOOTTIME in nanoseconds at the time of the decision (meaningful within one `bootID`).
    public var monotonicNanos: UInt64
    /// The lane's identifier from the configuration.
    public var lane: String
    public var direction: Direction
    /// Absent when nobody showed a code (e.g. `noCredential`, `manualOpen`).
    public var credential: Credential?
    /// Absent when no reading was paired with the scan.
    public var temperature: TemperatureReading?
    public var decision: Decision
    public var reason: ReasonCode
    /// The version of the policy that decided (configuration hash or operator-set label).
    public var policyVersion: String
    /// Who recorded a manual entry or opened the gate by hand; nil otherwise.
    public var recordedBy: String?

    public init(id: UUID = UUIDv7.make(), gate: String, journalEpoch: UUID, seq: Int64, occurredAt: Date,
                clockSynced: Bool, bootID: String, monotonicNanos: UInt64, lane: String, direction: Direction,
                credential: Credential?, temperature: TemperatureReading?, decision: Decision, reason: ReasonCode,
                policyVersion: String, recordedBy: String? = nil) {
        self.id = id
        self.gate = gate
        self.journalEpoch = journalEpoch
        self.seq = seq
        self.occurredAt = occurredAt
        self.clockSynced = clockSynced
        self.bootID = bootID
        self.monotonicNanos = monotonicNanos
        self.lane = lane
        self.direction = direction
        self.credential = credential
        self.temperature = temperature
        self.decision = decision
        self.reason = reason
        self.policyVersion = policyVersion
        self.recordedBy = recordedBy
    }

    /// Every reason this record breaks a field limit or a structural rule; empty if it is valid.
    /// The gate checks before journaling; the central store checks at ingest (a failing record is
    /// quarantined with these reasons).
    public func violations() -> [String] {
        var problems: [String] = []
        if !UUIDv7.isVersion7(id) { problems.append("id is not a version 7 UUID") }
        if !FieldLimits.isValidIdentifier(gate) { problems.append("gate is not a valid identifier") }
        if !FieldLimits.isValidIdentifier(lane) { problems.append("lane is not a valid identifier") }
        if seq < 1 { problems.append("seq must be ≥ 1") }
        if let c = credential {
            if c.payload.utf8.count > FieldLimits.maxCredentialPayloadBytes {
                problems.append("credential.payload longer than \(FieldLimits.maxCredentialPayloadBytes) bytes")
            }
            if c.payload.isEmpty { problems.append("credential.payload is empty") }
            if let r = c.registration {
                if r.name.isEmpty || r.name.utf8.count > FieldLimits.maxRegistrationFieldBytes
                    || r.address.utf8.count > FieldLimits.maxRegistrationFieldBytes
                    || (r.host?.utf8.count ?? 0) > FieldLimits.maxRegistrationFieldBytes {
                    problems.append("credential.registration: name empty, or a field longer than \(FieldLimits.maxRegistrationFieldBytes) bytes")
                }
                if r.citizenNumber.utf8.count != 18 { problems.append("credential.registration.citizenNumber is not 18 characters") }
            }
        }
        if let t = temperature {
            if !t.celsius.isFinite || !FieldLimits.celsiusWireRange.contains(t.celsius) {
                problems.append("temperature.celsius outside \(FieldLimits.celsiusWireRange)")
            }
            if !t.raw.isFinite { problems.append("temperature.raw is not finite") }
            if t.device.isEmpty || t.device.utf8.count > FieldLimits.maxDeviceIDBytes {
                problems.append("temperature.device empty or longer than \(FieldLimits.maxDeviceIDBytes) bytes")
            }
        }
        if policyVersion.utf8.count > FieldLimits.maxPolicyVersionBytes {
            problems.append("policyVersion longer than \(FieldLimits.maxPolicyVersionBytes) bytes")
        }
        if let who = recordedBy, who.isEmpty || who.utf8.count > FieldLimits.maxRecordedByBytes {
            problems.append("recordedBy empty or longer than \(FieldLimits.maxRecordedByBytes) bytes")
        }
        if bootID.utf8.count > 64 { problems.append("bootID longer than 64 bytes") }
        return problems
    }
}
