/// One ID reader's read cycle, sans I/O, on a clock passed in (`now`, monotonic ms):
///
/// 1. at open, and whenever the reader is not `ready`: reader status `11 FF` (`90` → ready);
/// 2. every `pollMs`: find card `20 01` — `9F` a card, `80` none;
/// 3. a card not yet read in this presentation: select `20 02` (`90`), then read base info `30 01`
///    (`90` + text + photo) → one `card` event;
/// 4. a card already read stays "present" while find keeps answering `9F` (no second event); it
///    is gone after `removeAfterPolls` "no card" answers in a row (`cardRemoved`).
///
/// A select or read that fails or times out is `interrupted` (the card left mid-read): no event,
/// the next poll starts over. A status, find or select without an answer is retried `retries`
/// times; then the reader is `unresponsive` until it answers a status request again.
///
/// The runner calls `opened` / `closed` on port changes, `received` with every chunk read and
/// `timerFired` when `nextDeadline` passes; it writes `send` and re-arms one timer after each call.
public struct IDReaderSession: Sendable {
    public let model: String
    /// The device identity (see `DeviceDescription.identity`).
    public let device: String
    public let parameters: IDReaderParameters
    public private(set) var statistics = IDReaderStatistics()
    public private(set) var state: IDReaderState = .disconnected
    /// When the runner must call `timerFired`; nil while the port is closed.
    public private(set) var nextDeadline: Int64?
    /// True from a card's read until it is taken away.
    public var cardPresent: Bool { presence != nil }

    private var decoder = SAMFrameDecoder()
    private var pending: (command: SAMCommand, firstSentAt: Int64, attempt: Int)?
    /// When the current poll cycle began (the next begins `pollMs` later).
    private var cycleStart: Int64 = 0
    /// "No card" answers in a row since the present card was read; nil when no card is present.
    private var presence: Int?

    public init(model: String, device: String, parameters: IDReaderParameters = IDReaderParameters()) {
        self.model = model
        self.device = device
        self.parameters = parameters
    }

    /// The port opened: asks for the reader's status.
    public mutating func opened(now: Int64) -> IDReaderOutput {
        var out = IDReaderOutput()
        if state == .disconnected, statistics.disconnects > 0 { statistics.reconnects += 1 }
        for r in decoder.flush("bytes from before the port opened") { statistics.count(r) }
        presence = nil
        set(.starting, into: &out)
        cycleStart = now
        request(.readerStatus, now: now, into: &out)
        return out
    }

    /// The port was lost: pending bytes are dropped (counted), a present card is forgotten.
    public mutating func closed(now: Int64) -> IDReaderOutput {
        var out = IDReaderOutput()
        guard state != .disconnected else { return out }
        statistics.disconnects += 1
        for r in decoder.flush("port lost mid-frame") { reject(r, into: &out) }
        if let p = pending, p.command == .selectCard || p.command == .readBaseInfo {
            statistics.interrupted += 1
            out.events.append(.interrupted(p.command, nil))
        }
        pending = nil
        presence = nil
        nextDeadline = nil
        set(.disconnected, into: &out)
        return out
    }

    /// Bytes arrived from the reader.
    public mutating func received(_ bytes: [UInt8], now: Int64) -> IDReaderOutput {
        var out = IDReaderOutput()
        for item in decoder.decode(bytes) {
            switch item {
            case .rejected(let r): reject(r, into: &out)
            case .response(let response): handle(response, now: now, into: &out)
            }
        }
        return out
    }

    /// The timer armed at `nextDeadline` fired (an early call does nothing).
    public mutating func timerFired(now: Int64) -> IDReaderOutput {
        var out = IDReaderOutput()
        guard state != .disconnected, let deadline = nextDeadline, now >= deadline else { return out }
        guard let p = pending else {
            cycleStart = now
            request(state == .ready ? .findCard : .readerStatus, now: now, into: &out)
            return out
        }
        statistics.timeouts += 1
        for r in decoder.flush("reply incomplete at timeout") { reject(r, into: &out) }
        let retry = p.command != .readBaseInfo && p.attempt < parameters.retries
        out.events.append(.timedOut(p.command, attempt: p.attempt, willRetry: retry))
        if retry {
            statistics.retries += 1
            send(p.command, now: now, firstSentAt: p.firstSentAt, attempt: p.attempt + 1, into: &out)
            return out
        }
        pending = nil
        switch p.command {
        case .readBaseInfo, .selectCard:
            statistics.interrupted += 1
            out.events.append(.interrupted(p.command, nil))
        case .readerStatus, .findCard:
            statistics.unanswered += 1
            presence = nil
            set(.unresponsive, into: &out)
        }
        idle(now: now)
        return out
    }

