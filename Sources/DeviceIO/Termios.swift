import CheckpointCore
#if canImport(Glibc)
import Glibc
#endif

/// termios raw-mode configuration of a tty from `SerialSettings`.
enum Termios {
    /// The termios speed constant for `baudRate`, or nil if there is none.
    static func speed(forBaudRate baudRate: Int) -> speed_t? {
        let constant: Int32
        switch baudRate {
        case 1200: constant = B1200
        case 2400: constant = B2400
        case 4800: constant = B4800
        case 9600: constant = B9600
        case 19200: constant = B19200
        case 38400: constant = B38400
        case 57600: constant = B57600
        case 115200: constant = B115200
        case 230400: constant = B230400
        case 460800: constant = B460800
        case 500000: constant = B500000
        case 576000: constant = B576000
        case 921600: constant = B921600
        default: return nil
        }
        return speed_t(constant)
    }

    static func characterSizeFlag(dataBits: Int) -> tcflag_t {
        switch dataBits {
        case 5: return tcflag_t(CS5)
        case 6: return tcflag_t(CS6)
        case 7: return tcflag_t(CS7)
        default: return tcflag_t(CS8)
        }
    }

    /// The problem with `settings` for termios, or nil if they can be applied.
    static func problem(with settings: SerialSettings) -> String? {
        if let problem = settings.problem { return problem }
        if speed(forBaudRate: settings.baudRate) == nil { return "baud rate \(settings.baudRate) has no termios constant" }
        return nil
    }

    /// Puts `fd` in raw mode with `settings` (speed, character size, parity, stop bits, RTS/CTS,
    /// receiver on, modem lines ignored), then reads the settings back and
    /// throws if the driver did not take them.
    static func apply(_ settings: SerialSettings, to fd: Int32, path: String) throws {
        if let problem = problem(with: settings) { throw SerialPortError.invalidSettings(path: path, problem: problem) }
        guard let speed = speed(forBaudRate: settings.baudRate) else {
            throw SerialPortError.invalidSettings(path: path, problem: "baud rate \(settings.baudRate)")
        }
        var current = termios()
        guard tcgetattr(fd, &current) == 0 else { throw SerialPortError.systemCall(path: path, call: "tcgetattr", errno: errno) }
        var attributes = rawAttributes(settings, speed: speed, from: current)
        guard tcsetattr(fd, TCSANOW, &attributes) == 0 else {
            throw SerialPortError.systemCall(path: path, call: "tcsetattr(\(settings.summary))", errno: errno)
        }
        var applied = termios()
        guard tcgetattr(fd, &applied) == 0 else { throw SerialPortError.systemCall(path: path, call: "tcgetattr", errno: errno) }
        if let mismatch = mismatch(wanted: attributes, applied: applied, isPseudoTerminal: isPseudoTerminalSlave(fd)) {
            throw SerialPortError.settingsNotApplied(path: path, detail: "\(settings.summary): \(mismatch)")
        }
    }

    /// `base` turned into raw mode with `settings`' framing and `speed`: pure, no system call.
    static func rawAttributes(_ settings: SerialSettings, speed: speed_t, from base: termios) -> termios {
        var attributes = base
        cfmakeraw(&attributes)
        attributes.c_iflag &= ~(tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY))
        attributes.c_cflag &= ~(tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS))
        attributes.c_cflag |= tcflag_t(CLOCAL) | tcflag_t(CREAD) | characterSizeFlag(dataBits: settings.dataBits)
        switch settings.parity {
        case .none: break
        case .even: attributes.c_cflag |= tcflag_t(PARENB)
        case .odd: attributes.c_cflag |= tcflag_t(PARENB) | tcflag_t(PARODD)
        }
        if settings.stopBits == 2 { attributes.c_cflag |= tcflag_t(CSTOPB) }
        if settings.flowControl == .rtscts { attributes.c_cflag |= tcflag_t(CRTSCTS) }
        setNonBlockingReadSemantics(&attributes)
        cfsetispeed(&attributes, speed)
        cfsetospeed(&attributes, speed)
        return attributes
    }

    /// VMIN 1 / VTIME 0: a non-blocking read with nothing waiting fails with EAGAIN. (With VMIN 0 it
    /// would return 0, indistinguishable from the end of file of a hung-up tty.)
    static func setNonBlockingReadSemantics(_ attributes: inout termios) {
        withUnsafeMutableBytes(of: &attributes.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
    }

    /// Puts `fd` in raw mode without touching speed or framing (used for PTY slaves).
    static func makeRaw(_ fd: Int32) -> Int32? {
        var attributes = termios()
        guard tcgetattr(fd, &attributes) == 0 else { return errno }
        cfmakeraw(&attributes)
        setNonBlockingReadSemantics(&attributes)
        guard tcsetattr(fd, TCSANOW, &attributes) == 0 else { return errno }
        return nil
    }

    /// True if `fd` is a Unix98 PTY slave (character major 136…143). The PTY driver has no wire: it
    /// forces CS8 and clears PARENB whatever is asked, and keeps every other flag and the speed.
    static func isPseudoTerminalSlave(_ fd: Int32) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFCHR else { return false }
        let device = UInt64(info.st_rdev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        return (136...143).contains(major)
    }

    private static func mismatch(wanted: termios, applied: termios, isPseudoTerminal: Bool) -> String? {
        var copyWanted = wanted, copyApplied = applied
        if cfgetospeed(&copyApplied) != cfgetospeed(&copyWanted) { return "speed not accepted" }
        var framing = tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS)
        if isPseudoTerminal { framing &= ~(tcflag_t(CSIZE) | tcflag_t(PARENB)) }
        if applied.c_cflag & framing != wanted.c_cflag & framing { return "data bits / parity / stop bits / flow control not accepted" }
        let local = tcflag_t(ICANON) | tcflag_t(ECHO) | tcflag_t(ISIG)
        if applied.c_lflag & local != 0 { return "raw mode not accepted" }
        return nil
    }
}
