import Foundation

/// A built executable of this package as a child process that talks in lines: `readLine()` reads
/// its stdout, `send(_:)` writes a line to its stdin. For simulators driven by runtime commands.
public final class LineProcess: Sendable {
    public let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    /// Starts `BuildProducts.executable(name)` with `arguments`.
    public init(_ name: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: BuildProducts.executable(name))
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    /// The next stdout line, nil at end of output.
    public func readLine() -> String? {
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == Data([0x0A]) { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    /// Writes `line` to stdin and returns the next stdout line (the reply).
    public func send(_ line: String) -> String? {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
        return readLine()
    }

    /// Terminates the process and waits for it.
    public func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
