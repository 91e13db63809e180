/// Hands the gate's `GateReadiness` from `GateDaemonService` (which reports it once, when its
/// start-up is over) to `SystemdService` (which waits for it). Thread-safe.
final class DaemonReadiness: Sendable {
    private let stream: AsyncStream<GateReadiness>
    private let continuation: AsyncStream<GateReadiness>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: GateReadiness.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Called once by the gate; later calls replace an unread report.
    func report(_ readiness: GateReadiness) {
        continuation.yield(readiness)
    }

    /// The gate's report, or nil if the waiting task is cancelled first.
    func wait() async -> GateReadiness? {
        for await readiness in stream { return readiness }
        return nil
    }
}
