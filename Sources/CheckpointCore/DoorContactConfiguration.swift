/// A lane's door contact (`doorContact` of a `[[lane]]`): the input line (active = door open) and
/// when the gate raises door alerts (docs/gate.md "The person on duty's inputs").
public struct DoorContactConfiguration: Sendable, Hashable {
    public var line: InputLineSpec
    /// A door open this long raises `doorHeldOpen`, in seconds.
    public var heldOpenSeconds: Int
    /// After the lane's relay released the door (an admission, a manual or remote open, the exit
    /// button), how long it may take to open and still count as authorised, in ms; an opening
    /// outside it raises `doorForced`.
    public var releaseWindowMs: Int

    public static let defaultHeldOpenSeconds = 30
    public static let defaultReleaseWindowMs = 10_000

    public init(line: InputLineSpec, heldOpenSeconds: Int = defaultHeldOpenSeconds, releaseWindowMs: Int = defaultReleaseWindowMs) {
        self.line = line
        self.heldOpenSeconds = heldOpenSeconds
        self.releaseWindowMs = releaseWindowMs
    }
}
