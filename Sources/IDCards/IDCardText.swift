/// The 256-byte text block of a base-info read: UCS-2 little-endian fields at fixed offsets,
/// padded with spaces.
///
/// | field | bytes | characters |
/// |---|---|---|
/// | name | 30 | 15 |
/// | sex code | 2 | 1 |
/// | nation code | 4 | 2 |
/// | birth date | 16 | 8 (`YYYYMMDD`) |
/// | address | 70 | 35 |
/// | citizen number | 36 | 18 |
/// | issuing authority | 30 | 15 |
/// | valid from | 16 | 8 |
/// | valid until | 16 | 8, or `长期` (no end) |
/// | reserved | 36 | |
public enum IDCardText {
    public static let length = 256
    /// The fields' byte widths, in order.
    public static let widths = [30, 2, 4, 16, 70, 36, 30, 16, 16]
    /// `长期`: valid without end.
    public static let noEnd = "长期"

    /// Decodes and checks every field; throws the first problem (no card content in it).
    public static func decode(_ bytes: [UInt8]) throws(IDCardRejection) -> IDCard {
        guard bytes.count == length else {
            throw IDCardRejection(.malformedData, "text block of \(bytes.count) bytes, expected \(length)")
        }
        var fields: [String] = []
        var offset = 0
        for width in widths {
            fields.append(try field(bytes[offset..<(offset + width)]))
            offset += width
        }
        guard !fields[0].isEmpty else { throw IDCardRejection(.malformedField, "empty name") }
        guard let sex = IDCard.Sex(rawValue: fields[1]) else { throw IDCardRejection(.malformedField, "sex code is not 0, 1, 2 or 9") }
        guard fields[2].utf8.count == 2, fields[2].utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw IDCardRejection(.malformedField, "nation code is not two digits")
        }
        let number = try CitizenNumber(fields[5])
        let until: CardDate? = fields[8] == noEnd ? nil : try CardDate(yyyymmdd: fields[8])
        return IDCard(name: fields[0], sex: sex, nationCode: fields[2], birthDate: try CardDate(yyyymmdd: fields[3]),
                      address: fields[4], citizenNumber: number, issuingAuthority: fields[6],
                      validFrom: try CardDate(yyyymmdd: fields[7]), validUntil: until)
    }

    /// The text block of `card` (simulators and tests); a field too long for its width is cut.
    public static func encode(_ card: IDCard) -> [UInt8] {
        let values = [card.name, card.sex.rawValue, card.nationCode, card.birthDate.description, card.address,
                      card.citizenNumber.digits, card.issuingAuthority, card.validFrom.description,
                      card.validUntil?.description ?? noEnd]
        var out: [UInt8] = []
        for (value, width) in zip(values, widths) {
            var units = Array(value.utf16.prefix(width / 2))
            units += Array(repeating: 0x0020, count: width / 2 - units.count)
            for u in units { out += [UInt8(truncatingIfNeeded: u), UInt8(truncatingIfNeeded: u >> 8)] }
        }
        while out.count < length { out += [0x20, 0x00] }
        return out
    }

    /// One field: UCS-2 LE code units, trailing spaces and NULs trimmed; surrogates and control
    /// characters are malformed.
    static func field(_ bytes: ArraySlice<UInt8>) throws(IDCardRejection) -> String {
        var units: [UInt16] = []
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            units.append(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
            i += 2
        }
        while let last = units.last, last == 0x0020 || last == 0 { units.removeLast() }
        var scalars = String.UnicodeScalarView()
        for u in units {
            guard let scalar = Unicode.Scalar(u), u >= 0x20, u != 0x7F else {
                throw IDCardRejection(.malformedField, "not UCS-2 text")
            }
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
