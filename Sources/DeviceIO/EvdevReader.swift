import Logging

/// Keyboard-wedge scanners: `/dev/input/eventN`, grabbed exclusively (EVIOCGRAB) while open so no
/// console or other program sees the scanner's keys; the grab ends when the reader closes.
/// Each delivery holds whole `struct input_event` records (24 bytes each).
public enum EvdevReader {
    public static func make(path: String, loop: EventLoop,
                            logger: Logger = Logger(label: "checkpoint.evdev")) -> DeviceNodeReader {
        DeviceNodeReader(path: path, kind: .evdev, loop: loop, logger: logger)
    }
}
