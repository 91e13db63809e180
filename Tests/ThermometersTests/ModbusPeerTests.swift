import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import DeviceRuntime
import Foundation
import TestSupport
import Testing
import Thermometers

/// Runs `model` against `peer` through SerialPort + EventLoop and returns the events of the first
/// `until` condition (or what came by the deadline).
private func runAgainst(_ peer: PymodbusPeer, model: CatalogModel, polling: PollingParameters = PollingParameters(pollMs: 100, timeoutMs: 250, retries: 1),
                        until done: @escaping (EventLog) -> Bool) async throws -> (EventLog, ThermometerStatistics) {
    let loop = try EventLoop(name: "t-pymodbus")
    defer { loop.stop() }
    let session = ThermometerSession(model: model.model, device: peer.path, codec: try ThermometersTests.codec(model),
                                     scaling: try #require(model.temperature), polling: polling)
    let runner = try ThermometerRunner(id: model.model, path: peer.path, settings: try #require(model.transport.serialSettings),
                                       session: session, loop: loop)
    let log = EventLog()
    runner.onEvent { log.append($0) }
    try runner.open()
    _ = await waitUntil(within: .seconds(8)) { done(log) }
    let stats = runner.session.statistics
    runner.stop()
    return (log, stats)
}

enum ThermometersTests {
    static func codec(_ model: CatalogModel) throws -> any ThermometerCodec { try ThermometerFamilies.codec(for: model) }
}

@Suite("Modbus RTU against pymodbus 3.16 as an independent RTU server on a PTY pair", .serialized)
struct ModbusPeerTests {
    @Test("XY-MD02 (input register 0x0001, function 04, ÷10) reads 22.7 °C from pymodbus, ambient")
    func xymd02() async throws {
        let peer = try PymodbusPeer(deviceID: 1, input: [1: 227])
        defer { peer.stop() }
        let model = try #require(try shippedCatalog().model("xy-md02"))
        let (log, stats) = try await runAgainst(peer, model: model) { $0.readings.count >= 2 }
        let reading = try #require(log.readings.first)
        #expect(abs(reading.celsius - 22.7) < 1e-9)
        #expect(reading.kind == .ambient)
        #expect(reading.raw == 227)
        #expect(stats.rejected == 0, "\(stats.summary)")
    }

    @Test("The holding-register model (0x0000, function 03, signed ÷10) reads -10.0 °C from pymodbus")
    func holdingSigned() async throws {
        let peer = try PymodbusPeer(deviceID: 1, holding: [0: 0xFF9C])
        defer { peer.stop() }
        let model = try #require(try shippedCatalog().model("rs485-temp-hr0"))
        let (log, _) = try await runAgainst(peer, model: model) { !$0.readings.isEmpty }
        #expect(log.readings.first.map { abs($0.celsius - -10.0) < 1e-9 } == true, "\(log.events)")
    }

    @Test("pymodbus's exception for an unmapped register (illegal data address) is a counted rejection")
    func exceptionFromPeer() async throws {
        let peer = try PymodbusPeer(deviceID: 1, holding: [0: 250])
        defer { peer.stop() }
        let model = try #require(try shippedCatalog().model("xy-md02"))
        let (log, stats) = try await runAgainst(peer, model: model) { $0.rejections.count >= 1 }
        #expect(stats.rejections[.exception] ?? 0 >= 1, "\(log.events)")
        #expect(log.rejections.first?.detail.contains("illegal data address") == true)
        #expect(log.readings.isEmpty)
    }

    @Test("A NEW Modbus model added only as a catalog file (slave 17, holding 0x0102, unsigned ÷100) reads correctly from pymodbus")
    func newModelByCatalogFileOnly() async throws {
        let dir = try TestEnvironment.temporaryDirectory("new-model")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("thermometers"), withIntermediateDirectories: true)
        try """
        model = "acme-tt17"
        name = "ACME TT-17 RS-485 surface probe"
        role = "thermometer"
        family = "modbus-rtu"

        [transport]
        kind = "serial"
        baud = 19200
        parity = "even"

        [protocol]
        slave = 17
        function = 3
        register = 0x0102
        signed = false
        pollMs = 200
        timeoutMs = 250
        retries = 1

        [temperature]
        kind = "surface"
        scale = 0.01
        offset = 0.5
        range = [0.0, 120.0]
        """.write(to: dir.appendingPathComponent("thermometers/acme-tt17.toml"), atomically: true, encoding: .utf8)
        let catalog = Catalog.load(directory: dir.path, families: ThermometerFamilies.protocolFamilies)
        #expect(catalog.errors.isEmpty, "\(catalog.errors)")
        let model = try #require(catalog.model("acme-tt17"))
        let peer = try PymodbusPeer(deviceID: 17, holding: [0x0102: 4321])
        defer { peer.stop() }
        let (log, _) = try await runAgainst(peer, model: model, polling: try PollingParameters.parse(model.protocolParameters)) { !$0.readings.isEmpty }
        let reading = try #require(log.readings.first, "\(log.events)")
        #expect(abs(reading.celsius - 43.71) < 1e-9, "4321 × 0.01 + 0.5")
        #expect(reading.kind == .surface)
    }
}
