/// CRC-16/XMODEM (polynomial 0x1021, initial value 0, no reflection, no final XOR), as GM65/GM805
/// modules use over `type … data`. Check value: "123456789" → 0x31C3.
public enum CRC16XModem {
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for b in bytes {
            crc ^= UInt16(b) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }
}
