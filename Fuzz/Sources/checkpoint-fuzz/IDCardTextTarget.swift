import IDCards

/// The card data of a read-base-info response (length words, 256 bytes of UCS-2 text, photo)
/// decoded into a card. Contract checked: either a rejection or a card whose citizen number passes
/// its check.
enum IDCardTextTarget {
    static let target = FuzzTarget(
        name: "idcard-base-info",
        summary: "read-base-info data: length words, card text, photo in; a card or a rejection out",
        seeds: { [[0x01, 0x00, 0x04, 0x00] + [UInt8](repeating: 0x20, count: 256 + 1024)] },
        body: { bytes in
            guard let card = try? BaseInfo.decode(bytes) else { return }
            let digits = Array(card.citizenNumber.digits.utf8)
            FuzzCheck.require(digits.count == 18 && CitizenNumber.checkCharacter(forFirst17: Array(digits.prefix(17))) == digits.last,
                              "a card whose citizen number fails its check character")
        })
}
