import Foundation

/// Where `swift build` put this package's executables: the folder of the running test bundle.
public enum BuildProducts {
    /// The folder holding the test bundle and the package's executables.
    public static var directory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // On Linux the test runner is `<pkg>PackageTests.xctest` directly in the products folder.
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("checkpoint-sim").path),
              url.pathComponents.count > 1 {
            if url.lastPathComponent == ".build" { break }
            url.deleteLastPathComponent()
        }
        return url
    }

    /// The path of a built executable of this package, e.g. `executable("checkpoint-sim")`.
    public static func executable(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// The repository root (the folder holding Package.swift).
    public static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
              url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
        }
        return url
    }
}
