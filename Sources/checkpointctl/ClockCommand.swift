import ArgumentParser
import Foundation
import Journal

/// `checkpointctl clock`: whether the gate's wall clock counts as synchronised, as checkpointd
/// stamps it on every record, and what said so (the kernel, or the time daemon's flag file when the
/// kernel query is refused, as under `ProtectClock=yes`).
struct ClockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock",
        abstract: "Show whether the wall clock is synchronised, and how that was found (exit 1 if not).")

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let (synced, basis, detail) = ClockSyncSource.system.read()
        if json {
            let body: [String: String] = ["synced": synced ? "true" : "false", "basis": basis.rawValue, "detail": detail ?? ""]
            print(String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self))
        } else {
            let how: String
            switch basis {
            case .kernel: how = "the kernel (adjtimex)"
            case .flagFile: how = "\(detail ?? "a flag file") (the kernel query was refused)"
            case .unknown: how = "nothing: the kernel query was refused and no time daemon flag file exists"
            }
            print("clock \(synced ? "synchronised" : "NOT synchronised"), according to \(how)")
        }
        if !synced { throw ExitCode(1) }
    }
}
