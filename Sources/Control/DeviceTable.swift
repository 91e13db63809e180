import CheckpointCore

/// Renders `DeviceListEntry` rows as a fixed-width text table for technicians:
/// devnode, subsystem, VID:PID, serial, port, identity, matched model (when `showModel`), links.
/// Missing values print as `-`; several links print one per line under the row.
public enum DeviceTable {
    public static func render(_ entries: [DeviceListEntry], showModel: Bool = true) -> String {
        if entries.isEmpty { return "No devices found (tty, hidraw, input event nodes).\n" }
        var header = ["DEVNODE", "SUBSYSTEM", "VID:PID", "SERIAL", "PORT", "IDENTITY"]
        if showModel { header.append("MODEL") }
        header.append("LINKS")
        var rows: [[String]] = [header]
        var extraLinks: [[String]] = [[]]
        for entry in entries {
            let device = entry.device
            var row = [device.devnode, device.subsystem,
                       device.vendorID.flatMap { v in device.productID.map { "\(v):\($0)" } } ?? "-",
                       device.serial ?? "-", device.portPath ?? "-", device.identity]
            if showModel { row.append(entry.model ?? "-") }
            row.append(device.links.first ?? "-")
            rows.append(row)
            extraLinks.append(Array(device.links.dropFirst()))
        }
        let widths = (0..<header.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for (index, row) in rows.enumerated() {
            text += format(row, widths: widths) + "\n"
            let indent = widths.dropLast().reduce(0) { $0 + $1 + 2 }
            for link in extraLinks[index] { text += String(repeating: " ", count: indent) + link + "\n" }
        }
        return text
    }

    private static func format(_ row: [String], widths: [Int]) -> String {
        var line = ""
        for (index, cell) in row.enumerated() {
            if index == row.count - 1 {
                line += cell
            } else {
                line += cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }
        }
        return line
    }
}
