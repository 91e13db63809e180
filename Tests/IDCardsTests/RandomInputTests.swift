import CheckpointCore
import DeviceSimulators
import Testing
@testable import IDCards

@Suite("Random and mutated input into the ID card decoders")
struct RandomInputTests {
    static let seeds: [UInt64] = [1, 2, 3, 0xC0FFEE, 2026]

    /// Valid frames, some mutated (a flipped byte, cut short, doubled), mixed with noise biased to preamble bytes.
    func stream(_ rng: inout SplitMix64) throws -> (bytes: [UInt8], intact: Int) {
        let card = try sampleCard()
        let frames = [SAMFrame.response(.noCard), SAMFrame.response(.cardFound, data: [0, 0, 0, 0]),
                      SAMFrame.response(.success, data: BaseInfo.encode(card)), SAMFrame.response(.readFailed)]
        var out: [UInt8] = []
        var intact = 0
        for _ in 0..<60 {
            var f = frames.randomElement(using: &rng) ?? []
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: f[Int.random(in: 0..<f.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            case 1: f = Array(f.prefix(Int.random(in: 1..<f.count, using: &rng)))
            default: intact += 1
            }
            let noise = (0..<Int.random(in: 0...12, using: &rng)).map { _ in [0xAA, 0x96, 0x69, 0x00, UInt8.random(in: 0...255, using: &rng)].randomElement(using: &rng) ?? 0 }
            out += noise + f
        }
        return (out, intact)
    }

    @Test("Mutated frames and noise, fed in random chunks, never crash, stay bounded, and every rejection has a reason", arguments: seeds)
    func decoder(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let (bytes, intact) = try stream(&rng)
        var decoder = SAMFrameDecoder()
        var responses = 0
        var index = 0
        while index < bytes.count {
            let n = min(bytes.count - index, Int.random(in: 1...700, using: &rng))
            for item in decoder.decode(Array(bytes[index..<(index + n)])) {
                switch item {
                case .response: responses += 1
                case .rejected(let r): #expect(!r.reason.rawValue.isEmpty)
                }
            }
            #expect(decoder.pendingByteCount <= SAMFrameDecoder.capacity)
            index += n
        }
        _ = decoder.flush("end")
        // A cut-short frame may swallow the start of the next one, so not every intact frame survives.
        #expect(responses >= intact / 2)
    }

    @Test("Random text blocks decode to a card or a rejection, never a crash", arguments: seeds)
    func textBlocks(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let valid = IDCardText.encode(try sampleCard())
        for _ in 0..<300 {
            var block = valid
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                block[Int.random(in: 0..<block.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            do {
                let card = try IDCardText.decode(block)
                #expect(card.citizenNumber.digits.count == 18)
            } catch {
                #expect(!error.reason.rawValue.isEmpty)
            }
        }
    }

    @Test("The session fed random bytes at random times never crashes and never reports a card", arguments: seeds)
    func session(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var session = IDReaderSession(model: "fuzz", device: "fuzz")
        var now: Int64 = 0
        _ = session.opened(now: now)
        for _ in 0..<500 {
            now += Int64.random(in: 0...400, using: &rng)
            let out = Bool.random(using: &rng)
                ? session.received((0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, now: now)
                : session.timerFired(now: now)
            #expect(!out.events.contains { if case .card = $0 { return true } else { return false } })
        }
        #expect(session.nextDeadline != nil)
    }
}
