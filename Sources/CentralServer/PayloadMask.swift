import CentralStore
import CheckpointCore
import Foundation

/// What a role without `seeIdentity` sees of a credential payload: its first and last two characters
/// around `***` (enough to tell two codes apart at a glance, not to present them), `***` if it is
/// 6 characters or shorter. Applied to pages, JSON and CSV alike.
public enum PayloadMask {
    public static func mask(_ payload: String) -> String {
        guard payload.count > 6 else { return "***" }
        return String(payload.prefix(2)) + "***" + String(payload.suffix(2))
    }

    public static func mask(_ entry: StoredEntry) -> StoredEntry {
        var entry = entry
        if let payload = entry.record.credential?.payload { entry.record.credential?.payload = mask(payload) }
        return entry
    }

    public static func mask(_ alert: StoredAlert) -> StoredAlert {
        var alert = alert
        alert.credentialPayload = alert.credentialPayload.map { mask($0) }
        return alert
    }

    /// A registration as a role without `seeIdentity` sees it: the name's first character, the citizen
    /// number's first 6 and last character (region and check digit), the address and the host as `***`.
    public static func mask(_ registration: StoredRegistration) -> StoredRegistration {
        var registration = registration
        registration.name = String(registration.name.prefix(1)) + "**"
        let number = registration.citizenNumber
        registration.citizenNumber = number.count > 7 ? String(number.prefix(6)) + String(repeating: "*", count: number.count - 7)
            + String(number.suffix(1)) : "***"
        registration.address = "***"
        registration.host = registration.host.map { _ in "***" }
        return registration
    }

    static func registrations(_ registrations: [StoredRegistration], for principal: Principal) -> [StoredRegistration] {
        principal.has(.seeIdentity) ? registrations : registrations.map { mask($0) }
    }

    /// `entries` as `principal` may see them.
    static func entries(_ entries: [StoredEntry], for principal: Principal) -> [StoredEntry] {
        principal.has(.seeIdentity) ? entries : entries.map { mask($0) }
    }

    static func alerts(_ alerts: [StoredAlert], for principal: Principal) -> [StoredAlert] {
        principal.has(.seeIdentity) ? alerts : alerts.map { mask($0) }
    }
}
