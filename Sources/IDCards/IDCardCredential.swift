import CheckpointCore
import Crypto
import Foundation

/// Turns a card read into the gate's credential: the citizen number as HMAC-SHA256 with the
/// district key (lower-case hex), so the same person is recognisable across the district's gates
/// without the number itself; its last 4 characters for the person on duty; the card's last
/// valid day. The registration fields ride along until the policy decides; the gate keeps them
/// only for a visitor's registration.
public struct IDCardCredential: Sendable {
    private let key: Data

    /// `districtKey`: the secret shared by the district's gates (at least 16 bytes of text).
    public init(districtKey: String) throws(IDCardKeyError) {
        guard districtKey.utf8.count >= 16 else { throw IDCardKeyError(description: "the district key must be at least 16 bytes") }
        key = Data(districtKey.utf8)
    }

    /// The keyed hash of `number`: 64 lower-case hex characters.
    public func hash(_ number: CitizenNumber) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(number.digits.utf8), using: SymmetricKey(data: key))
        return mac.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }

    /// The credential of `card`.
    public func credential(for card: IDCard) -> Credential {
        Credential(kind: .idCard, payload: hash(card.citizenNumber), symbology: .unknown, lastFour: card.citizenNumber.lastFour,
                   validUntil: card.validUntil?.description,
                   registration: Registration(name: card.name, citizenNumber: card.citizenNumber.digits, address: card.address))
    }
}

/// A district key that cannot be used.
public struct IDCardKeyError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}
