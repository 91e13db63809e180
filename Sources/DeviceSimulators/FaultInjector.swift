import CheckpointCore

/// Faults applied to what a simulated device sends, on demand: each fault is armed for the next
/// `count` frames (garbage, truncate, badChecksum, silence) and consumed as frames go out.
public struct FaultInjector: Sendable, Hashable {
    public enum Fault: String, Sendable, Hashable, CaseIterable {
        /// Random non-frame bytes before the frame.
        case garbage
        /// Only the first half of the frame.
        case truncate
        /// The last byte (checksum / CRC / line end) flipped.
        case badChecksum = "badsum"
        /// No answer at all.
        case silence
    }

    private(set) var armed: [Fault: Int] = [:]
    /// Counts of faults applied so far.
    public private(set) var applied: [Fault: Int] = [:]
    private var random: SplitMix64

    public init(seed: UInt64 = 0x5EED) { random = SplitMix64(seed: seed) }

    /// Arms `fault` for the next `count` frames (0 disarms it).
    public mutating func arm(_ fault: Fault, count: Int) {
        armed[fault] = count > 0 ? count : nil
    }

    /// The frames remaining for each armed fault.
    public var pending: [Fault: Int] { armed }

    /// Applies the armed faults to one outgoing frame; returns the bytes to send (maybe none).
    public mutating func apply(_ frame: [UInt8]) -> [UInt8] {
        if take(.silence) { return [] }
        var out = frame
        if take(.badChecksum), let last = out.indices.last { out[last] ^= 0x5A }
        if take(.truncate) { out = Array(out.prefix(max(1, out.count / 2))) }
        if take(.garbage) { out = garbageBytes() + out }
        return out
    }

    /// 3…8 bytes that start no frame of the thermometer families (no FE, 5A, slave ids 1…16, digits, +, -, space).
    public mutating func garbageBytes() -> [UInt8] {
        let count = 3 + Int(random.next() % 6)
        return (0..<count).map { _ in
            let pool: [UInt8] = [0x00, 0x13, 0x1B, 0x7F, 0x80, 0x99, 0xB3, 0xC7, 0xE1, 0xF0]
            return pool[Int(random.next() % UInt64(pool.count))]
        }
    }

    private mutating func take(_ fault: Fault) -> Bool {
        guard let n = armed[fault], n > 0 else { return false }
        armed[fault] = n > 1 ? n - 1 : nil
        applied[fault, default: 0] += 1
        return true
    }
}
