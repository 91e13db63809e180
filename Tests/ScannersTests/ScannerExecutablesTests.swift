import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import Foundation
import Scanners
import TestSupport
import Testing

/// `checkpoint-sim run` with the shipped catalog; the link of each device from its start lines.
func startScannerSimulator(_ arguments: [String]) throws -> (process: LineProcess, links: [String: String]) {
    let sim = try LineProcess("checkpoint-sim", ["run", "--catalog", BuildProducts.packageRoot.appendingPathComponent("Devices").path] + arguments)
    var links: [String: String] = [:]
    while let line = sim.readLine(), !line.hasPrefix("ready:") {
        let fields = line.split(separator: "\t").map(String.init)
        if fields.count >= 2 { links[fields[0]] = fields[1] }
    }
    return (sim, links)
}

@Suite("checkpointctl scanner and checkpoint-sim scanners, as built executables", .serialized)
struct ScannerExecutablesTests {
    @Test("checkpointctl scanner aim, suffix and save configure a checkpoint-sim GM65 over its PTY, and its scans follow")
    func ctlAgainstSimulator() async throws {
        let dir = try TestEnvironment.temporaryDirectory("scanner-exe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (sim, links) = try startScannerSimulator(["--dir", dir.path, "--device", "gm65:aim=off"])
        defer { sim.stop() }
        let link = try #require(links["gm65"])
        #expect(sim.send("status")?.contains("Code ID off") == true)

        let common = ["--device", link, "--command-set", "gm65", "--socket", dir.appendingPathComponent("no-daemon.sock").path]
        let aim = try runExecutable("checkpointctl", ["scanner", "aim", "on"] + common)
        #expect(aim.status == 0, "\(aim.error)")
        // The GM65 has no AIM zone: "aim on" sets its Code ID bit (zone 0x0060 bit 2), keeping the end mark.
        #expect(aim.output.contains("→ \(HexBytes.format(GM65CommandSet.read(0x0060)))"), "\(aim.output)")
        #expect(aim.output.contains("→ \(HexBytes.format(GM65CommandSet.write(0x0060, [0x05])))"), "\(aim.output)")
        #expect(aim.output.contains("← 02 00 00 01 00 33 31"))
        #expect(aim.output.contains("accepted"))
        let suffix = try runExecutable("checkpointctl", ["scanner", "suffix", "0D0A"] + common)
        #expect(suffix.status == 0, "\(suffix.error)")
        let save = try runExecutable("checkpointctl", ["scanner", "save"] + common)
        #expect(save.status == 0)
        #expect(save.output.contains("→ 7E 00 09 01 00 00 00 DE C8"))
        #expect(sim.send("powercycle")?.contains("Code ID on, suffix 0D 0A") == true)

        // A suffix the GM65 cannot send is refused before anything is written.
        let bad = try runExecutable("checkpointctl", ["scanner", "suffix", "0A0A"] + common)
        #expect(bad.status != 0)
        #expect(bad.error.contains("GM65 end mark"))

        // The simulator's scans now carry Grow's Code ID and CR LF, decoded with the shipped catalog file.
        let loop = try EventLoop(name: "scanner-exe")
        defer { loop.stop() }
        let port = try SerialPort(path: link, settings: SerialSettings(baudRate: 9600), loop: loop)
        let catalog = Catalog.load(directory: BuildProducts.packageRoot.appendingPathComponent("Devices/scanners").path, families: ScannerFamilies.all)
        guard case .serial(var framing, _) = try ScannerFamilies.profile(for: try #require(catalog.model("gm65"))).decoding else {
            Issue.record("gm65 is serial"); return
        }
        framing.suffix = [0x0D, 0x0A]
        let decoder = Mutex(SerialScanDecoder(device: link, framing: framing))
        let scans = Mutex<[ScanOutcome]>([])
        port.onReceive { bytes in
            let out = decoder.withLock { $0.feed(bytes, at: .zero) }
            scans.withLock { $0 += out }
        }
        try port.open()
        defer { port.close() }
        #expect(sim.send("scan-as ean13 6901234567892")?.hasPrefix("gm65: queued") == true)
        #expect(await waitUntil { scans.withLock { !$0.isEmpty } })
        let scan = scans.withLock { $0.first?.scan }
        #expect(scan?.symbology == .ean13)
        #expect(scan?.text == "6901234567892")
    }
}
