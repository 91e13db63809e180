import Foundation

/// The OpenAPI 3.1 document of this API (`openapi.yaml`, a resource of this module), found without
/// SwiftPM's `Bundle.module` accessor, which aborts the process when the resource bundle is missing.
/// Looked up next to the running executable (where `swift build` and packaging put
/// `checkpoint_CentralServer.resources/`), then in `/usr/share/checkpoint-central/`.
public enum OpenAPIDocument {
    public static let resourceBundleName = "checkpoint_CentralServer.resources"
    public static let fileName = "openapi.yaml"

    /// Candidate paths, in lookup order.
    public static func candidatePaths() -> [String] {
        var folders: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(executable.deletingLastPathComponent())
        }
        var paths = folders.map { $0.appendingPathComponent(resourceBundleName).appendingPathComponent(fileName).path }
        paths.append("/usr/share/checkpoint-central/\(fileName)")
        return paths
    }

    /// The document's text, or nil if no candidate exists.
    public static func load() -> String? {
        for path in candidatePaths() {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return text }
        }
        return nil
    }
}
