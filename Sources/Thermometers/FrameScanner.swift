/// What a family's frame examiner says about the bytes at the front of the receive buffer.
enum FrameVerdict {
    /// The first byte cannot start a frame: skip it as garbage.
    case skip
    /// Could be a frame, but more bytes are needed.
    case needMore
    /// A complete frame of `length` bytes, decoded to `item`.
    case frame(length: Int, DecodedItem)
    /// Looks like a frame start but fails a check: report it and skip one byte to resynchronise
    /// (the header may have been a garbage byte that happened to look like one).
    case invalid(Rejection)
}

/// A receive buffer with resynchronisation, shared by the binary and fixed-length families:
/// the family says what the front of the buffer is (`FrameVerdict`); the scanner skips, waits,
/// consumes and counts garbage as one rejection per run of skipped bytes.
struct FrameScanner: Sendable {
    private(set) var buffer: [UInt8] = []
    /// Bytes skipped since the last reported garbage run (a run may span several reads).
    private var unreportedGarbage = 0
    /// A buffer that grows beyond this without a frame is garbage (protects memory on a noisy line).
    let capacity: Int

    init(capacity: Int = 1024) { self.capacity = capacity }

    var pendingByteCount: Int { buffer.count }

    /// Reports and drops what is pending: a started frame as truncated, a garbage run as garbage.
    mutating func flush(_ why: String) -> [Rejection] {
        var out: [Rejection] = []
        if unreportedGarbage > 0 { out.append(Rejection(.garbage, "no frame start", bytes: unreportedGarbage)) }
        if !buffer.isEmpty { out.append(Rejection(.truncated, why, bytes: buffer.count)) }
        unreportedGarbage = 0
        buffer.removeAll(keepingCapacity: true)
        return out
    }

    /// Appends `bytes` and decodes every complete frame, using `examine` on the buffer's front.
    mutating func scan(_ bytes: [UInt8], examine: (ArraySlice<UInt8>) -> FrameVerdict) -> [DecodedItem] {
        buffer.append(contentsOf: bytes)
        var items: [DecodedItem] = []
        var start = 0
        var skipped = unreportedGarbage
        func flushGarbage() {
            if skipped > 0 { items.append(.rejected(Rejection(.garbage, "no frame start", bytes: skipped))) }
            skipped = 0
        }
        loop: while start < buffer.count {
            switch examine(buffer[start...]) {
            case .skip:
                skipped += 1
                start += 1
            case .needMore:
                flushGarbage()
                break loop
            case .frame(let length, let item):
                flushGarbage()
                items.append(item)
                start += max(1, length)
            case .invalid(let rejection):
                flushGarbage()
                items.append(.rejected(rejection))
                start += 1
            }
        }
        unreportedGarbage = skipped
        buffer.removeFirst(min(start, buffer.count))
        if buffer.count + unreportedGarbage > capacity {
            items.append(.rejected(Rejection(.garbage, "no frame in \(capacity) bytes", bytes: buffer.count + unreportedGarbage)))
            buffer.removeAll(keepingCapacity: true)
            unreportedGarbage = 0
        }
        return items
    }
}
