import Foundation

/// One alert to be delivered to one webhook endpoint: a row of the delivery log. The body is made
/// from the alert at each attempt; the log itself holds no credential payload.
public struct WebhookDelivery: Codable, Sendable, Hashable {
    /// Where a delivery stands.
    public enum Status: String, Codable, Sendable, CaseIterable, Hashable {
        /// Not yet answered with 2xx; tried again at `nextAttemptAt`.
        case pending
        /// Answered with 2xx once: never sent again.
        case delivered
        /// Given up: every attempt failed, or the alert was erased or purged before it could be sent.
        case failed
    }

    /// Strictly increasing; also the `X-Checkpoint-Delivery` header a receiver may deduplicate by.
    public var id: Int64
    /// The endpoint URL it is for.
    public var url: String
    public var alertID: Int64
    public var alertKind: AlertKind
    public var status: Status
    /// Attempts made so far (each one HTTP request).
    public var attempts: Int
    /// When the alert was queued for this endpoint (server time).
    public var createdAt: Date
    public var lastAttemptAt: Date?
    /// When the next attempt is due (pending only).
    public var nextAttemptAt: Date?
    public var deliveredAt: Date?
    /// The HTTP status of the last answer; nil when the last attempt got no answer.
    public var lastStatusCode: Int?
    /// Why the last attempt failed (connection error, status, …), at most 200 bytes; nil after success.
    public var lastError: String?

    public init(id: Int64, url: String, alertID: Int64, alertKind: AlertKind, status: Status, attempts: Int, createdAt: Date,
                lastAttemptAt: Date? = nil, nextAttemptAt: Date? = nil, deliveredAt: Date? = nil,
                lastStatusCode: Int? = nil, lastError: String? = nil) {
        self.id = id
        self.url = url
        self.alertID = alertID
        self.alertKind = alertKind
        self.status = status
        self.attempts = attempts
        self.createdAt = createdAt
        self.lastAttemptAt = lastAttemptAt
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
    }
}
