import Foundation
import IDCards

/// A simulated SAM-interface ID reader: parses host frames and answers the cycle's commands like
/// a reader would — status `90` (or the armed SAM fault), find `9F`/`80`, select `90`/`81`, read
/// base info `90` + text + photo (or `41` without a card). A command with a bad checksum is
/// answered `10`, an unknown one `24`.
///
/// Runtime commands: `present resident|visitor|expired` (a card on the reader), `remove`,
/// `removemidread` (the next read fails with `41` and the card is gone), `fault <hex>|off`.
public struct IDReaderSimulator: DeviceBehavior {
    public private(set) var card: IDCard?
    public private(set) var cardName: String?
    /// SW3 of every status answer while set (e.g. `0x60` SAM self-test failed).
    public private(set) var fault: SAMStatus?
    public private(set) var removeOnNextRead = false
    /// Base-info reads answered, by any outcome.
    public private(set) var reads = 0
    private var input: [UInt8] = []

    public init(card name: String? = nil) {
        if let name, let c = SampleIDCards.card(name) {
            card = c
            cardName = name
        }
    }

    public var streamPeriodMs: Int? { nil }
    public mutating func tick() -> [UInt8]? { nil }

    public var status: String {
        let c = cardName.map { "card \($0)" } ?? "no card"
        return "\(c), reads \(reads)" + (fault.map { ", fault \($0)" } ?? "") + (removeOnNextRead ? ", removing mid-read" : "")
    }

    public mutating func received(_ bytes: [UInt8]) -> [[UInt8]] {
        input += bytes
        var replies: [[UInt8]] = []
        while true {
            guard let start = preambleStart() else {
                input.removeAll()
                break
            }
            input.removeFirst(start)
            guard input.count >= SAMFrame.headerLength else { break }
            let length = Int(input[5]) << 8 | Int(input[6])
            guard (3...64).contains(length) else { input.removeFirst(); continue }
            guard input.count >= SAMFrame.headerLength + length else { break }
            let frame = Array(input[0..<(SAMFrame.headerLength + length)])
            input.removeFirst(frame.count)
            guard SAMFrame.xor(frame[5..<(frame.count - 1)]) == frame[frame.count - 1] else {
                replies.append(SAMFrame.response(.commandChecksumError))
                continue
            }
            replies.append(answer(SAMCommand(code: frame[7], parameter: frame[8])))
        }
        return replies
    }

    /// Where the first (possibly partial, at the end) preamble starts.
    private func preambleStart() -> Int? {
        let p = SAMFrame.preamble
        return input.indices.first { i in
            let n = min(p.count, input.count - i)
            return input[i..<(i + n)].elementsEqual(p[0..<n])
        }
    }

    private mutating func answer(_ command: SAMCommand?) -> [UInt8] {
        guard let command else { return SAMFrame.response(.unknownCommand) }
        if let fault { return SAMFrame.response(fault) }
        switch command {
        case .readerStatus:
            return SAMFrame.response(.success)
        case .findCard:
            return card == nil ? SAMFrame.response(.noCard) : SAMFrame.response(.cardFound, data: [0, 0, 0, 0])
        case .selectCard:
            return card == nil ? SAMFrame.response(.selectFailed) : SAMFrame.response(.success, data: Array(repeating: 0, count: 8))
        case .readBaseInfo:
            reads += 1
            guard let card, !removeOnNextRead else {
                if removeOnNextRead { remove() }
                return SAMFrame.response(.readFailed)
            }
            return SAMFrame.response(.success, data: BaseInfo.encode(card))
        }
    }

    /// Puts the sample card `name` on the reader.
    public mutating func present(_ name: String) throws(SimulatorCommandError) {
        guard let c = SampleIDCards.card(name) else {
            throw SimulatorCommandError("no sample card \"\(name)\" (known: \(SampleIDCards.names.joined(separator: ", ")))")
        }
        card = c
        cardName = name
    }

    public mutating func remove() {
        card = nil
        cardName = nil
        removeOnNextRead = false
    }

    public mutating func command(_ words: [String]) throws(SimulatorCommandError) -> String {
        switch (words.first, words.count) {
        case ("present", 2):
            try present(words[1])
            return "card \(words[1]) on the reader"
        case ("remove", 1):
            remove()
            return "card removed"
        case ("removemidread", 1):
            removeOnNextRead = true
            return "the next read fails and the card leaves"
        case ("fault", 2):
            if words[1] == "off" {
                fault = nil
                return "fault cleared"
            }
            guard let code = UInt8(words[1].replacingOccurrences(of: "0x", with: ""), radix: 16) else {
                throw SimulatorCommandError("fault <hex status>|off")
            }
            fault = SAMStatus(rawValue: code)
            return "answering \(SAMStatus(rawValue: code))"
        default:
            throw SimulatorCommandError("sam-id: unknown command \"\(words.joined(separator: " "))\" (present resident|visitor|expired, remove, removemidread, fault <hex>|off)")
        }
    }
}
