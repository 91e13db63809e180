/// The control socket protocol between `checkpointd` and `checkpointctl` (docs/contracts.md §8).
///
/// Transport: a Unix stream socket (default `/run/checkpoint/control.sock`, mode 0660). Each message
/// is one line of JSON (UTF-8, `\n`-terminated, at most `ControlProtocol.maxLineBytes`). A client
/// sends one `ControlRequest` and reads one `ControlResponse`, then may send another on the same
/// connection. Commands are dotted names owned by the module that implements them:
/// `devices.list`, `devices.probe`, `scanner.configure`, `horn.play`, `horn.stop`, `horn.queue`,
/// `horn.testAmplifier`, `journal.status`, `uplink.status`, `config.reload`, `config.validate`, ….
public enum ControlProtocol {
    public static let defaultSocketPath = "/run/checkpoint/control.sock"
    public static let maxLineBytes = 1 << 20
    /// How `config.reload`'s error begins when the daemon refuses the file (the rest names file,
    /// line and key); any other error is about the request, not the file.
    public static let reloadRefusedPrefix = "configuration refused"
}

public struct ControlRequest: Codable, Sendable, Hashable {
    /// A dotted command name, e.g. `horn.play`.
    public var command: String
    /// Named string arguments, e.g. `["announcement": "fever"]`.
    public var arguments: [String: String]
    /// The caller as the kernel reports it: set by the daemon's control server, never by a client.
    public var peer: ControlPeer?

    public init(_ command: ControlCommand, arguments: [String: String] = [:]) {
        self.init(command: command.rawValue, arguments: arguments)
    }

    public init(command: String, arguments: [String: String] = [:]) {
        self.command = command
        self.arguments = arguments
    }
}

public struct ControlResponse: Codable, Sendable, Hashable {
    public var ok: Bool
    /// Human-readable text for the technician (what `checkpointctl` prints).
    public var output: String
    /// Machine-readable result as a JSON text, for `checkpointctl --json` and tests.
    public var json: String?
    /// Why the command failed (when `ok` is false).
    public var error: String?

    public static func success(_ output: String, json: String? = nil) -> ControlResponse {
        ControlResponse(ok: true, output: output, json: json, error: nil)
    }

    public static func failure(_ error: String) -> ControlResponse {
        ControlResponse(ok: false, output: "", json: nil, error: error)
    }

    public init(ok: Bool, output: String, json: String?, error: String?) {
        self.ok = ok
        self.output = output
        self.json = json
        self.error = error
    }
}
