import CentralStore
import Foundation

/// The district's webhook: where its store forwards alerts, signed with the district's key (kept
/// outside the database). One store serves one district, so this is that district's setting.
public struct WebhookConfiguration: Sendable {
    /// `http` or `https` URL receiving one `POST` per alert.
    public var url: URL
    /// The HMAC-SHA256 key (≥ `WebhookSignature.minimumKeyBytes` bytes).
    public var key: [UInt8]
    /// Which alert kinds to forward; nil = every kind.
    public var kinds: Set<AlertKind>?
    /// Send credential payloads unmasked; by default they are masked like for roles without `seeIdentity`.
    public var includeIdentity: Bool
    public var retry: WebhookRetryPolicy
    /// How often the sender looks for due retries and alerts it was not woken for.
    public var pollInterval: Duration
    /// One attempt gives up after this long without a complete answer.
    public var timeout: Duration

    /// Throws `WebhookConfigurationError` for a URL that is not absolute http(s) with a host, or a short key.
    public init(url: URL, key: [UInt8], kinds: Set<AlertKind>? = nil, includeIdentity: Bool = false,
                retry: WebhookRetryPolicy = .standard, pollInterval: Duration = .seconds(5),
                timeout: Duration = .seconds(10)) throws {
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host?.isEmpty == false,
              url.absoluteString.utf8.count <= 2_048 else {
            throw WebhookConfigurationError(description: "webhook URL must be an absolute http or https URL with a host (≤ 2048 bytes): \(url)")
        }
        guard key.count >= WebhookSignature.minimumKeyBytes else {
            throw WebhookConfigurationError(description: "webhook key must be at least \(WebhookSignature.minimumKeyBytes) bytes, got \(key.count)")
        }
        self.url = url
        self.key = key
        self.kinds = kinds
        self.includeIdentity = includeIdentity
        self.retry = retry
        self.pollInterval = pollInterval
        self.timeout = timeout
    }

    /// The key from a file: its text without surrounding whitespace (e.g. 64 hex characters from
    /// `openssl rand -hex 32`), used as bytes. Throws `WebhookConfigurationError` if unreadable or short.
    public static func loadKey(path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WebhookConfigurationError(description: "cannot read webhook key file \(path)")
        }
        let key = Array(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard key.count >= WebhookSignature.minimumKeyBytes else {
            throw WebhookConfigurationError(description: "webhook key in \(path) must be at least \(WebhookSignature.minimumKeyBytes) bytes")
        }
        return key
    }
}

/// The webhook cannot be configured as asked (message says why).
public struct WebhookConfigurationError: Error, CustomStringConvertible {
    public let description: String
}
