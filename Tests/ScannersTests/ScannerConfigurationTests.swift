import CheckpointCore
import Control
import DeviceIO
import DeviceRuntime
import DeviceSimulators
import Foundation
import Scanners
import TestSupport
import Testing

@Suite("Scanner configuration against simulated devices on PTYs", .serialized)
struct ScannerConfigurationTests {
    func configure(_ fixture: SerialScannerFixture, _ set: ScannerCommandSet, _ action: ScannerConfigurationAction) async throws -> ConfigurationReport {
        let inbox = ByteInbox()
        fixture.port.routeReceived(to: { inbox.deliver($0) }, closed: { inbox.close() })
        if !fixture.port.state.isOpen { try fixture.port.open() }
        let port = fixture.port
        let session = try ScannerConfiguration.session(set, action)
        return await ScannerConfigurationDriver.run(session, send: { port.write($0) }, inbox: inbox, replyTimeout: .seconds(2))
    }

    @Test("GM65 settings written over a PTY with CRC-checked replies survive a power cycle")
    func gm65() async throws {
        let f = try SerialScannerFixture(framing: ScanFraming(suffix: [0x0D], aimIdentifiers: false), commandSet: .gm65)
        defer { f.shutdown() }
        let aim = try await configure(f, .gm65, .aimIdentifiers(true))
        #expect(aim.accepted, "\(aim.text)")
        #expect(aim.exchanges.count == 2) // read-modify-write
        for e in aim.exchanges {
            #expect(GM65CommandSet.parseReply(e.reply)?.crcValid == true)
            #expect(Array(e.reply.prefix(3)) == [0x02, 0x00, 0x00])
        }
        let suffix = try await configure(f, .gm65, .suffix([0x0D, 0x0A]))
        #expect(suffix.accepted)
        #expect(sendsCodeID(f))
        #expect(!f.simulator.framing.aimIdentifiers)   // a GM65 has no AIM identifier
        #expect(f.simulator.framing.suffix == [0x0D, 0x0A])
        f.simulator.powerCycle()
        #expect(!sendsCodeID(f)) // not saved yet: RAM reloads from flash
        _ = try await configure(f, .gm65, .aimIdentifiers(true))
        let save = try await configure(f, .gm65, .save)
        #expect(save.accepted)
        #expect(save.exchanges.first?.request == [0x7E, 0x00, 0x09, 0x01, 0x00, 0x00, 0x00, 0xDE, 0xC8])
        f.simulator.powerCycle()
        #expect(sendsCodeID(f))
        if case .gm65(let d) = f.simulator.responder { #expect(d.badFrames == 0) }
    }

    /// Runs `session` against a simulated GM65 in memory to its end; nil if it stalls.
    func converse(_ session: any ScannerConfigurationSession, with device: inout GM65Device) -> ConfigurationReport? {
        converse(session) { device.receive($0) }
    }

    /// Runs `session` against `device` (request bytes in, reply bytes out) to its end; nil if it stalls.
    func converse(_ session: any ScannerConfigurationSession, _ device: ([UInt8]) -> [UInt8]) -> ConfigurationReport? {
        var s = session
        var request = s.start()
        for _ in 0..<16 {
            switch s.receive(device(request)) {
            case .send(let next): request = next
            case .needMoreBytes: return nil
            case .sendAndFinish(let last, let report): _ = device(last); return report
            case .finished(let report): return report
            }
        }
        return nil
    }

    /// Whether the simulated GM65 sends Grow's Code ID now.
    func sendsCodeID(_ f: SerialScannerFixture) -> Bool {
        if case .gm65(let d) = f.simulator.responder { return d.sendsCodeID }
        return false
    }

    @Test("GM65 end marks set the allow-tail bit with the end-mark field, so the module sends them")
    func gm65EndMarks() throws {
        for (suffix, zone) in [([UInt8]([0x0D]), UInt8(0x01)), ([0x0D, 0x0A], 0x21), ([0x09], 0x41), ([], 0x00)] {
            // A module whose other zone-0x0060 bits (Code ID, prefix) are set keeps them.
            var device = GM65Device(zones: [GM65Device.outputZone: 0x0C])
            #expect(converse(try GM65CommandSet().session(for: .suffix(suffix)), with: &device)?.accepted == true)
            #expect(device.zones[GM65Device.outputZone] == zone | 0x0C, "suffix \(HexBytes.format(suffix))")
            #expect(device.endMark == suffix)
        }
        #expect(throws: ScannerConfigurationError.self) { try GM65CommandSet().session(for: .suffix([0x0A])) }
    }

    @Test("Zebra SSI suffix writes also set the suffix key categories to 1, so a decoder that had them off sends the suffix")
    func zebraKeyCategories() throws {
        var device = ZebraSSIDevice(parameters: [0x2D: 0, 0xEB: 0, 0x68: 0, 0x6A: 0, 0x62: 0, 0x64: 0])
        #expect(converse(try ZebraSSICommandSet().session(for: .suffix([0x0D, 0x0A]))) { device.receive($0) }?.accepted == true)
        #expect(device.parameters[0x62] == 1 && device.parameters[0x64] == 1)
        #expect(device.suffix == [0x0D, 0x0A])
        var one = ZebraSSIDevice(parameters: [0xEB: 0, 0x68: 0, 0x62: 0])
        #expect(converse(try ZebraSSICommandSet().session(for: .suffix([0x0D]))) { one.receive($0) }?.accepted == true)
        #expect(one.suffix == [0x0D])
        // Without the key-category write (a model whose catalog has none) the suffix stays silent.
        var old = ZebraSSIDevice(parameters: [0xEB: 0, 0x68: 0, 0x62: 0])
        let bare = ZebraSSICommandSet(suffix1KeyCategoryParam: nil, suffix2KeyCategoryParam: nil)
        #expect(converse(try bare.session(for: .suffix([0x0D]))) { old.receive($0) }?.accepted == true)
        #expect(old.suffix == [])
    }

    @Test("GM65 has no AIM zone: identifiers on writes the Code ID bit; a model with an AIM zone (GM861 class) writes that instead")
    func gm65Identifiers() throws {
        var device = GM65Device()
        #expect(converse(try GM65CommandSet().session(for: .aimIdentifiers(true)), with: &device)?.accepted == true)
        #expect(device.sendsCodeID)
        #expect(device.zones[0x00D0] == nil)
        #expect(device.endMark == [0x0D])
        var gm861 = GM65Device()
        #expect(converse(try GM65CommandSet(aimZone: 0x00D0).session(for: .aimIdentifiers(true)), with: &gm861)?.accepted == true)
        #expect(gm861.zones[0x00D0] == 0x80)
        #expect(!gm861.sendsCodeID)
        #expect(throws: ScannerConfigurationError.self) {
            try GM65CommandSet(aimZone: nil, codeIDZone: nil).session(for: .aimIdentifiers(true))
        }
    }

