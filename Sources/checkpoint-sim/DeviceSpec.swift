import DeviceSimulators

/// One `--device MODEL[:key=value,…]` argument. Keys: `name` (the link's file name, default the
/// model id), the fault counts armed at start (`garbage`, `truncate`, `badsum`, `silence`), and
/// the family's simulator options (`celsius`, `format`, `period`, …).
struct DeviceSpec {
    var model: String
    var name: String?
    var faults: [FaultInjector.Fault: Int] = [:]
    var options: [String: String] = [:]

    init(parsing text: String) throws(SimulatorCommandError) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let model = parts.first, !model.isEmpty else { throw SimulatorCommandError("--device needs a model id, e.g. --device lu90614") }
        self.model = model
        guard parts.count == 2 else { return }
        for pair in parts[1].split(separator: ",") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty else { throw SimulatorCommandError("\"\(pair)\" in --device \(text) is not key=value") }
            if kv[0] == "name" {
                guard !kv[1].isEmpty, !kv[1].contains("/") else { throw SimulatorCommandError("name=\(kv[1]) must be a plain file name") }
                name = kv[1]
            } else if let fault = FaultInjector.Fault(rawValue: kv[0]) {
                guard let n = Int(kv[1]), n >= 0 else { throw SimulatorCommandError("\(kv[0])=\(kv[1]) must be a count of frames") }
                faults[fault] = n
            } else {
                options[kv[0]] = kv[1]
            }
        }
    }
}
