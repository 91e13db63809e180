import Control
import Foundation
import Scanners

/// The `scanner.configure` control command (`ControlCommand.scannerConfigure`): `checkpointd`
/// registers it (the runner that owns the port lends its line), and `checkpointctl` renders its
/// own conversation the same way when the daemon is not running. The reply's `output` is the
/// exchange in hex with meanings; `json` is the `ConfigurationReport`.
public enum ScannerConfigureCommand {
    /// Registers the command on the daemon's router. `channel` finds the scanner by the request's
    /// `device` and lends its line (or throws a message for the technician).
    public static func register(on router: ControlRouter, replyTimeout: Duration = .seconds(2),
                                channel: @escaping @Sendable (ScannerControl.Request) async throws -> ScannerControl.Channel) {
        router.register(.scannerConfigure) { control in
            let request: ScannerControl.Request
            do throws(ScannerConfigurationError) { request = try ScannerControl.Request(arguments: control.arguments) } catch {
                return .failure(error.description)
            }
            let ch: ScannerControl.Channel
            do { ch = try await channel(request) } catch { return .failure("\(request.device): \(error)") }
            return response(await ScannerControl.perform(request, channel: ch, replyTimeout: replyTimeout))
        }
    }

    /// The control response for a conversation's outcome.
    public static func response(_ outcome: Result<ConfigurationReport, ScannerConfigurationError>) -> ControlResponse {
        switch outcome {
        case .failure(let error):
            return .failure(error.description)
        case .success(let report):
            let json = (try? JSONEncoder().encode(report)).map { String(decoding: $0, as: UTF8.self) }
            return ControlResponse(ok: report.accepted, output: report.text, json: json, error: report.accepted ? nil : report.failure)
        }
    }
}
