/// Checksums used by the thermometer families.
public enum Checksum {
    /// The low byte of the sum of `bytes` (LU90614, GY-MCU90614, their commands).
    public static func sum8<C: Collection>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
        UInt8(truncatingIfNeeded: bytes.reduce(0) { $0 &+ Int($1) })
    }

    /// CRC-16/MODBUS (poly 0x8005 reflected = 0xA001, init 0xFFFF, no final xor); sent low byte
    /// first. Check value: "123456789" → 0x4B37.
    public static func crc16Modbus<C: Collection>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1
            }
        }
        return crc
    }

    /// `bytes` followed by their CRC-16/MODBUS, low byte first.
    public static func appendingCRC16Modbus(_ bytes: [UInt8]) -> [UInt8] {
        let crc = crc16Modbus(bytes)
        return bytes + [UInt8(crc & 0xFF), UInt8(crc >> 8)]
    }
}

/// `0x4B` style, for details.
func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
}
