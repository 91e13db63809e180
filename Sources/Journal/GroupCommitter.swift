import CheckpointCore
import Foundation

/// Group commit under bursts: entries that arrive while a commit is in progress are journaled
/// together in the next transaction. Each caller resumes only after the transaction holding its
/// entry has committed (or failed), so nothing is actuated before it is durable.
public final class GroupCommitter: Sendable {
    public typealias Commit = @Sendable ([EntryDraft]) throws -> [EntryRecord]
    /// Called once per draft, after the transaction holding it committed (or failed).
    public typealias Completion = @Sendable (Result<EntryRecord, any Error>) -> Void

    private let commit: Commit
    private let queue = DispatchQueue(label: "checkpoint.journal.commit")
    private let state = Mutex(State())

    private struct State {
        var waiting: [(EntryDraft, Completion)] = []
        var draining = false
        var transactions = 0
        var entries = 0
        var largestTransaction = 0
    }

    /// Commits through `journal.append`.
    public convenience init(journal: Journal) {
        self.init(commit: { try journal.append($0) })
    }

    /// Commits through `commit`, which must store all drafts in one transaction and return their
    /// records in order.
    public init(commit: @escaping Commit) {
        self.commit = commit
    }

    /// Journals one draft; returns its record after the commit that holds it has returned.
    public func append(_ draft: EntryDraft) async throws -> EntryRecord {
        try await withCheckedThrowingContinuation { continuation in
            submit(draft) { continuation.resume(with: $0) }
        }
    }

    /// Queues `draft` for the next transaction without waiting; drafts are journaled (and given
    /// their seqs) in the order they were submitted. `completion` runs after the commit.
    public func submit(_ draft: EntryDraft, completion: @escaping Completion) {
        let start = state.withLock { s -> Bool in
            s.waiting.append((draft, completion))
            if s.draining { return false }
            s.draining = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    /// Drafts waiting for the next transaction.
    public var pendingCount: Int { state.withLock { $0.waiting.count } }

    /// (transactions, entries, largest transaction) so far.
    public var statistics: (transactions: Int, entries: Int, largestTransaction: Int) {
        state.withLock { ($0.transactions, $0.entries, $0.largestTransaction) }
    }

    private func drain() {
        while true {
            let batch = state.withLock { s -> [(EntryDraft, Completion)] in
                let b = s.waiting
                s.waiting = []
                if b.isEmpty { s.draining = false }
                return b
            }
            if batch.isEmpty { return }
            do {
                let records = try commit(batch.map(\.0))
                state.withLock { s in
                    s.transactions += 1
                    s.entries += batch.count
                    s.largestTransaction = max(s.largestTransaction, batch.count)
                }
                guard records.count == batch.count else {
                    struct Mismatch: Error {}
                    for (_, c) in batch { c(.failure(Mismatch())) }
                    continue
                }
                for (i, (_, c)) in batch.enumerated() { c(.success(records[i])) }
            } catch {
                for (_, c) in batch { c(.failure(error)) }
            }
        }
    }
}
