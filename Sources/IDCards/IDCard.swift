/// The text of a second-generation resident ID card, decoded and checked. The photo is never
/// part of it (its format needs a licensed decoder) and is dropped with the frame.
///
/// Its `description` names no personal field: log it freely, never its properties.
public struct IDCard: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Sex code (GB/T 2261.1).
    public enum Sex: String, Sendable, Hashable, CaseIterable, Codable {
        case unknown = "0"
        case male = "1"
        case female = "2"
        case unspecified = "9"
    }

    public var name: String
    public var sex: Sex
    /// Two-digit nationality code (`01` Han … `56`, `97`, `98`).
    public var nationCode: String
    public var birthDate: CardDate
    public var address: String
    public var citizenNumber: CitizenNumber
    public var issuingAuthority: String
    public var validFrom: CardDate
    /// Nil for a card valid without end (`长期`).
    public var validUntil: CardDate?

    public init(name: String, sex: Sex, nationCode: String, birthDate: CardDate, address: String,
                citizenNumber: CitizenNumber, issuingAuthority: String, validFrom: CardDate, validUntil: CardDate?) {
        self.name = name
        self.sex = sex
        self.nationCode = nationCode
        self.birthDate = birthDate
        self.address = address
        self.citizenNumber = citizenNumber
        self.issuingAuthority = issuingAuthority
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// Whether the card is past its validity on `today` (valid through its end date inclusive).
    public func isExpired(on today: CardDate) -> Bool {
        guard let end = validUntil else { return false }
        return today > end
    }

    public var description: String { "ID card (redacted)" }
    public var debugDescription: String { description }
}
