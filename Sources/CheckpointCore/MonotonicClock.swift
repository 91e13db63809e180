#if canImport(Glibc)
import Glibc
#endif

/// The gate's one monotonic clock: CLOCK_BOOTTIME, the time since boot including suspend
/// (docs/contracts.md §11). Pairing deadlines, event stamps (`receivedAt`), device sessions' timers,
/// the horn's schedule and simulated lines all read it here; values are comparable only within
/// one boot (`bootID`). Code that decides takes the time as a parameter and never reads this itself.
public enum MonotonicClock {
    /// Now, in nanoseconds since boot (0 if the kernel refuses, which it does not for this clock).
    public static func nowNanos() -> UInt64 {
        var ts = timespec()
        guard clock_gettime(CLOCK_BOOTTIME, &ts) == 0 else { return 0 }
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Now, as a `Duration` since boot (nanosecond resolution).
    @Sendable public static func now() -> Duration { .nanoseconds(Int64(nowNanos())) }

    /// Now, in whole milliseconds since boot (for sans-I/O sessions that count in ms).
    public static func nowMs() -> Int64 { Int64(nowNanos() / 1_000_000) }
}