    private mutating func handle(_ response: SAMResponse, now: Int64, into out: inout IDReaderOutput) {
        guard let p = pending else {
            reject(IDCardRejection(.unsolicited, "status \(response.status) with no request outstanding"), into: &out)
            return
        }
        pending = nil
        let ms = now - p.firstSentAt
        statistics.lastResponseMs = ms
        statistics.maxResponseMs = max(statistics.maxResponseMs ?? 0, ms)
        let status = response.status
        if status.isReaderFault {
            statistics.unexpectedStatuses += 1
            presence = nil
            set(.fault(status), into: &out)
            if p.command == .selectCard || p.command == .readBaseInfo {
                statistics.interrupted += 1
                out.events.append(.interrupted(p.command, status))
            }
            idle(now: now)
            return
        }
        switch p.command {
        case .readerStatus:
            guard status == .success else {
                statistics.unexpectedStatuses += 1
                set(.fault(status), into: &out)
                idle(now: now)
                return
            }
            set(.ready, into: &out)
            request(.findCard, now: now, into: &out)
        case .findCard:
            set(.ready, into: &out)
            if status == .cardFound {
                if presence != nil {
                    presence = 0
                    statistics.heldPolls += 1
                    idle(now: now)
                } else {
                    request(.selectCard, now: now, into: &out)
                }
                return
            }
            if status != .noCard { statistics.unexpectedStatuses += 1 }
            if let misses = presence {
                if misses + 1 >= parameters.removeAfterPolls {
                    presence = nil
                    statistics.removals += 1
                    out.events.append(.cardRemoved)
                } else {
                    presence = misses + 1
                }
            }
            idle(now: now)
        case .selectCard:
            if status == .success {
                request(.readBaseInfo, now: now, into: &out)
            } else {
                statistics.interrupted += 1
                out.events.append(.interrupted(.selectCard, status))
                idle(now: now)
            }
        case .readBaseInfo:
            defer { idle(now: now) }
            guard status == .success else {
                statistics.interrupted += 1
                out.events.append(.interrupted(.readBaseInfo, status))
                return
            }
            // One outcome per presentation: a card whose text is rejected is not read again either.
            presence = 0
            do {
                let card = try BaseInfo.decode(response.data)
                statistics.cards += 1
                out.events.append(.card(card))
            } catch {
                reject(error, into: &out)
            }
        }
    }

    /// No request outstanding: the next poll is due `pollMs` after this cycle began.
    private mutating func idle(now: Int64) {
        nextDeadline = max(now, cycleStart + Int64(parameters.pollMs))
    }

    private mutating func request(_ command: SAMCommand, now: Int64, into out: inout IDReaderOutput) {
        send(command, now: now, firstSentAt: now, attempt: 0, into: &out)
    }

    private mutating func send(_ command: SAMCommand, now: Int64, firstSentAt: Int64, attempt: Int, into out: inout IDReaderOutput) {
        statistics.requests += 1
        out.send.append(SAMFrame.command(command))
        pending = (command, firstSentAt, attempt)
        let timeout = command == .readBaseInfo ? parameters.readTimeoutMs : parameters.timeoutMs
        nextDeadline = now + Int64(timeout)
    }

    private mutating func set(_ newState: IDReaderState, into out: inout IDReaderOutput) {
        guard newState != state else { return }
        state = newState
        out.events.append(.readerState(newState))
    }

    private mutating func reject(_ r: IDCardRejection, into out: inout IDReaderOutput) {
        statistics.count(r)
        out.events.append(.rejected(r))
    }
}
