import CheckpointCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens the `OutputLine` a configuration `OutputLineSpec` describes, requested at its inactive level.
public enum OutputLineFactory {
    /// Opens the line. `consumer` is the label `gpioinfo` shows; `now` is the clock of simulated lines.
    public static func open(_ spec: OutputLineSpec, consumer: String,
                            now: @escaping @Sendable () -> Duration = MonotonicClock.now) throws -> any OutputLine {
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
}
