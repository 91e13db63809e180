/// What the gate reports once its start-up is over, for systemd (`READY=1`, `STATUS=`, watchdog).
enum GateReadiness: Sendable {
    /// Journal open, lanes built: the gate decides.
    case deciding(GateHealth)
    /// No `[[lane]]`: devices only, nothing is decided.
    case devicesOnly
    /// The journal could not be opened: the gate decides nothing (the text says why).
    case journalUnavailable(String)
}
