import DeviceFamilies
import DeviceRuntime
import Foundation
import CheckpointCore
import DeviceCatalog
import Testing
@testable import Thermometers

@Suite("Thermometer session on a virtual clock")
struct SessionTests {
    private func luSession(retries: Int = 2) -> ThermometerSession {
        ThermometerSession(model: "lu90614", device: "dev-1", codec: LU90614Codec(mode: .body),
                           scaling: TemperatureScaling(kind: .body, scale: 0.01, offset: 0.1, range: 0...60),
                           polling: PollingParameters(pollMs: 1000, timeoutMs: 300, retries: retries), unitOffset: 0.2)
    }

    private func readings(_ out: SessionOutput) -> [TemperatureReading] {
        out.events.compactMap { if case .reading(let r, _) = $0 { return r } else { return nil } }
    }

    @Test("Opening sends the mode command and a poll; a reply gives a reading with both offsets and the response time")
    func pollAndRead() {
        var s = luSession()
        let open = s.opened(now: 0)
        #expect(open.send == [[0xFA, 0xC5, 0xBF], [0xFA, 0xCA, 0xC4]])
        #expect(s.nextDeadline == 300)
        let out = s.received(LU90614Codec.reply(mode: .body, hundredths: 3650), now: 40)
        let r = readings(out)
        #expect(r.count == 1)
        #expect(abs((r.first?.celsius ?? 0) - 36.8) < 1e-9)
        #expect(r.first?.raw == 3650)
        #expect(r.first?.kind == .body)
        #expect(out.events.first == .reading(r[0], responseMs: 40))
        #expect(s.nextDeadline == 1000, "the next poll is one interval after the previous one")
        #expect(s.timerFired(now: 999).send.isEmpty, "an early timer does nothing")
        #expect(s.timerFired(now: 1000).send == [[0xFA, 0xCA, 0xC4]])
    }

    @Test("An unanswered poll is retried, then counted as unanswered; a partial reply at a timeout counts as truncated")
    func timeoutsAndRetries() {
        var s = luSession(retries: 1)
        _ = s.opened(now: 0)
        _ = s.received(Array(LU90614Codec.reply(mode: .body, hundredths: 3650).prefix(4)), now: 10)
        let first = s.timerFired(now: 300)
        #expect(first.send == [LU90614Codec.measureCommand])
        #expect(first.events.contains(.timedOut(attempt: 0, willRetry: true)))
        #expect(first.events.contains { if case .rejected(let r) = $0 { return r.reason == .truncated && r.byteCount == 4 } else { return false } })
        let second = s.timerFired(now: 600)
        #expect(second.send.isEmpty)
        #expect(second.events == [.timedOut(attempt: 1, willRetry: false)])
        #expect(s.nextDeadline == 1000)
        #expect(s.statistics.timeouts == 2)
        #expect(s.statistics.retries == 1)
        #expect(s.statistics.unanswered == 1)
        #expect(s.statistics.rejections[.truncated] == 1)
        #expect(s.statistics.requests == 2)
    }

    @Test("A value outside the model's range is a counted rejection, not a reading")
    func outOfRange() {
        var s = luSession()
        _ = s.opened(now: 0)
        let out = s.received(LU90614Codec.reply(mode: .body, hundredths: 6500), now: 30)
        #expect(readings(out).isEmpty)
        #expect(s.statistics.rejections[.outOfRange] == 1)
        #expect(s.statistics.readings == 0)
    }

    @Test("A lost port drops pending bytes as truncated, reports disconnected and stops the timer; reopening counts a reconnect")
    func disconnect() {
        var s = luSession()
        _ = s.opened(now: 0)
        _ = s.received([0xFE, 0xAC], now: 5)
        let closed = s.closed(now: 10)
        #expect(closed.events == [.rejected(Rejection(.truncated, "port lost mid-frame", bytes: 2)), .disconnected])
        #expect(s.nextDeadline == nil)
        #expect(s.statistics.disconnects == 1)
        let reopened = s.opened(now: 5000)
        #expect(reopened.send.count == 2)
        #expect(s.statistics.reconnects == 1)
        #expect(readings(s.received(LU90614Codec.reply(mode: .body, hundredths: 3600), now: 5020)).count == 1)
    }

    @Test("A streaming device that falls silent is reported after pollMs + timeoutMs, again and again")
    func streamingSilence() throws {
        let codec = try ASCIILineCodec(pattern: #"^T=([0-9.]+)$"#)
        var s = ThermometerSession(model: "m", device: "d", codec: codec,
                                   scaling: TemperatureScaling(kind: .body, scale: 1, range: 0...60),
                                   polling: PollingParameters(pollMs: 1000, timeoutMs: 500, retries: 0))
        #expect(s.opened(now: 0).send.isEmpty)
        #expect(s.nextDeadline == 1500)
        #expect(readings(s.received(Array("T=36.5\n".utf8), now: 900)).count == 1)
        #expect(s.nextDeadline == 2400)
        #expect(s.timerFired(now: 2400).events == [.silent(forMs: 1500)])
        #expect(s.nextDeadline == 3900)
    }

    @Test("Sessions are built from catalog models: every shipped thermometer model validates")
    func shippedModels() throws {
        let catalog = Catalog.load(directory: shippedCatalogPath, families: CatalogFamilies.all)
        #expect(catalog.errors.isEmpty, "\(catalog.errors.map(\.description))")
        for model in catalog.models where model.role == .thermometer {
            let session = try ThermometerSession(model: model, device: "x")
            #expect(session.polling.pollMs >= 50)
        }
        #expect(Set(catalog.models.map(\.family)).isSuperset(of: ["lu90614", "gy-mcu90614", "gd60914", "modbus-rtu", "ascii-line"]))
    }
}

@Suite("Statistics")
struct StatisticsTests {
    @Test("Counters encode to JSON with rejection reasons as keys, and the summary names each reason")
    func json() throws {
        var s = ThermometerSession(model: "m", device: "d", codec: LU90614Codec(mode: .body),
                                   scaling: TemperatureScaling(kind: .body, scale: 0.01, range: 0...60), polling: PollingParameters())
        _ = s.opened(now: 0)
        var bad = LU90614Codec.reply(mode: .body, hundredths: 3650)
        bad[8] ^= 1
        _ = s.received([0x01, 0x02] + bad + LU90614Codec.reply(mode: .body, hundredths: 3650), now: 10)
        let data = try JSONEncoder().encode(s.statistics)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rejections = try #require(object["rejections"] as? [String: Int])
        #expect(rejections["badChecksum"] == 1)
        #expect(rejections["garbage"] == 2, "two runs: before the bad frame and its remaining 8 bytes")
        #expect(object["readings"] as? Int == 1)
        #expect(try JSONDecoder().decode(ThermometerStatistics.self, from: data) == s.statistics)
        #expect(s.statistics.summary.contains("badChecksum 1"))
    }
}
