import ArgumentParser
import CheckpointCore
import Control
import DeviceRuntime
import Foundation
import GateService
import Horn
import Journal
import Uplink

/// `checkpointctl status`: one screen of the running gate — journal, uplink, devices, horn — and
/// what is wrong, worst first. Exit status for scripts and monitoring: 0 ok, 1 warning, 2 critical,
/// 3 the daemon is not reachable (`GateHealth.Severity`).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the gate's state and what is wrong (exit 0 ok, 1 warning, 2 critical, 3 no daemon).")

    @Option(help: "The daemon's control socket.")
    var socket = ControlProtocol.defaultSocketPath

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let client: ControlClient
        do {
            client = try ControlClient(path: socket)
        } catch {
            print(json ? #"{"severity":"unknown","problems":[{"severity":"unknown","text":"checkpointd is not reachable"}]}"#
                       : "UNKNOWN: checkpointd is not reachable at \(socket): \(error)")
            throw ExitCode(3)
        }
        let health = gather(client)
        if json {
            let encoder = CheckpointJSON.encoder()
            print(String(decoding: try encoder.encode(health), as: UTF8.self))
        } else {
            print(render(health))
        }
        if health.severity != .ok { throw ExitCode(health.severity.exitCode) }
    }

    /// Asks the daemon for every part; a part it cannot report is recorded in `unreadable`.
    func gather(_ client: ControlClient) -> GateHealth {
        var health = GateHealth()
        func ask<T: Decodable>(_ command: ControlCommand, _ type: T.Type, arguments: [String: String] = [:],
                               decoder: JSONDecoder = JSONDecoder()) -> T? {
            do {
                let response = try client.send(ControlRequest(command, arguments: arguments))
                guard response.ok else {
                    health.unreadable[command.rawValue] = response.error ?? "failed"
                    return nil
                }
                return try decoder.decode(T.self, from: Data((response.json ?? "null").utf8))
            } catch {
                health.unreadable[command.rawValue] = "\(error)"
                return nil
            }
        }
        health.gate = ask(.gateStatus, GateStatusReport.self)
        health.journal = ask(.journalStatus, JournalStatusBody.self, arguments: ["last": "0"], decoder: CheckpointJSON.decoder())?.state
        if let uplink = ask(.uplinkStatus, OptionalPart<UplinkStatus>.self, decoder: CheckpointJSON.decoder()) {
            health.uplink = uplink.value
            health.uplinkConfigured = uplink.value != nil
        }
        health.thermometers = ask(.thermometersStatus, [ThermometerStatus].self) ?? []
        health.idReaders = ask(.idReadersStatus, [IDReaderStatus].self) ?? []
        health.scanners = ask(.scannersStatus, [ScannerStatus].self, decoder: Self.isoDates) ?? []
        health.horn = ask(.hornQueue, OptionalPart<HornSnapshot>.self)?.value
        return health
    }

    /// `scanners.status` encodes its dates as ISO 8601.
    private static var isoDates: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// `journal.status`'s reply (`latest` is not needed here).
    private struct JournalStatusBody: Decodable { var state: JournalState }

    /// `{"configured": false}`: the gate has no such part.
    private struct AbsentPart: Decodable { var configured: Bool }

    /// The reply of a part the gate may not have (`uplink.status`, `horn.queue`): the part's
    /// value, or nil when the daemon answers `{"configured": false}`.
    private struct OptionalPart<Value: Decodable>: Decodable {
        var value: Value?
        init(from decoder: any Decoder) throws {
            if let absent = try? AbsentPart(from: decoder), !absent.configured {
                value = nil
            } else {
                value = try Value(from: decoder)
            }
        }
    }

    func render(_ h: GateHealth) -> String {
        var lines: [String] = ["\(h.severity.rawValue.uppercased())"]
        for p in h.problems { lines.append("  \(p.severity.rawValue): \(p.text)") }
        lines.append("")
        if let g = h.gate {
            lines.append("gate       \(g.decisions) decisions, watch list version \(g.watchListVersion), \(g.rejectedScans.values.reduce(0, +)) scans rejected")
        }
        if let j = h.journal {
            let oldest = j.oldestUnacknowledged.map { ", oldest unacknowledged \(CheckpointJSON.formatTimestamp($0))" } ?? ""
            lines.append("journal    last seq \(j.lastSeq), backlog \(j.backlog)\(oldest) — \(j.path)")
        }
        if let u = h.uplink {
            let contact = u.lastContact.map(CheckpointJSON.formatTimestamp) ?? "never"
            lines.append("uplink     \(u.centralURL): last contact \(contact), \(u.consecutiveFailures) failures, backlog \(u.backlog)")
            if let p = u.profile {
                let refused = p.refusedVersion.map { ", v\($0) refused: \(p.refusal ?? "")" } ?? ""
                lines.append("profile    \(p.appliedVersion == 0 ? "none applied" : "v\(p.appliedVersion) applied")\(refused)")
            }
        } else if !h.uplinkConfigured {
            lines.append("uplink     none configured (offline gate)")
        }
        for t in h.thermometers {
            let reading = t.lastReading.map { "\(formatCelsius($0.celsius)) °C" } ?? "no reading yet"
            lines.append("thermo     \(t.id) (\(t.model)) \(t.port), last \(reading)")
        }
        for s in h.scanners {
            let last = s.lastScanAt.map(CheckpointJSON.formatTimestamp) ?? "no scan yet"
            lines.append("scanner    \(s.id) \(s.port), last scan \(last), \(s.scans) scans, \(s.rejections.values.reduce(0, +)) rejected")
        }
        for r in h.idReaders { lines.append("id reader  \(r.id) (\(r.model)) \(r.state)") }
        if let horn = h.horn {
            lines.append("horn       \(horn.pending.count) pending, \(horn.failures) failures, \(horn.fallbackTones) fallback tones")
        }
        return lines.joined(separator: "\n")
    }
}
