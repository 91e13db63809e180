import Foundation
import Journal
import TestSupport
import Testing

/// `ProtectClock=yes` installs a seccomp filter that refuses adjtimex and clock_adjtime with EPERM,
/// even for a read-only query. These tests install the same filter (libseccomp through Python's
/// ctypes) in front of the real `checkpointctl clock`, with a private /run/systemd (a tmpfs in a
/// private mount namespace) holding or lacking systemd-timesyncd's flag.
@Suite("The clock's sync state under ProtectClock=yes", .serialized)
struct ClockSyncTests: Sendable {
    static let seccompExec = """
        import ctypes, errno, os, sys
        lib = ctypes.CDLL("libseccomp.so.2")
        lib.seccomp_init.restype = ctypes.c_void_p
        lib.seccomp_init.argtypes = [ctypes.c_uint32]
        lib.seccomp_rule_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint]
        lib.seccomp_load.argtypes = [ctypes.c_void_p]
        lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
        ctx = lib.seccomp_init(0x7fff0000)  # SCMP_ACT_ALLOW
        for name in (b"adjtimex", b"clock_adjtime"):
            assert lib.seccomp_rule_add(ctx, 0x00050000 | errno.EPERM, lib.seccomp_syscall_resolve_name(name), 0) == 0
        assert lib.seccomp_load(ctx) == 0
        os.execv(sys.argv[1], sys.argv[1:])
        """

    /// `checkpointctl clock --json` with adjtimex refused, and the timesyncd flag present or not.
    func clockUnderProtectClock(flag: Bool) throws -> (status: Int32, body: [String: String]) {
        let python = try TestEnvironment.python()
        let script = """
            mount -t tmpfs checkpoint-test /run/systemd && mkdir -p /run/systemd/timesync && \
            { [ "$1" = yes ] && touch /run/systemd/timesync/synchronized || true; } && \
            exec "$2" -c "$3" "$4" clock --json
            """
        let result = try runProgram("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh",
                                                         flag ? "yes" : "no", python, Self.seccompExec, BuildProducts.executable("checkpointctl")])
        let body = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: String]
        return (result.status, try #require(body, "\(result.output) \(result.error)"))
    }

    @Test("With adjtimex refused (as ProtectClock=yes does), systemd-timesyncd's flag file makes the clock count as synchronised")
    func flagFileWhenKernelRefuses() async throws {
        let (status, body) = try await offPool { try clockUnderProtectClock(flag: true) }
        #expect(body["basis"] == "flagFile" && body["detail"] == ClockSyncSource.timesyncdFlag, "\(body)")
        #expect(body["synced"] == "true" && status == 0)
    }

    @Test("With adjtimex refused and no time daemon flag, the clock counts as not synchronised (exit 1)")
    func unsyncedWithoutFlag() async throws {
        let (status, body) = try await offPool { try clockUnderProtectClock(flag: false) }
        #expect(body == ["synced": "false", "basis": "unknown", "detail": ""])
        #expect(status == 1)
    }

    @Test("Without the filter the kernel answers, whatever flag files exist")
    func kernelAnswersFirst() {
        let source = ClockSyncSource(kernelQuery: ClockSyncSource.system.kernelQuery, flagFiles: ["/"])
        #expect(source.read().basis == .kernel)
    }
}
