import CheckpointCore
import DeviceIO
import Foundation

/// The `devices.list` control command: the daemon registers it on its `ControlRouter`;
/// `checkpointctl devices` asks for it and decodes the reply.
///
/// Response: `output` is the `DeviceTable` text, `json` a JSON array of `DeviceListEntry`.
public enum DevicesListCommand {

    /// Lists devices: `discover()` (default: `DeviceDiscovery.enumerate()`), each annotated with
    /// `match(device)` (the catalog model id, e.g. from DeviceCatalog; nil = none matched).
    public typealias Discover = @Sendable () throws -> [DeviceDescription]
    public typealias Match = @Sendable (DeviceDescription) -> String?

    /// Registers `devices.list` on `router`.
    public static func register(on router: ControlRouter,
                                discover: @escaping Discover = { try DeviceDiscovery.enumerate() },
                                match: Match? = nil) {
        router.register(.devicesList) { _ in
            do {
                let entries = try discover().map { DeviceListEntry(device: $0, model: match?($0)) }
                return response(entries, showModel: match != nil)
            } catch {
                return .failure("device discovery failed: \(error)")
            }
        }
    }

    /// The response for `entries`.
    public static func response(_ entries: [DeviceListEntry], showModel: Bool) -> ControlResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(entries)).flatMap { String(data: $0, encoding: .utf8) }
        return .success(DeviceTable.render(entries, showModel: showModel), json: json)
    }

    /// The entries in a `devices.list` response; throws if it failed or its JSON is not a list of entries.
    public static func entries(from response: ControlResponse) throws -> [DeviceListEntry] {
        guard response.ok else { throw DeviceListError(message: response.error ?? "devices.list failed") }
        guard let json = response.json, let data = json.data(using: .utf8) else {
            throw DeviceListError(message: "devices.list reply carries no JSON")
        }
        do {
            return try JSONDecoder().decode([DeviceListEntry].self, from: data)
        } catch {
            throw DeviceListError(message: "devices.list reply is not a list of devices: \(error)")
        }
    }
}

