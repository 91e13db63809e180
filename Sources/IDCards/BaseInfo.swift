/// The data of a `30 01` (read base info) response: text length and photo length (2 bytes each,
/// big-endian), then the text (256 bytes) and the photo (1024 bytes). Only the text is decoded;
/// the photo's bytes are neither decoded nor kept.
public enum BaseInfo {
    public static let photoLength = 1024

    /// The card in `data`, or the reason it is not one.
    public static func decode(_ data: [UInt8]) throws(IDCardRejection) -> IDCard {
        guard data.count >= 4 else { throw IDCardRejection(.malformedData, "\(data.count) bytes, no length words") }
        let textLength = Int(data[0]) << 8 | Int(data[1])
        let photoLength = Int(data[2]) << 8 | Int(data[3])
        guard textLength == IDCardText.length else {
            throw IDCardRejection(.malformedData, "text length \(textLength), expected \(IDCardText.length)")
        }
        guard data.count == 4 + textLength + photoLength else {
            throw IDCardRejection(.malformedData, "\(data.count) bytes of data for text \(textLength) + photo \(photoLength)")
        }
        return try IDCardText.decode(Array(data[4..<(4 + textLength)]))
    }

    /// The data block for `card` with a photo of `photoLength` filler bytes (simulators and tests).
    public static func encode(_ card: IDCard, photoFiller: UInt8 = 0x57) -> [UInt8] {
        let text = IDCardText.encode(card)
        return [UInt8(text.count >> 8), UInt8(text.count & 0xFF), UInt8(photoLength >> 8), UInt8(photoLength & 0xFF)]
            + text + Array(repeating: photoFiller, count: photoLength)
    }
}
