import CGPIOD
import CheckpointCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An input line on a GPIO character device, through libgpiod v1 (never the sysfs interface):
/// requested for both-edge events, with the kernel's active-low flag and bias when configured, so
/// `active` always means "pressed" / "door open".
///
/// The event descriptor is watched on the gate's `EventLoop` (no thread per line); each readiness
/// reads one `gpiod_line_event` (level-triggered: a queue of several is read over several
/// wake-ups). The kernel stamps events with CLOCK_MONOTONIC; they are moved to CLOCK_BOOTTIME
/// (`MonotonicClock`) by the offset between the two clocks at the read, so they compare with the
/// gate's other times. The kernel reports the logical level of both-edge events (rising = active).
// @unchecked: the libgpiod handles and the registration are touched only under `lock` (C handles cannot be Sendable).
public final class GPIODInputLine: InputLine, @unchecked Sendable {
    public let name: String
    public let level: LineLevel
    private let lock = NSLock()
    private let loop: EventLoop
    private let chip: OpaquePointer?
    private var line: OpaquePointer?
    private let ownsChipThroughLine: Bool
    private var registration: EventLoop.Registration?

    /// Opens `offset` on `chip` (`gpiochip0`, `/dev/gpiochip0`, a label or a number).
    /// - Parameter consumer: the label shown by `gpioinfo` (e.g. `checkpoint-north-exitButton`).
    public init(chip chipName: String, offset: Int, activeLow: Bool, bias: InputLineSpec.Bias, consumer: String,
                label: String? = nil, loop: EventLoop) throws {
        let (chip, line, display) = try GPIODLineLookup.open(chip: chipName, offset: offset)
        let level: LineLevel
        do {
            level = try Self.requestEvents(line, activeLow: activeLow, bias: bias, consumer: consumer, display: display)
        } catch {
            gpiod_chip_close(chip)
            throw error
        }
        self.chip = chip
        self.line = line
        self.ownsChipThroughLine = false
        self.level = level
        self.loop = loop
        self.name = label.map { "\(display) (\($0))" } ?? display
    }

    /// Opens the line called `lineName` (device-tree / gpio-line-names label) on whichever chip has it.
    public init(named lineName: String, activeLow: Bool, bias: InputLineSpec.Bias, consumer: String, label: String? = nil,
                loop: EventLoop) throws {
        let line = try GPIODLineLookup.find(named: lineName)
        let level: LineLevel
        do {
            level = try Self.requestEvents(line, activeLow: activeLow, bias: bias, consumer: consumer, display: lineName)
        } catch {
            gpiod_line_close_chip(line)
            throw error
        }
        self.chip = nil
        self.line = line
        self.ownsChipThroughLine = true
        self.level = level
        self.loop = loop
        self.name = label.map { "\(lineName) (\($0))" } ?? lineName
    }

    deinit { close() }

    public func watch(_ handler: @escaping @Sendable (LineEdge) -> Void) throws {
        try lock.withLock {
            guard let line, registration == nil else { return }
            let fd = gpiod_line_event_get_fd(line)
            guard fd >= 0 else { throw OutputLineError(line: name, message: "no event descriptor: \(Self.lastError())") }
            registration = try loop.register(fileDescriptor: fd, interest: .readable) { [weak self] _ in
                guard let edge = self?.readEvent() else { return }
                handler(edge)
            }
        }
    }

    public func close() {
        lock.withLock {
            if let registration { loop.deregister(registration) }
            registration = nil
            guard let line else { return }
            gpiod_line_release(line)
            if ownsChipThroughLine { gpiod_line_close_chip(line) } else if let chip { gpiod_chip_close(chip) }
            self.line = nil
        }
    }

    /// Reads one pending event; nil if none could be read (logged by the caller's silence: a
    /// spurious wake-up or a released line).
    private func readEvent() -> LineEdge? {
        lock.withLock {
            guard let line else { return nil }
            var event = gpiod_line_event()
            guard gpiod_line_event_read(line, &event) == 0 else { return nil }
            let kernelNanos = Int64(event.ts.tv_sec) * 1_000_000_000 + Int64(event.ts.tv_nsec)
            return LineEdge(at: .nanoseconds(kernelNanos + Self.bootTimeMinusMonotonicNanos()),
                            level: event.event_type == Int32(GPIOD_LINE_EVENT_RISING_EDGE) ? .active : .inactive)
        }
    }

    /// Requests both-edge events; returns the logical level read right after.
    private static func requestEvents(_ line: OpaquePointer, activeLow: Bool, bias: InputLineSpec.Bias, consumer: String,
                                      display: String) throws -> LineLevel {
        var flags: Int32 = activeLow ? Int32(GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) : 0
        switch bias {
        case .asIs: break
        case .pullUp: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
        case .pullDown: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
        case .disabled: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE)
        }
        guard gpiod_line_request_both_edges_events_flags(line, consumer, flags) == 0 else {
            throw OutputLineError(line: display, message: "cannot request for edge events: \(lastError())")
        }
        let value = gpiod_line_get_value(line)
        guard value >= 0 else {
            let e = lastError()
            gpiod_line_release(line)
            throw OutputLineError(line: display, message: "cannot read the level: \(e)")
        }
        return value == 1 ? .active : .inactive
    }

    /// CLOCK_BOOTTIME − CLOCK_MONOTONIC now (the time the system spent suspended), in ns.
    private static func bootTimeMinusMonotonicNanos() -> Int64 {
        var mono = timespec()
        clock_gettime(CLOCK_MONOTONIC, &mono)
        let boot = Int64(MonotonicClock.nowNanos())
        return boot - (Int64(mono.tv_sec) * 1_000_000_000 + Int64(mono.tv_nsec))
    }

    private static func lastError() -> String { GPIODLineLookup.lastError() }
}
