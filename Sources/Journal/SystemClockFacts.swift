import CheckpointCore
import CLinuxShims
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The clock facts stamped on every record (docs/contracts.md §1, §11), read from the kernel.
public struct ClockFacts: Sendable, Hashable {
    public var wallClock: Date
    /// Whether NTP (or PTP) disciplines the clock (`ClockSyncSource`: the kernel, or the time
    /// daemon's flag file where the kernel query is refused).
    public var clockSynced: Bool
    /// `/proc/sys/kernel/random/boot_id`.
    public var bootID: String
    /// CLOCK_BOOTTIME in nanoseconds (counts suspend; meaningful within one `bootID`).
    public var monotonicNanos: UInt64

    public init(wallClock: Date, clockSynced: Bool, bootID: String, monotonicNanos: UInt64) {
        self.wallClock = wallClock
        self.clockSynced = clockSynced
        self.bootID = bootID
        self.monotonicNanos = monotonicNanos
    }
}

/// Reads `ClockFacts` from the running kernel.
public enum SystemClock {
    /// The boot id, read once per process (it cannot change while the process runs).
    public static let bootID: String = {
        guard let s = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else { return "unknown" }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    /// Whether the wall clock is synchronised (`ClockSyncSource.system`).
    public static func clockSynced() -> Bool {
        ClockSyncSource.system.read().synced
    }

    public static func now() -> ClockFacts {
        ClockFacts(wallClock: Date(), clockSynced: clockSynced(), bootID: bootID, monotonicNanos: MonotonicClock.nowNanos())
    }
}
