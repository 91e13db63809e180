/// Modbus RTU temperature transmitters (family `modbus-rtu`; XY-MD02/SHT20 class, PT100
/// transmitters), RS-485.
///
/// Request: `slave fn regHi regLo 00 01 crcLo crcHi` (read one register, function 03 holding or
/// 04 input). Response: `slave fn 02 hi lo crcLo crcHi`; exception: `slave fn|80 code crcLo crcHi`.
/// CRC-16/MODBUS is computed, never copied from vendor sheets (many print wrong ones).
/// Frames are found by the expected length and the CRC, not by inter-frame silence: PTYs and USB
/// adapters do not preserve the 3.5-character gap.
///
/// `[protocol]`: `slave` (1…247), `function` (3 | 4), `register` (0…65535), `signed` (default
/// true) + polling keys. Scaling (÷10, ÷100) is the `[temperature] scale`.
public struct ModbusRTUCodec: ThermometerCodec {
    public static let responseLength = 7
    public static let exceptionLength = 5

    public let slave: UInt8
    public let function: UInt8
    public let register: UInt16
    public let signed: Bool
    private var scanner = FrameScanner()

    public init(slave: UInt8, function: UInt8, register: UInt16, signed: Bool) {
        self.slave = slave
        self.function = function
        self.register = register
        self.signed = signed
    }

    /// The read request for `count` registers at `register`.
    public static func readRequest(slave: UInt8, function: UInt8, register: UInt16, count: UInt16 = 1) -> [UInt8] {
        Checksum.appendingCRC16Modbus([slave, function, UInt8(register >> 8), UInt8(register & 0xFF),
                                       UInt8(count >> 8), UInt8(count & 0xFF)])
    }

    /// A response carrying `values` (used by simulators and tests).
    public static func readResponse(slave: UInt8, function: UInt8, values: [UInt16]) -> [UInt8] {
        var body: [UInt8] = [slave, function, UInt8(truncatingIfNeeded: values.count * 2)]
        for v in values { body += [UInt8(v >> 8), UInt8(v & 0xFF)] }
        return Checksum.appendingCRC16Modbus(body)
    }

    /// An exception response (used by simulators and tests).
    public static func exceptionResponse(slave: UInt8, function: UInt8, code: UInt8) -> [UInt8] {
        Checksum.appendingCRC16Modbus([slave, function | 0x80, code])
    }

    /// The standard name of an exception code.
    public static func exceptionName(_ code: UInt8) -> String {
        switch code {
        case 1: return "illegal function"
        case 2: return "illegal data address"
        case 3: return "illegal data value"
        case 4: return "server device failure"
        case 5: return "acknowledge"
        case 6: return "server device busy"
        case 10: return "gateway path unavailable"
        case 11: return "gateway target failed to respond"
        default: return "code \(code)"
        }
    }

    public var setupCommand: [UInt8] { [] }
    public var pollCommand: [UInt8]? { Self.readRequest(slave: slave, function: function, register: register) }
    public var pendingByteCount: Int { scanner.pendingByteCount }
    public mutating func flush(_ why: String) -> [Rejection] { scanner.flush(why) }

    public mutating func decode(_ bytes: [UInt8]) -> [DecodedItem] {
        let (slave, function, signed) = (self.slave, self.function, self.signed)
        return scanner.scan(bytes) { w in
            guard w.first == slave else { return .skip }
            guard w.count >= 2 else { return .needMore }
            let fn = w[w.startIndex + 1]
            let length: Int
            if fn == function {
                guard w.count >= 3 else { return .needMore }
                guard w[w.startIndex + 2] == 2 else { return .skip }
                length = Self.responseLength
            } else if fn == function | 0x80 {
                length = Self.exceptionLength
            } else {
                return .skip
            }
            guard w.count >= length else { return .needMore }
            let f = Array(w.prefix(length))
            let crc = Checksum.crc16Modbus(f[0..<(length - 2)])
            let received = UInt16(f[length - 2]) | UInt16(f[length - 1]) << 8
            guard crc == received else {
                return .invalid(Rejection(.badCRC, "CRC \(hex(UInt8(received & 0xFF))) \(hex(UInt8(received >> 8))), expected \(hex(UInt8(crc & 0xFF))) \(hex(UInt8(crc >> 8)))", bytes: length))
            }
            if length == Self.exceptionLength {
                return .frame(length: length, .rejected(Rejection(.exception, "slave \(slave) function \(function): \(Self.exceptionName(f[2]))", bytes: length)))
            }
            let word = UInt16(f[3]) << 8 | UInt16(f[4])
            return .frame(length: length, .raw(signed ? Double(Int16(bitPattern: word)) : Double(word)))
        }
    }
}
