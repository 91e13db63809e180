import CheckpointCore

/// Decodes the byte stream of a serial or USB-CDC scanner: `[prefix][AIM id][data][suffix]`
/// repeated. Bytes may arrive in any chunks. Sans-I/O: bytes and their arrival time in, outcomes out.
///
/// A frame longer than the rules allow is rejected as `tooLong` and the rest of it (up to the next
/// suffix) is skipped, so one overlong code never swallows the next. A partial frame is discarded
/// and counted as `incomplete` when the device is lost, or when no byte came for `idleTimeout`
/// (with an empty suffix that silence is the terminator instead).
public struct SerialScanDecoder: Sendable {
    public let device: String
    public var framing: ScanFraming
    public var rules: PayloadRules
    /// Silence that ends (empty suffix) or abandons (otherwise) a partial frame.
    public var idleTimeout: Duration

    private var buffer: [UInt8] = []
    private var discarding = false
    private var lastByteAt: Duration?

    public init(device: String, framing: ScanFraming = ScanFraming(), rules: PayloadRules = PayloadRules(),
                idleTimeout: Duration = .milliseconds(500)) {
        self.device = device
        self.framing = framing
        self.rules = rules
        self.idleTimeout = idleTimeout
    }

    /// The most bytes one frame may hold: prefix + AIM id + maximum payload + suffix.
    public var maxFrameBytes: Int { framing.prefix.count + 3 + rules.maxBytes + framing.suffix.count }

    /// True while part of a frame is buffered.
    public var hasPartialFrame: Bool { !buffer.isEmpty || discarding }

    /// Feeds bytes that arrived at `now` (monotonic).
    public mutating func feed(_ bytes: some Sequence<UInt8>, at now: Duration) -> [ScanOutcome] {
        var out = idle(at: now)
        lastByteAt = now
        let suffix = framing.suffix
        for byte in bytes {
            buffer.append(byte)
            if !suffix.isEmpty, buffer.count >= suffix.count, buffer.suffix(suffix.count).elementsEqual(suffix) {
                let frame = Array(buffer.dropLast(suffix.count))
                buffer.removeAll(keepingCapacity: true)
                if discarding {
                    discarding = false
                    continue
                }
                out.append(finish(frame))
                continue
            }
            if buffer.count > maxFrameBytes {
                if !discarding {
                    out.append(.rejected(ScanRejection(reason: .tooLong(bytes: buffer.count, limit: maxFrameBytes),
                                                       device: device, bytes: buffer)))
                    discarding = true
                }
                // Keep only what could still be the start of the suffix.
                buffer = Array(buffer.suffix(max(0, suffix.count - 1)))
            }
        }
        return out
    }

    /// Called when time passes without bytes (the event loop's timer): ends or abandons a stale frame.
    public mutating func idle(at now: Duration) -> [ScanOutcome] {
        guard let last = lastByteAt, now - last >= idleTimeout, hasPartialFrame else { return [] }
        if framing.suffix.isEmpty && !discarding {
            let frame = buffer
            buffer.removeAll()
            return [finish(frame)]
        }
        return discardPartial(cause: "no byte for \(idleTimeout) before the suffix")
    }

    /// The device went away (read error, hang-up, unplug): a partial frame is discarded and counted.
    /// (Without a suffix a complete-looking frame cannot be told from a cut one: it is discarded too.)
    public mutating func deviceLost() -> [ScanOutcome] { discardPartial(cause: "device lost") }

    private mutating func discardPartial(cause: String) -> [ScanOutcome] {
        defer {
            buffer.removeAll()
            discarding = false
        }
        guard hasPartialFrame else { return [] }
        if discarding { return [] } // already rejected as too long
        return [.rejected(ScanRejection(reason: .incomplete(bytes: buffer.count, cause: cause), device: device, bytes: buffer))]
    }

    private func finish(_ frame: [UInt8]) -> ScanOutcome {
        switch framing.split(frame: frame) {
        case .failure(let reason):
            return .rejected(ScanRejection(reason: reason, device: device, bytes: frame))
        case .success(let (payload, aim)):
            return rules.evaluate(payload: payload, aim: aim, device: device)
        }
    }
}
