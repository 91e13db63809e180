import CheckpointCore
import Foundation

extension CentralClient {
    /// `GET /v1/profile?since=V`: the gate's merged profile, nil (204) when its version is V.
    public func profile(since version: Int64) async throws -> GateProfile? {
        let path = "/v1/profile?since=\(version)"
        let reply = try await send(.GET, path, body: nil)
        if reply.status == 204 { return nil }
        do { return try CheckpointJSON.decoder().decode(GateProfile.self, from: reply.data) }
        catch { throw CentralClientError.badReply("GET \(path): \(error)") }
    }

    /// `GET /v1/clips/{sha256}`: a clip's bytes.
    public func clip(sha256: String) async throws -> Data {
        try await send(.GET, "/v1/clips/\(sha256)", body: nil, accept: "audio/wav").data
    }
}
