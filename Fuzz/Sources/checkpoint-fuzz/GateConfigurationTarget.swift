import CheckpointConfig
import CheckpointCore
import Foundation
import Gate

/// The gate's configuration file parsed as `checkpointd` does: TOML, then every section's parser,
/// then the policy's credential rules compiled and applied. Contract checked: every error names a
/// line inside the file (or none).
enum GateConfigurationTarget {
    static let target = FuzzTarget(
        name: "config-gate",
        summary: "checkpoint.toml text in: sections parsed into typed configuration, or errors with file:line:key",
        seeds: { RepositoryFiles.files(in: "packaging/debian", suffix: ".toml") },
        body: run)

    static func run(_ bytes: [UInt8]) {
        guard let text = String(bytes: bytes, encoding: .utf8) else { return }
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
        do {
            let document = try ConfigDocument(text: text, file: "fuzz.toml")
            let root = document.root
            let devices = try DeviceConfiguration.parseAll(root)
            _ = try LaneConfiguration.parseAll(root, knownDevices: Set(devices.map(\.id)))
            let policy = try PolicyConfiguration.parse(root)
            _ = try CentralConfiguration.parse(root)
            _ = try JournalConfiguration.parse(root)
            _ = try CalibrationTable.parse(root)
            let classifier = CredentialClassifier(policy)
            _ = classifier.classify("CHK-0001-ABCD")
        } catch {
            if let line = error.line {
                FuzzCheck.require(line >= 1 && line <= lineCount + 1, "error at line \(line) of a \(lineCount)-line file: \(error)")
            }
        }
    }
}
