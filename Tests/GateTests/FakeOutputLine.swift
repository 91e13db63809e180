import CheckpointCore
import DeviceIO
import Foundation

/// A FAKE output line for tests (no GPIO here): records every level it is driven to, with the
/// time, and calls `onDrive` synchronously inside `drive` — i.e. at the moment of actuation.
final class FakeOutputLine: OutputLine, Sendable {
    let name: String
    private let state = Mutex<(level: LineLevel, edges: [(LineLevel, ContinuousClock.Instant)])>((.inactive, []))
    private let hook = Mutex<(@Sendable (LineLevel) -> Void)?>(nil)

    init(_ name: String) { self.name = name }

    var level: LineLevel { state.withLock { $0.level } }
    var edges: [(level: LineLevel, at: ContinuousClock.Instant)] { state.withLock { $0.edges.map { ($0.0, $0.1) } } }
    var levels: [LineLevel] { edges.map(\.level) }

    func onDrive(_ body: @escaping @Sendable (LineLevel) -> Void) { hook.withLock { $0 = body } }

    func drive(_ level: LineLevel) throws {
        hook.withLock { $0 }?(level)
        state.withLock { s in
            s.level = level
            s.edges.append((level, ContinuousClock.now))
        }
    }
}
