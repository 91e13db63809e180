import Foundation
import Mustache

/// The page's templates (swift-mustache) and static files (CSS, JS), resources of this module under
/// `Web/`, found like `OpenAPIDocument` (next to the executable, then `/usr/share/checkpoint-central/Web`).
/// Loaded once at startup; nothing comes from a CDN.
public struct WebAssets: Sendable {
    public let library: MustacheLibrary
    /// File name → (content type, bytes).
    public let files: [String: (contentType: String, body: String)]

    public static func candidateDirectories() -> [String] {
        OpenAPIDocument.candidatePaths().map { ($0 as NSString).deletingLastPathComponent + "/Web" }
    }

    /// The assets of the first candidate directory holding the templates; nil if none does.
    public static func load() throws -> WebAssets? {
        for directory in candidateDirectories() where FileManager.default.fileExists(atPath: directory + "/templates") {
            return try load(directory: directory)
        }
        return nil
    }

    public static func load(directory: String) throws -> WebAssets {
        var library = MustacheLibrary()
        let templates = directory + "/templates"
        for name in try FileManager.default.contentsOfDirectory(atPath: templates) where name.hasSuffix(".mustache") {
            let text = try String(contentsOfFile: templates + "/" + name, encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        var files: [String: (String, String)] = [:]
        let statics = directory + "/static"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: statics)) ?? [] {
            let type = name.hasSuffix(".css") ? "text/css; charset=utf-8"
                : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream"
            files[name] = (type, try String(contentsOfFile: statics + "/" + name, encoding: .utf8))
        }
        return WebAssets(library: library, files: files)
    }

    /// The page `template` rendered with `context`; a template that is missing renders a plain message.
    public func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? "template \(template) missing"
    }
}
