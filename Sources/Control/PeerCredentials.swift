import CLinuxShims
#if canImport(Glibc)
import Glibc
#endif

/// The kernel's word on who is connected to a Unix socket (SO_PEERCRED), with the user name and
/// whether the user may act (`ControlAccess`): root, this process's own user, or a member of
/// `ControlAccess.operatorGroup` (primary group or by the group database).
enum PeerCredentials {
    static func of(_ fd: Int32) -> ControlPeer? {
        var uid: UInt32 = 0, gid: UInt32 = 0
        var pid: Int32 = 0
        guard cp_peer_credentials(fd, &uid, &gid, &pid) == 0 else { return nil }
        let user = userName(uid)
        let mayAct = uid == 0 || uid == geteuid() || isMember(user: user, gid: gid, of: ControlAccess.operatorGroup)
        return ControlPeer(uid: uid, gid: gid, pid: pid, user: user, mayAct: mayAct)
    }

    static func userName(_ uid: uid_t) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        return buffer.withUnsafeMutableBufferPointer { b -> String? in
            guard let base = b.baseAddress, getpwuid_r(uid, &entry, base, b.count, &result) == 0, result != nil, let name = entry.pw_name else { return nil }
            return String(cString: name)
        }
    }

    static func isMember(user: String?, gid: gid_t, of groupName: String) -> Bool {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 64 * 1024)
        let wanted = buffer.withUnsafeMutableBufferPointer { b -> gid_t? in
            guard let base = b.baseAddress, getgrnam_r(groupName, &entry, base, b.count, &result) == 0, result != nil else { return nil }
            return entry.gr_gid
        }
        guard let wanted else { return false }
        if wanted == gid { return true }
        guard let user else { return false }
        var count: Int32 = 256
        var groups = [gid_t](repeating: 0, count: Int(count))
        guard getgrouplist(user, gid, &groups, &count) >= 0 else { return false }
        return groups.prefix(Int(count)).contains(wanted)
    }
}
