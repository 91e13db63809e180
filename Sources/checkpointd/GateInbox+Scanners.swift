import DeviceRuntime

extension GateInbox {
    /// Feeds the scanner runners' new scans (repeats within the duplicate window are already
    /// suppressed) and open/close into the gate, and lets the gate reset each runner's duplicate
    /// window after a decision on its lane.
    func connect(_ runners: [ScannerRunner]) {
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
}
