import ArgumentParser
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import DeviceSimulators
import Dispatch
import Foundation
import DeviceRuntime
import Thermometers
#if canImport(Glibc)
import Glibc
#endif

/// `checkpoint-sim run`: makes the devices, prints one line per device (name, link path, model,
/// current PTY), then serves until Ctrl-C / SIGTERM / `quit`. Runtime commands come on stdin and,
/// with `--control`, on a FIFO.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Simulate devices (the default subcommand).",
        discussion: """
        Each --device is MODEL[:key=value,...] with keys name (link file name), celsius (initial °C),
        garbage|truncate|badsum|silence (faults armed for the next N frames), and family options
        (ascii-line: format="BODY {value} C", period=ms).

        Runtime commands, one per line on stdin or the --control FIFO: [DEVICE] COMMAND
          set <°C> | garbage [N] | truncate [N] | badsum [N] | silence [N] | noise
          disconnect [MS] (0 = until connect) | connect | exception <code> (modbus; 0 clears) | status
          list | help | quit
        DEVICE may be left out when only one device runs.
        """
    )

    @Option(name: .long, help: "The device catalog directory (default: /usr/share/checkpoint/Devices, then ./Devices).")
    var catalog: String?

    @Option(name: .long, parsing: .singleValue, help: "A device to simulate: MODEL[:key=value,...]. Repeatable.")
    var device: [String] = []

    @Option(name: .long, help: "Directory for the stable device links (default: a new temporary directory).")
    var dir: String?

    @Option(name: .long, help: "Also read commands from this FIFO (created if absent).")
    var control: String?

    @Flag(name: .long, help: "Do not read commands from stdin.")
    var noStdin = false

    func validate() throws {
        if device.isEmpty { throw ValidationError("name at least one --device (see `checkpoint-sim models`)") }
    }

    func run() throws {
        let catalogDir = catalog ?? Catalog.defaultDirectories.first { FileManager.default.fileExists(atPath: $0) } ?? Catalog.defaultDirectories[0]
        let catalog = Catalog.load(directory: catalogDir, families: CatalogFamilies.all)
        for error in catalog.errors { warn("catalog: \(error)") }
        let specs = try device.map { text -> DeviceSpec in
            do throws(SimulatorCommandError) { return try DeviceSpec(parsing: text) } catch { throw ValidationError(error.description) }
        }
        let directory = try dir ?? makeTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        let loop = try EventLoop(name: "checkpoint-sim")
        let hosts = SimulatorHosts()
        var usedNames: Set<String> = []
        for spec in specs {
            guard let model = catalog.model(spec.model) else {
                throw ValidationError("no model \"\(spec.model)\" in \(catalogDir) (see `checkpoint-sim models`)")
            }
            var name = spec.name ?? model.model
            var n = 2
            while usedNames.contains(name) { name = "\(spec.name ?? model.model)-\(n)"; n += 1 }
            usedNames.insert(name)
            let behavior: any DeviceBehavior
            do throws(SimulatorCommandError) { behavior = try SimulatorRegistry.makeBehavior(for: model, options: spec.options) } catch { throw ValidationError(error.description) }
            let host = try SimulatedDeviceHost(name: name, linkPath: (directory as NSString).appendingPathComponent(name),
                                               behavior: behavior, loop: loop)
            for (fault, count) in spec.faults { host.arm(fault, count: count) }
            hosts.add(host)
            let pty = (try? FileManager.default.destinationOfSymbolicLink(atPath: host.linkPath)) ?? "?"
            say("\(name)\t\(host.linkPath)\t\(model.model)\t\(pty)")
        }

        let removeDirectory = dir == nil
        let shutdown: @Sendable (Int32) -> Never = { code in
            hosts.shutdownAll()
            if removeDirectory { try? FileManager.default.removeItem(atPath: directory) }
            loop.stop()
            Glibc.exit(code)
        }
        let handle: @Sendable (String) -> Void = { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard !words.isEmpty else { return }
            if words == ["quit"] || words == ["exit"] { shutdown(0) }
            say(hosts.command(words))
        }
        if !noStdin { _ = try CommandLineReader(fd: STDIN_FILENO, loop: loop, handler: handle) }
        if let control {
            if !FileManager.default.fileExists(atPath: control) {
                guard mkfifo(control, 0o600) == 0 else { throw ValidationError("cannot create FIFO \(control): \(String(cString: strerror(errno)))") }
            }
            let fd = open(control, O_RDWR | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { throw ValidationError("cannot open \(control): \(String(cString: strerror(errno)))") }
            _ = try CommandLineReader(fd: fd, loop: loop, handler: handle)
        }
        say("ready: \(specs.count) device(s) in \(directory); commands on \(noStdin ? "" : "stdin")\(control.map { (noStdin ? "" : " and ") + $0 } ?? "") (help)")

        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler { shutdown(0) }
            source.resume()
            return source
        }
        withExtendedLifetime(sources) { dispatchMain() }
    }

    private func makeTemporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("checkpoint-sim-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ValidationError("cannot create a temporary directory") }
        return String(cString: made)
    }
}

/// The running simulated devices, addressed by name from command lines.
// @unchecked: `hosts` is reached only under `lock`.
final class SimulatorHosts: @unchecked Sendable {
    private let lock = NSLock()
    private var hosts: [SimulatedDeviceHost] = []

    func add(_ host: SimulatedDeviceHost) { lock.lock(); hosts.append(host); lock.unlock() }

    private var all: [SimulatedDeviceHost] { lock.lock(); defer { lock.unlock() }; return hosts }

    /// Runs `words` (`[DEVICE] COMMAND ARGS`) and returns the reply line(s).
    func command(_ words: [String]) -> String {
        let hosts = all
        switch words[0] {
        case "help":
            return """
            commands: [DEVICE] set <°C> | garbage [N] | truncate [N] | badsum [N] | silence [N] | noise | \
            disconnect [MS] | connect | exception <code> | status; list; quit
            devices: \(hosts.map(\.name).joined(separator: ", "))
            """
        case "list":
            return hosts.map(\.status).joined(separator: "\n")
        default:
            var target: SimulatedDeviceHost?
            var rest = words
            if let named = hosts.first(where: { $0.name == words[0] }) {
                target = named
                rest = Array(words.dropFirst())
            } else if hosts.count == 1 {
                target = hosts[0]
            }
            guard let target else { return "error: no device \"\(words[0])\" (devices: \(hosts.map(\.name).joined(separator: ", ")))" }
            guard !rest.isEmpty else { return target.status }
            do { return "\(target.name): \(try target.command(rest))" } catch { return "error: \(target.name): \(error)" }
        }
    }

    func shutdownAll() { for h in all { h.shutdown() } }
}

/// Prints a line on stdout at once (a parent process reads it through a pipe).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func warn(_ line: String) {
    FileHandle.standardError.write(Data("checkpoint-sim: \(line)\n".utf8))
}
