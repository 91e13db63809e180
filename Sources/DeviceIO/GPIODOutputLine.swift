import CheckpointCore
import CGPIOD
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An output line on a GPIO character device, through libgpiod v1 (never the sysfs interface).
///
/// The line is requested as an output at its inactive (safe) level, with the kernel's active-low
/// flag when configured, so `drive(.active)` always means "relay closed / amplifier on". Deinit
/// drives it inactive and releases it; after a crash the kernel releases it and the wiring (pull
/// resistors) plus `ExecStopPost=` keep it safe.
// @unchecked: `current` and the libgpiod handles are touched only under `lock` (C handles cannot be Sendable).
public final class GPIODOutputLine: OutputLine, @unchecked Sendable {
    public let name: String
    private let lock = NSLock()
    private var current: LineLevel = .inactive
    /// Owned libgpiod handles; `chip` is nil when the line was found by name (libgpiod owns it then).
    private let chip: OpaquePointer?
    private let line: OpaquePointer
    private let ownsChipThroughLine: Bool

    /// Opens `offset` on `chip` (`gpiochip0`, `/dev/gpiochip0`, a label or a number).
    /// - Parameter consumer: the label shown by `gpioinfo` (e.g. `checkpointd-horn`).
    public init(chip chipName: String, offset: Int, activeLow: Bool, consumer: String, label: String? = nil) throws {
        let (chip, line, display) = try GPIODLineLookup.open(chip: chipName, offset: offset)
        // Request before any stored property is set: a throwing init must not run deinit.
        do {
            try Self.requestOutput(line, activeLow: activeLow, consumer: consumer, display: display)
        } catch {
            gpiod_chip_close(chip)
            throw error
        }
        self.chip = chip
        self.line = line
        self.ownsChipThroughLine = false
        self.name = label.map { "\(display) (\($0))" } ?? display
    }

    /// Opens the line called `lineName` (device-tree / gpio-line-names label) on whichever chip has it.
    public init(named lineName: String, activeLow: Bool, consumer: String, label: String? = nil) throws {
        let line = try GPIODLineLookup.find(named: lineName)
        do {
            try Self.requestOutput(line, activeLow: activeLow, consumer: consumer, display: lineName)
        } catch {
            gpiod_line_close_chip(line)
            throw error
        }
        self.chip = nil
        self.line = line
        self.ownsChipThroughLine = true
        self.name = label.map { "\(lineName) (\($0))" } ?? lineName
    }

    deinit {
        _ = gpiod_line_set_value(line, 0)
        gpiod_line_release(line)
        if ownsChipThroughLine { gpiod_line_close_chip(line) } else if let chip { gpiod_chip_close(chip) }
    }

    public var level: LineLevel { lock.withLock { current } }

    public func drive(_ level: LineLevel) throws {
        try lock.withLock {
            guard gpiod_line_set_value(line, level == .active ? 1 : 0) == 0 else {
                throw OutputLineError(line: name, message: "cannot drive \(level.rawValue): \(Self.lastError())")
            }
            current = level
        }
    }

    private static func requestOutput(_ line: OpaquePointer, activeLow: Bool, consumer: String, display: String) throws {
        let flags = activeLow ? Int32(GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) : 0
        // default value 0 is the logical (inactive) level; libgpiod applies active-low itself.
        guard gpiod_line_request_output_flags(line, consumer, flags, 0) == 0 else {
            throw OutputLineError(line: display, message: "cannot request as output: \(lastError())")
        }
    }

    private static func lastError() -> String { GPIODLineLookup.lastError() }
}
