import CheckpointCore

/// One thermometer's protocol state, sans I/O: a family codec plus polling, timeouts, retries,
/// scaling and counters. Time is passed in (`now`, monotonic milliseconds), so it runs on a
/// virtual clock in tests and on the event loop's clock in the daemon.
///
/// The runner calls `opened` when the port opens, `received` with every chunk read, `timerFired`
/// when `nextDeadline` passes, `closed` when the port is lost; it writes `send` and re-arms one
/// timer at `nextDeadline` after each call.
///
/// Fresh input only (docs/thermometers.md): a polled device's reply counts only while a request
/// sent on this open is outstanding — one that arrives before the first request, or after the
/// request gave up, is `stale` and never a reading.
public struct ThermometerSession: Sendable {
    /// The catalog model id.
    public let model: String
    /// The device identity readings carry (see `DeviceDescription.identity`).
    public let device: String
    public let scaling: TemperatureScaling
    /// This unit's calibration offset, °C (site configuration).
    public let unitOffset: Double
    public let polling: PollingParameters
    public private(set) var statistics = ThermometerStatistics()
    /// When the runner must call `timerFired`, nil while the port is closed.
    public private(set) var nextDeadline: Int64?
    /// The last accepted reading.
    public private(set) var lastReading: TemperatureReading?

    private var codec: any ThermometerCodec
    private var state: State = .closed
    /// When the last byte arrived (for `PollingParameters.interByteGapMs`).
    private var lastByteAt: Int64?

    private enum State: Sendable {
        case closed
        /// Waiting to send the next poll at `nextDeadline`.
        case idle
        /// A request is out: first sent at `firstSentAt`, this is attempt `attempt` (0-based).
        case awaiting(firstSentAt: Int64, attempt: Int)
        /// A streaming device: a reading is expected before `nextDeadline`.
        case listening(since: Int64)
    }

    public init(model: String, device: String, codec: any ThermometerCodec, scaling: TemperatureScaling,
                polling: PollingParameters, unitOffset: Double = 0) {
        self.model = model
        self.device = device
        self.codec = codec
        self.scaling = scaling
        self.polling = polling
        self.unitOffset = unitOffset
    }

    /// True while a request is unanswered.
    public var isAwaitingReply: Bool {
        if case .awaiting = state { return true }
        return false
    }

    /// The port opened (first time or after a reconnect): sends the setup command and the first poll.
    public mutating func opened(now: Int64) -> SessionOutput {
        var out = SessionOutput(events: [.connected])
        if case .closed = state, statistics.disconnects > 0 { statistics.reconnects += 1 }
        for r in codec.flush("bytes from before the port opened") { statistics.count(r) }
        lastByteAt = nil
        let setup = codec.setupCommand
        if !setup.isEmpty { out.send.append(setup) }
        if codec.pollCommand != nil {
            poll(now: now, attempt: 0, firstSentAt: now, into: &out)
        } else {
            state = .listening(since: now)
            nextDeadline = now + Int64(polling.pollMs + polling.timeoutMs)
        }
        return out
    }

    /// The port was lost: pending bytes are dropped (counted as truncated) and no timer runs.
    public mutating func closed(now: Int64) -> SessionOutput {
        var out = SessionOutput()
        if case .closed = state { return out }
        statistics.disconnects += 1
        for r in codec.flush("port lost mid-frame") { reject(r, into: &out) }
        out.events.append(.disconnected)
        state = .closed
        nextDeadline = nil
        return out
    }

    /// Bytes arrived from the device. A partial frame followed by more than `interByteGapMs` of
    /// silence is discarded first (`interrupted`), so noise never merges with the next frame.
    public mutating func received(_ bytes: [UInt8], now: Int64) -> SessionOutput {
        var out = SessionOutput()
        if let last = lastByteAt, now - last > Int64(polling.interByteGapMs), codec.pendingByteCount > 0 {
            for r in codec.flush("silence of \(now - last) ms inside a frame") {
                reject(r.reason == .truncated ? Rejection(.interrupted, r.detail, bytes: r.byteCount) : r, into: &out)
            }
        }
        lastByteAt = now
        for item in codec.decode(bytes) {
            switch item {
            case .rejected(let r):
                reject(r, into: &out)
            case .raw(let raw):
                guard let reading = scaling.reading(raw: raw, unitOffset: unitOffset, device: device) else {
                    let sensor = scaling.sensorCelsius(raw: raw)
                    reject(Rejection(.outOfRange, "\(rounded(sensor)) °C outside \(scaling.range.lowerBound)…\(scaling.range.upperBound) (raw \(rounded(raw)))"), into: &out)
                    continue
                }
                accept(reading, now: now, into: &out)
            }
        }
        return out
    }

    /// The timer armed at `nextDeadline` fired (an early call does nothing).
    public mutating func timerFired(now: Int64) -> SessionOutput {
        var out = SessionOutput()
        guard let deadline = nextDeadline, now >= deadline else { return out }
        switch state {
        case .closed:
            nextDeadline = nil
        case .idle:
            poll(now: now, attempt: 0, firstSentAt: now, into: &out)
        case .awaiting(let firstSentAt, let attempt):
            statistics.timeouts += 1
            for r in codec.flush("reply incomplete at timeout") { reject(r, into: &out) }
            let retry = attempt < polling.retries
            out.events.append(.timedOut(attempt: attempt, willRetry: retry))
            if retry {
                statistics.retries += 1
                poll(now: now, attempt: attempt + 1, firstSentAt: firstSentAt, into: &out)
            } else {
                statistics.unanswered += 1
                state = .idle
                nextDeadline = max(now, firstSentAt + Int64(polling.pollMs))
            }
        case .listening(let since):
            statistics.timeouts += 1
            for r in codec.flush("line incomplete during silence") { reject(r, into: &out) }
            out.events.append(.silent(forMs: now - since))
            nextDeadline = now + Int64(polling.pollMs + polling.timeoutMs)
        }
        return out
    }

    private mutating func poll(now: Int64, attempt: Int, firstSentAt: Int64, into out: inout SessionOutput) {
        guard let command = codec.pollCommand else { return }
        statistics.requests += 1
        out.send.append(command)
        state = .awaiting(firstSentAt: firstSentAt, attempt: attempt)
        nextDeadline = now + Int64(polling.timeoutMs)
    }

    private mutating func accept(_ reading: TemperatureReading, now: Int64, into out: inout SessionOutput) {
        if codec.pollCommand != nil, !isAwaitingReply {
            // A request/response device answers only what it was asked on this open: anything else
            // was measured at another moment (maybe of someone who has left).
            reject(Rejection(.stale, "\(reading.celsius) °C with no request outstanding"), into: &out)
            return
        }
        statistics.readings += 1
        lastReading = reading
        switch state {
        case .awaiting(let firstSentAt, _):
            let ms = now - firstSentAt
            statistics.lastResponseMs = ms
            statistics.maxResponseMs = max(statistics.maxResponseMs ?? 0, ms)
            out.events.append(.reading(reading, responseMs: ms))
            state = .idle
            nextDeadline = max(now, firstSentAt + Int64(polling.pollMs))
        case .listening:
            out.events.append(.reading(reading, responseMs: nil))
            state = .listening(since: now)
            nextDeadline = now + Int64(polling.pollMs + polling.timeoutMs)
        case .idle, .closed:
            out.events.append(.reading(reading, responseMs: nil))
        }
    }

    private mutating func reject(_ r: Rejection, into out: inout SessionOutput) {
        statistics.count(r)
        out.events.append(.rejected(r))
    }

    private func rounded(_ v: Double) -> String { String((v * 100).rounded() / 100) }
}
