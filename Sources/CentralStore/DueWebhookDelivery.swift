import Foundation

/// A pending delivery whose next attempt is due, with the alert it carries; `alert` is nil when the
/// alert was erased or purged meanwhile (the sender then gives the delivery up unsent).
public struct DueWebhookDelivery: Sendable, Hashable {
    public var delivery: WebhookDelivery
    public var alert: StoredAlert?

    public init(delivery: WebhookDelivery, alert: StoredAlert?) {
        self.delivery = delivery
        self.alert = alert
    }
}
