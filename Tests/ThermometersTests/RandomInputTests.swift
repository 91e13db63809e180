import Testing
@testable import Thermometers

/// A deterministic byte source for the random-input tests.
private struct ByteStream {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }
    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

@Suite("Random device bytes")
struct RandomInputTests {
    static func codecs() throws -> [(String, any ThermometerCodec)] {
        [("lu90614", LU90614Codec(mode: .body)), ("gy-mcu90614", GYMCU90614Codec(value: .object)),
         ("gd60914", GD60914Codec(target: .forehead)), ("modbus-rtu", ModbusRTUCodec(slave: 1, function: 4, register: 1, signed: true)),
         ("ascii-line", try ASCIILineCodec(pattern: #"^T=([-+]?[0-9.]+)$"#))]
    }

    @Test("256 KiB of random bytes in random chunks never crash a family nor overfill its buffer, every skipped byte counted")
    func randomBytes() throws {
        for (name, original) in try Self.codecs() {
            var codec = original
            var stream = ByteStream(state: 0xC0FFEE)
            var total = 0
            var garbage = 0
            while total < 256 * 1024 {
                let chunk = stream.bytes(1 + Int(stream.next() % 64))
                total += chunk.count
                for item in codec.decode(chunk) {
                    if case .rejected(let r) = item, r.reason == .garbage { garbage += r.byteCount }
                }
                #expect(codec.pendingByteCount <= 4096, "\(name) keeps \(codec.pendingByteCount) bytes")
            }
            for r in codec.flush("end") where r.reason == .garbage { garbage += r.byteCount }
            if name != "ascii-line" {
                #expect(garbage > total / 2, "\(name): most random bytes are counted as garbage (\(garbage) of \(total))")
                #expect(garbage <= total)
            }
        }
    }

    @Test("A valid frame spliced between random bytes is still found by every binary family")
    func frameInNoise() throws {
        let frames: [(String, any ThermometerCodec, [UInt8], Double)] = [
            ("lu90614", LU90614Codec(mode: .body), LU90614Codec.reply(mode: .body, hundredths: 3655), 3655),
            ("gy-mcu90614", GYMCU90614Codec(value: .object), GYMCU90614Codec.frame(objectHundredths: 3655, ambientHundredths: 2000), 3655),
            ("gd60914", GD60914Codec(target: .forehead), GD60914Codec.reply(tenths: 366), 366),
            ("modbus-rtu", ModbusRTUCodec(slave: 1, function: 4, register: 1, signed: true), ModbusRTUCodec.readResponse(slave: 1, function: 4, values: [366]), 366),
        ]
        for (name, original, frame, raw) in frames {
            var stream = ByteStream(state: 42)
            var found = 0
            for _ in 0..<200 {
                var codec = original
                let items = codec.decode(stream.bytes(Int(stream.next() % 40)) + frame + stream.bytes(Int(stream.next() % 40)))
                    + codec.decode(frame)
                if raws(items).contains(raw) { found += 1 }
            }
            #expect(found == 200, "\(name): the frame after the noise is always found (\(found)/200)")
        }
    }
}
