import CheckpointCore

/// Where things are in the input report of a USB HID POS bar code scanner (usage page 0x8C) read
/// from `/dev/hidrawN`. Catalog data (`[protocol]` of a `hid-pos` model); `honeywell` and
/// `newland` are the two common layouts. Offsets count from the first byte hidraw returns (the
/// report id, for devices with numbered reports).
public struct HIDPOSLayout: Sendable, Hashable {
    /// The report id of scan data reports (byte 0); nil for devices without numbered reports.
    public var reportID: UInt8?
    /// Bytes of one input report, report id included.
    public var reportLength: Int
    /// Offset of the byte giving this packet's payload length.
    public var lengthOffset: Int
    /// Offset of the payload.
    public var dataOffset: Int
    /// Most payload bytes one packet carries.
    public var maxPayloadPerPacket: Int
    /// Offset and length of the AIM identifier (`]Q1` or `Q1`; all zero bytes: none sent).
    public var aimOffset: Int?
    public var aimLength: Int
    /// Offset of the vendor's code id byte, and what each value means.
    public var codeIDOffset: Int?
    public var codeIDs: [UInt8: Symbology]
    /// Offset and mask of the "more packets follow" flag; nil: every report is a whole scan.
    public var continuationOffset: Int?
    public var continuationMask: UInt8
    /// A feature report (report id first) to send once after opening, for models that must be told
    /// to enter POS mode; nil if none is needed.
    public var posModeFeatureReport: [UInt8]?

    public init(reportID: UInt8?, reportLength: Int, lengthOffset: Int, dataOffset: Int, maxPayloadPerPacket: Int,
                aimOffset: Int?, aimLength: Int = 3, codeIDOffset: Int?, codeIDs: [UInt8: Symbology],
                continuationOffset: Int?, continuationMask: UInt8 = 0x01, posModeFeatureReport: [UInt8]? = nil) {
        self.reportID = reportID
        self.reportLength = reportLength
        self.lengthOffset = lengthOffset
        self.dataOffset = dataOffset
        self.maxPayloadPerPacket = maxPayloadPerPacket
        self.aimOffset = aimOffset
        self.aimLength = aimLength
        self.codeIDOffset = codeIDOffset
        self.codeIDs = codeIDs
        self.continuationOffset = continuationOffset
        self.continuationMask = continuationMask
        self.posModeFeatureReport = posModeFeatureReport
    }

    /// Why this layout cannot work (offsets outside the report, overlapping payload), or nil.
    public var problem: String? {
        if reportLength < 2 || reportLength > 4096 { return "reportLength must be 2…4096" }
        if maxPayloadPerPacket < 1 { return "maxPayloadPerPacket must be at least 1" }
        if dataOffset + maxPayloadPerPacket > reportLength { return "payload (dataOffset + maxPayloadPerPacket) runs past the report" }
        for (name, off) in [("lengthOffset", lengthOffset), ("aimOffset", aimOffset ?? 0), ("codeIDOffset", codeIDOffset ?? 0),
                            ("continuationOffset", continuationOffset ?? 0)] where off < 0 || off >= reportLength {
            return "\(name) \(off) is outside the report of \(reportLength) bytes"
        }
        if let a = aimOffset, a + aimLength > reportLength { return "AIM identifier runs past the report" }
        return nil
    }

    /// Honeywell code ids (the vendor's one-letter symbology ids).
    public static let honeywellCodeIDs: [UInt8: Symbology] = [
        UInt8(ascii: "s"): .qr, UInt8(ascii: "w"): .dataMatrix, UInt8(ascii: "r"): .pdf417, UInt8(ascii: "z"): .aztec,
        UInt8(ascii: "d"): .ean13, UInt8(ascii: "D"): .ean8, UInt8(ascii: "c"): .upcA, UInt8(ascii: "E"): .upcE,
        UInt8(ascii: "j"): .code128, UInt8(ascii: "I"): .gs1_128, UInt8(ascii: "b"): .code39, UInt8(ascii: "i"): .code93,
        UInt8(ascii: "a"): .codabar, UInt8(ascii: "e"): .interleaved2of5,
    ]

    /// Honeywell (USB interfaces user's guide, HID POS): 64-byte report, `[0]` id 0x02, `[1]` length
    /// ≤ 56, `[2..4]` AIM id, `[5..60]` data, `[61]` code id, `[62]` reserved, `[63]` bit 0 = more
    /// packets follow.
    public static let honeywell = HIDPOSLayout(
        reportID: 0x02, reportLength: 64, lengthOffset: 1, dataOffset: 5, maxPayloadPerPacket: 56,
        aimOffset: 2, aimLength: 3, codeIDOffset: 61, codeIDs: honeywellCodeIDs,
        continuationOffset: 63, continuationMask: 0x01)

    /// Newland (NLS-FM420 integration guide, HID POS input report; an open-source FM430 driver
    /// agrees): 64-byte report, `[0]` id 0x02, `[1]` length, `[2–57]` data (1–56 bytes), `[58–61]`
    /// reserved, `[62]` Newland symbology id (or 0), `[63]` bit 0 = decode data continues. No Newland
    /// code-id table was found: there is no default table (the catalog file supplies one, marked
    /// unverified); without one the symbology is `unknown`.
    public static let newland = HIDPOSLayout(
        reportID: 0x02, reportLength: 64, lengthOffset: 1, dataOffset: 2, maxPayloadPerPacket: 56,
        aimOffset: nil, codeIDOffset: 62, codeIDs: [:],
        continuationOffset: 63, continuationMask: 0x01)
}
