import CheckpointCore
import DeviceIO
import Foundation
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Logging under systemd: lines led by their syslog priority, only when standard error is the
/// stream `$JOURNAL_STREAM` names.
@Suite("Log lines for journald")
struct JournaldLogTests {
    @Test("Each level is led by its syslog priority, and an event with line breaks stays one line")
    func priorityAndOneLine() {
        let levels: [Logger.Level] = [.trace, .debug, .info, .notice, .warning, .error, .critical]
        #expect(levels.map(JournaldStream.priorityPrefix) == ["<7>", "<7>", "<6>", "<5>", "<4>", "<3>", "<2>"])
        let line = JournaldLogHandler.line(level: .error, label: "checkpoint.uplink", metadata: ["b": "2", "a": "x\ny"],
                                           source: "Uplink", message: "first\nsecond")
        #expect(line == "<3>checkpoint.uplink: a=x\\ny b=2 [Uplink] first\\nsecond\n")
    }

    @Test("Standard error counts as journald's only when JOURNAL_STREAM names its device and inode")
    func detection() {
        var st = stat()
        #expect(fstat(STDERR_FILENO, &st) == 0)
        #expect(JournaldStream.isStandardError(environment: ["JOURNAL_STREAM": "\(st.st_dev):\(st.st_ino)"]))
        #expect(!JournaldStream.isStandardError(environment: ["JOURNAL_STREAM": "\(st.st_dev):\(st.st_ino + 1)"]))
        #expect(!JournaldStream.isStandardError(environment: ["JOURNAL_STREAM": "garbage"]))
        #expect(!JournaldStream.isStandardError(environment: [:]))
    }

    @Test("The handler writes through its sink at its level and above, with its metadata")
    func handlerWrites() {
        let lines = Mutex<[String]>([])
        var handler = JournaldLogHandler(label: "checkpointd", sink: { line in lines.withLock { $0.append(line) } })
        handler.logLevel = .notice
        handler[metadataKey: "device"] = "north"
        let logger = Logger(label: "checkpointd", factory: { _ in handler })
        logger.info("not written")
        logger.warning("unplugged")
        #expect(lines.withLock { $0 }.count == 1)
        #expect(lines.withLock { $0 }.first?.hasPrefix("<4>checkpointd: device=north [") == true)
        #expect(lines.withLock { $0 }.first?.hasSuffix("] unplugged\n") == true)
    }
}
