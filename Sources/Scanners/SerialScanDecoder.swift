import CheckpointCore

/// Decodes the byte stream of a serial or USB-CDC scanner: `[prefix][AIM id][data][suffix]`
/// repeated. Bytes may arrive in any chunks. Sans-I/O: bytes and their arrival time in, outcomes out.
///
/// Noise on the line (a loose connector, an adapter glitch) must never cost the next person their
/// scan (docs/scanners.md, "Framing on a noisy line"):
/// - A scanner sends one frame's bytes back to back. A partial frame followed by more than
///   `interByteGap` of silence is noise or a cut-off frame: it is discarded (`noise`) and the bytes
///   after the gap start a new frame. (With an empty suffix that silence ends the frame instead.)
/// - Where the model sends a prefix or AIM identifiers, a frame must start with them. A frame that
///   does not is resynchronised: the first later position where `prefix + ]Xm` starts a frame that
///   decodes to a scan wins, and the bytes before it are discarded and counted (`noise`). Without
///   such a position the frame is rejected (`missingPrefix`, `missingIdentifier`).
/// - A frame longer than the rules allow is rejected as `tooLong` and the rest of it (up to the
///   next suffix) is skipped, so one overlong code never swallows the next.
/// - A partial frame is discarded and counted as `incomplete` when the device is lost.
public struct SerialScanDecoder: Sendable {
    public let device: String
    public var framing: ScanFraming
    public var rules: PayloadRules
    /// Silence inside a frame that ends it (empty suffix) or discards it as noise (otherwise).
    public var interByteGap: Duration

    private var buffer: [UInt8] = []
    private var discarding = false
    private var lastByteAt: Duration?

    public init(device: String, framing: ScanFraming = ScanFraming(), rules: PayloadRules = PayloadRules(),
                interByteGap: Duration = .milliseconds(50)) {
        self.device = device
        self.framing = framing
        self.rules = rules
        self.interByteGap = interByteGap
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
                out += finish(frame)
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

    /// Called when time passes without bytes (the event loop's timer, `interByteGap` after the last
    /// byte): ends (empty suffix) or discards (otherwise) a partial frame.
    public mutating func idle(at now: Duration) -> [ScanOutcome] {
        guard let last = lastByteAt, now - last >= interByteGap, hasPartialFrame else { return [] }
        if framing.suffix.isEmpty && !discarding {
            let frame = buffer
            buffer.removeAll()
            return finish(frame)
        }
        let silence = now - last
        defer {
            buffer.removeAll()
            discarding = false
        }
        if discarding { return [] } // already rejected as too long
        return [.rejected(ScanRejection(reason: .noise(bytes: buffer.count, cause: "silence of \(Self.milliseconds(silence)) ms inside a frame"),
                                        device: device, bytes: buffer))]
    }

    /// The device went away (read error, hang-up, unplug): a partial frame is discarded and counted.
    /// (Without a suffix a complete-looking frame cannot be told from a cut one: it is discarded too.)
    public mutating func deviceLost() -> [ScanOutcome] {
        defer {
            buffer.removeAll()
            discarding = false
        }
        guard hasPartialFrame, !discarding else { return [] }
        return [.rejected(ScanRejection(reason: .incomplete(bytes: buffer.count, cause: "device lost"), device: device, bytes: buffer))]
    }

    /// Whether the model marks the start of a frame (prefix or AIM identifier), so junk before it
    /// can be recognised and skipped.
    private var marksFrameStart: Bool { !framing.prefix.isEmpty || framing.aimIdentifiers }

    /// Whether `frame[start...]` begins the way the model starts a frame.
    private func startsFrame(_ frame: [UInt8], at start: Int) -> Bool {
        let body = frame[start...]
        guard body.starts(with: framing.prefix) else { return false }
        return !framing.aimIdentifiers || AIMIdentifier(prefixOf: body.dropFirst(framing.prefix.count)) != nil
    }

    private func finish(_ frame: [UInt8]) -> [ScanOutcome] {
        let direct: ScanOutcome?
        if !marksFrameStart || startsFrame(frame, at: 0) {
            let outcome = decode(frame[...])
            if outcome.scan != nil || !marksFrameStart { return [outcome] }
            direct = outcome
        } else {
            direct = nil
        }
        for start in 1..<max(1, frame.count) where startsFrame(frame, at: start) {
            let outcome = decode(frame[start...])
            guard outcome.scan != nil else { continue }
            let junk = frame[..<start]
            return [.rejected(ScanRejection(reason: .noise(bytes: junk.count, cause: "bytes before the frame start"),
                                            device: device, bytes: junk)), outcome]
        }
        if let direct { return [direct] }
        let reason: ScanRejectionReason = frame.starts(with: framing.prefix) ? .missingIdentifier : .missingPrefix
        return [.rejected(ScanRejection(reason: frame.isEmpty ? .empty : reason, device: device, bytes: frame))]
    }

    private func decode(_ frame: ArraySlice<UInt8>) -> ScanOutcome {
        switch framing.split(frame: Array(frame)) {
        case .failure(let reason):
            return .rejected(ScanRejection(reason: reason, device: device, bytes: frame))
        case .success(let (payload, aim)):
            return rules.evaluate(payload: payload, aim: aim, device: device)
        }
    }

    private static func milliseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }
}
