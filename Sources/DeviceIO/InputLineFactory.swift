import CheckpointCore

/// Opens the `InputLine` a configuration `InputLineSpec` describes.
public enum InputLineFactory {
    /// Opens the line. `consumer` is the label `gpioinfo` shows; GPIO lines are watched on `loop`
    /// (a GPIO line without a loop is refused); `now` is the clock of simulated lines.
    public static func open(_ spec: InputLineSpec, consumer: String, loop: EventLoop?,
                            now: @escaping @Sendable () -> Duration = MonotonicClock.now) throws -> any InputLine {
        let label = spec.source.isEmpty ? nil : spec.source
        switch spec.address {
        case .chipOffset(let chip, let offset):
            guard let loop else { throw OutputLineError(line: "\(chip):\(offset)", message: "no event loop to watch the line on") }
            return try GPIODInputLine(chip: chip, offset: offset, activeLow: spec.activeLow, bias: spec.bias, consumer: consumer,
                                      label: label, loop: loop)
        case .named(let lineName):
            guard let loop else { throw OutputLineError(line: lineName, message: "no event loop to watch the line on") }
            return try GPIODInputLine(named: lineName, activeLow: spec.activeLow, bias: spec.bias, consumer: consumer,
                                      label: label, loop: loop)
        case .simulated(let simName):
            return SimulatedInputLine(name: simName, now: now)
        }
    }
}
