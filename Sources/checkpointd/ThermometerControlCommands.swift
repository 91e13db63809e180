import Control
import DeviceRuntime
import Foundation

/// The thermometer control commands:
/// - `devices.probe` — arguments `device` (configured id or path), optional `model` (for a path
///   the daemon has not attached) and `timeoutMs` (default 3000): one reading; `json` is a
///   `ThermometerProbeResult`.
/// - `thermometers.status` — every attached thermometer with its counters; `json` is an array of
///   `ThermometerStatus`.
enum ThermometerControlCommands {
    static func register(on router: ControlRouter, fleet: ThermometerFleet) {
        router.register(.devicesProbe) { request in
            guard let device = request.arguments["device"], !device.isEmpty else { return .failure("devices.probe needs device=<id or path>") }
            let timeoutMs = request.arguments["timeoutMs"].flatMap(Int.init) ?? 3000
            guard (50...60_000).contains(timeoutMs) else { return .failure("timeoutMs must be 50…60000") }
            do {
                let result = try await fleet.probe(device: device, model: request.arguments["model"], timeout: .milliseconds(timeoutMs))
                return .success(result.summary, json: encode(result))
            } catch {
                return .failure("\(error)")
            }
        }
        router.register(.thermometersStatus) { _ in
            let statuses = fleet.statuses
            let text = statuses.isEmpty ? "no thermometers attached" : statuses.map(\.summary).joined(separator: "\n")
            return .success(text, json: encode(statuses))
        }
    }

    private static func encode<T: Encodable>(_ value: T) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }
    }
}
