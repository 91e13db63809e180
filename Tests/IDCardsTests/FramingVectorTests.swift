import Testing
@testable import IDCards

/// Responses of the decoded items.
func responses(_ items: [SAMFrameDecoder.Item]) -> [SAMResponse] {
    items.compactMap { if case .response(let r) = $0 { return r } else { return nil } }
}

/// Rejection reasons of the decoded items, in order.
func reasons(_ items: [SAMFrameDecoder.Item]) -> [IDCardRejection.Reason] {
    items.compactMap { if case .rejected(let r) = $0 { return r.reason } else { return nil } }
}

@Suite("SAM framing against an independent Python implementation")
struct FramingVectorTests {
    let vectors: PythonVectors
    /// The Python implementation runs once for the whole suite, not once per test.
    private static let loaded = Result { try PythonVectors.load() }
    init() throws { vectors = try Self.loaded.get() }

    @Test("The four commands of the cycle are framed exactly as the Python implementation frames them")
    func commands() {
        #expect(SAMFrame.command(.readerStatus) == bytes(hex: vectors.commands["readerStatus"] ?? ""))
        #expect(SAMFrame.command(.findCard) == bytes(hex: vectors.commands["findCard"] ?? ""))
        #expect(SAMFrame.command(.selectCard) == bytes(hex: vectors.commands["selectCard"] ?? ""))
        #expect(SAMFrame.command(.readBaseInfo) == bytes(hex: vectors.commands["readBaseInfo"] ?? ""))
    }

    @Test("Status responses built in Python decode to their SW3 codes and data")
    func statusResponses() {
        let expected: [(String, SAMStatus, Int)] = [("statusOK", .success, 0), ("cardFound", .cardFound, 4), ("noCard", .noCard, 0),
                                                    ("selectOK", .success, 8), ("selectFailed", .selectFailed, 0),
                                                    ("readFailed", .readFailed, 0), ("samFault", .samSelfTestFailed, 0)]
        for (name, status, dataCount) in expected {
            var decoder = SAMFrameDecoder()
            let items = decoder.decode(bytes(hex: vectors.responses[name] ?? ""))
            #expect(responses(items).map(\.status) == [status], "\(name)")
            #expect(responses(items).first?.data.count == dataCount, "\(name)")
            #expect(reasons(items).isEmpty, "\(name)")
        }
    }

    @Test("A base-info response with known text decodes to the right fields, 长期 as no end")
    func baseInfo() throws {
        for card in vectors.cards {
            var decoder = SAMFrameDecoder()
            let response = try #require(responses(decoder.decode(bytes(hex: card.frame))).first)
            let decoded = try BaseInfo.decode(response.data)
            #expect(decoded.name == card.fields["name"])
            #expect(decoded.sex.rawValue == card.fields["sex"])
            #expect(decoded.nationCode == card.fields["nation"])
            #expect(decoded.birthDate.description == card.fields["birth"])
            #expect(decoded.address == card.fields["address"])
            #expect(decoded.citizenNumber.digits == card.fields["number"])
            #expect(decoded.issuingAuthority == card.fields["authority"])
            #expect(decoded.validFrom.description == card.fields["validFrom"])
            if card.fields["validUntil"] == IDCardText.noEnd {
                #expect(decoded.validUntil == nil)
            } else {
                #expect(decoded.validUntil?.description == card.fields["validUntil"])
            }
        }
    }

    @Test("The Swift encoder produces the Python frame byte for byte for the same card")
    func encoderAgrees() throws {
        let card = try #require(vectors.cards.first)
        var decoder = SAMFrameDecoder()
        let decoded = try BaseInfo.decode(try #require(responses(decoder.decode(bytes(hex: card.frame))).first).data)
        #expect(SAMFrame.response(.success, data: BaseInfo.encode(decoded, photoFiller: 0x11)) == bytes(hex: card.frame))
    }

    @Test("A wrong check digit is rejected with its reason")
    func wrongCheckDigit() throws {
        var decoder = SAMFrameDecoder()
        let response = try #require(responses(decoder.decode(bytes(hex: vectors.wrongCheckDigit))).first)
        #expect(throws: IDCardRejection(.badCheckDigit, "check character does not match")) { try BaseInfo.decode(response.data) }
    }

    @Test("Check characters agree with the Python MOD 11-2 computation")
    func checkCharacters() {
        for (first17, check) in vectors.checkCharacters {
            #expect(String(UnicodeScalar(CitizenNumber.checkCharacter(forFirst17: Array(first17.utf8)))) == check, "\(first17)")
        }
    }

    @Test("Every Python frame, concatenated with garbage between and fed byte by byte, decodes in order")
    func garbageAndSplitReads() {
        let frames = vectors.responses.keys.sorted().map { bytes(hex: vectors.responses[$0] ?? "") }
            + vectors.cards.map { bytes(hex: $0.frame) }
        let garbage: [UInt8] = [0x00, 0xAA, 0xAA, 0x13, 0x96, 0x69, 0xFF]
        let stream = frames.flatMap { garbage + $0 }
        var decoder = SAMFrameDecoder()
        let items = stream.flatMap { decoder.decode([$0]) }
        #expect(responses(items).count == frames.count)
        #expect(reasons(items) == Array(repeating: .garbage, count: frames.count))
        #expect(decoder.pendingByteCount == 0)
    }
}
