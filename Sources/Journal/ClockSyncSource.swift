import CLinuxShims
import Foundation

/// Where the wall clock's sync state (`clockSynced` on every record and heartbeat) is read.
///
/// The kernel answers first (adjtimex, a read-only query: synced when not `TIME_ERROR` and
/// `STA_UNSYNC` is clear). systemd's `ProtectClock=yes` refuses even that query (EPERM, by a seccomp
/// filter); then the flag file of the time daemon decides: systemd-timesyncd keeps
/// `/run/systemd/timesync/synchronized` while it holds the clock synchronised. Without either the
/// clock counts as not synchronised (never guessed).
public struct ClockSyncSource: Sendable {
    /// How the state was found.
    public enum Basis: String, Sendable, Codable {
        case kernel
        case flagFile
        case unknown
    }

    /// 1 synced, 0 not, -1 the query failed (`cp_clock_synced`).
    public var kernelQuery: @Sendable () -> Int32
    /// Flag files whose presence means synced, consulted only when the kernel query fails.
    public var flagFiles: [String]

    public static let timesyncdFlag = "/run/systemd/timesync/synchronized"

    /// The running kernel and systemd-timesyncd's flag.
    public static let system = ClockSyncSource(kernelQuery: { cp_clock_synced() }, flagFiles: [timesyncdFlag])

    public init(kernelQuery: @escaping @Sendable () -> Int32, flagFiles: [String]) {
        self.kernelQuery = kernelQuery
        self.flagFiles = flagFiles
    }

    /// Whether the clock is synchronised now, and what said so (the flag file's path for `.flagFile`).
    public func read() -> (synced: Bool, basis: Basis, detail: String?) {
        switch kernelQuery() {
        case 1: return (true, .kernel, nil)
        case 0: return (false, .kernel, nil)
        default:
            if let flag = flagFiles.first(where: { FileManager.default.fileExists(atPath: $0) }) { return (true, .flagFile, flag) }
            return (false, .unknown, nil)
        }
    }
}
