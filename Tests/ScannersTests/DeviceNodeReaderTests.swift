import CheckpointCore
import DeviceIO
import Foundation
import Scanners
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// This machine's kernel has no uinput or uhid, so the readers are exercised on a FIFO standing in
/// for the device node (the real evdev / hidraw paths come with the QEMU test tier).
@Suite("evdev and hidraw readers (a FIFO stands in for the device node)", .serialized)
struct DeviceNodeReaderTests {
    @Test("The hidraw reader delivers each report written to a FIFO stand-in and reports end of file as a disconnect")
    func hidrawOnFIFO() async throws {
        let dir = try TestEnvironment.temporaryDirectory("hidraw")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hidraw0").path
        #expect(mkfifo(path, 0o600) == 0)
        let loop = try EventLoop(name: "hidraw-test")
        defer { loop.stop() }
        let reader = HidrawReader.make(path: path, loop: loop)
        let decoder = Mutex(HIDPOSDecoder(device: path, layout: .honeywell))
        let outcomes = Mutex<[ScanOutcome]>([])
        let states = Mutex<[DeviceNodeReader.State]>([])
        reader.onReceive { report in
            let out = decoder.withLock { $0.feed(report: report, at: .zero) }
            outcomes.withLock { $0 += out }
        }
        reader.onStateChange { state in
            states.withLock { $0.append(state) }
            if case .disconnected = state { outcomes.withLock { $0 += decoder.withLock { $0.deviceLost() } } }
        }
        try reader.open() // O_NONBLOCK open of a FIFO's read end succeeds without a writer
        let writer = open(path, O_WRONLY | O_CLOEXEC)
        #expect(writer >= 0)
        let reports = CaptureFiles.reports(try CaptureFiles.bytes("hidpos-honeywell-multipacket.hidraw"))
        for (i, r) in reports.enumerated() {
            _ = r.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            // One report per read, as hidraw guarantees: wait for this one before writing the next.
            #expect(await waitUntil { reader.readCount == UInt64(i + 1) })
        }
        #expect(await waitUntil { outcomes.withLock { $0.count } == 2 })
        _ = reports[0].withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } // first packet of a scan…
        #expect(await waitUntil { reader.readCount == 5 })
        close(writer) // …then the device goes away
        #expect(await waitUntil { states.withLock { $0.last } == .disconnected(reason: "end of file") })
        let all = outcomes.withLock { $0 }
        #expect(all.compactMap(\.scan).map(\.text.count) == [150, 13])
        #expect(all.last?.rejection?.reason.code == "incomplete")
    }

    @Test("The evdev reader refuses a node it cannot grab exclusively, naming the path and EVIOCGRAB")
    func evdevGrabRefused() throws {
        let dir = try TestEnvironment.temporaryDirectory("evdev")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("event0").path
        #expect(mkfifo(path, 0o600) == 0)
        let loop = try EventLoop(name: "evdev-test")
        defer { loop.stop() }
        let reader = EvdevReader.make(path: path, loop: loop)
        do {
            try reader.open()
            Issue.record("a FIFO cannot be grabbed: open must fail")
        } catch let error as DeviceNodeError {
            #expect(error.call == "ioctl(EVIOCGRAB)")
            #expect(error.description.hasPrefix(path))
        }
        #expect(reader.state == .closed)
        let missing = EvdevReader.make(path: dir.appendingPathComponent("nope").path, loop: loop)
        #expect(throws: DeviceNodeError.self) { try missing.open() }
    }
}
