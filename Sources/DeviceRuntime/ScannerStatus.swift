import Foundation
import Scanners

/// One attached scanner as `scanners.status` reports it (never scan content).
public struct ScannerStatus: Codable, Sendable, Hashable {
    public var id: String
    public var path: String
    /// `open`, `reopened`, `closed`, `disconnected (…)`.
    public var port: String
    public var scans: Int
    public var duplicates: Int
    /// Rejected input by `ScanRejectionReason.code`.
    public var rejections: [String: Int]
    /// When the last scan was decoded (wall clock), if any.
    public var lastScanAt: Date?

    /// True while the port or node is open.
    public var isOpen: Bool { port == "open" || port == "reopened" }

    public init(id: String, path: String, port: String, counters: ScanCounters, lastScanAt: Date?) {
        self.id = id
        self.path = path
        self.port = port
        scans = counters.scans
        duplicates = counters.duplicates
        rejections = counters.rejections
        self.lastScanAt = lastScanAt
    }
}
