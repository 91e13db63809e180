import CheckpointCore

/// The `policyVersion` written into every record: the operator's `label` if set, otherwise
/// `cfg-` + the 64-bit FNV-1a hash (16 hex digits) of `PolicyConfiguration.canonicalText`.
/// (An identifier for "which rules decided", not a security property.)
public enum PolicyVersion {
    public static func of(_ configuration: PolicyConfiguration) -> String {
        if let label = configuration.label { return label }
        return "cfg-" + hex(fnv1a64(Array(configuration.canonicalText.utf8)))
    }

    static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
