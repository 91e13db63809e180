/// What a configuration conversation wants next. Sans-I/O: a driver writes `send` bytes to the
/// scanner, feeds every byte read back into `receive`, and stops at `finished`.
public enum ConfigurationStep: Sendable, Hashable {
    /// Write these bytes to the scanner, then feed its reply.
    case send([UInt8])
    /// The reply so far is incomplete: read more and feed it.
    case needMoreBytes
    /// Write these bytes (an acknowledgement that expects no reply); the conversation is over.
    case sendAndFinish([UInt8], ConfigurationReport)
    case finished(ConfigurationReport)
}

/// A configuration conversation with one scanner in one command set.
public protocol ScannerConfigurationSession: Sendable {
    /// The first bytes to send.
    mutating func start() -> [UInt8]
    /// Feeds reply bytes (any chunking) and says what to do next.
    mutating func receive(_ bytes: [UInt8]) -> ConfigurationStep
    /// The report so far, marked failed with `reason` (e.g. the device did not answer in time).
    func abandoned(_ reason: String) -> ConfigurationReport
}

/// A script of request/reply steps where each reply parser says whether the reply is complete,
/// and later requests may depend on earlier replies. The command sets build on it.
struct ScriptedSession: ScannerConfigurationSession {
    /// Parses the reply to `request` from `buffer`: nil while incomplete; otherwise how many bytes
    /// it used, what it means, whether the device accepted it, and the requests to send next.
    typealias ReplyParser = @Sendable (_ buffer: [UInt8]) -> ParsedReply?

    struct ParsedReply: Sendable {
        var consumed: Int
        var meaning: String
        var accepted: Bool
        var next: [Step] = []
        /// Bytes the host must send without expecting a reply (e.g. an SSI ACK of a decoder message).
        var acknowledge: [UInt8] = []
    }

    struct Step: Sendable {
        var request: [UInt8]
        var parse: ReplyParser
    }

    let commandSet: String
    let action: String
    private var steps: [Step]
    private var current: Step?
    private var buffer: [UInt8] = []
    private var exchanges: [ConfigurationExchange] = []
    /// Bytes to prepend to the next request (acknowledgements).
    private var pendingAck: [UInt8] = []
    /// Received bytes beyond this bound without a complete reply: the reply is garbage.
    private let maxReplyBytes = 4096

    init(commandSet: String, action: String, steps: [Step]) {
        self.commandSet = commandSet
        self.action = action
        self.steps = steps
    }

    mutating func start() -> [UInt8] {
        guard !steps.isEmpty else { return [] }
        current = steps.removeFirst()
        return current?.request ?? []
    }

    mutating func receive(_ bytes: [UInt8]) -> ConfigurationStep {
        guard let step = current else { return .finished(report(failure: nil)) }
        buffer.append(contentsOf: bytes)
        guard let parsed = step.parse(buffer) else {
            if buffer.count > maxReplyBytes {
                return .finished(report(failure: "no valid reply in \(buffer.count) bytes"))
            }
            return .needMoreBytes
        }
        let used = max(0, min(parsed.consumed, buffer.count))
        exchanges.append(ConfigurationExchange(request: step.request, reply: Array(buffer[..<used]), meaning: parsed.meaning))
        buffer.removeFirst(used)
        if !parsed.accepted { return .finished(report(failure: parsed.meaning)) }
        steps.insert(contentsOf: parsed.next, at: 0)
        if steps.isEmpty {
            current = nil
            if !parsed.acknowledge.isEmpty { return .sendAndFinish(parsed.acknowledge, report(failure: nil)) }
            return .finished(report(failure: nil))
        }
        let nextStep = steps.removeFirst()
        current = nextStep
        return .send(parsed.acknowledge + nextStep.request)
    }

    /// True when the conversation has nothing left to send or wait for.
    var isDone: Bool { current == nil }

    func abandoned(_ reason: String) -> ConfigurationReport {
        if current == nil { return report(failure: nil) }
        return report(failure: reason)
    }

    private func report(failure: String?) -> ConfigurationReport {
        ConfigurationReport(commandSet: commandSet, action: action, exchanges: exchanges,
                            accepted: failure == nil, failure: failure)
    }
}
