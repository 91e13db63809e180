import CheckpointConfig
import DeviceCatalog

/// GD60914 forehead/wrist infrared module (family `gd60914`), 9600 8N1.
///
/// `A1` once selects single-measurement mode; then one command byte per reading: `AA` object,
/// `AB` forehead, `AC` wrist. Reply: 7 ASCII bytes — a 5-character signed integer in tenths of °C
/// (right-aligned, padded with spaces or zeros, optional sign), then CR LF, e.g. `  365\r\n`.
/// Raw value = that integer (scale 0.1).
///
/// `[protocol]`: `target = "object" | "forehead" | "wrist"` + polling keys.
public struct GD60914Codec: ThermometerCodec {
    public enum Target: String, Sendable, CaseIterable {
        case object, forehead, wrist
        public var command: UInt8 {
            switch self {
            case .object: return 0xAA
            case .forehead: return 0xAB
            case .wrist: return 0xAC
            }
        }
    }

    public static let singleModeCommand: [UInt8] = [0xA1]
    public static let replyLength = 7
    public static let parameterKeys: Set<String> = ["target"]

    public let target: Target
    private var scanner = FrameScanner()

    public init(target: Target) { self.target = target }

    public init(model: CatalogModel) throws(ConfigError) {
        target = try model.protocolParameters.enumeration("target", Target.self) ?? .forehead
    }

    /// A reply as the module sends it (used by simulators and tests).
    public static func reply(tenths: Int) -> [UInt8] {
        let v = max(-9999, min(tenths, 99999))
        var field = String(v)
        while field.count < 5 { field = " " + field }
        return Array(field.utf8) + [0x0D, 0x0A]
    }

    public var setupCommand: [UInt8] { Self.singleModeCommand }
    public var pollCommand: [UInt8]? { [target.command] }
    public var pendingByteCount: Int { scanner.pendingByteCount }
    public mutating func flush(_ why: String) -> [Rejection] { scanner.flush(why) }

    public mutating func decode(_ bytes: [UInt8]) -> [DecodedItem] {
        scanner.scan(bytes) { w in
            guard let first = w.first, Self.isFieldByte(first) else { return .skip }
            guard w.count >= Self.replyLength else {
                // Wait only while what we have can still become a reply.
                return w.allSatisfy(Self.isFieldByte) || w.last == 0x0D ? .needMore : .skip
            }
            let f = Array(w.prefix(Self.replyLength))
            guard f[5] == 0x0D, f[6] == 0x0A, let value = Self.parseField(f[0..<5]) else { return .skip }
            return .frame(length: Self.replyLength, .raw(Double(value)))
        }
    }

    static func isFieldByte(_ b: UInt8) -> Bool { b == 0x20 || b == 0x2B || b == 0x2D || (0x30...0x39).contains(b) }

    /// `  365`, `00365`, ` -052`, `+0365` → the integer; nil for anything else.
    static func parseField(_ field: ArraySlice<UInt8>) -> Int? {
        var rest = field.drop(while: { $0 == 0x20 })
        var sign = 1
        if let s = rest.first, s == 0x2B || s == 0x2D {
            sign = s == 0x2D ? -1 : 1
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty, rest.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return sign * rest.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
