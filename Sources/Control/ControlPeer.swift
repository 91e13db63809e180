/// Who is on the other end of a control-socket connection, as the kernel says (SO_PEERCRED) — set
/// by the daemon on every request; whatever a client sends in its place is replaced.
public struct ControlPeer: Codable, Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    /// The user name of `uid`, if the system knows one.
    public var user: String?
    /// Whether this peer may use the commands that act (`ControlAccess`).
    public var mayAct: Bool

    public init(uid: UInt32, gid: UInt32, pid: Int32, user: String?, mayAct: Bool) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.user = user
        self.mayAct = mayAct
    }

    /// "tech (uid 1001)" or "uid 1001".
    public var name: String { user.map { "\($0) (uid \(uid))" } ?? "uid \(uid)" }
}
