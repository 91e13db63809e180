import CheckpointCore

/// Drives configured output lines to their inactive (safe) level and releases them: what
/// `ExecStopPost=checkpointctl lines safe` does after any exit of the daemon (docs/contracts.md §6).
public enum OutputLineSafeState {
    public struct Result: Sendable {
        public var spec: OutputLineSpec
        /// Nil if the line was driven inactive.
        public var error: OutputLineError?
    }

    /// Requests each real line as an output at its inactive level, drives it inactive, releases it.
    /// Simulated lines are skipped. Never throws: each line's outcome is in the results.
    public static func driveInactive(_ specs: [OutputLineSpec], consumer: String = "checkpoint-safe-state") -> [Result] {
        specs.compactMap { spec in
            if case .simulated = spec.address { return nil }
            do {
                let line = try OutputLineFactory.open(spec, consumer: consumer)
                try line.drive(.inactive)
                return Result(spec: spec, error: nil)
            } catch let e as OutputLineError {
                return Result(spec: spec, error: e)
            } catch {
                return Result(spec: spec, error: OutputLineError(line: spec.source, message: "\(error)"))
            }
        }
    }
}
