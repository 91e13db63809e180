import DeviceCatalog
import Foundation
import TestSupport

/// A temporary catalog directory for one test; files are written by name.
struct TemporaryCatalog {
    let url: URL

    init() throws { url = try TestEnvironment.temporaryDirectory("catalog") }

    var path: String { url.path }

    /// Writes `text` to `relativePath` (folders created as needed) and returns the full path.
    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A valid thermometer model file with id `id`, matching `usb`.
func thermometerModel(_ id: String, usb: String = "1a86:7523", family: String = "modbus-rtu") -> String {
    """
    model = "\(id)"
    name = "Test model \(id)"
    role = "thermometer"
    family = "\(family)"

    [match]
    usb = ["\(usb)"]
    subsystem = "tty"

    [transport]
    kind = "serial"
    baud = 19200
    parity = "even"

    [protocol]
    slave = 7

    [temperature]
    kind = "ambient"
    scale = 0.1
    offset = -0.5
    range = [-40.0, 125.0]
    """
}

/// A temporary catalog folder holding `files` (name, text), loaded without family checks.
func loadedCatalog(_ files: [(String, String)]) throws -> (Catalog, TemporaryCatalog) {
    let dir = try TemporaryCatalog()
    for (name, text) in files { try dir.write(name, text) }
    return (Catalog.load(directory: dir.path), dir)
}
