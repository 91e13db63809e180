import CheckpointCore
import Foundation
import Journal

/// Small builders shared by the gate, journal, uplink and daemon tests.
public enum Fixture {
    public static func code(_ payload: String) -> Credential { Credential(kind: .code, payload: payload, symbology: .qr) }

    public static func body(_ celsius: Double, device: String = "thermo-1") -> TemperatureReading {
        TemperatureReading(celsius: celsius, kind: .body, raw: celsius * 10, device: device)
    }

    public static func reading(_ celsius: Double, _ kind: TemperatureKind, device: String = "thermo-1") -> TemperatureReading {
        TemperatureReading(celsius: celsius, kind: kind, raw: celsius * 10, device: device)
    }

    /// A policy that accepts codes starting with `https://hc.example/` and denies `BAD-` codes.
    public static func policyConfiguration() -> PolicyConfiguration {
        var p = PolicyConfiguration()
        p.credentialRules = [
            .init(name: "health-code", match: .prefix("https://hc.example/"), action: .accept),
            .init(name: "blocked", match: .pattern("BAD-[0-9]+"), action: .deny),
        ]
        p.deny = ["https://hc.example/stolen"]
        p.allow = ["STAFF-0001"]
        return p
    }

    public static func lane(direction: Direction = .in, thermometer: String? = "thermo-1") -> LaneConfiguration {
        LaneConfiguration(id: "lane-1", direction: direction, scanners: ["scanner-1"], thermometer: thermometer)
    }

    public static let noon = Date(timeIntervalSince1970: 1_795_000_000)
}

extension Fixture {
    public static func draft(_ payload: String = "https://hc.example/p", lane: String = "lane-1", celsius: Double? = 36.5,
                      decision: Decision = .admit, reason: ReasonCode = .admitted) -> EntryDraft {
        EntryDraft(clock: SystemClock.now(), content: EntryContent(lane: lane, direction: .in, credential: code(payload),
                   temperature: celsius.map { body($0) }, decision: decision, reason: reason, policyVersion: "test"))
    }

    public static func journalPath(_ dir: URL, _ name: String = "journal.sqlite") -> String {
        dir.appendingPathComponent(name).path
    }
}
