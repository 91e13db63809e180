import DeviceRuntime
import Thermometers

extension GateInbox {
    /// Feeds the scanner runners' new scans (repeats within the duplicate window are already
    /// suppressed) and open/close into the gate, and lets the gate reset each runner's duplicate
    /// window after a decision on its lane.
    public func connect(_ runners: [ScannerRunner]) {
        for runner in runners {
            let id = runner.id
            registerDuplicateReset(device: id) { runner.resetDuplicateWindow() }
            runner.onEvent { [self] event in
                switch event {
                case .scan(let scan): self.scan(device: id, scan)
                case .opened: availability(device: id, true)
                case .closed: availability(device: id, false)
                case .rejected(let rejection):
                    self.scanRejected(device: id, reason: rejection.reason.code, asksForRescan: rejection.reason.asksForRescan)
                case .duplicate: break
                }
            }
        }
    }

    /// Feeds the readings and losses of the fleet's thermometers in `thermometers` (the lanes'
    /// `[[device]]` ids; others are not the gate's, and a reload replaces the set through
    /// `GateInbox.thermometers`) into the gate. A thermometer is missing after an unanswered request
    /// that is not retried, a silent stream or a lost port, and back at its next reading.
    public func connect(_ fleet: ThermometerFleet, thermometers: Set<String>) {
        self.thermometers = thermometers
        fleet.onEvent { [self] id, event in
            guard self.thermometers.contains(id) else { return }
            switch event {
            case .reading(let reading, _): self.reading(device: id, reading)
            case .timedOut(_, let willRetry) where !willRetry: lost(device: id, detail: "no answer")
            case .silent(let ms): lost(device: id, detail: "silent for \(ms) ms")
            case .disconnected: lost(device: id, detail: "port lost")
            case .rejected(let rejection): rejected(device: id, reason: rejection.reason.rawValue)
            default: break
            }
        }
    }
}
