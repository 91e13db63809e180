import Foundation
import Profiles
import TOMLKit

/// The gate's local file with its effective profile laid over it (docs/fleet.md): the document
/// the gate validates and runs, read by the same parsers as the file alone.
///
/// `[policy]` and `[horn]` of the profile are merged over the file's by `ProfileMerge.overlay` (the
/// profile wins key by key; arrays are replaced whole). Clip references (`sha256:<hex>`) become the
/// cached files `<clipDirectory>/<hex>.wav`; a clip missing from the cache refuses the whole profile.
/// Errors name the key and where it comes from: `profile vN` for a key the profile sets, else the
/// local file and its line.
public enum ProfileOverlay {
    /// The cache file of the clip with SHA-256 `hash`.
    public static func clipPath(_ hash: String, in clipDirectory: String) -> String {
        (clipDirectory as NSString).appendingPathComponent("\(hash).wav")
    }

    public static func overlay(_ local: ConfigDocument, profile: [String: ProfileValue], version: Int64,
                               clipDirectory: String) throws(ConfigError) -> ConfigDocument {
        let name = "profile v\(version)"
        let resolved = try resolveClips(profile, name: name, clipDirectory: clipDirectory)
        let merged: TOMLTable
        do { merged = try TOMLTable(string: local.text) } catch {
            throw ConfigError(file: local.file, line: nil, key: "", message: "TOML syntax: \(error)")
        }
        let root = local.root
        for (section, value) in resolved.sorted(by: { $0.key < $1.key }) {
            var base: [String: ProfileValue] = [:]
            if let table = try root.table(section) { base = try ProfileFragment.values(table) }
            guard case .table(let upper) = value else { throw ConfigError(file: name, line: nil, key: section, message: "must be a table") }
            merged[section] = TOMLBridge.table(ProfileMerge.overlay(base, upper))
        }
        let fromProfile = paths(of: profile)
        return try ConfigDocument(text: merged.convert(to: .toml, options: [.allowUnicodeStrings, .allowMultilineStrings]),
                                  file: local.file) { key in
            if fromProfile.contains(where: { key == $0 || key.hasPrefix($0 + ".") || key.hasPrefix($0 + "[") }) {
                return ConfigError.Origin(file: name, line: nil)
            }
            return ConfigError.Origin(file: local.file, line: local.line(of: key))
        }
    }

    /// Every key path the profile sets a value at (tables are not values: their keys are).
    static func paths(of profile: [String: ProfileValue], prefix: String = "") -> [String] {
        profile.flatMap { key, value -> [String] in
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            if case .table(let t) = value { return t.isEmpty ? [path] : paths(of: t, prefix: path) }
            return [path]
        }
    }

    private static func resolveClips(_ profile: [String: ProfileValue], name: String,
                                     clipDirectory: String) throws(ConfigError) -> [String: ProfileValue] {
        guard case .table(var horn)? = profile["horn"], case .table(var announcements)? = horn["announcements"] else { return profile }
        for (id, entry) in announcements {
            guard case .table(var fields) = entry, case .string(let clip)? = fields["clip"] else { continue }
            guard let hash = ProfileClipReference.hash(clip) else {
                throw ConfigError(file: name, line: nil, key: "horn.announcements.\(id).clip", message: "\"\(clip)\" is not a clip reference sha256:<hex>")
            }
            let path = clipPath(hash, in: clipDirectory)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ConfigError(file: name, line: nil, key: "horn.announcements.\(id).clip",
                                  message: "clip \(clip) is not in the gate's clip cache (\(clipDirectory)): the whole profile is refused")
            }
            fields["clip"] = .string(path)
            announcements[id] = .table(fields)
        }
        horn["announcements"] = .table(announcements)
        var out = profile
        out["horn"] = .table(horn)
        return out
    }
}
