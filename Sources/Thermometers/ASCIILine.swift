import Foundation

/// Generic ASCII-line thermometers (family `ascii-line`): the module prints one text line per
/// reading (LF or CR LF); a regular expression's first capture group is the raw value.
///
/// `[protocol]`: `pattern` (required; ICU syntax with at least one capture group), `command`
/// (optional text sent per poll, e.g. `"READ\r\n"`; without it the module streams and `pollMs` is
/// its expected period), `maxLineBytes` (default 128) + polling keys.
public struct ASCIILineCodec: ThermometerCodec {

    public let pattern: String
    private let regex: NSRegularExpression
    public let command: [UInt8]?
    public let maxLineBytes: Int
    private var buffer: [UInt8] = []
    /// True while discarding the rest of an overlong line.
    private var discarding = false

    public init(pattern: String, command: [UInt8]? = nil, maxLineBytes: Int = 128) throws {
        self.pattern = pattern
        self.regex = try NSRegularExpression(pattern: pattern)
        guard regex.numberOfCaptureGroups >= 1 else { throw PatternError.noCaptureGroup }
        self.command = command
        self.maxLineBytes = maxLineBytes
    }

    /// The pattern compiles but has no capture group for the value.
    public enum PatternError: Error { case noCaptureGroup }

    public var setupCommand: [UInt8] { [] }
    public var pollCommand: [UInt8]? { command }
    public var pendingByteCount: Int { buffer.count }

    public mutating func flush(_ why: String) -> [Rejection] {
        defer { buffer.removeAll(); discarding = false }
        return buffer.isEmpty ? [] : [Rejection(.truncated, why, bytes: buffer.count)]
    }

    public mutating func decode(_ bytes: [UInt8]) -> [DecodedItem] {
        var items: [DecodedItem] = []
        for byte in bytes {
            if byte == 0x0A {
                if discarding {
                    discarding = false
                } else if let item = parse(buffer) {
                    items.append(item)
                }
                buffer.removeAll(keepingCapacity: true)
                continue
            }
            if discarding { continue }
            buffer.append(byte)
            if buffer.count > maxLineBytes {
                items.append(.rejected(Rejection(.lineTooLong, "more than \(maxLineBytes) bytes without a line end", bytes: buffer.count)))
                buffer.removeAll(keepingCapacity: true)
                discarding = true
            }
        }
        return items
    }

    /// One line without its LF: nil for an empty line, else a value or a rejection.
    private func parse(_ line: [UInt8]) -> DecodedItem? {
        var bytes = line[...]
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        if bytes.isEmpty { return nil }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            return .rejected(Rejection(.malformed, "line is not UTF-8", bytes: line.count))
        }
        let range = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, range: range),
              let group = Range(match.range(at: 1), in: text) else {
            return .rejected(Rejection(.patternMismatch, "\"\(text.prefix(40))\"", bytes: line.count))
        }
        guard let value = Double(text[group]), value.isFinite else {
            return .rejected(Rejection(.malformed, "\"\(text[group])\" is not a number", bytes: line.count))
        }
        return .raw(value)
    }
}
