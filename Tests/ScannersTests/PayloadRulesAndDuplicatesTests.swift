import CheckpointCore
import Scanners
import Testing

@Suite("Payload rules and the duplicate-scan window")
struct PayloadRulesAndDuplicatesTests {
    func scan(_ text: String, device: String = "d") -> Scan {
        Scan(bytes: Array(text.utf8), text: text, symbology: .qr, aimID: "]Q1", device: device)
    }

    @Test("A GBK payload within the byte limit that grows past it in UTF-8 is rejected, since the record limit is UTF-8 bytes")
    func utf8GrowthLimit() throws {
        let gbk = try #require(CharsetDecoder.encode(String(repeating: "张", count: 40), charset: "GBK"))
        #expect(gbk.count == 80)
        let rules = PayloadRules(maxBytes: 100, encoding: .gbk)
        #expect(rules.evaluate(payload: gbk, aim: nil, device: "d").rejection?.reason == .tooLong(bytes: 120, limit: 100))
    }

    @Test("An empty payload is a counted rejection, not a scan")
    func empty() {
        #expect(PayloadRules().evaluate(payload: [], aim: nil, device: "d").rejection?.reason == .empty)
    }

    @Test("The same scan within the window passes once; a repeat refreshes the window; another device is separate")
    func window() {
        var f = DuplicateScanFilter(window: .seconds(3))
        let r1 = f.admit(scan("A"), at: .seconds(0))
        #expect(r1)
        let r2 = f.admit(scan("A"), at: .seconds(2))
        #expect(!r2)
        let r3 = f.admit(scan("A"), at: .seconds(4)) // 2 s after the last repeat
        #expect(!r3)
        let r4 = f.admit(scan("A", device: "other"), at: .seconds(4))
        #expect(r4)
        let r5 = f.admit(scan("B"), at: .seconds(4))
        #expect(r5)
        let r6 = f.admit(scan("A"), at: .seconds(7))
        #expect(r6)
    }

    @Test("reset() after a decision lets the same code scan again at once (contract 9)")
    func resetOnDecision() {
        var f = DuplicateScanFilter(window: .seconds(10))
        let r7 = f.admit(scan("A"), at: .seconds(0))
        #expect(r7)
        let r8 = f.admit(scan("A"), at: .seconds(1))
        #expect(!r8)
        f.reset()
        let r9 = f.admit(scan("A"), at: .seconds(1))
        #expect(r9)
    }

    @Test("CRC-16/XMODEM of \"123456789\" is 0x31C3 and the GM65 save command carries CRC DE C8")
    func crc() {
        #expect(CRC16XModem.checksum(Array("123456789".utf8)) == 0x31C3)
        #expect(GM65CommandSet.save == [0x7E, 0x00, 0x09, 0x01, 0x00, 0x00, 0x00, 0xDE, 0xC8])
        #expect(GM65CommandSet.read(0x002A, count: 2) == [0x7E, 0x00, 0x07, 0x01, 0x00, 0x2A, 0x02, 0xD8, 0x0F])
        #expect(GM65CommandSet.reply(data: [0x00]) == [0x02, 0x00, 0x00, 0x01, 0x00, 0x33, 0x31])
    }

    @Test("The SSI checksum is the two's complement of the byte sum, so bytes plus checksum sum to zero")
    func ssiChecksum() {
        let p = ZebraSSICommandSet.packet(opcode: 0xC6, data: [0xFF, 0x2D, 0x01])
        #expect(p.first == 7)
        let sum = p.dropLast(2).reduce(UInt16(0)) { $0 &+ UInt16($1) }
        let c = UInt16(p[p.count - 2]) << 8 | UInt16(p[p.count - 1])
        #expect(sum &+ c == 0)
        #expect(ZebraSSICommandSet.packet(opcode: 0xE4) == [0x04, 0xE4, 0x04, 0x00, 0xFF, 0x14])
    }
}
