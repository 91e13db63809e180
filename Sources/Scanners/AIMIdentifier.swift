import CheckpointCore

/// An AIM / ISO/IEC 15424 symbology identifier: `]`, a code character naming the symbology, and a
/// modifier character (options such as GS1 mode or check digit handling), e.g. `]Q1`, `]E0`, `]C1`.
public struct AIMIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The code character (`Q`, `E`, `C`, `d` …) as an ASCII byte.
    public var code: UInt8
    /// The modifier character (`0`–`9`, `A`–`Z`) as an ASCII byte.
    public var modifier: UInt8

    public init?(code: UInt8, modifier: UInt8) {
        guard Self.isLetter(code), Self.isAlphanumeric(modifier) else { return nil }
        self.code = code
        self.modifier = modifier
    }

    /// Parses an identifier from the first three bytes of `bytes` (`]` + code + modifier).
    public init?(prefixOf bytes: some Collection<UInt8>) {
        var it = bytes.makeIterator()
        guard it.next() == 0x5D, let c = it.next(), let m = it.next() else { return nil }
        self.init(code: c, modifier: m)
    }

    /// Parses `]Q1` (or `Q1`) text.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        if b.count == 3 { self.init(prefixOf: b) } else if b.count == 2 { self.init(code: b[0], modifier: b[1]) } else { return nil }
    }

    /// `]Q1`.
    public var description: String { String(decoding: bytes, as: UTF8.self) }
    public var bytes: [UInt8] { [0x5D, code, modifier] }

    /// The symbology the identifier denotes (ISO/IEC 15424 code characters); `.unknown` for code
    /// characters this product does not name.
    public var symbology: Symbology {
        switch code {
        case UInt8(ascii: "Q"): return .qr
        case UInt8(ascii: "d"): return .dataMatrix
        case UInt8(ascii: "L"): return .pdf417
        case UInt8(ascii: "z"): return .aztec
        case UInt8(ascii: "E"):
            // ]E0 EAN-13 / UPC-A (UPC-A travels as EAN-13 with a leading 0), ]E4 EAN-8,
            // ]E1 ]E2 ]E3 EAN-13 with add-on.
            return modifier == UInt8(ascii: "4") ? .ean8 : .ean13
        case UInt8(ascii: "C"):
            // ]C1: FNC1 in the first position = GS1-128.
            return modifier == UInt8(ascii: "1") ? .gs1_128 : .code128
        case UInt8(ascii: "A"): return .code39
        case UInt8(ascii: "G"): return .code93
        case UInt8(ascii: "F"): return .codabar
        case UInt8(ascii: "I"): return .interleaved2of5
        default: return .unknown
        }
    }

    /// The identifier a scanner sends for `symbology` (used by the simulators and the tests).
    public static func canonical(for symbology: Symbology) -> AIMIdentifier? {
        let pair: (Character, Character)
        switch symbology {
        case .qr: pair = ("Q", "1")
        case .microQR: pair = ("Q", "1")
        case .dataMatrix: pair = ("d", "1")
        case .pdf417: pair = ("L", "0")
        case .aztec: pair = ("z", "0")
        case .ean13, .upcA: pair = ("E", "0")
        case .ean8: pair = ("E", "4")
        case .upcE: pair = ("E", "0")
        case .code128: pair = ("C", "0")
        case .gs1_128: pair = ("C", "1")
        case .code39: pair = ("A", "0")
        case .code93: pair = ("G", "0")
        case .codabar: pair = ("F", "0")
        case .interleaved2of5: pair = ("I", "0")
        case .unknown: return nil
        }
        return AIMIdentifier(code: pair.0.asciiValue ?? 0, modifier: pair.1.asciiValue ?? 0)
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    private static func isAlphanumeric(_ b: UInt8) -> Bool { isLetter(b) || (b >= 0x30 && b <= 0x39) }
}
