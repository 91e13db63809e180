import CheckpointCore
import GatePipeline
import GateService
import Testing

@Suite("Device states, kept in one place as the devices' reports pass to the gate")
struct DeviceStateTrackerTests {
    let tracker = DeviceStateTracker(lanes: [.init(scanners: ["scan-1"], thermometer: "thermo-1")])
    let reading = TemperatureReading(celsius: 36.5, kind: .body, raw: 365, device: "thermo-1")

    func status(_ id: String) -> (DeviceState.Status?, String?) {
        let d = tracker.registry.all.first { $0.id == id }
        return (d?.status, d?.detail)
    }

    @Test("Every device a lane uses starts missing, with its role")
    func startsMissing() {
        #expect(tracker.registry.all.map(\.id) == ["scan-1", "thermo-1"])
        #expect(tracker.registry.all.map(\.role) == [.scanner, .thermometer])
        #expect(tracker.registry.all.allSatisfy { $0.status == .missing })
    }

    @Test("A thermometer's first reading makes it ok and tells the gate it is available before the reading")
    func firstReadingAnnouncesAvailability() {
        let first = tracker.route(.event(.reading(device: "thermo-1", reading, receivedAt: .seconds(1))))
        #expect(first == [.deviceAvailability(device: "thermo-1", available: true, receivedAt: .seconds(1)),
                          .reading(device: "thermo-1", reading, receivedAt: .seconds(1))])
        #expect(status("thermo-1").0 == .ok)
        let second = tracker.route(.event(.reading(device: "thermo-1", reading, receivedAt: .seconds(2))))
        #expect(second == [.reading(device: "thermo-1", reading, receivedAt: .seconds(2))])
    }

    @Test("A lost thermometer is missing with the reason and unavailable to the gate")
    func lostThermometer() {
        _ = tracker.route(.event(.reading(device: "thermo-1", reading, receivedAt: .seconds(1))))
        let out = tracker.route(.lost(device: "thermo-1", detail: "port lost", receivedAt: .seconds(3)))
        #expect(out == [.deviceAvailability(device: "thermo-1", available: false, receivedAt: .seconds(3))])
        #expect(status("thermo-1") == (.missing, "port lost"))
    }

    @Test("A scanner is ok while open and missing as port closed after it closes")
    func scannerOpenClose() {
        _ = tracker.route(.event(.deviceAvailability(device: "scan-1", available: true, receivedAt: nil)))
        #expect(status("scan-1").0 == .ok)
        let out = tracker.route(.event(.deviceAvailability(device: "scan-1", available: false, receivedAt: nil)))
        #expect(out == [.deviceAvailability(device: "scan-1", available: false, receivedAt: nil)])
        #expect(status("scan-1") == (.missing, "port closed"))
    }

    @Test("A thermometer's rejected frame is counted and never reaches the gate")
    func thermometerRejectionCounted() {
        #expect(tracker.route(.rejected(device: "thermo-1", reason: "checksum")).isEmpty)
        #expect(tracker.registry.all.first { $0.id == "thermo-1" }?.rejections == ["checksum": 1])
    }

    @Test("A scanner's rejected input is counted and still reaches the gate")
    func scanRejectionCounted() {
        let event = GateEvent.scanRejected(device: "scan-1", reason: "noise", asksForRescan: false, receivedAt: nil)
        #expect(tracker.route(.event(event)) == [event])
        #expect(tracker.registry.all.first { $0.id == "scan-1" }?.rejections == ["noise": 1])
    }
}
