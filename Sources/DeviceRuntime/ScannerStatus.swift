import Foundation
import Scanners

/// One configured scanner as `scanners.status` reports it (never scan content).
public struct ScannerStatus: Codable, Sendable, Hashable {
    public var id: String
    /// The node or link opened; empty while a scanner found by hotplug is missing.
    public var path: String
    /// `open`, `reopened`, `closed`, `disconnected (…)`, or `missing` while no device of a scanner
    /// found by hotplug is plugged in.
    public var port: String
    /// How often a scanner found by hotplug was attached to a device and detached on its unplug
    /// (0 for one named by path).
    public var attaches: Int
    public var detaches: Int
    public var scans: Int
    public var duplicates: Int
    /// Rejected input by `ScanRejectionReason.code`.
    public var rejections: [String: Int]
    /// When the last scan was decoded (wall clock), if any.
    public var lastScanAt: Date?

    /// True while the port or node is open.
    public var isOpen: Bool { port == "open" || port == "reopened" }

    public init(id: String, path: String, port: String, counters: ScanCounters, lastScanAt: Date?, attaches: Int = 0, detaches: Int = 0) {
        self.id = id
        self.path = path
        self.port = port
        self.attaches = attaches
        self.detaches = detaches
        scans = counters.scans
        duplicates = counters.duplicates
        rejections = counters.rejections
        self.lastScanAt = lastScanAt
    }
}
