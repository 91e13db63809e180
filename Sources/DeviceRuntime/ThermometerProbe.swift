import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import DeviceIO
import Logging
import Thermometers

/// The answer to "take one reading" (`checkpointctl probe`, control command `devices.probe`).
public struct ThermometerProbeResult: Codable, Sendable, Hashable {
    /// The configured device id, or the path when probed ad hoc.
    public var device: String
    public var model: String
    public var path: String
    public var reading: TemperatureReading

    public init(device: String, model: String, path: String, reading: TemperatureReading) {
        self.device = device
        self.model = model
        self.path = path
        self.reading = reading
    }

    /// `36.62 °C body (raw 3662) from lu90614 at /dev/ttyUSB0 [thermo-north]`.
    public var summary: String {
        let idPart = device == path ? "" : " [\(device)]"
        return "\(formatCelsius(reading.celsius)) °C \(reading.kind.rawValue) (raw \(formatRaw(reading.raw))) from \(model) at \(path)\(idPart)"
    }
}

/// Why a probe gave no reading.
public struct ThermometerProbeError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Opens a thermometer, takes one reading and closes it (for `checkpointctl` when the daemon is
/// not running, and for the daemon's `devices.probe` of a device it has not attached).
public enum ThermometerProbe {
    public static func probe(path: String, model: CatalogModel, device: String? = nil, identity: String? = nil,
                             unitOffset: Double = 0, timeout: Duration = .seconds(3), loop: EventLoop,
                             logger: Logger = Logger(label: "checkpoint.probe")) async throws -> ThermometerProbeResult {
        guard model.role == .thermometer, let settings = model.transport.serialSettings else {
            throw ThermometerProbeError("model \(model.model) is not a serial thermometer")
        }
        let session = try ThermometerSession(model: model, device: identity ?? path, unitOffset: unitOffset)
        let runner = try ThermometerRunner(id: device ?? path, path: path, settings: settings, session: session, loop: loop, logger: logger)
        let once = OnceBox()
        let reading: TemperatureReading? = await withCheckedContinuation { continuation in
            once.set(continuation)
            runner.onEvent { event in
                if case .reading(let r, _) = event { once.resume(r) }
            }
            _ = loop.schedule(after: timeout) { once.resume(nil) }
            do { try runner.open() } catch {
                once.fail("\(error)")
            }
        }
        runner.stop()
        if let failure = once.failure { throw ThermometerProbeError(failure) }
        guard let reading else {
            let stats = runner.session.statistics
            throw ThermometerProbeError("no reading from \(path) within \(timeout) (\(stats.summary))")
        }
        return ThermometerProbeResult(device: device ?? path, model: model.model, path: path, reading: reading)
    }
}

/// Resumes a continuation exactly once, from whichever thread comes first.
private final class OnceBox: Sendable {
    private let state = Mutex<(CheckedContinuation<TemperatureReading?, Never>?, String?)>((nil, nil))

    func set(_ c: CheckedContinuation<TemperatureReading?, Never>) { state.withLock { $0.0 = c } }

    func resume(_ value: TemperatureReading?) {
        state.withLock { s -> CheckedContinuation<TemperatureReading?, Never>? in
            defer { s.0 = nil }
            return s.0
        }?.resume(returning: value)
    }

    func fail(_ message: String) {
        state.withLock { $0.1 = message }
        resume(nil)
    }

    var failure: String? { state.withLock { $0.1 } }
}

/// `3662` for whole raw values, `36.62` otherwise.
func formatRaw(_ raw: Double) -> String {
    raw == raw.rounded() && abs(raw) < 1e15 ? String(Int(raw)) : String(raw)
}
