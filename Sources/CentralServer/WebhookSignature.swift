import Crypto
import Foundation

/// The signature of a webhook request: `X-Checkpoint-Signature: v1=<hex>`, where `<hex>` is the
/// lowercase hex HMAC-SHA256, under the district's webhook key, of `<timestamp>.<body>` —
/// `<timestamp>` being the `X-Checkpoint-Timestamp` header (Unix seconds, decimal) and `<body>` the
/// request body's bytes exactly. A receiver recomputes it, compares in constant time, and refuses a
/// timestamp far from its own clock (a replay).
public enum WebhookSignature {
    public static let signatureHeader = "X-Checkpoint-Signature"
    public static let timestampHeader = "X-Checkpoint-Timestamp"
    public static let deliveryHeader = "X-Checkpoint-Delivery"
    public static let eventHeader = "X-Checkpoint-Event"
    /// The shortest key accepted, in bytes.
    public static let minimumKeyBytes = 32

    /// The header value `v1=<hex>` for `body` sent at `timestamp` (Unix seconds).
    public static func sign(body: [UInt8], timestamp: Int64, key: [UInt8]) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        return "v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `header` is the signature of `body` at `timestamp` (constant-time comparison).
    public static func verify(_ header: String, body: [UInt8], timestamp: Int64, key: [UInt8]) -> Bool {
        SecretToken.constantTimeEquals(header, sign(body: body, timestamp: timestamp, key: key))
    }
}
