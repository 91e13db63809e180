/// The reader's SW3 status byte. Cycle states (card found, no card, select or read failed) are
/// ordinary answers the session acts on, not errors; the reader-fault codes make the reader
/// `fault` until a status request succeeds again.
public struct SAMStatus: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `90`: the command succeeded.
    public static let success = SAMStatus(rawValue: 0x90)
    /// `9F`: find card found one.
    public static let cardFound = SAMStatus(rawValue: 0x9F)
    /// `80`: find card found none.
    public static let noCard = SAMStatus(rawValue: 0x80)
    /// `81`: select card failed (the card left or cannot be selected).
    public static let selectFailed = SAMStatus(rawValue: 0x81)
    /// `41`: reading the card failed (typically: the card was taken away mid-read).
    public static let readFailed = SAMStatus(rawValue: 0x41)
    /// `10`: the reader received a frame with a bad checksum.
    public static let commandChecksumError = SAMStatus(rawValue: 0x10)
    /// `11`: the reader received a frame with a bad length.
    public static let commandLengthError = SAMStatus(rawValue: 0x11)
    /// `21`: the reader received a command it cannot execute.
    public static let commandError = SAMStatus(rawValue: 0x21)
    /// `23`: command not allowed.
    public static let notAuthorised = SAMStatus(rawValue: 0x23)
    /// `24`: unknown command.
    public static let unknownCommand = SAMStatus(rawValue: 0x24)
    /// `31`: the card failed to authenticate the SAM.
    public static let cardAuthenticationFailed = SAMStatus(rawValue: 0x31)
    /// `32`: the SAM failed to authenticate the card.
    public static let samAuthenticationFailed = SAMStatus(rawValue: 0x32)
    /// `33`: the card's information failed verification.
    public static let verificationFailed = SAMStatus(rawValue: 0x33)
    /// `40`: unknown card type.
    public static let unknownCardType = SAMStatus(rawValue: 0x40)
    /// `60`: the SAM's self-test failed.
    public static let samSelfTestFailed = SAMStatus(rawValue: 0x60)
    /// `66`: the SAM is not authorised.
    public static let samNotAuthorised = SAMStatus(rawValue: 0x66)

    /// Codes that say the reader itself (its SAM) cannot work, as opposed to a card state.
    public var isReaderFault: Bool {
        [Self.samSelfTestFailed, Self.samNotAuthorised].contains(self)
    }

    public var description: String {
        let name: String
        switch self {
        case .success: name = "success"
        case .cardFound: name = "card found"
        case .noCard: name = "no card"
        case .selectFailed: name = "select failed"
        case .readFailed: name = "read failed"
        case .commandChecksumError: name = "command checksum error"
        case .commandLengthError: name = "command length error"
        case .commandError: name = "command error"
        case .notAuthorised: name = "not authorised"
        case .unknownCommand: name = "unknown command"
        case .cardAuthenticationFailed: name = "card authentication failed"
        case .samAuthenticationFailed: name = "SAM authentication failed"
        case .verificationFailed: name = "verification failed"
        case .unknownCardType: name = "unknown card type"
        case .samSelfTestFailed: name = "SAM self-test failed"
        case .samNotAuthorised: name = "SAM not authorised"
        default: name = "status"
        }
        return "\(name) (\(hexByte(rawValue)))"
    }
}

/// `0x9F`.
func hexByte(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x\(digits[Int(b >> 4)])\(digits[Int(b & 0x0F)])"
}
