import CheckpointCore
import Foundation
import Logging

/// systemd's software watchdog (`WatchdogSec=`): `WATCHDOG=1` every half `WATCHDOG_USEC`, sent
/// only when every probe answered within that half interval. A probe that hangs (a stuck actor, a
/// journal commit that never returns) or throws withholds the ping, so systemd restarts the service
/// once `WatchdogSec` passes without one. A probe still running from an earlier round is not started
/// again (it counts as not answering), so a hung probe ties up at most one task or thread.
public final class SystemdWatchdog: Sendable {
    public let notifier: SystemdNotifier
    /// Half of `WATCHDOG_USEC`: the ping period and every probe's deadline.
    public let period: Duration
    private let probes: [WatchdogProbe]
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var inFlight: Set<String> = []
        var withheld: String?
        var pings = 0
    }

    /// nil when systemd asked for no watchdog (no `WATCHDOG_USEC`, or it is meant for another pid).
    public convenience init?(notifier: SystemdNotifier, probes: [WatchdogProbe], logger: Logger) {
        guard let interval = notifier.watchdogInterval else { return nil }
        self.init(notifier: notifier, period: interval / 2, probes: probes, logger: logger)
    }

    /// Probes every `period`; pings only if `notifier` has a socket (without one, the rounds still
    /// log and report what does not answer).
    public init(notifier: SystemdNotifier, period: Duration, probes: [WatchdogProbe], logger: Logger) {
        self.notifier = notifier
        self.period = period
        self.probes = probes
        self.logger = logger
    }

    /// Why the last round withheld its ping ("journal: no answer within 15 s"), or nil if it pinged.
    public var withheld: String? { state.withLock { $0.withheld } }

    /// How many `WATCHDOG=1` were delivered.
    public var pings: Int { state.withLock { $0.pings } }

    /// Runs rounds every `period` until the task is cancelled.
    public func run() async {
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isCancelled {
            await round()
            next = max(next + period, clock.now)
            do { try await Task.sleep(until: next, clock: clock) } catch { return }
        }
    }

    /// One round: runs every probe; pings if all answered in time. Returns the failures ("name: why").
    @discardableResult
    public func round() async -> [String] {
        let failures = await withTaskGroup(of: String?.self) { group in
            for probe in probes { group.addTask { await self.ask(probe) } }
            var out: [String] = []
            for await failure in group { if let failure { out.append(failure) } }
            return out.sorted()
        }
        let text = failures.isEmpty ? nil : failures.joined(separator: "; ")
        let sent = text == nil && notifier.watchdog()
        let previous = state.withLock { s -> String? in
            defer { s.withheld = text; if sent { s.pings += 1 } }
            return s.withheld
        }
        if let text, text != previous {
            logger.critical("watchdog: not answering, WATCHDOG=1 withheld (under WatchdogSec= systemd restarts the service): \(text)")
        } else if text == nil, let previous {
            logger.notice("watchdog: every probe answers again (was: \(previous)); pings resumed")
        }
        return failures
    }

    /// nil when `probe` answered within `period`; otherwise why not. Returns within `period` even
    /// when the probe never does.
    private func ask(_ probe: WatchdogProbe) async -> String? {
        let started = state.withLock { s -> Bool in s.inFlight.insert(probe.name).inserted }
        guard started else { return "\(probe.name): still no answer from an earlier round" }
        let answer = OnceAnswer()
        let deadline = period
        return await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            answer.set(continuation)
            Task {
                let result: String?
                do { try await probe.check(); result = nil } catch { result = "\(probe.name): \(error)" }
                self.state.withLock { _ = $0.inFlight.remove(probe.name) }
                answer.resume(result)
            }
            Task {
                try? await Task.sleep(for: deadline)
                answer.resume("\(probe.name): no answer within \(deadline)")
            }
        }
    }
}

/// A continuation resumed by whichever answer comes first; later ones are dropped. `set` comes
/// before anything can answer.
private final class OnceAnswer: Sendable {
    private let slot = Mutex<CheckedContinuation<String?, Never>?>(nil)

    func set(_ continuation: CheckedContinuation<String?, Never>) { slot.withLock { $0 = continuation } }

    func resume(_ value: String?) {
        let continuation = slot.withLock { c -> CheckedContinuation<String?, Never>? in
            defer { c = nil }
            return c
        }
        continuation?.resume(returning: value)
    }
}
