import AsyncHTTPClient
import CheckpointCore
import CentralStore
import Foundation
import NIOCore

/// Reads `GET /v1/alerts/stream` as a client would: the alerts of the `event: alert` messages, in
/// the order they arrive, until one satisfies `until` or `timeout` passes.
enum AlertStreamReader {
    static func read(_ server: ServerHarness, after: Int64 = 0, timeout: Duration = .seconds(10),
                     until: @escaping @Sendable (StoredAlert) -> Bool) async throws -> [StoredAlert] {
        var request = HTTPClientRequest(url: server.baseURL + "/v1/alerts/stream?after=\(after)")
        request.headers.add(name: "Authorization", value: "Bearer \(ServerHarness.adminToken)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(timeout.components.seconds) + 1))
        var text = ""
        var alerts: [StoredAlert] = []
        let deadline = ContinuousClock.now + timeout
        do {
            for try await chunk in response.body {
                text += String(buffer: chunk)
                while let end = text.range(of: "\n\n") {
                    let message = text[..<end.lowerBound]
                    text = String(text[end.upperBound...])
                    guard message.contains("event: alert"),
                          let data = message.split(separator: "\n").first(where: { $0.hasPrefix("data: ") })?.dropFirst(6) else { continue }
                    let alert = try CheckpointJSON.decoder().decode(StoredAlert.self, from: Data(data.utf8))
                    alerts.append(alert)
                    if until(alert) { return alerts }
                }
                if ContinuousClock.now > deadline { break }
            }
        } catch is HTTPClientError {
            // The read timed out: return what arrived.
        }
        return alerts
    }
}