    @Test("GM65: a frame with a corrupted CRC is ignored (no reply, no change); the fixed check bytes AB CD are accepted")
    func gm65BadCRC() async throws {
        var device = GM65Device()
        var frame = GM65CommandSet.write(0x0060, [0x05])
        frame[frame.count - 1] ^= 0xFF
        #expect(device.receive(frame).isEmpty)
        #expect(device.badFrames == 1)
        #expect(device.zones[0x0060] == 0x01)
        // The fixed check bytes AB CD are accepted in place of a CRC, as the modules do.
        var unchecked = GM65CommandSet.write(0x0060, [0x05])
        unchecked.replaceSubrange((unchecked.count - 2)..., with: [0xAB, 0xCD])
        #expect(device.receive(unchecked) == GM65CommandSet.reply(data: [0x00]))
        #expect(device.zones[0x0060] == 0x05)
        #expect(device.sendsCodeID)
    }

    @Test("Honeywell: AIM on, a suffix and save round-trip as SYN M CR menu commands acknowledged with ACK")
    func honeywell() async throws {
        let f = try SerialScannerFixture(framing: ScanFraming(suffix: [0x0D], aimIdentifiers: false), commandSet: .honeywell)
        defer { f.shutdown() }
        let aim = try await configure(f, .honeywell, .aimIdentifiers(true))
        #expect(aim.accepted, "\(aim.text)")
        #expect(aim.exchanges.first?.request == Array("\u{16}M\rPRECA2;PREBK2995C80!".utf8))
        #expect(aim.exchanges.first?.reply == Array("PRECA2\u{06};PREBK2995C80\u{06}!".utf8))
        let suffix = try await configure(f, .honeywell, .suffix([0x0D, 0x0A]))
        #expect(suffix.accepted)
        #expect(f.simulator.framing.suffix == [0x0D, 0x0A])
        #expect(f.simulator.framing.aimIdentifiers)
        let save = try await configure(f, .honeywell, .save)
        #expect(save.accepted, "\(save.text)")
        #expect(save.exchanges.count == 2)
        #expect(save.exchanges.last?.request.last == UInt8(ascii: "."))
        f.simulator.powerCycle()
        #expect(f.simulator.framing.aimIdentifiers)
        #expect(f.simulator.framing.suffix == [0x0D, 0x0A])
    }

    @Test("Honeywell: an unknown tag is answered with ENQ and out-of-range data with NAK, and both fail the conversation")
    func honeywellRefusals() {
        var d = HoneywellMenuDevice()
        let enq = d.receive(HoneywellMenuCommandSet.request(["XYZABC1"], permanent: false))
        #expect(HoneywellMenuCommandSet.parseReply(enq)?.items.first?.status == HoneywellMenuCommandSet.enq)
        let nak = d.receive(HoneywellMenuCommandSet.request(["SUFBK29G"], permanent: false))
        #expect(HoneywellMenuCommandSet.parseReply(nak)?.items.first?.status == HoneywellMenuCommandSet.nak)
        var session = HoneywellMenuCommandSet().session(forTest: .aimIdentifiers(true))
        _ = session.start()
        if case .finished(let report) = session.receive(Array("PRECA2\u{06};PREBK2995C80\u{15}!".utf8)) {
            #expect(!report.accepted)
            #expect(report.failure?.contains("NAK") == true)
        } else {
            Issue.record("a NAK reply must end the conversation")
        }
    }

