import CheckpointCore
import Crypto
import Foundation
import Journal
import Logging

/// Keeps the gate's profile current (docs/fleet.md): told the store's version by each heartbeat
/// reply, it fetches a differing version, fetches the clips it names that are not cached yet (once,
/// by content hash, into `clipDirectory`), has the `ProfileApplier` validate and apply it, and only
/// then stores it in the journal as the applied profile. A clip the store lacks, a clip whose bytes
/// do not match its hash, or a validation error refuses the whole version: nothing of it is applied
/// and the last good profile stays. The report (applied version, or the refusal) goes into heartbeats.
///
/// A refused version is not fetched again unless a clip was missing (it may have been uploaded
/// since); a transport failure throws, and the next heartbeat tries again.
public actor ProfileSync {
    private let journal: Journal
    public nonisolated let clipDirectory: String
    private let applier: any ProfileApplier
    private let logger: Logger
    private var report: ProfileReport
    private var retryRefused = false

    /// `initial`: what the daemon started with (the stored profile applied, or refused at start).
    public init(journal: Journal, clipDirectory: String, applier: any ProfileApplier, initial: ProfileReport,
                logger: Logger = Logger(label: "checkpoint.profile")) {
        self.journal = journal
        self.clipDirectory = clipDirectory
        self.applier = applier
        self.report = initial
        self.logger = logger
    }

    /// The clip cache beside the journal file: `<journal's directory>/clips`.
    public static func clipDirectory(forJournal path: String) -> String {
        ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("clips")
    }

    /// What the next heartbeat reports.
    public func currentReport() -> ProfileReport { report }

    /// The store's current version for this gate (from a heartbeat reply).
    func offer(_ version: Int64, client: CentralClient) async throws {
        guard version != report.appliedVersion else { return }
        if version == report.refusedVersion && !retryRefused { return }
        guard let profile = try await client.profile(since: report.appliedVersion) else { return }
        retryRefused = false
        for hash in profile.clips where !FileManager.default.fileExists(atPath: clipPath(hash)) {
            let data: Data
            do { data = try await client.clip(sha256: hash) } catch CentralClientError.status(404, _, _) {
                retryRefused = true
                return refuse(profile.version, "clip sha256:\(hash) is missing at the store: the whole version is refused")
            }
            let actual = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            guard actual == hash else { return refuse(profile.version, "clip sha256:\(hash) arrived with hash \(actual): the whole version is refused") }
            do { try cache(data, hash) } catch {
                return refuse(profile.version, "clip sha256:\(hash) cannot be cached in \(clipDirectory): \(error)")
            }
        }
        if let why = await applier.applyProfile(profile, clipDirectory: clipDirectory) { return refuse(profile.version, why) }
        report = ProfileReport(appliedVersion: profile.version)
        do { try journal.storeAppliedProfile(profile) } catch {
            logger.error("profile v\(profile.version) applied but not stored in the journal (a restart will not have it): \(error)")
        }
        logger.notice("profile v\(profile.version) applied (\(profile.clips.count) clip(s))")
    }

    private func refuse(_ version: Int64, _ why: String) {
        report.refusedVersion = version
        // The store takes at most 2,000 bytes; a cut character becomes U+FFFD (3 bytes).
        report.refusal = String(decoding: Array(why.utf8.prefix(1_500)), as: UTF8.self)
        logger.error("profile v\(version) refused, v\(report.appliedVersion) stays: \(why)")
    }

    private func clipPath(_ hash: String) -> String { (clipDirectory as NSString).appendingPathComponent("\(hash).wav") }

    private func cache(_ data: Data, _ hash: String) throws {
        try FileManager.default.createDirectory(atPath: clipDirectory, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: clipPath(hash)), options: .atomic)
    }
}
