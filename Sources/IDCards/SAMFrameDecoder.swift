/// Reader → host frames out of a byte stream, sans I/O: resynchronises on the preamble, waits for
/// a complete frame, checks length and XOR, and reports every rejection (a run of skipped bytes
/// once, as `garbage`). After a failed check it skips one byte and looks for the next preamble,
/// since the "preamble" may have been noise. The buffer never holds more than one maximum frame.
public struct SAMFrameDecoder: Sendable {
    public enum Item: Sendable, Hashable {
        case response(SAMResponse)
        case rejected(IDCardRejection)
    }

    private var buffer: [UInt8] = []
    private var skipped = 0

    /// The most bytes ever held: one frame of `SAMFrame.maximumLength`.
    public static let capacity = SAMFrame.headerLength + SAMFrame.maximumLength

    public init() {}

    /// Bytes received but not yet part of a complete frame.
    public var pendingByteCount: Int { buffer.count }

    /// Appends `bytes` and returns every frame and rejection they complete, in order. A run of
    /// skipped bytes is reported once, before the frame (or failed check) that ends it, or at `flush`.
    public mutating func decode(_ bytes: [UInt8]) -> [Item] {
        buffer.append(contentsOf: bytes)
        var items: [Item] = []
        var start = 0
        scanning: while start < buffer.count {
            switch examine(from: start) {
            case .skip:
                skipped += 1
                start += 1
            case .needMore:
                break scanning
            case .frame(let length, let response):
                reportSkipped(into: &items)
                items.append(.response(response))
                start += length
            case .invalid(let rejection):
                reportSkipped(into: &items)
                items.append(.rejected(rejection))
                start += 1
            }
        }
        buffer.removeFirst(start)
        return items
    }

    /// Drops what is pending (a timeout or a lost port) and says what it was.
    public mutating func flush(_ why: String) -> [IDCardRejection] {
        var out: [Item] = []
        reportSkipped(into: &out)
        if !buffer.isEmpty { out.append(.rejected(IDCardRejection(.truncated, why, bytes: buffer.count))) }
        buffer.removeAll(keepingCapacity: true)
        return out.compactMap { if case .rejected(let r) = $0 { return r } else { return nil } }
    }

    private enum Verdict {
        case skip, needMore
        case frame(length: Int, SAMResponse)
        case invalid(IDCardRejection)
    }

    private mutating func reportSkipped(into items: inout [Item]) {
        if skipped > 0 { items.append(.rejected(IDCardRejection(.garbage, "no preamble", bytes: skipped))) }
        skipped = 0
    }

    private func examine(from start: Int) -> Verdict {
        let available = buffer.count - start
        let preambleBytes = min(available, SAMFrame.preamble.count)
        for i in 0..<preambleBytes where buffer[start + i] != SAMFrame.preamble[i] { return .skip }
        guard available >= SAMFrame.headerLength else { return .needMore }
        let length = Int(buffer[start + 5]) << 8 | Int(buffer[start + 6])
        guard (SAMFrame.minimumResponseLength...SAMFrame.maximumLength).contains(length) else {
            return .invalid(IDCardRejection(.badLength, "length \(length) outside \(SAMFrame.minimumResponseLength)…\(SAMFrame.maximumLength)"))
        }
        let total = SAMFrame.headerLength + length
        guard available >= total else { return .needMore }
        let checked = buffer[(start + 5)..<(start + total - 1)]
        let expected = SAMFrame.xor(checked)
        let actual = buffer[start + total - 1]
        guard expected == actual else {
            return .invalid(IDCardRejection(.badChecksum, "xor \(hexByte(actual)), expected \(hexByte(expected))", bytes: total))
        }
        let body = start + SAMFrame.headerLength
        let response = SAMResponse(sw1: buffer[body], sw2: buffer[body + 1], status: SAMStatus(rawValue: buffer[body + 2]),
                                   data: Array(buffer[(body + 3)..<(start + total - 1)]))
        return .frame(length: total, response)
    }
}
