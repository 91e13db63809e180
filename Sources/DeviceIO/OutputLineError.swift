/// Why a GPIO line (an output, or an input such as an exit button) could not be opened, driven or
/// read. Every case names the line (chip and offset, or line name) so a technician can find it in
/// the configuration.
public struct OutputLineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line as written in the configuration, e.g. `gpiochip0:17` or `AMP_EN`.
    public var line: String
    public var message: String

    public init(line: String, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "GPIO line \(line): \(message)" }
}
