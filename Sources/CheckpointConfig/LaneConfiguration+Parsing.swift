import CheckpointCore

/// Reading `LaneConfiguration` from the configuration file (the type is in CheckpointCore).
extension LaneConfiguration {
    static let keys: Set<String> = ["id", "direction", "scanner", "scanners", "thermometer", "relay", "indicators", "idReaders", "registration", "exitButton", "doorContact"]

    /// Reads every `[[lane]]`. `knownDevices` (the `[[device]]` ids), when given, must contain every
    /// scanner and thermometer a lane names; a device may serve only one lane.
    public static func parseAll(_ root: ConfigTable, knownDevices: Set<String>? = nil) throws(ConfigError) -> [LaneConfiguration] {
        var lanes: [LaneConfiguration] = []
        var owner: [String: String] = [:]
        for t in try root.tables("lane") {
            let lane = try parse(t, knownDevices: knownDevices)
            if lanes.contains(where: { $0.id == lane.id }) { throw t.error("id", "lane \"\(lane.id)\" is defined twice") }
            for device in lane.scanners + (lane.thermometer.map { [$0] } ?? []) + lane.idReaders {
                if let other = owner[device] {
                    throw t.error(lane.idReaders.contains(device) ? "idReaders" : !lane.scanners.contains(device) ? "thermometer" : t.contains("scanner") ? "scanner" : "scanners",
                                  "device \"\(device)\" already serves lane \"\(other)\"")
                }
                owner[device] = lane.id
            }
            lanes.append(lane)
        }
        return lanes
    }

    static func parse(_ t: ConfigTable, knownDevices: Set<String>?) throws(ConfigError) -> LaneConfiguration {
        try t.rejectUnknownKeys(keys)
        let id = try t.requiredString("id")
        guard FieldLimits.isValidIdentifier(id) else {
            throw t.error("id", "\"\(id)\" is not an identifier (1…64 of A–Z a–z 0–9 . _ -)")
        }
        guard let direction = try t.enumeration("direction", Direction.self) else { throw t.error("direction", "required key is missing") }
        var scanners: [String]
        var scannerKey = "scanners"
        let idReaders = try t.strings("idReaders") ?? []
        if Set(idReaders).count != idReaders.count { throw t.error("idReaders", "an ID reader is listed twice") }
        if let list = try t.strings("scanners") {
            if t.contains("scanner") { throw t.error("scanner", "give scanner or scanners, not both") }
            scanners = list
        } else if let one = try t.string("scanner") {
            scanners = [one]
            scannerKey = "scanner"
        } else if !idReaders.isEmpty {
            scanners = []
        } else {
            throw t.error("scanners", "a lane needs at least one scanner")
        }
        guard !scanners.isEmpty || !idReaders.isEmpty else { throw t.error(scannerKey, "a lane needs at least one scanner") }
        if Set(scanners).count != scanners.count { throw t.error(scannerKey, "a scanner is listed twice") }
        let thermometer = try t.string("thermometer")
        if let knownDevices {
            for s in scanners where !knownDevices.contains(s) { throw t.error(scannerKey, "no [[device]] with id \"\(s)\"") }
            if let th = thermometer, !knownDevices.contains(th) { throw t.error("thermometer", "no [[device]] with id \"\(th)\"") }
            for r in idReaders where !knownDevices.contains(r) { throw t.error("idReaders", "no [[device]] with id \"\(r)\"") }
        }
        let relay = try OutputLineSpec.parse(t, key: "relay", extraKeys: ["pulseMs"])
        let pulse = try t.table("relay")?.int("pulseMs", default: defaultRelayPulseMs, in: 50...30_000) ?? defaultRelayPulseMs
        var green: OutputLineSpec?
        var red: OutputLineSpec?
        var showMs = defaultIndicatorMs
        if let ind = try t.table("indicators") {
            try ind.rejectUnknownKeys(["green", "red", "showMs"])
            green = try OutputLineSpec.parse(ind, key: "green")
            red = try OutputLineSpec.parse(ind, key: "red")
            showMs = try ind.int("showMs", default: defaultIndicatorMs, in: 100...60_000)
        }
        var lane = LaneConfiguration(id: id, direction: direction, scanners: scanners, thermometer: thermometer, relay: relay,
                                     relayPulseMs: pulse, greenIndicator: green, redIndicator: red, indicatorMs: showMs)
        lane.idReaders = idReaders
        lane.registration = try t.bool("registration", default: false)
        lane.exitButton = try InputLineSpec.parse(t, key: "exitButton")
        lane.doorContact = try DoorContactConfiguration.parse(t)
        return lane
    }
}
