import Testing
@testable import Thermometers

/// Raw values of the decoded items, for compact assertions.
func raws(_ items: [DecodedItem]) -> [Double] {
    items.compactMap { if case .raw(let v) = $0 { return v } else { return nil } }
}

/// Rejection reasons of the decoded items, in order.
func reasons(_ items: [DecodedItem]) -> [Rejection.Reason] {
    items.compactMap { if case .rejected(let r) = $0 { return r.reason } else { return nil } }
}

/// Feeds `bytes` one at a time (the worst fragmentation a serial line can produce).
func decodeByteByByte<C: ThermometerCodec>(_ codec: inout C, _ bytes: [UInt8]) -> [DecodedItem] {
    bytes.flatMap { codec.decode([$0]) }
}

@Suite("Checksums")
struct ChecksumTests {
    @Test("CRC-16/MODBUS of \"123456789\" is 0x4B37")
    func crcCheckValue() {
        #expect(Checksum.crc16Modbus(Array("123456789".utf8)) == 0x4B37)
    }

    @Test("Modbus read requests carry the computed CRCs (XY-MD02 input 0x0001: 60 0A; holding 0x0000: 84 0A)")
    func modbusRequests() {
        #expect(ModbusRTUCodec.readRequest(slave: 1, function: 4, register: 1) == [0x01, 0x04, 0x00, 0x01, 0x00, 0x01, 0x60, 0x0A])
        #expect(ModbusRTUCodec.readRequest(slave: 1, function: 3, register: 0) == [0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A])
    }

    @Test("LU90614 commands end in the low byte of their sum: FA C5 BF, FA C6 C0, FA CA C4")
    func luCommands() {
        #expect(LU90614Codec.Mode.body.command == [0xFA, 0xC5, 0xBF])
        #expect(LU90614Codec.Mode.object.command == [0xFA, 0xC6, 0xC0])
        #expect(LU90614Codec.measureCommand == [0xFA, 0xCA, 0xC4])
    }
}

@Suite("LU90614 framing")
struct LU90614FramingTests {
    @Test("The check value FE AA 28 1E 00 00 00 00 EE decodes to raw 4030 (40.30 °C, object mode)")
    func checkValue() {
        var codec = LU90614Codec(mode: .object)
        let items = codec.decode([0xFE, 0xAA, 0x28, 0x1E, 0x00, 0x00, 0x00, 0x00, 0xEE])
        #expect(items == [.raw(4030)])
        #expect(LU90614Codec.reply(mode: .object, hundredths: 4030) == [0xFE, 0xAA, 0x28, 0x1E, 0x00, 0x00, 0x00, 0x00, 0xEE])
    }

    @Test("Garbage before a body-mode reply split into single bytes is skipped and counted once")
    func garbageResync() {
        var codec = LU90614Codec(mode: .body)
        let items = decodeByteByByte(&codec, [0x00, 0x13, 0x37] + LU90614Codec.reply(mode: .body, hundredths: 3655))
        #expect(raws(items) == [3655])
        #expect(reasons(items) == [.garbage])
        #expect(items.first == .rejected(Rejection(.garbage, "no frame start", bytes: 3)))
        #expect(codec.pendingByteCount == 0)
    }

    @Test("A bad checksum is rejected and the following good frame still decodes")
    func badChecksum() {
        var codec = LU90614Codec(mode: .body)
        var bad = LU90614Codec.reply(mode: .body, hundredths: 3700)
        bad[8] &+= 1
        let items = codec.decode(bad + LU90614Codec.reply(mode: .body, hundredths: 3610))
        #expect(raws(items) == [3610])
        #expect(reasons(items).first == .badChecksum)
        #expect(!reasons(items).contains(.outOfRange))
    }

    @Test("A reply in the other mode is rejected as unexpected mode, not read as the wrong kind")
    func wrongMode() {
        var codec = LU90614Codec(mode: .body)
        let items = codec.decode(LU90614Codec.reply(mode: .object, hundredths: 3300))
        #expect(reasons(items) == [.unexpectedMode])
        #expect(raws(items).isEmpty)
    }

    @Test("A truncated reply stays pending until more bytes or a discard")
    func truncated() {
        var codec = LU90614Codec(mode: .body)
        #expect(codec.decode(Array(LU90614Codec.reply(mode: .body, hundredths: 3650).prefix(5))).isEmpty)
        #expect(codec.pendingByteCount == 5)
        #expect(codec.flush("timeout") == [Rejection(.truncated, "timeout", bytes: 5)])
        #expect(codec.decode(LU90614Codec.reply(mode: .body, hundredths: 3650)) == [.raw(3650)])
    }
}

