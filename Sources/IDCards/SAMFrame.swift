/// The serial framing of the SAM interface of second-generation ID card readers (GA 467), both
/// directions:
///
///     host → reader:  AA AA AA 96 69 | len (2, big-endian) | CMD | PARA | data | XOR
///     reader → host:  AA AA AA 96 69 | len (2, big-endian) | SW1 | SW2 | SW3 | data | XOR
///
/// `len` counts every byte after itself, the checksum included (so a command without data has
/// len 3, a response without data len 4). The checksum is the XOR of every byte after the
/// preamble except the checksum itself (the length bytes included).
public enum SAMFrame {
    public static let preamble: [UInt8] = [0xAA, 0xAA, 0xAA, 0x96, 0x69]
    /// Preamble + the two length bytes.
    public static let headerLength = 7
    /// The longest `len` accepted: base info + photo + fingerprints (3 + 6 + 256 + 1024 + 1024 + 1 = 2314),
    /// rounded up. A longer length is a corrupted header, not a frame to wait for.
    public static let maximumLength = 2400
    /// The shortest response `len`: SW1 SW2 SW3 + checksum.
    public static let minimumResponseLength = 4

    /// XOR of `bytes`.
    public static func xor<C: Collection>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
        bytes.reduce(0, ^)
    }

    /// Frames `body` (command + parameter + data, or SW1 SW2 SW3 + data): preamble, length, body, checksum.
    public static func wrap(_ body: [UInt8]) -> [UInt8] {
        let length = body.count + 1
        let lengthBytes: [UInt8] = [UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
        return preamble + lengthBytes + body + [xor(lengthBytes) ^ xor(body)]
    }

    /// A host → reader frame.
    public static func command(_ command: SAMCommand, data: [UInt8] = []) -> [UInt8] {
        wrap([command.code, command.parameter] + data)
    }

    /// A reader → host frame (simulators and tests).
    public static func response(_ status: SAMStatus, data: [UInt8] = [], sw1: UInt8 = 0, sw2: UInt8 = 0) -> [UInt8] {
        wrap([sw1, sw2, status.rawValue] + data)
    }
}
