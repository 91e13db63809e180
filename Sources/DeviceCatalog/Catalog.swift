import CheckpointConfig
import CheckpointCore
import Foundation

/// The device catalog: every model file of a `Devices/` tree, validated, with the errors of the
/// files that are not (each naming file, line and key). Loading never stops at the first bad file.
public struct Catalog: Sendable {
    /// The valid models, sorted by id.
    public private(set) var models: [CatalogModel]
    /// One error per rejected file (or duplicate id), in file order.
    public private(set) var errors: [ConfigError]

    /// Where the daemon looks for the catalog when the configuration names none, in order.
    public static let defaultDirectories = ["/usr/share/checkpoint/Devices", "Devices"]

    public init(models: [CatalogModel], errors: [ConfigError] = []) {
        self.models = models.sorted { $0.model < $1.model }
        self.errors = errors
    }

    /// Loads every `*.toml` under `directory` (recursively; the layout `thermometers/`, `scanners/`
    /// is a convention, not a rule). Each model's family must be one of `families` (by name, with the
    /// same role and a transport it supports) and passes that family's validation; with `families`
    /// empty, family names and `[protocol]` tables are not checked.
    public static func load(directory: String, families: [ProtocolFamily] = []) -> Catalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return Catalog(models: [], errors: [ConfigError(file: directory, line: nil, key: "", message: "catalog directory does not exist")])
        }
        var models: [CatalogModel] = []
        var errors: [ConfigError] = []
        var seen: [String: String] = [:]
        for file in modelFiles(in: directory) {
            do throws(ConfigError) {
                let model = try loadModel(file: file, families: families)
                if let earlier = seen[model.model] {
                    throw model.document.error(at: "model", "\"\(model.model)\" is already defined in \(earlier)")
                }
                seen[model.model] = file
                models.append(model)
            } catch {
                errors.append(error)
            }
        }
        return Catalog(models: models, errors: errors)
    }

    /// Loads the first of `defaultDirectories` that exists.
    public static func loadDefault(families: [ProtocolFamily] = []) -> Catalog {
        let dir = defaultDirectories.first { FileManager.default.fileExists(atPath: $0) } ?? defaultDirectories[0]
        return load(directory: dir, families: families)
    }

    /// Loads and validates one catalog file.
    public static func loadModel(file: String, families: [ProtocolFamily] = []) throws(ConfigError) -> CatalogModel {
        let document = try ConfigDocument(contentsOf: file)
        let id = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let model = try CatalogModel(document: document, expectedID: id)
        try check(model, against: families)
        return model
    }

    /// Checks `model` against its family (no-op when `families` is empty).
    public static func check(_ model: CatalogModel, against families: [ProtocolFamily]) throws(ConfigError) {
        guard !families.isEmpty else { return }
        let root = model.document.root
        guard let family = families.first(where: { $0.name == model.family }) else {
            let known = families.map { "\"\($0.name)\"" }.sorted().joined(separator: ", ")
            throw root.error("family", "\"\(model.family)\" is not a known protocol family (known: \(known))")
        }
        guard family.role == model.role else {
            throw root.error("role", "family \"\(family.name)\" is a \(family.role.rawValue) family, not \(model.role.rawValue)")
        }
        guard family.transports.contains(model.transport.kind) else {
            throw model.document.error(at: "transport.kind", "family \"\(family.name)\" does not run over \(model.transport.kind.rawValue)")
        }
        try family.validate(model)
    }

    /// The model with id `id`.
    public func model(_ id: String) -> CatalogModel? { models.first { $0.model == id } }

    /// The model that recognises `device` best (optionally only models of `role`); several models
    /// with the same best score are reported as ambiguous, never guessed.
    public func match(_ device: DeviceDescription, role: DeviceRole? = nil) -> CatalogMatch {
        var best: [CatalogModel] = []
        var bestScore = Int.min
        for m in models where role == nil || m.role == role {
            guard let s = m.match.score(device) else { continue }
            if s > bestScore { best = [m]; bestScore = s } else if s == bestScore { best.append(m) }
        }
        switch best.count {
        case 0: return .none
        case 1: return .matched(best[0], score: bestScore)
        default: return .ambiguous(best, score: bestScore)
        }
    }

    /// The `*.toml` files under `directory`, sorted by path.
    static func modelFiles(in directory: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = e.nextObject() as? String {
            if relative.hasSuffix(".toml") { files.append((directory as NSString).appendingPathComponent(relative)) }
        }
        return files.sorted()
    }
}
