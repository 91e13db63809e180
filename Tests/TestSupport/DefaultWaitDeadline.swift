/// How long `waitUntil`, `waitUntilBlocking` and `waitUntilAsync` wait when a test names no
/// deadline: 30 s. A passing test returns as soon as its condition holds, so only a failing test or
/// a starved machine reaches it; 5 s was reached by timers of 50 ms while two whole suites and a
/// QEMU guest shared two cores.
public let defaultWaitDeadline: Duration = .seconds(30)
