import Foundation

/// One decided entry: the only schema for the gate's journal, the uplink and the central store's
/// ingest (docs/contracts.md §1). Encode and decode it with `CheckpointJSON`.
///
/// Identity: `id` is a UUIDv7 made by the gate. The central store deduplicates on
/// (`gate`, `journalEpoch`, `seq`); the same key with a different `id` is a conflict.
@dynamicMemberLookup
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
    /// Lane, credential, temperature, decision and reason; read and written through the record
    /// (`record.lane`), encoded flat beside the fields above.
    public var content: EntryContent

    public init(id: UUID = UUIDv7.make(), gate: String, journalEpoch: UUID, seq: Int64, occurredAt: Date,
                clockSynced: Bool, bootID: String, monotonicNanos: UInt64, lane: String, direction: Direction,
                credential: Credential?, temperature: TemperatureReading?, decision: Decision, reason: ReasonCode,
                policyVersion: String, recordedBy: String? = nil) {
        self.init(id: id, gate: gate, journalEpoch: journalEpoch, seq: seq, occurredAt: occurredAt, clockSynced: clockSynced,
                  bootID: bootID, monotonicNanos: monotonicNanos,
                  content: EntryContent(lane: lane, direction: direction, credential: credential, temperature: temperature,
                                        decision: decision, reason: reason, policyVersion: policyVersion, recordedBy: recordedBy))
    }

    public init(id: UUID = UUIDv7.make(), gate: String, journalEpoch: UUID, seq: Int64, occurredAt: Date,
                clockSynced: Bool, bootID: String, monotonicNanos: UInt64, content: EntryContent) {
        self.id = id
        self.gate = gate
        self.journalEpoch = journalEpoch
        self.seq = seq
        self.occurredAt = occurredAt
        self.clockSynced = clockSynced
        self.bootID = bootID
        self.monotonicNanos = monotonicNanos
        self.content = content
    }

    /// `record.lane`, `record.decision`, …: the fields of `content`.
    public subscript<T>(dynamicMember field: WritableKeyPath<EntryContent, T>) -> T {
        get { content[keyPath: field] }
        set { content[keyPath: field] = newValue }
    }

    private enum CodingKeys: String, CodingKey {
        case id, gate, journalEpoch, seq, occurredAt, clockSynced, bootID, monotonicNanos
    }

    /// One flat JSON object: these fields and `content`'s side by side (the wire format of §1).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        gate = try c.decode(String.self, forKey: .gate)
        journalEpoch = try c.decode(UUID.self, forKey: .journalEpoch)
        seq = try c.decode(Int64.self, forKey: .seq)
        occurredAt = try c.decode(Date.self, forKey: .occurredAt)
        clockSynced = try c.decode(Bool.self, forKey: .clockSynced)
        bootID = try c.decode(String.self, forKey: .bootID)
        monotonicNanos = try c.decode(UInt64.self, forKey: .monotonicNanos)
        content = try EntryContent(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(gate, forKey: .gate)
        try c.encode(journalEpoch, forKey: .journalEpoch)
        try c.encode(seq, forKey: .seq)
        try c.encode(occurredAt, forKey: .occurredAt)
        try c.encode(clockSynced, forKey: .clockSynced)
        try c.encode(bootID, forKey: .bootID)
        try c.encode(monotonicNanos, forKey: .monotonicNanos)
        try content.encode(to: encoder)
    }

    /// Every reason this record breaks a field limit or a structural rule; empty if it is valid.
    /// The gate checks before journaling; the central store checks at ingest (a failing record is
    /// quarantined with these reasons).
    public func violations() -> [String] {
        var problems: [String] = []
        if !UUIDv7.isVersion7(id) { problems.append("id is not a version 7 UUID") }
        if !FieldLimits.isValidIdentifier(gate) { problems.append("gate is not a valid identifier") }
        if !FieldLimits.isValidIdentifier(content.lane) { problems.append("lane is not a valid identifier") }
        if seq < 1 { problems.append("seq must be ≥ 1") }
        if let c = content.credential {
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
        if let t = content.temperature {
            if !t.celsius.isFinite || !FieldLimits.celsiusWireRange.contains(t.celsius) {
                problems.append("temperature.celsius outside \(FieldLimits.celsiusWireRange)")
            }
            if !t.raw.isFinite { problems.append("temperature.raw is not finite") }
            if t.device.isEmpty || t.device.utf8.count > FieldLimits.maxDeviceIDBytes {
                problems.append("temperature.device empty or longer than \(FieldLimits.maxDeviceIDBytes) bytes")
            }
        }
        if content.policyVersion.utf8.count > FieldLimits.maxPolicyVersionBytes {
            problems.append("policyVersion longer than \(FieldLimits.maxPolicyVersionBytes) bytes")
        }
        if let who = content.recordedBy, who.isEmpty || who.utf8.count > FieldLimits.maxRecordedByBytes {
            problems.append("recordedBy empty or longer than \(FieldLimits.maxRecordedByBytes) bytes")
        }
        if content.reason.isDoorEvent, content.credential != nil || content.temperature != nil || content.decision != .refer {
            problems.append("a door event (\(content.reason.rawValue)) carries no credential nor temperature and is decided refer")
        }
        if bootID.utf8.count > 64 { problems.append("bootID longer than 64 bytes") }
        return problems
    }
}
