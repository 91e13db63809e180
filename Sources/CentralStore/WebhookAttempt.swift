import Foundation

/// The outcome of one delivery attempt, as the sender records it.
public enum WebhookAttempt: Sendable, Hashable {
    /// The endpoint answered 2xx with this status: the delivery is done.
    case delivered(statusCode: Int)
    /// No 2xx: `statusCode` nil when there was no answer (refused, timed out). Tried again at
    /// `retryAt`, or given up (`failed`) when `retryAt` is nil.
    case failed(statusCode: Int?, error: String, retryAt: Date?)
}
