import CheckpointCore
import CredentialDigest
import Foundation

/// Turns a card read into the gate's credential: the citizen number as HMAC-SHA256 with the
/// district key (lower-case hex), so the same person is recognisable across the district's gates
/// without the number itself; its last 4 characters for the person on duty; the card's last
/// valid day. The registration fields ride along until the policy decides; the gate keeps them
/// only for a visitor's registration.
public struct IDCardCredential: Sendable {
    private let key: Data

    /// `districtKey`: the secret shared by the district's gates (at least
    /// `CredentialDigester.minimumKeyBytes` bytes of text).
    public init(districtKey: String) throws(DistrictKeyError) {
        guard districtKey.utf8.count >= CredentialDigester.minimumKeyBytes else {
            throw DistrictKeyError(description: "the district key must be at least \(CredentialDigester.minimumKeyBytes) bytes")
        }
        key = Data(districtKey.utf8)
    }

    /// The keyed hash of `number`: HMAC-SHA256 of its digits alone, 64 lower-case hex characters.
    public func hash(_ number: CitizenNumber) -> String {
        CredentialDigester.hmacHex(Data(number.digits.utf8), key: key)
    }

    /// The credential of `card`.
    public func credential(for card: IDCard) -> Credential {
        Credential(kind: .idCard, payload: hash(card.citizenNumber), symbology: .unknown, lastFour: card.citizenNumber.lastFour,
                   validUntil: card.validUntil?.description,
                   registration: Registration(name: card.name, citizenNumber: card.citizenNumber.digits, address: card.address))
    }
}
