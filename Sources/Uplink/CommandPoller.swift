import CheckpointCore
import Foundation
import Logging

/// The gate's long-poll for remote commands (docs/gate.md "Remote open"): `GET /v1/commands?wait=`
/// kept open to the store, authenticated as the gate, so a command arrives as soon as it is created.
///
/// Contract: each command of a reply is handed to `execute` with the store's time of the reply and
/// the gate's monotonic time (`MonotonicClock`) at its arrival — the executor judges expiry by the
/// store's clock — then acknowledged with the executor's answer. A failed poll backs off
/// (`Backoff`); a failed acknowledgement is logged (the store hands the command out again until it
/// expires; the executor knows it by id). Runs until its task is cancelled.
///
/// The heartbeat's commands (the fallback when the poll does not get through) come in through
/// `handle` too: a command is given to `execute` once per process however many times and ways it
/// arrives (a repeat waits for the first answer and acknowledges that one again).
public final class CommandPoller: Sendable {
    /// Executes one command; returns what to tell the store.
    public typealias Executor = @Sendable (_ command: RemoteCommand, _ serverTime: Date, _ receivedAt: Duration) async
        -> RemoteCommandAcknowledgement

    /// The longest wait asked of the store (its own bound is 25 s).
    public static let maxWait: Duration = .seconds(25)

    private let client: CentralClient
    private let backoff: Backoff
    private let execute: Executor
    private let logger: Logger
    /// Each command's answer (running or done) by id, with its expiry, until well past it.
    private let answers = Mutex<[UUID: (expiresAt: Date, answer: Task<RemoteCommandAcknowledgement, Never>)]>([:])
    /// How long past its expiry (by the store's clock) an answer is kept for repeats.
    static let answerRetention: TimeInterval = 300

    public init(client: CentralClient, backoff: Backoff, execute: @escaping Executor, logger: Logger = Logger(label: "checkpoint.uplink")) {
        self.client = client
        self.backoff = backoff
        self.execute = execute
        self.logger = logger
    }

    /// The wait asked of the store: below the client's request timeout by 2 s, at most `maxWait`.
    public var wait: Duration { max(.zero, min(Self.maxWait, client.requestTimeout - .seconds(2))) }

    public func run() async {
        var failures = 0
        while !Task.isCancelled {
            let reply: RemoteCommandsResponse
            do {
                reply = try await client.commands(wait: wait)
                failures = 0
            } catch {
                if Task.isCancelled { break }
                failures += 1
                let delay = backoff.delay(afterFailures: failures, random: Double.random(in: 0...1))
                logger.notice("remote commands: \(error); next poll in \(delay)")
                try? await Task.sleep(for: delay)
                continue
            }
            await handle(reply, receivedAt: MonotonicClock.now())
        }
        await client.shutdown()
    }

    /// Executes (once per id) and acknowledges each command of `reply`, which arrived at the gate's
    /// monotonic time `receivedAt` — from the poll or from a heartbeat's reply.
    public func handle(_ reply: RemoteCommandsResponse, receivedAt: Duration) async {
        for command in reply.commands {
            let execute = self.execute
            let task = answers.withLock { answers in
                answers = answers.filter { $0.value.expiresAt.addingTimeInterval(Self.answerRetention) > reply.serverTime }
                if let known = answers[command.id] { return known.answer }
                let started = Task { await execute(command, reply.serverTime, receivedAt) }
                answers[command.id] = (command.expiresAt, started)
                return started
            }
            let answer = await task.value
            do {
                try await client.acknowledgeCommand(command.id, answer)
            } catch {
                logger.warning("remote command \(command.id.uuidString.lowercased()): acknowledgement failed: \(error)")
            }
        }
    }
}
