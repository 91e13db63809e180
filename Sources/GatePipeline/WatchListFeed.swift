import CheckpointCore
import Gate
import GateService

/// Carries the watch lists the uplink stored to the gate one after the other, in the order the
/// uplink delivered them (one queue, one consumer). The gate also refuses a version older than the
/// one in force, so no path can roll the list back.
public final class WatchListFeed: Sendable {
    private let stream = AsyncStream.makeStream(of: WatchListIndex.self)

    public init() {}

    /// Queues a list (called by the uplink after it stored the list in the journal).
    public func deliver(version: Int64, entries: [WatchListEntry]) {
        stream.continuation.yield(WatchListIndex(version: version, entries: entries))
    }

    /// Hands every queued list to `apply`, in order, each after the previous one returned, until
    /// `finish()` or cancellation.
    public func drain(_ apply: (WatchListIndex) async -> Void) async {
        for await list in stream.stream { await apply(list) }
    }

    /// Applies every queued list to `gate`, in order.
    public func apply(to gate: GateService) async {
        await drain { await gate.updateWatchList($0) }
    }

    public func finish() { stream.continuation.finish() }
}
