/// One liveness check the systemd watchdog runs before each `WATCHDOG=1`: it must return (not
/// throw) within the watchdog's half interval for the ping to be sent.
public struct WatchdogProbe: Sendable {
    /// What is checked, for the log line and the status text ("event loop", "gate", "journal").
    public let name: String
    public let check: @Sendable () async throws -> Void

    public init(_ name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }

    /// A probe that the event loop answers: a closure run on the loop's thread and awaited.
    public static func eventLoop(_ loop: EventLoop) -> WatchdogProbe {
        WatchdogProbe("event loop") { _ = try await loop.submit { true } }
    }
}
