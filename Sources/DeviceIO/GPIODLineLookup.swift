import CGPIOD
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Finds a GPIO line through libgpiod v1, by chip and offset or by name, for the output and input
/// lines. The caller requests it and, on failure or when done, closes what it owns: the chip when
/// found by chip (`chip` non-nil), else the line's chip (`gpiod_line_close_chip`).
enum GPIODLineLookup {
    /// Opens `offset` on `chip` (`gpiochip0`, `/dev/gpiochip0`, a label or a number). `display` names the line in errors.
    static func open(chip chipName: String, offset: Int) throws -> (chip: OpaquePointer, line: OpaquePointer, display: String) {
        let display = "\(chipName):\(offset)"
        guard offset >= 0, offset <= Int(UInt32.max) else {
            throw OutputLineError(line: display, message: "offset \(offset) is not a line offset")
        }
        guard let chip = gpiod_chip_open_lookup(chipName) else {
            throw OutputLineError(line: display, message: "cannot open GPIO chip \"\(chipName)\": \(lastError())")
        }
        guard let line = gpiod_chip_get_line(chip, UInt32(offset)) else {
            let e = lastError()
            gpiod_chip_close(chip)
            throw OutputLineError(line: display, message: "chip \"\(chipName)\" has no line \(offset): \(e)")
        }
        return (chip, line, display)
    }

    /// The line called `lineName` (device-tree / gpio-line-names label) on whichever chip has it.
    static func find(named lineName: String) throws -> OpaquePointer {
        errno = 0
        guard let line = gpiod_line_find(lineName) else {
            let reason = errno == 0 || errno == ENOENT ? "no GPIO chip has a line with this name" : lastError()
            throw OutputLineError(line: lineName, message: reason)
        }
        return line
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
