import CheckpointCore
@testable import DeviceIO
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("termios computation (pure, for the flags a PTY cannot hold)")
struct TermiosComputationTests {
    @Test("Data bits and parity map to CSIZE, PARENB and PARODD exactly",
          arguments: [(5, SerialSettings.Parity.none), (6, .even), (7, .even), (7, .odd), (8, .none), (8, .odd)])
    func characterSizeAndParity(dataBits: Int, parity: SerialSettings.Parity) throws {
        let settings = SerialSettings(baudRate: 9600, dataBits: dataBits, parity: parity)
        var base = termios()
        base.c_cflag = tcflag_t(CS8) | tcflag_t(PARENB) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS)
        base.c_lflag = tcflag_t(ICANON) | tcflag_t(ECHO)
        let speed = try #require(Termios.speed(forBaudRate: 9600))
        let result = Termios.rawAttributes(settings, speed: speed, from: base)
        let sizes: [Int: Int32] = [5: CS5, 6: CS6, 7: CS7, 8: CS8]
        #expect(result.c_cflag & tcflag_t(CSIZE) == tcflag_t(try #require(sizes[dataBits])))
        #expect((result.c_cflag & tcflag_t(PARENB) != 0) == (parity != .none))
        #expect((result.c_cflag & tcflag_t(PARODD) != 0) == (parity == .odd))
        #expect(result.c_cflag & tcflag_t(CSTOPB) == 0, "1 stop bit clears CSTOPB left in the base")
        #expect(result.c_cflag & tcflag_t(CRTSCTS) == 0, "no flow control clears CRTSCTS left in the base")
        #expect(result.c_lflag & (tcflag_t(ICANON) | tcflag_t(ECHO)) == 0)
    }

    @Test("Every supported baud rate has a termios speed, and others have none")
    func baudRates() {
        for rate in SerialSettings.supportedBaudRates { #expect(Termios.speed(forBaudRate: rate) != nil, "\(rate)") }
        for rate in [0, 300, 14400, 1_000_000] { #expect(Termios.speed(forBaudRate: rate) == nil, "\(rate)") }
    }
}