@Suite("GY-MCU90614 framing")
struct GYMCU90614FramingTests {
    @Test("A query-mode frame 5A 5A 45 04 0E 42 09 C4 sum gives object 36.50 and ambient 25.00")
    func frame() {
        let frame = GYMCU90614Codec.frame(objectHundredths: 3650, ambientHundredths: 2500)
        #expect(frame == [0x5A, 0x5A, 0x45, 0x04, 0x0E, 0x42, 0x09, 0xC4, 0x1A])
        var object = GYMCU90614Codec(value: .object)
        var ambient = GYMCU90614Codec(value: .ambient)
        #expect(object.decode(frame) == [.raw(3650)])
        #expect(ambient.decode(frame) == [.raw(2500)])
        #expect(GYMCU90614Codec.queryCommand == [0xA5, 0x15, 0xBA])
    }

    @Test("Negative temperatures are signed big-endian")
    func negative() {
        var codec = GYMCU90614Codec(value: .ambient)
        #expect(codec.decode(GYMCU90614Codec.frame(objectHundredths: 0, ambientHundredths: -1250)) == [.raw(-1250)])
    }

    @Test("A lone 5A in garbage, a bad sum and a wrong frame type are each rejected; resync finds the next frame")
    func resync() {
        var codec = GYMCU90614Codec(value: .object)
        var badSum = GYMCU90614Codec.frame(objectHundredths: 3600, ambientHundredths: 2400)
        badSum[8] ^= 0xFF
        var wrongType = [0x5A, 0x5A, 0x15, 0x04, 0, 0, 0, 0] as [UInt8]
        wrongType.append(Checksum.sum8(wrongType))
        let input: [UInt8] = [0x5A, 0x01] + badSum + wrongType + GYMCU90614Codec.frame(objectHundredths: 3655, ambientHundredths: 2400)
        let items = decodeByteByByte(&codec, input)
        #expect(raws(items) == [3655])
        #expect(reasons(items).contains(.badChecksum))
        #expect(reasons(items).contains(.malformed))
        #expect(reasons(items).contains(.garbage))
    }
}

@Suite("GD60914 framing")
struct GD60914FramingTests {
    @Test("Replies are 7 ASCII bytes of signed tenths: \"  365\\r\\n\" → 365, \" -052\\r\\n\" → -52, \"+0371\\r\\n\" → 371")
    func replies() {
        var codec = GD60914Codec(target: .forehead)
        #expect(GD60914Codec.reply(tenths: 365) == Array("  365\r\n".utf8))
        let items = codec.decode(Array("  365\r\n -052\r\n+0371\r\n".utf8))
        #expect(raws(items) == [365, -52, 371])
        #expect(reasons(items).isEmpty)
    }

    @Test("Commands: A1 selects single mode, AA/AB/AC measure object/forehead/wrist")
    func commands() {
        #expect(GD60914Codec(target: .wrist).setupCommand == [0xA1])
        #expect(GD60914Codec(target: .object).pollCommand == [0xAA])
        #expect(GD60914Codec(target: .forehead).pollCommand == [0xAB])
        #expect(GD60914Codec(target: .wrist).pollCommand == [0xAC])
    }

    @Test("Garbage and a sign without digits are skipped as garbage; the next reply decodes")
    func garbage() {
        var codec = GD60914Codec(target: .forehead)
        let items = decodeByteByByte(&codec, [0xFF, 0x00] + Array(" -x\r\n".utf8) + GD60914Codec.reply(tenths: 362))
        #expect(raws(items) == [362])
        #expect(reasons(items).allSatisfy { $0 == .garbage })
        #expect(!reasons(items).isEmpty)
    }

    @Test("Any field width and any non-digit terminator are read: \"365\\r\", \"+371\\n\", \"-52 \", \"00366\\r\\n\"")
    func anyTerminator() {
        var codec = GD60914Codec(target: .forehead)
        let items = decodeByteByByte(&codec, Array("365\r+371\n-52 00366\r\n  364;".utf8))
        #expect(raws(items) == [365, 371, -52, 366, 364])
        #expect(reasons(items).isEmpty)
    }

    @Test("A run of more than six digits is one malformed field, not a reading of its last digits")
    func tooManyDigits() {
        var codec = GD60914Codec(target: .forehead)
        let items = codec.decode(Array("12345678\r\n  365\r\n".utf8))
        #expect(raws(items) == [365])
        #expect(reasons(items) == [.malformed])
    }
}

