import CheckpointCore

/// Decodes the input reports of a USB HID POS scanner (one hidraw read = one report) into scans,
/// reassembling scans that span several packets. Sans-I/O.
///
/// A report that does not fit the layout (wrong id, too short, a length beyond the packet) is a
/// counted `malformedReport`, and any scan being reassembled is discarded with it (counted as
/// `incomplete`). A reassembled payload beyond the rules' limit is rejected `tooLong` once; the
/// rest of its packets are skipped.
public struct HIDPOSDecoder: Sendable {
    public let device: String
    public var layout: HIDPOSLayout
    public var rules: PayloadRules
    /// Silence between packets of one scan after which the partial scan is discarded.
    public var packetTimeout: Duration

    private var payload: [UInt8] = []
    private var aim: AIMIdentifier?
    private var codeSymbology: Symbology?
    private var packets = 0
    private var overlong = false
    private var lastReportAt: Duration?

    public init(device: String, layout: HIDPOSLayout = .honeywell, rules: PayloadRules = PayloadRules(),
                packetTimeout: Duration = .seconds(1)) {
        self.device = device
        self.layout = layout
        self.rules = rules
        self.packetTimeout = packetTimeout
    }

    public var hasPartialScan: Bool { packets > 0 }

    /// Feeds one report as read from hidraw at `now`.
    public mutating func feed(report: [UInt8], at now: Duration) -> [ScanOutcome] {
        var out = idle(at: now)
        lastReportAt = now
        let l = layout
        func malformed(_ why: String) -> [ScanOutcome] {
            var result = out
            result += discard(cause: "followed by a malformed report")
            result.append(.rejected(ScanRejection(reason: .malformedReport(why), device: device, bytes: report)))
            return result
        }
        if let id = l.reportID, report.first != id {
            return malformed("report id \(report.first.map { String($0) } ?? "none"), expected \(id)")
        }
        guard report.count > l.lengthOffset else { return malformed("\(report.count) bytes, no length byte") }
        let length = Int(report[l.lengthOffset])
        guard length <= l.maxPayloadPerPacket else {
            return malformed("packet length \(length) exceeds \(l.maxPayloadPerPacket)")
        }
        guard report.count >= l.dataOffset + length else {
            return malformed("\(report.count) bytes cannot hold \(length) payload bytes at offset \(l.dataOffset)")
        }
        let more: Bool
        if let c = l.continuationOffset {
            guard report.count > c else { return malformed("\(report.count) bytes, no continuation flag at \(c)") }
            more = report[c] & l.continuationMask != 0
        } else {
            more = false
        }
        if packets == 0 {
            if let a = l.aimOffset, report.count >= a + l.aimLength {
                let raw = Array(report[a..<(a + l.aimLength)])
                if raw.contains(where: { $0 != 0 }) {
                    aim = AIMIdentifier(prefixOf: raw) ?? (raw.count >= 2 ? AIMIdentifier(code: raw[0], modifier: raw[1]) : nil)
                }
            }
            if let c = l.codeIDOffset, report.count > c { codeSymbology = l.codeIDs[report[c]] }
        }
        packets += 1
        if !overlong {
            payload.append(contentsOf: report[l.dataOffset..<(l.dataOffset + length)])
            if payload.count > rules.maxBytes {
                out.append(.rejected(ScanRejection(reason: .tooLong(bytes: payload.count, limit: rules.maxBytes),
                                                   device: device, bytes: payload)))
                overlong = true
                payload = []
            }
        }
        if !more {
            if !overlong {
                out.append(rules.evaluate(payload: payload, aim: aim, symbology: codeSymbology, device: device))
            }
            resetScan()
        }
        return out
    }

    /// Called when time passes without reports: a scan waiting for its next packet too long is discarded.
    public mutating func idle(at now: Duration) -> [ScanOutcome] {
        guard hasPartialScan, let last = lastReportAt, now - last >= packetTimeout else { return [] }
        return discard(cause: "no continuation packet for \(packetTimeout)")
    }

    /// The device went away: a partial scan is discarded and counted.
    public mutating func deviceLost() -> [ScanOutcome] { discard(cause: "device lost") }

    private mutating func discard(cause: String) -> [ScanOutcome] {
        defer { resetScan() }
        guard hasPartialScan, !overlong else { return [] }
        return [.rejected(ScanRejection(reason: .incomplete(bytes: payload.count, cause: cause), device: device, bytes: payload))]
    }

    private mutating func resetScan() {
        payload = []
        aim = nil
        codeSymbology = nil
        packets = 0
        overlong = false
    }
}
