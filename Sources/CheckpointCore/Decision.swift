/// What the gate decided for one entry.
public enum Decision: String, Codable, Sendable, CaseIterable, Hashable {
    /// Open the gate.
    case admit
    /// Keep the gate closed; the horn says why.
    case refuse
    /// Keep the gate closed and call the person on duty.
    case refer
    /// Keep the gate closed and ask for another measurement.
    case remeasure
}

/// Which way a lane lets people pass.
public enum Direction: String, Codable, Sendable, CaseIterable, Hashable {
    case `in`
    case out
}
