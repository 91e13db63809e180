import Thermometers

/// A simulated Modbus RTU slave (a temperature transmitter): answers function 03 (holding) and 04
/// (input) reads of 1…125 registers with a valid CRC; requests with a bad CRC or for another slave
/// are ignored (as on a real bus); an unmapped register gets exception 02, another function 01.
/// The temperature register holds the raw value (two's complement when negative).
public struct ModbusSlaveSimulator: DeviceBehavior {
    public var temperature: SimulatedTemperature
    public let slave: UInt8
    public let function: UInt8
    public let register: UInt16
    /// Other registers of the map (e.g. humidity next to temperature), by function and address.
    public var otherRegisters: [UInt8: [UInt16: UInt16]] = [:]
    /// When set, every read gets this exception code (`exception <code>` at runtime; 0 clears).
    public var forcedException: UInt8?
    private var input: [UInt8] = []

    public init(temperature: SimulatedTemperature, slave: UInt8, function: UInt8, register: UInt16) {
        self.temperature = temperature
        self.slave = slave
        self.function = function
        self.register = register
    }

    public var streamPeriodMs: Int? { nil }
    public mutating func tick() -> [UInt8]? { nil }
    public var status: String {
        "slave \(slave), function \(function) register \(register), \(temperature.celsius) °C" + (forcedException.map { ", exception \($0)" } ?? "")
    }

    private func value(function fn: UInt8, address: UInt16) -> UInt16? {
        if fn == function && address == register { return UInt16(bitPattern: Int16(clamping: temperature.raw)) }
        return otherRegisters[fn]?[address]
    }

    public mutating func received(_ bytes: [UInt8]) -> [[UInt8]] {
        input += bytes
        var replies: [[UInt8]] = []
        // Every request we answer (03/04) is 8 bytes: find them by length + CRC, skip anything else.
        while input.count >= 8 {
            let frame = Array(input.prefix(8))
            let crc = Checksum.crc16Modbus(frame[0..<6])
            guard UInt16(frame[6]) | UInt16(frame[7]) << 8 == crc else { input.removeFirst(); continue }
            input.removeFirst(8)
            guard frame[0] == slave else { continue }
            let fn = frame[1]
            guard fn == 3 || fn == 4 else {
                replies.append(ModbusRTUCodec.exceptionResponse(slave: slave, function: fn, code: 1))
                continue
            }
            if let code = forcedException {
                replies.append(ModbusRTUCodec.exceptionResponse(slave: slave, function: fn, code: code))
                continue
            }
            let start = UInt16(frame[2]) << 8 | UInt16(frame[3])
            let count = Int(UInt16(frame[4]) << 8 | UInt16(frame[5]))
            guard (1...125).contains(count) else {
                replies.append(ModbusRTUCodec.exceptionResponse(slave: slave, function: fn, code: 3))
                continue
            }
            let values = (0..<count).map { value(function: fn, address: start &+ UInt16($0)) }
            guard values.allSatisfy({ $0 != nil }) else {
                replies.append(ModbusRTUCodec.exceptionResponse(slave: slave, function: fn, code: 2))
                continue
            }
            replies.append(ModbusRTUCodec.readResponse(slave: slave, function: fn, values: values.compactMap { $0 }))
        }
        if input.count > 256 { input.removeAll() }
        return replies
    }

    public mutating func command(_ words: [String]) throws(SimulatorCommandError) -> String {
        if let reply = try temperature.command(words) { return reply }
        if words.first == "exception" {
            guard words.count == 2, let code = UInt8(words[1]) else { throw SimulatorCommandError("usage: exception <code> (0 clears)") }
            forcedException = code == 0 ? nil : code
            return code == 0 ? "exceptions cleared" : "every read answers exception \(code)"
        }
        throw SimulatorCommandError("modbus-rtu: unknown command \"\(words.joined(separator: " "))\" (set <°C>, exception <code>)")
    }
}
