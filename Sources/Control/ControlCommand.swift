/// Every command of the control socket by its name on the wire (docs/contracts.md §8):
/// `checkpointd` registers its handlers under these names and `checkpointctl` sends them, so the
/// two cannot drift apart. `isReadOnly` says which commands change nothing (`ControlAccess`).
public enum ControlCommand: String, CaseIterable, Sendable {
    case devicesList = "devices.list"
    case devicesProbe = "devices.probe"
    case thermometersStatus = "thermometers.status"
    case scannerConfigure = "scanner.configure"
    case idReadersStatus = "idreaders.status"
    case scannersStatus = "scanners.status"
    case journalStatus = "journal.status"
    case uplinkStatus = "uplink.status"
    case gateManual = "gate.manual"
    case gateHost = "gate.host"
    case gateStatus = "gate.status"
    case hornPlay = "horn.play"
    case hornStop = "horn.stop"
    case hornQueue = "horn.queue"
    case hornTestAmplifier = "horn.testAmplifier"
    case configReload = "config.reload"

    /// Whether the command only reads (anyone who may connect may use it).
    public var isReadOnly: Bool {
        switch self {
        case .journalStatus, .uplinkStatus, .gateStatus, .hornQueue, .thermometersStatus, .devicesList, .idReadersStatus, .scannersStatus: true
        case .devicesProbe, .scannerConfigure, .gateManual, .gateHost, .hornPlay, .hornStop, .hornTestAmplifier, .configReload: false
        }
    }
}
