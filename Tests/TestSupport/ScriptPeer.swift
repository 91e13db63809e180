import CheckpointCore
import Foundation

/// A Python test peer from `Tests/Peers/` (run with the test venv's Python) whose stdout lines are
/// collected as they come; `stop()` ends it.
public final class ScriptPeer: @unchecked Sendable {
    public let process = Process()
    private let output = Pipe()
    private let collected = Mutex([String]())
    private let pending = Mutex(Data())

    public init(_ script: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        process.arguments = [BuildProducts.packageRoot.appendingPathComponent("Tests/Peers/\(script)").path] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A thread of its own reads stdout (blocking reads), so the peer never blocks on a full pipe.
        let handle = output.fileHandleForReading
        Thread { [collected, pending] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                let lines = pending.withLock { buffer -> [String] in
                    buffer.append(chunk)
                    var out: [String] = []
                    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        out.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                        buffer.removeSubrange(buffer.startIndex...newline)
                    }
                    return out
                }
                collected.withLock { $0 += lines }
            }
        }.start()
    }

    deinit { stop() }

    /// Every line so far.
    public var lines: [String] { collected.withLock { $0 } }

    /// The first line starting with `prefix`, waiting up to `timeout`.
    public func line(startingWith prefix: String, within timeout: Duration = .seconds(30)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lines.first(where: { $0.hasPrefix(prefix) }) { return line }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    public func stop() {
        // SIGKILL: a child of the test runner may inherit a blocked SIGTERM.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
