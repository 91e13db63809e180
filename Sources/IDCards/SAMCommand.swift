/// The host → reader commands the read cycle uses (command byte, parameter byte).
public enum SAMCommand: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `11 FF`: the reader's (SAM's) status; `90` when it works.
    case readerStatus
    /// `20 01`: look for a card in the field; `9F` found, `80` none.
    case findCard
    /// `20 02`: select the found card; `90` selected, `81` failed.
    case selectCard
    /// `30 01`: read the base information: text (256 bytes) and photo (1024 bytes).
    case readBaseInfo

    public var code: UInt8 {
        switch self {
        case .readerStatus: return 0x11
        case .findCard, .selectCard: return 0x20
        case .readBaseInfo: return 0x30
        }
    }

    public var parameter: UInt8 {
        switch self {
        case .readerStatus: return 0xFF
        case .findCard: return 0x01
        case .selectCard: return 0x02
        case .readBaseInfo: return 0x01
        }
    }

    /// The command a `code parameter` pair names, if it is one of these.
    public init?(code: UInt8, parameter: UInt8) {
        guard let c = Self.allCases.first(where: { $0.code == code && $0.parameter == parameter }) else { return nil }
        self = c
    }

    public var description: String {
        switch self {
        case .readerStatus: return "reader status"
        case .findCard: return "find card"
        case .selectCard: return "select card"
        case .readBaseInfo: return "read base info"
        }
    }
}
