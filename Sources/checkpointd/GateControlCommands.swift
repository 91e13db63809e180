import CheckpointCore
import Control
import Foundation
import GateService
import Journal
import Uplink

/// The gate's control commands:
/// - `journal.status` — argument `last` (default 10): state and latest entries; `json` is
///   `{"state": JournalState, "latest": [EntryRecord]}`.
/// - `uplink.status` — `json` is `UplinkStatus` (or `{"configured": false}` for an offline gate).
/// - `gate.manual` — arguments `lane`, `recordedBy` (journaled after the caller's system user:
///   `RecordedBy`), optional `decision` (admit, refuse, refer;
///   default admit), `shown` (what the person showed instead of a code), `celsius` (measured by
///   hand), `open=true` (the gate opened by hand: `manualOpen`); `json` is the `EntryRecord`.
/// - `gate.host` — arguments `lane`, `host`: whom the next visitor registered at that lane visits
///   (used by the next registration within 2 minutes).
/// - `gate.status` — decisions, journal failures, ignored events, watch-list version, rejected scans
///   by reason; `json` is a `GateStatusReport`.
enum GateControlCommands {
    static func register(on router: ControlRouter, journal: Journal, uplink: Uplink?, gate: GateService) {
        router.register(.journalStatus) { request in
            let last = request.arguments["last"].flatMap(Int.init) ?? 10
            guard (0...1000).contains(last) else { return .failure("last must be 0…1000") }
            do {
                let state = try journal.state()
                // `last` = 0 or an empty journal: no records (an empty range, never a reversed one).
                let latest = last == 0 || state.lastSeq < 1 ? [] :
                    try journal.records(max(1, state.lastSeq - Int64(last) + 1)...state.lastSeq).suffix(last)
                let text = ([JournalText.summary(state)] + latest.map(JournalText.line)).joined(separator: "\n")
                struct Body: Encodable { var state: JournalState; var latest: [EntryRecord] }
                return .success(text, json: encode(Body(state: state, latest: Array(latest))))
            } catch {
                return .failure("\(error)")
            }
        }
        router.register(.uplinkStatus) { _ in
            guard let uplink else { return .success("no [central] configured: offline gate", json: #"{"configured":false}"#) }
            let s = await uplink.currentStatus()
            return .success(UplinkText.summary(s), json: encode(s))
        }
        router.register(.gateManual) { request in
            let a = request.arguments
            guard let lane = a["lane"], let by = a["recordedBy"] else { return .failure("gate.manual needs lane=… and recordedBy=…") }
            let open = a["open"] == "true"
            guard let decision = Decision(rawValue: a["decision"] ?? "admit"), decision != .remeasure else {
                return .failure("decision must be admit, refuse or refer")
            }
            var reading: TemperatureReading?
            if let text = a["celsius"] {
                guard let c = Double(text), c.isFinite, FieldLimits.celsiusWireRange.contains(c) else { return .failure("celsius must be a number") }
                reading = TemperatureReading(celsius: c, kind: .body, raw: c, device: "manual")
            }
            do {
                let r = try await gate.manual(lane: lane, decision: decision, open: open, shown: a["shown"], reading: reading, recordedBy: RecordedBy.name(peer: request.peer, typed: by))
                return .success("journaled seq \(r.seq): \(r.decision.rawValue) (\(r.reason.rawValue)) by \(by)", json: encode(r))
            } catch {
                return .failure("\(error)")
            }
        }
        router.register(.gateHost) { request in
            guard let lane = request.arguments["lane"], let host = request.arguments["host"] else {
                return .failure("gate.host needs lane=… and host=…")
            }
            do {
                try await gate.setVisitorHost(lane: lane, host: host)
                return .success("lane \(lane): the next visitor's registration records the host")
            } catch {
                return .failure("\(error)")
            }
        }
        router.register(.gateStatus) { _ in
            let body = GateStatusReport(decisions: gate.decisions, journalFailures: gate.journalFailures, ignoredEvents: gate.unroutedEvents,
                            watchListVersion: await gate.watchListVersion, rejectedScans: gate.rejectedScans)
            let rejected = body.rejectedScans.isEmpty ? "none" :
                body.rejectedScans.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return .success("decisions \(body.decisions), journal failures \(body.journalFailures), ignored events \(body.ignoredEvents), watch list version \(body.watchListVersion), rejected scans: \(rejected)",
                            json: encode(body))
        }
    }

    /// The commands `register` and `registerJournalUnavailable` answer.
    static let commands: [ControlCommand] = [.journalStatus, .uplinkStatus, .gateStatus, .gateManual, .gateHost]

    /// Until the journal is open (or has failed to open), each gate command says the gate is
    /// starting: the control socket accepts before the gate service has run, and "unknown
    /// command" would tell a technician the daemon has no such command.
    static func registerStarting(on router: ControlRouter) {
        for command in commands {
            router.register(command) { _ in .failure("the gate is starting (opening its journal); ask again in a moment") }
        }
    }

    static func registerJournalUnavailable(on router: ControlRouter, error: String) {
        for command in commands {
            router.register(command) { _ in .failure("the journal could not be opened, the gate decides nothing: \(error)") }
        }
    }

    private static func encode<T: Encodable>(_ value: T) -> String? {
        (try? CheckpointJSON.encoder().encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}
