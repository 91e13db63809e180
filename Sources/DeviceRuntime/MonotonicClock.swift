#if canImport(Glibc)
import Glibc
#endif

/// Milliseconds of CLOCK_MONOTONIC (the event loop's timer clock), for sans-I/O sessions that
/// take `now` as a value.
public enum MonotonicClock {
    public static func nowMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