    @Test("Zebra SSI: AIM on, a suffix and save round-trip with checksums verified and ACKs, PARAM_REQUEST answered")
    func zebra() async throws {
        let f = try SerialScannerFixture(framing: ScanFraming(suffix: [0x0D], aimIdentifiers: false), commandSet: .zebraSSI)
        defer { f.shutdown() }
        let aim = try await configure(f, .zebraSSI, .aimIdentifiers(true))
        #expect(aim.accepted, "\(aim.text)")
        #expect(aim.exchanges.map { ZebraSSICommandSet.parse($0.reply)?.opcode } == [0xD0, 0xD0, 0xD0])
        #expect(aim.exchanges.allSatisfy { ZebraSSICommandSet.parse($0.reply)?.checksumValid == true })
        let suffix = try await configure(f, .zebraSSI, .suffix([0x0D, 0x0A]))
        #expect(suffix.accepted)
        #expect(f.simulator.framing.suffix == [0x0D, 0x0A])
        f.simulator.powerCycle()
        #expect(f.simulator.framing.suffix == [0x0D]) // temporary changes are gone
        _ = try await configure(f, .zebraSSI, .suffix([0x0D, 0x0A]))
        _ = try await configure(f, .zebraSSI, .aimIdentifiers(true))
        let save = try await configure(f, .zebraSSI, .save)
        #expect(save.accepted, "\(save.text)")
        #expect(await waitUntil {
            if case .zebraSSI(let d) = f.simulator.responder { return d.hostAcks == 1 }
            return false
        })
        f.simulator.powerCycle()
        #expect(f.simulator.framing.suffix == [0x0D, 0x0A])
        #expect(f.simulator.framing.aimIdentifiers)
    }

    @Test("Zebra SSI: a packet with a bad checksum is NAKed with cause 1 (resend); start and stop session are ACKed")
    func zebraBadChecksum() {
        var d = ZebraSSIDevice()
        var p = ZebraSSICommandSet.packet(opcode: 0xC6, data: [0xFF, 0x2D, 0x01])
        p[p.count - 1] ^= 0x01
        let reply = ZebraSSICommandSet.parse(d.receive(p))
        #expect(reply?.opcode == ZebraSSICommandSet.cmdNak)
        #expect(reply?.data == [0x01])
        #expect(d.parameters[0x2D] == 0)
        // START_SESSION / STOP_SESSION (a decode attempt) are acknowledged.
        #expect(ZebraSSICommandSet.parse(d.receive(ZebraSSICommandSet.packet(opcode: ZebraSSICommandSet.startSession)))?.opcode == ZebraSSICommandSet.cmdAck)
        #expect(d.sessionActive)
        #expect(ZebraSSICommandSet.parse(d.receive(ZebraSSICommandSet.packet(opcode: ZebraSSICommandSet.stopSession)))?.opcode == ZebraSSICommandSet.cmdAck)
        #expect(!d.sessionActive)
    }

    @Test("scanner.configure through the control router drives the simulated scanner and returns the exchange")
    func controlHandler() async throws {
        let f = try SerialScannerFixture(framing: ScanFraming(suffix: [0x0D], aimIdentifiers: false), commandSet: .gm65)
        defer { f.shutdown() }
        let router = ControlRouter()
        let port = f.port
        ScannerConfigureCommand.register(on: router) { request in
            let inbox = ByteInbox()
            port.routeReceived(to: { inbox.deliver($0) }, closed: { inbox.close() })
            if !port.state.isOpen { try port.open() }
            return ScannerControl.Channel(send: { port.write($0) }, inbox: inbox)
        }
        let request = ScannerControl.Request(device: f.simulator.linkPath, commandSet: .gm65, action: .aimIdentifiers(true))
        let response = await router.handle(ControlRequest(.scannerConfigure, arguments: request.arguments))
        #expect(response.ok, "\(response)")
        #expect(response.output.contains(HexBytes.format(GM65CommandSet.write(0x0060, [0x05]))), "\(response.output)")
        #expect(sendsCodeID(f))
        let bad = await router.handle(ControlRequest(.scannerConfigure, arguments: ["device": "x", "commandSet": "gm65", "action": "aim", "value": "maybe"]))
        #expect(!bad.ok)
        #expect(bad.error == "aim takes on or off")
    }
}

extension HoneywellMenuCommandSet {
    func session(forTest action: ScannerConfigurationAction) -> any ScannerConfigurationSession {
        (try? session(for: action)) ?? ScannerConfigurationSessionStub()
    }
}

struct ScannerConfigurationSessionStub: ScannerConfigurationSession {
    mutating func start() -> [UInt8] { [] }
    mutating func receive(_ bytes: [UInt8]) -> ConfigurationStep { .needMoreBytes }
    func abandoned(_ reason: String) -> ConfigurationReport { ConfigurationReport(commandSet: "", action: "", exchanges: [], accepted: false, failure: reason) }
}
