import CheckpointCore

/// Why a scanner's input did not become a `Scan`. Every rejection is counted and logged by the
/// caller; nothing is truncated or dropped silently.
public enum ScanRejectionReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// A terminator arrived with no payload before it.
    case empty
    /// The payload is longer than the limit (bytes as received, or UTF-8 bytes after decoding).
    case tooLong(bytes: Int, limit: Int)
    /// The decoded text holds a control character (C0, DEL or C1) the rules do not allow.
    case controlCharacter(scalar: UInt32, offset: Int)
    /// The bytes are not valid in the model's encoding; `offset` is the first bad byte.
    case invalidEncoding(encoding: String, offset: Int)
    /// A keyboard-wedge key code the layout has no character for (at the shift level in use).
    case unknownKey(code: UInt16)
    /// An Alt + keypad sequence that does not name a character in the configured code page.
    case invalidAltCode(String)
    /// A serial frame that does not begin with the configured prefix.
    case missingPrefix
    /// A HID report that does not fit the model's layout.
    case malformedReport(String)
    /// A scan that was cut off (device lost, inter-key timeout, broken reassembly): discarded.
    case incomplete(bytes: Int, cause: String)
    /// Bytes that were not part of any scan (junk before a frame start, a partial frame ended by
    /// silence, a burst that interrupted a scan): discarded and counted; the scans around survive.
    case noise(bytes: Int, cause: String)
    /// A serial frame without the AIM identifier the model is configured to send.
    case missingIdentifier

    /// A short stable name for counters and logs, e.g. `tooLong`.
    public var code: String {
        switch self {
        case .empty: return "empty"
        case .tooLong: return "tooLong"
        case .controlCharacter: return "controlCharacter"
        case .invalidEncoding: return "invalidEncoding"
        case .unknownKey: return "unknownKey"
        case .invalidAltCode: return "invalidAltCode"
        case .missingPrefix: return "missingPrefix"
        case .malformedReport: return "malformedReport"
        case .incomplete: return "incomplete"
        case .noise: return "noise"
        case .missingIdentifier: return "missingIdentifier"
        }
    }

    /// Whether the person should be asked to scan again: true for a scan the device sent that could
    /// not be read or was cut off; false for noise and empty frames, which no person caused (the
    /// lane would otherwise flash red and the horn chatter on a noisy line).
    public var asksForRescan: Bool {
        switch self {
        case .noise, .empty: return false
        default: return true
        }
    }

    public var description: String {
        switch self {
        case .empty: return "empty scan (terminator without payload)"
        case .tooLong(let n, let limit): return "payload of \(n) bytes exceeds the limit of \(limit) bytes"
        case .controlCharacter(let s, let o): return "control character U+\(String(s, radix: 16, uppercase: true)) at offset \(o)"
        case .invalidEncoding(let e, let o): return "bytes are not valid \(e) at offset \(o)"
        case .unknownKey(let c): return "key code \(c) has no character in the keyboard layout"
        case .invalidAltCode(let m): return "Alt + keypad sequence: \(m)"
        case .missingPrefix: return "frame does not begin with the configured prefix"
        case .malformedReport(let m): return "malformed HID report: \(m)"
        case .incomplete(let n, let cause): return "incomplete scan of \(n) bytes discarded: \(cause)"
        case .noise(let n, let cause): return "\(n) bytes of noise discarded: \(cause)"
        case .missingIdentifier: return "frame does not carry the AIM identifier the model sends"
        }
    }
}

/// One rejected scan: the reason, the device, and (for logs) the first bytes of what was received.
public struct ScanRejection: Sendable, Hashable, CustomStringConvertible {
    /// At most this many received bytes are kept in `sample`.
    public static let sampleLimit = 64

    public var reason: ScanRejectionReason
    public var device: String
    /// The first `sampleLimit` bytes of the rejected input (payload or frame).
    public var sample: [UInt8]

    public init(reason: ScanRejectionReason, device: String, bytes: some Collection<UInt8> = [UInt8]()) {
        self.reason = reason
        self.device = device
        self.sample = Array(bytes.prefix(Self.sampleLimit))
    }

    public var description: String { "\(device): \(reason)" }
}

/// What a decoder produces for one complete piece of input: a scan or a rejection with its reason.
public enum ScanOutcome: Sendable, Hashable {
    case scan(Scan)
    case rejected(ScanRejection)

    public var scan: Scan? { if case .scan(let s) = self { return s } else { return nil } }
    public var rejection: ScanRejection? { if case .rejected(let r) = self { return r } else { return nil } }
}
