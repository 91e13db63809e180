import CheckpointConfig
import CheckpointCore
import DeviceCatalog

/// Which discovered nodes a configured `[[device]]` picked out by a selector or by its model's
/// catalog `[match]` may be: the node must be one the model's transport opens
/// (`TransportSpec.Kind.accepts`: a tty, a hidraw node, a keyboard's `event*` node) and the model
/// must be of `role`. Without a named model (a selector only) the catalog's match of the node
/// names it; a node that matches no model of `role`, or several, is no candidate.
public enum DeviceCandidates {
    /// The nodes of `discovered` that `device` may be, with the model each would run as; empty for
    /// a device named by path.
    public static func of(_ device: DeviceConfiguration, role: DeviceRole, catalog: Catalog,
                          in discovered: [DeviceDescription]) -> [(description: DeviceDescription, model: CatalogModel)] {
        discovered.compactMap { d in
            guard let model = model(of: device, for: d, role: role, catalog: catalog) else { return nil }
            return (d, model)
        }
    }

    /// Whether `d` may be `device` (see the type), and the model it would run as.
    public static func model(of device: DeviceConfiguration, for d: DeviceDescription, role: DeviceRole,
                             catalog: Catalog) -> CatalogModel? {
        let named = device.model.flatMap { catalog.model($0) }
        switch device.location {
        case .path:
            return nil
        case .match(let selector):
            guard selector.matches(d) else { return nil }
            let model = named ?? catalog.match(d, role: role).model
            guard let model, model.role == role, model.transport.kind.accepts(d) else { return nil }
            return model
        case .catalogMatch:
            guard let named, named.role == role, named.transport.kind.accepts(d), named.match.score(d) != nil else { return nil }
            return named
        }
    }
}
