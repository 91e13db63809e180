import Foundation

/// Runs a built executable of this package (`BuildProducts.executable(name)`) to completion and
/// returns its exit status, stdout and stderr.
public func runExecutable(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    try runProgram(BuildProducts.executable(name), arguments)
}

/// Runs the program at `path` to completion and returns its exit status, stdout and stderr.
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws
    -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// Runs one of this package's built executables to completion: (exit status, standard output);
/// standard error is discarded.
public func runBuilt(_ name: String, _ arguments: [String]) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: BuildProducts.executable(name))
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus, text)
}

/// Starts the built `checkpointd` with `config` and its control socket at `socket`, its output
/// discarded; the caller stops it (SIGKILL in a `defer`, or a signal under test).
public func launchCheckpointd(config: String, socket: String) throws -> Process {
    let daemon = Process()
    daemon.executableURL = URL(fileURLWithPath: BuildProducts.executable("checkpointd"))
    daemon.arguments = ["--config", config, "--control-socket", socket]
    daemon.standardError = FileHandle.nullDevice
    daemon.standardOutput = FileHandle.nullDevice
    try daemon.run()
    return daemon
}