@Suite("Modbus RTU framing")
struct ModbusFramingTests {
    @Test("A function 04 response 01 04 02 01 0F F8 A4 is raw 271 (27.1 °C at ÷10)")
    func response() {
        var codec = ModbusRTUCodec(slave: 1, function: 4, register: 1, signed: true)
        #expect(ModbusRTUCodec.readResponse(slave: 1, function: 4, values: [0x010F]) == [0x01, 0x04, 0x02, 0x01, 0x0F, 0xF8, 0xA4])
        #expect(codec.decode([0x01, 0x04, 0x02, 0x01, 0x0F, 0xF8, 0xA4]) == [.raw(271)])
    }

    @Test("Signed registers read negative, unsigned ones do not")
    func signedness() {
        let frame = ModbusRTUCodec.readResponse(slave: 9, function: 3, values: [0xFF9C])
        var signed = ModbusRTUCodec(slave: 9, function: 3, register: 0, signed: true)
        var unsigned = ModbusRTUCodec(slave: 9, function: 3, register: 0, signed: false)
        #expect(signed.decode(frame) == [.raw(-100)])
        #expect(unsigned.decode(frame) == [.raw(65436)])
    }

    @Test("An exception response 01 84 02 C2 C1 is a counted exception naming the code")
    func exception() {
        var codec = ModbusRTUCodec(slave: 1, function: 4, register: 1, signed: true)
        #expect(ModbusRTUCodec.exceptionResponse(slave: 1, function: 4, code: 2) == [0x01, 0x84, 0x02, 0xC2, 0xC1])
        let items = codec.decode([0x01, 0x84, 0x02, 0xC2, 0xC1])
        #expect(reasons(items) == [.exception])
        if case .rejected(let r) = items.first { #expect(r.detail.contains("illegal data address")) }
    }

    @Test("A bad CRC is rejected and a frame for another slave is garbage; the good frame after them decodes, byte by byte")
    func badCRCAndOtherSlave() {
        var codec = ModbusRTUCodec(slave: 1, function: 4, register: 1, signed: true)
        var corrupt = ModbusRTUCodec.readResponse(slave: 1, function: 4, values: [300])
        corrupt[4] ^= 0x01
        let other = ModbusRTUCodec.readResponse(slave: 2, function: 4, values: [999])
        let items = decodeByteByByte(&codec, corrupt + other + ModbusRTUCodec.readResponse(slave: 1, function: 4, values: [215]))
        #expect(raws(items) == [215])
        #expect(reasons(items).contains(.badCRC))
        #expect(reasons(items).contains(.garbage))
    }

    @Test("The echo of our own request (RS-485 local echo) does not decode as a reading")
    func echo() {
        var codec = ModbusRTUCodec(slave: 1, function: 3, register: 0x0200, signed: true)
        let items = codec.decode(codec.pollCommand! + ModbusRTUCodec.readResponse(slave: 1, function: 3, values: [365]))
        #expect(raws(items) == [365])
    }
}

@Suite("ASCII-line framing")
struct ASCIILineFramingTests {
    @Test("The first capture group of matching lines is the raw value, CR LF or LF")
    func lines() throws {
        var codec = try ASCIILineCodec(pattern: #"^BODY\s+([-+]?[0-9]+(\.[0-9]+)?)\s*C$"#)
        let items = codec.decode(Array("BODY 36.6 C\r\nBODY -1.5 C\n\r\n".utf8))
        #expect(raws(items) == [36.6, -1.5])
        #expect(reasons(items).isEmpty)
    }

    @Test("A line that does not match, a non-UTF-8 line and an overlong line are each rejected")
    func rejections() throws {
        var codec = try ASCIILineCodec(pattern: #"^T=([0-9.]+)$"#, maxLineBytes: 16)
        let input = Array("HELLO\n".utf8) + [0xFF, 0xFE, 0x0A] + Array(repeating: 0x41, count: 40) + [0x0A] + Array("T=36.7\n".utf8)
        let items = codec.decode(input)
        #expect(reasons(items) == [.patternMismatch, .malformed, .lineTooLong])
        #expect(raws(items) == [36.7])
    }

    @Test("A pattern without a capture group is refused")
    func noGroup() {
        #expect(throws: (any Error).self) { try ASCIILineCodec(pattern: "^T=[0-9]+$") }
    }
}
