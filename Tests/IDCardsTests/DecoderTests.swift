import Testing
@testable import IDCards

@Suite("SAM frame decoder")
struct DecoderTests {
    @Test("A bad checksum is rejected with its reason and the following good frame still decodes")
    func badChecksum() {
        var bad = SAMFrame.response(.cardFound, data: [0, 0, 0, 0])
        bad[bad.count - 1] ^= 0x5A
        var decoder = SAMFrameDecoder()
        let items = decoder.decode(bad + SAMFrame.response(.noCard))
        #expect(reasons(items).first == .badChecksum)
        #expect(responses(items).map(\.status) == [.noCard])
    }

    @Test("An impossible length is rejected as badLength and resynchronises on the next preamble")
    func badLength() {
        var decoder = SAMFrameDecoder()
        let items = decoder.decode(SAMFrame.preamble + [0xFF, 0xFF, 0x00] + SAMFrame.response(.success))
        #expect(reasons(items).contains(.badLength))
        #expect(responses(items).map(\.status) == [.success])
    }

    @Test("A frame split at every position decodes once")
    func everySplit() {
        let frame = SAMFrame.response(.success, data: Array(0..<40))
        for cut in 1..<frame.count {
            var decoder = SAMFrameDecoder()
            let items = decoder.decode(Array(frame[..<cut])) + decoder.decode(Array(frame[cut...]))
            #expect(responses(items).map(\.data) == [Array(0..<40)], "cut at \(cut)")
            #expect(reasons(items).isEmpty)
        }
    }

    @Test("Endless garbage never grows the buffer beyond one frame and is counted")
    func boundedBuffer() {
        var decoder = SAMFrameDecoder()
        var rejected: [IDCardRejection] = []
        for i in 0..<20_000 {
            _ = decoder.decode([UInt8(truncatingIfNeeded: i * 7 + 1) | 0x01])
            #expect(decoder.pendingByteCount <= SAMFrameDecoder.capacity)
        }
        rejected = decoder.flush("test end")
        #expect(rejected.first?.reason == .garbage)
        #expect(rejected.first?.byteCount ?? 0 > 19_000)
    }

    @Test("A header announcing a long frame waits, and a flush reports it as truncated")
    func truncatedAtFlush() {
        var decoder = SAMFrameDecoder()
        let frame = SAMFrame.response(.success, data: Array(repeating: 1, count: 1284))
        #expect(decoder.decode(Array(frame.prefix(600))).isEmpty)
        #expect(decoder.pendingByteCount == 600)
        #expect(decoder.flush("timeout").map(\.reason) == [.truncated])
        #expect(decoder.pendingByteCount == 0)
    }
}

@Suite("Card fields")
struct FieldTests {
    @Test("The GB 11643 example number 11010519491231002X passes its check; 110105194912310021 fails it")
    func checkDigit() throws {
        #expect(try CitizenNumber("11010519491231002X").lastFour == "002X")
        #expect(try CitizenNumber("11010519491231002x").digits == "11010519491231002X")
        #expect(throws: IDCardRejection(.badCheckDigit, "check character does not match")) { try CitizenNumber("110105194912310021") }
    }

    @Test("A citizen number of the wrong shape is malformed, not a check-digit failure")
    func malformedNumber() {
        #expect((try? CitizenNumber("1101051949123100")) == nil)
        do { _ = try CitizenNumber("11010519491231A02X"); Issue.record("accepted letters") } catch { #expect(error.reason == .malformedField) }
    }

    @Test("A citizen number prints as its last 4 characters only")
    func masked() throws {
        let n = try CitizenNumber("11010519491231002X")
        #expect("\(n)" == "…002X")
        #expect(!"\(try sampleCard())".contains("王"))
    }

    @Test("A text block round-trips through encode and decode, 长期 as no end")
    func roundTrip() throws {
        let card = try sampleCard(validUntil: nil)
        let decoded = try IDCardText.decode(IDCardText.encode(card))
        #expect(decoded == card)
        #expect(decoded.validUntil == nil)
        #expect(!decoded.isExpired(on: try CardDate(yyyymmdd: "21991231")))
    }

    @Test("An expired card is expired the day after its end date, not on it")
    func expiry() throws {
        let card = try sampleCard(validUntil: "20240630")
        #expect(!card.isExpired(on: try CardDate(yyyymmdd: "20240630")))
        #expect(card.isExpired(on: try CardDate(yyyymmdd: "20240701")))
    }

    @Test("Impossible dates are rejected as badDate (30 February, month 13)")
    func badDates() {
        #expect((try? CardDate(yyyymmdd: "20230230")) == nil)
        #expect((try? CardDate(yyyymmdd: "20231301")) == nil)
        #expect((try? CardDate(yyyymmdd: "20240229")) != nil)
    }

    @Test("A lone surrogate in a field is malformed UCS-2")
    func surrogate() throws {
        var text = IDCardText.encode(try sampleCard())
        text[0] = 0x00
        text[1] = 0xD8
        do { _ = try IDCardText.decode(text); Issue.record("accepted a surrogate") } catch { #expect(error.reason == .malformedField) }
    }

    @Test("A base-info block whose lengths disagree with its size is malformed data")
    func malformedData() throws {
        let data = BaseInfo.encode(try sampleCard())
        do { _ = try BaseInfo.decode(Array(data.dropLast(10))); Issue.record("accepted") } catch { #expect(error.reason == .malformedData) }
    }
}
