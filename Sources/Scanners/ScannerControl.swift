import CheckpointCore
import Foundation

/// The `scanner.configure` conversation (docs/contracts.md §8: while `checkpointd` runs,
/// `checkpointctl` reaches devices only through the control command, `ScannerConfigureCommand` in
/// DeviceRuntime). Arguments:
/// `device` (path or configured device id), `commandSet` (`gm65` | `honeywell` | `zebra-ssi`),
/// `action` (`aim` | `suffix` | `save`), `value` (`on`/`off` for aim; hex bytes or `none` for suffix).
/// The reply's `output` is the exchange in hex with meanings; `json` is the `ConfigurationReport`.
public enum ScannerControl {
    /// A parsed `scanner.configure` request.
    public struct Request: Sendable, Hashable {
        public var device: String
        public var commandSet: ScannerCommandSet
        public var action: ScannerConfigurationAction

        public init(device: String, commandSet: ScannerCommandSet, action: ScannerConfigurationAction) {
            self.device = device
            self.commandSet = commandSet
            self.action = action
        }

        /// The request's arguments on the control socket.
        public var arguments: [String: String] {
            var a = ["device": device, "commandSet": commandSet.rawValue]
            switch action {
            case .aimIdentifiers(let on): a["action"] = "aim"; a["value"] = on ? "on" : "off"
            case .suffix(let s): a["action"] = "suffix"; a["value"] = s.isEmpty ? "none" : HexBytes.format(s)
            case .save: a["action"] = "save"
            }
            return a
        }

        public init(arguments a: [String: String]) throws(ScannerConfigurationError) {
            guard let device = a["device"], !device.isEmpty else { throw .unsupported("missing argument \"device\"") }
            guard let setName = a["commandSet"], let set = ScannerCommandSet(rawValue: setName) else {
                throw .unsupported("argument \"commandSet\" must be one of \(ScannerCommandSet.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.device = device
            self.commandSet = set
            self.action = try Self.action(a["action"] ?? "", value: a["value"])
        }

        /// Parses `aim on|off`, `suffix HEX|none`, `save`.
        public static func action(_ name: String, value: String?) throws(ScannerConfigurationError) -> ScannerConfigurationAction {
            switch name {
            case "aim":
                switch value {
                case "on": return .aimIdentifiers(true)
                case "off": return .aimIdentifiers(false)
                default: throw .unsupported("aim takes on or off")
                }
            case "suffix":
                guard let v = value else { throw .unsupported("suffix takes hex bytes (e.g. 0D0A) or none") }
                if v == "none" { return .suffix([]) }
                guard let bytes = HexBytes.parse(v), !bytes.isEmpty, bytes.count <= 20 else {
                    throw .unsupported("suffix \"\(v)\" is not 1…20 hex bytes (e.g. 0D0A) or none")
                }
                return .suffix(bytes)
            case "save": return .save
            default: throw .unsupported("action must be aim, suffix or save, not \"\(name)\"")
            }
        }
    }

    /// A channel to a scanner's serial line, lent by the daemon (which owns the port) for one
    /// conversation: `send` writes, received bytes go to `inbox`, `release` hands the port back to
    /// scan decoding.
    public struct Channel: Sendable {
        public var send: @Sendable ([UInt8]) -> Void
        public var inbox: ByteInbox
        public var release: @Sendable () -> Void

        public init(send: @escaping @Sendable ([UInt8]) -> Void, inbox: ByteInbox, release: @escaping @Sendable () -> Void = {}) {
            self.send = send
            self.inbox = inbox
            self.release = release
        }
    }

    /// Runs one request over a channel and hands the channel back; a request the command set
    /// cannot express fails before anything is sent.
    public static func perform(_ request: Request, channel: Channel,
                               replyTimeout: Duration = .seconds(2)) async -> Result<ConfigurationReport, ScannerConfigurationError> {
        defer { channel.release() }
        let session: any ScannerConfigurationSession
        do throws(ScannerConfigurationError) { session = try ScannerConfiguration.session(request.commandSet, request.action) } catch {
            return .failure(error)
        }
        return .success(await ScannerConfigurationDriver.run(session, send: channel.send, inbox: channel.inbox, replyTimeout: replyTimeout))
    }
}
