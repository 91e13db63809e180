import CheckpointConfig
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens the `OutputLine` a configuration `OutputLineSpec` describes, requested at its inactive level.
public enum OutputLineFactory {
    /// Opens the line. `consumer` is the label `gpioinfo` shows; `now` is the clock of simulated lines.
    public static func open(_ spec: OutputLineSpec, consumer: String,
                            now: @escaping @Sendable () -> Duration = monotonicNow) throws -> any OutputLine {
        let label = spec.source.isEmpty ? nil : spec.source
        switch spec.address {
        case .chipOffset(let chip, let offset):
            return try GPIODOutputLine(chip: chip, offset: offset, activeLow: spec.activeLow, consumer: consumer, label: label)
        case .named(let lineName):
            return try GPIODOutputLine(named: lineName, activeLow: spec.activeLow, consumer: consumer, label: label)
        case .simulated(let simName):
            return SimulatedOutputLine(name: simName, now: now)
        }
    }

    /// CLOCK_MONOTONIC as a `Duration` since an arbitrary origin (the default clock of simulated lines).
    @Sendable public static func monotonicNow() -> Duration {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return .seconds(Int64(ts.tv_sec)) + .nanoseconds(Int64(ts.tv_nsec))
    }
}
