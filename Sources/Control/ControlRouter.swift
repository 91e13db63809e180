import CheckpointCore

/// Maps command names to handlers inside `checkpointd`. Each module registers its own commands
/// (`router.register(.hornPlay) { request in … }`); the socket server (DeviceIO's event loop side)
/// decodes lines into requests and calls `handle`.
public final class ControlRouter: @unchecked Sendable {
    public typealias Handler = @Sendable (ControlRequest) async -> ControlResponse

    private let lock = Mutex<[String: Handler]>([:])

    public init() {}

    /// Registers `handler` for `command`, replacing any earlier one.
    public func register(_ command: ControlCommand, _ handler: @escaping Handler) {
        register(named: command.rawValue, handler)
    }

    /// Registers `handler` under a name that is not a `ControlCommand` (tests of the socket itself).
    public func register(named command: String, _ handler: @escaping Handler) {
        lock.withLock { $0[command] = handler }
    }

    /// The registered command names, sorted.
    public var commands: [String] { lock.withLock { $0.keys.sorted() } }

    /// Runs the handler for `request.command`; unknown commands fail with the list of known ones.
    public func handle(_ request: ControlRequest) async -> ControlResponse {
        guard let handler = lock.withLock({ $0[request.command] }) else {
            return .failure("unknown command \"\(request.command)\"; known: \(commands.joined(separator: ", "))")
        }
        return await handler(request)
    }
}
