import CheckpointConfig
import CheckpointCore
import DeviceCatalog
import Foundation

/// What `checkpointctl probe DEVICE` opens when the daemon is not running: the path, the model,
/// the identity readings carry and the unit's calibration offset, resolved from a configured device
/// id or a path (with `--model`, the configuration, or the catalog's match of the discovered device).
public struct ProbeTarget: Sendable, Hashable {
    public var device: String
    public var path: String
    public var model: String
    public var identity: String
    public var unitOffset: Double

    public static func resolve(_ name: String, model modelID: String?, setup: DeviceSetup,
                               discovered: [DeviceDescription]) throws(ThermometerProbeError) -> ProbeTarget {
        let configured = setup.devices.first { $0.id == name || $0.location == .path(name) }
        var path: String
        var description: DeviceDescription?
        switch configured?.location {
        case .path(let p)?:
            path = p
        case .match?, .catalogMatch?:
            let hits = (configured.map { DeviceCandidates.of($0, role: .thermometer, catalog: setup.catalog, in: discovered) } ?? []).map(\.description)
            guard hits.count == 1 else {
                throw ThermometerProbeError("device \(name): its selector or model matches \(hits.count) plugged-in devices")
            }
            description = hits[0]
            path = ThermometerFleet.stablePath(hits[0])
        case nil:
            guard name.hasPrefix("/") else {
                throw ThermometerProbeError("\"\(name)\" is neither a configured device id (\(setup.devices.map(\.id).joined(separator: ", "))) nor a path")
            }
            path = name
        }
        let resolved = ThermometerFleet.resolve(path)
        description = description ?? discovered.first { $0.devnode == resolved || $0.links.contains(path) }
        let chosen: String
        if let m = modelID ?? configured?.model {
            chosen = m
        } else if let d = description {
            switch setup.catalog.match(d, role: .thermometer) {
            case .matched(let m, _): chosen = m.model
            case .ambiguous(let ms, _): throw ThermometerProbeError("\(path) matches several models (\(ms.map(\.model).joined(separator: ", "))): give --model")
            case .none: throw ThermometerProbeError("\(path) matches no thermometer model in \(setup.catalogDirectory): give --model")
            }
        } else {
            throw ThermometerProbeError("\(path): give --model (the device is not configured and discovery does not know it)")
        }
        guard setup.catalog.model(chosen) != nil else { throw ThermometerProbeError("no model \"\(chosen)\" in \(setup.catalogDirectory)") }
        let identity = description?.identity ?? path
        return ProbeTarget(device: configured?.id ?? path, path: path, model: chosen, identity: identity,
                           unitOffset: setup.calibration.offset(deviceID: configured?.id, identity: identity))
    }
}
