import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Standard error as journald's stream (systemd.exec(5): `$JOURNAL_STREAM` is `<device>:<inode>`
/// of the stream journald connected). A line written there may start with a syslog priority `<N>`
/// (sd-daemon(3)); journald takes it as that line's priority and strips it, so `journalctl -p
/// warning` finds warnings. Outside journald nothing is prefixed.
public enum JournaldStream {
    /// Whether standard error is the stream `$JOURNAL_STREAM` names.
    public static func isStandardError(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var st = stat()
        guard fstat(STDERR_FILENO, &st) == 0 else { return false }
        return UInt64(st.st_dev) == device && UInt64(st.st_ino) == inode
    }

    /// The sd-daemon(3) prefix of `level`: trace and debug `<7>`, info `<6>`, notice `<5>`,
    /// warning `<4>`, error `<3>`, critical `<2>`.
    public static func priorityPrefix(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: return "<7>"
        case .info: return "<6>"
        case .notice: return "<5>"
        case .warning: return "<4>"
        case .error: return "<3>"
        case .critical: return "<2>"
        }
    }
}
