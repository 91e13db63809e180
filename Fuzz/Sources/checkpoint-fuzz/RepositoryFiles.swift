import Foundation

/// Files of the repository the targets read: the device catalog and the scanner captures.
/// Located from this source file, so the fuzzer runs from any working directory of a checkout.
enum RepositoryFiles {
    /// The checkout's root (this file is `Fuzz/Sources/checkpoint-fuzz/RepositoryFiles.swift`).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var catalogDirectory: String { root.appendingPathComponent("Devices").path }

    /// The bytes of every file in `directory` (relative to the root) whose name ends in `suffix`.
    static func files(in directory: String, suffix: String) -> [[UInt8]] {
        let url = root.appendingPathComponent(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().compactMap {
            (try? Data(contentsOf: url.appendingPathComponent($0))).map { Array($0) }
        }
    }
}
