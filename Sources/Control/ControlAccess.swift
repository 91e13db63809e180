/// Which control commands only read and which act on the gate (open it, speak, configure a
/// device, record an entry). Anyone who may connect (the socket is 0660, group `checkpoint`) may
/// read; acting needs root, the daemon's own user, or membership in `operatorGroup`.
public enum ControlAccess {
    /// The group whose members may use the acting commands.
    public static let operatorGroup = "checkpoint-operator"

    /// Commands that change nothing.
    public static let readOnlyCommands: Set<String> = [
        "journal.status", "uplink.status", "gate.status", "horn.queue", "thermometers.status", "devices.list", "idreaders.status",
    ]

    public static func isReadOnly(_ command: String) -> Bool { readOnlyCommands.contains(command) }
}
