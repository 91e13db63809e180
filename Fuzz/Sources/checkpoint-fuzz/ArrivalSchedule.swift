import CheckpointCore

/// How a fuzz input's bytes arrive on a device line: in chunks of 1…64 bytes separated by gaps,
/// both derived deterministically from the input itself, so the input file stays the raw byte
/// stream a device would send (a capture is a valid seed) and the same input always replays the
/// same way.
///
/// Gaps: mostly 0–3 ms (bytes of one frame), one chunk in eight after 60–300 ms of silence (longer
/// than every inter-byte gap rule in the catalog, shorter than the poll timeouts), one in sixty-four
/// after 3 s (past every reply timeout).
struct ArrivalSchedule: Sequence, IteratorProtocol {
    struct Chunk {
        /// Milliseconds of silence before this chunk.
        var gapMs: Int64
        var bytes: ArraySlice<UInt8>
    }

    private let bytes: [UInt8]
    private var position = 0
    private var random: SplitMix64

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // FNV-1a over the input: the schedule depends on every byte.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        random = SplitMix64(seed: hash)
    }

    mutating func next() -> Chunk? {
        guard position < bytes.count else { return nil }
        let r = random.next()
        let length = Swift.min(Int(r % 64) + 1, bytes.count - position)
        let gapMs: Int64
        switch (r >> 8) % 64 {
        case 0: gapMs = 3_000
        case 1...8: gapMs = 60 + Int64((r >> 16) % 240)
        default: gapMs = Int64((r >> 16) % 4)
        }
        defer { position += length }
        return Chunk(gapMs: gapMs, bytes: bytes[position..<position + length])
    }
}
