import CheckpointCore
import Foundation
import Hummingbird

/// Responses whose body is JSON in the one project spelling (`CheckpointJSON`).
public enum JSONResponse {
    public static let contentType = "application/json; charset=utf-8"

    public static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try CheckpointJSON.encoder().encode(value)
        return Response(status: status,
                        headers: [.contentType: contentType, .contentLength: String(data.count)],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
