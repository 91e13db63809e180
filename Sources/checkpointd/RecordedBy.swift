import CheckpointCore
import Control
import Foundation

/// `recordedBy` of a manual entry: the system user on the control socket (SO_PEERCRED), then the
/// name they typed in parentheses when it differs — "tech (王师傅)" — within
/// `FieldLimits.maxRecordedByBytes` (the typed part is shortened, never the system's).
enum RecordedBy {
    static func name(peer: ControlPeer?, typed: String) -> String {
        guard let peer else { return typed }
        let system = peer.user ?? "uid \(peer.uid)"
        let typedName = typed.trimmingCharacters(in: .whitespaces)
        guard !typedName.isEmpty, typedName != system else { return system }
        var inner = Substring(typedName)
        while !inner.isEmpty && "\(system) (\(inner))".utf8.count > FieldLimits.maxRecordedByBytes { inner = inner.dropLast() }
        return inner.isEmpty ? system : "\(system) (\(inner))"
    }
}
