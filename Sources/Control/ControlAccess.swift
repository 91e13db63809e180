/// Which control commands only read and which act on the gate (open it, speak, configure a
/// device, record an entry). Anyone who may connect (the socket is 0660, group `checkpoint`) may
/// read; acting needs root, the daemon's own user, or membership in `operatorGroup`.
public enum ControlAccess {
    /// The group whose members may use the acting commands.
    public static let operatorGroup = "checkpoint-operator"

    /// Commands that change nothing (`ControlCommand.isReadOnly`), by wire name.
    public static let readOnlyCommands: Set<String> = Set(ControlCommand.allCases.filter(\.isReadOnly).map(\.rawValue))

    /// Whether the command named `command` only reads; an unknown name is treated as acting.
    public static func isReadOnly(_ command: String) -> Bool { readOnlyCommands.contains(command) }
}
