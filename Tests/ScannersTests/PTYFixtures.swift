import CheckpointCore
import DeviceIO
import DeviceSimulators
import Foundation
import Scanners
import TestSupport

/// A simulated scanner on its own PTY and event loop, and a host `SerialPort` on the link path.
final class SerialScannerFixture: Sendable {
    let directory: URL
    let loop: EventLoop
    let simulator: ScannerSimulator
    let port: SerialPort

    init(framing: ScanFraming = ScanFraming(), encoding: ScanTextEncoding = .utf8, commandSet: ScannerCommandSet? = nil) throws {
        directory = try TestEnvironment.temporaryDirectory("scanner")
        loop = try EventLoop(name: "scanner-test")
        simulator = try ScannerSimulator(linkPath: directory.appendingPathComponent("scanner").path, loop: loop,
                                         framing: framing, encoding: encoding, commandSet: commandSet)
        port = try SerialPort(path: simulator.linkPath, settings: SerialSettings(baudRate: 9600), loop: loop,
                              reopenPolicy: .init(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(100)))
    }

    func shutdown() {
        port.close()
        simulator.unplug()
        loop.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
