/// How to talk to a serial device: catalog data (`[transport]` of a model), applied by DeviceIO
/// with termios. Always raw mode: no echo, no line discipline, no character translation.
public struct SerialSettings: Sendable, Hashable, Codable {
    public enum Parity: String, Sendable, Hashable, Codable, CaseIterable { case none, even, odd }
    public enum FlowControl: String, Sendable, Hashable, Codable, CaseIterable { case none, rtscts }

    /// The baud rates termios can set, 1200 … 921600.
    public static let supportedBaudRates: [Int] = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200,
                                                    230400, 460800, 500000, 576000, 921600]

    /// Bits per second; one of `supportedBaudRates`.
    public var baudRate: Int
    /// 5…8.
    public var dataBits: Int
    public var parity: Parity
    /// 1 or 2.
    public var stopBits: Int
    public var flowControl: FlowControl
    /// Kernel RS-485 direction control (TIOCSRS485) for native RS-485 UARTs; USB adapters switch
    /// direction themselves and need none.
    public var rs485: Bool

    public init(baudRate: Int = 9600, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1,
                flowControl: FlowControl = .none, rs485: Bool = false) {
        self.baudRate = baudRate
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
        self.flowControl = flowControl
        self.rs485 = rs485
    }

    /// Why these settings cannot be applied, or nil if they can.
    public var problem: String? {
        if !Self.supportedBaudRates.contains(baudRate) {
            return "baud rate \(baudRate) is not one of \(Self.supportedBaudRates.map(String.init).joined(separator: ", "))"
        }
        if !(5...8).contains(dataBits) { return "data bits must be 5…8, not \(dataBits)" }
        if stopBits != 1 && stopBits != 2 { return "stop bits must be 1 or 2, not \(stopBits)" }
        return nil
    }

    /// Microseconds one character takes on the wire (start + data + parity + stop bits).
    public var characterMicros: Double {
        let bits = 1 + dataBits + (parity == .none ? 0 : 1) + stopBits
        return Double(bits) * 1_000_000 / Double(baudRate)
    }

    /// `9600 8N1` style.
    public var summary: String {
        "\(baudRate) \(dataBits)\(parity == .none ? "N" : parity == .even ? "E" : "O")\(stopBits)"
    }
}
