import Foundation

/// RFC 9562 version 7 UUIDs: a 48-bit big-endian Unix timestamp in milliseconds, the version
/// nibble 7, 12 random bits, the variant bits 10, and 62 random bits. Foundation only makes v4.
///
/// Within one process ids are strictly increasing: when two ids fall in the same millisecond (or
/// the wall clock steps back), the previous id's 74 non-timestamp bits are incremented instead of
/// drawn at random (RFC 9562 §6.2, method 2 "monotonic random"), so sorting by id sorts by creation.
public enum UUIDv7 {
    /// The process-wide generator behind `make(at:)`.
    public static let shared = UUIDv7Generator()

    /// A new version 7 UUID for `date` (default: now) from the process-wide generator.
    public static func make(at date: Date = Date()) -> UUID { shared.make(at: date) }

    /// The millisecond timestamp of a version 7 UUID, or nil if `id` is not version 7 / RFC variant.
    public static func timestamp(of id: UUID) -> Date? {
        let b = bytes(of: id)
        guard b[6] >> 4 == 7, b[8] >> 6 == 0b10 else { return nil }
        var millis: UInt64 = 0
        for i in 0..<6 { millis = millis << 8 | UInt64(b[i]) }
        return Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// True if `id` carries version 7 and the RFC 9562 variant.
    public static func isVersion7(_ id: UUID) -> Bool { timestamp(of: id) != nil }

    static func bytes(of id: UUID) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { Array($0) }
    }

    static func uuid(from b: [UInt8]) -> UUID {
        UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                    b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}

/// A source of strictly increasing version 7 UUIDs (see `UUIDv7`).
public final class UUIDv7Generator: Sendable {
    private let state = Mutex(State())

    private struct State {
        var lastMillis: UInt64 = 0
        var lastBytes: [UInt8] = []
    }

    public init() {}

    /// A new version 7 UUID for `date`, greater than every id this generator made before.
    public func make(at date: Date = Date()) -> UUID {
        let millis = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        return state.withLock { state in
            var bytes: [UInt8]
            if millis <= state.lastMillis, !state.lastBytes.isEmpty, incrementRandomBits(&state.lastBytes) {
                bytes = state.lastBytes
            } else {
                bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
                let stamp = max(millis, state.lastMillis &+ (state.lastBytes.isEmpty ? 0 : 1))
                for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: stamp >> (8 * (5 - UInt64(i)))) }
                bytes[6] = 0x70 | (bytes[6] & 0x0F)
                bytes[8] = 0x80 | (bytes[8] & 0x3F)
                state.lastMillis = stamp
            }
            state.lastBytes = bytes
            return UUIDv7.uuid(from: bytes)
        }
    }

    /// Adds one to the 74 bits that are not timestamp, version or variant. False on overflow.
    private func incrementRandomBits(_ b: inout [UInt8]) -> Bool {
        // Bit layout: bytes 6 (low nibble), 7, 8 (low 6 bits), 9...15.
        for i in stride(from: 15, through: 9, by: -1) {
            b[i] &+= 1
            if b[i] != 0 { return true }
        }
        if b[8] & 0x3F != 0x3F { b[8] = 0x80 | ((b[8] & 0x3F) + 1); return true }
        b[8] = 0x80
        if b[7] != 0xFF { b[7] += 1; return true }
        b[7] = 0
        if b[6] & 0x0F != 0x0F { b[6] = 0x70 | ((b[6] & 0x0F) + 1); return true }
        return false
    }

}
