import IDCards

/// One attached ID reader as `checkpointctl idreaders` shows it: its state and counters (never
/// card content).
public struct IDReaderStatus: Sendable, Hashable, Codable {
    public var id: String
    public var model: String
    /// `IDReaderState.description`: ready, starting, disconnected, unresponsive, fault: ….
    public var state: String
    public var statistics: IDReaderStatistics

    /// `idcard-north (sam-module-serial): ready; cards 2, held 14, …`.
    public var summary: String { "\(id) (\(model)): \(state); \(statistics.summary)" }
}
