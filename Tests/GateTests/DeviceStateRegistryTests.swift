import CheckpointCore
import GateService
import Testing

@Suite("Device states reported in heartbeats")
struct DeviceStateRegistryTests {
    @Test("Rejected input is counted per device and reason, and travels in the heartbeat's device states")
    func rejectionsCounted() throws {
        let registry = DeviceStateRegistry([DeviceState(id: "scan-1", role: .scanner, status: .ok)])
        registry.countRejection("scan-1", reason: "noise")
        registry.countRejection("scan-1", reason: "noise")
        registry.countRejection("scan-1", reason: "invalidEncoding")
        registry.countRejection("unknown-device", reason: "noise")
        #expect(registry.all.map(\.id) == ["scan-1"], "a device the gate does not know is not invented")
        #expect(registry.all.first?.rejections == ["noise": 2, "invalidEncoding": 1])
        let json = try CheckpointJSON.encoder().encode(registry.all)
        let decoded = try CheckpointJSON.decoder().decode([DeviceState].self, from: json)
        #expect(decoded.first?.rejections == ["noise": 2, "invalidEncoding": 1])
    }
}
