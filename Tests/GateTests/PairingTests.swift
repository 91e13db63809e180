import CheckpointConfig
import CheckpointCore
import Foundation
import TestSupport
import Testing
@testable import Gate

@Suite("Pairing scans with readings on a virtual clock")
struct PairingTests {
    func pairing(thermometer: Bool = true) -> LanePairing {
        LanePairing(window: .seconds(5), readingMaxAge: .seconds(5), laneHasThermometer: thermometer)
    }

    @Test("A scan followed by a reading within the window pair into one entry")
    func scanThenReading() {
        var p = pairing()
        #expect(p.scan(Fixture.code("A"), at: .seconds(10), thermometerAvailable: true).isEmpty)
        #expect(p.nextDeadline == .seconds(15))
        let out = p.reading(Fixture.body(36.4), at: .seconds(12))
        #expect(out.count == 1)
        #expect(out.first?.credential?.payload == "A" && out.first?.reading?.celsius == 36.4)
        #expect(p.nextDeadline == nil)
    }

    @Test("A reading followed by a scan within the window pair into one entry")
    func readingThenScan() {
        var p = pairing()
        #expect(p.reading(Fixture.body(36.8), at: .seconds(1)).isEmpty)
        let out = p.scan(Fixture.code("B"), at: .seconds(3), thermometerAvailable: true)
        #expect(out.count == 1 && out.first?.reading?.celsius == 36.8 && out.first?.credential?.payload == "B")
    }

    @Test("A scan with no reading completes without one exactly when the window closes")
    func scanTimesOut() {
        var p = pairing()
        _ = p.scan(Fixture.code("C"), at: .seconds(0), thermometerAvailable: true)
        #expect(p.advance(to: .milliseconds(4_999)).isEmpty)
        let out = p.advance(to: .seconds(5))
        #expect(out.count == 1 && out.first?.reading == nil && out.first?.thermometerAvailable == true)
    }

    @Test("A reading older than readingMaxAge is not paired with a later scan")
    func staleReadingNotPaired() {
        var p = pairing()
        _ = p.reading(Fixture.body(36.6), at: .seconds(0))
        let out = p.scan(Fixture.code("D"), at: .seconds(6), thermometerAvailable: true)
        #expect(out.count == 1, "the stale reading completes alone")
        #expect(out.first?.credential == nil && out.first?.reading?.celsius == 36.6)
        #expect(p.isWaitingForReading, "the scan waits for a fresh reading")
        let paired = p.reading(Fixture.body(36.9), at: .seconds(7))
        #expect(paired.first?.reading?.celsius == 36.9 && paired.first?.credential?.payload == "D")
    }

    @Test("A reading is used for one person only: the next scan waits for its own")
    func readingNotReused() {
        var p = pairing()
        _ = p.reading(Fixture.body(36.5), at: .seconds(0))
        #expect(p.scan(Fixture.code("E"), at: .seconds(1), thermometerAvailable: true).first?.reading != nil)
        #expect(p.scan(Fixture.code("F"), at: .seconds(2), thermometerAvailable: true).isEmpty)
        let out = p.advance(to: .seconds(7))
        #expect(out.count == 1 && out.first?.credential?.payload == "F" && out.first?.reading == nil)
    }

    @Test("A newer reading replaces an unclaimed older one (the person measured again)")
    func newerReadingWins() {
        var p = pairing()
        _ = p.reading(Fixture.body(30.0), at: .seconds(0))
        _ = p.reading(Fixture.body(36.7), at: .seconds(1))
        #expect(p.scan(Fixture.code("G"), at: .seconds(2), thermometerAvailable: true).first?.reading?.celsius == 36.7)
    }

    @Test("The same code scanned again while waiting is ignored")
    func sameCodeAgain() {
        var p = pairing()
        _ = p.scan(Fixture.code("H"), at: .seconds(0), thermometerAvailable: true)
        #expect(p.scan(Fixture.code("H"), at: .seconds(1), thermometerAvailable: true).isEmpty)
        #expect(p.isWaitingForReading)
    }

    @Test("A different code while one waits completes the first at once, marked uncertain")
    func secondScanDisplacesTheFirst() {
        var p = pairing()
        _ = p.scan(Fixture.code("H"), at: .seconds(0), thermometerAvailable: true)
        let out = p.scan(Fixture.code("I"), at: .seconds(2), thermometerAvailable: true)
        #expect(out.count == 1 && out.first?.credential?.payload == "H" && out.first?.reading == nil)
        #expect(out.first?.uncertainty != nil)
    }

    @Test("The reading that follows two waiting scans is given to the second, marked uncertain")
    func readingAfterTwoScansIsUncertain() {
        var p = pairing()
        _ = p.scan(Fixture.code("H"), at: .seconds(0), thermometerAvailable: true)
        _ = p.scan(Fixture.code("I"), at: .seconds(2), thermometerAvailable: true)
        let out = p.reading(Fixture.body(38.9), at: .seconds(3))
        #expect(out.first?.credential?.payload == "I" && out.first?.reading?.celsius == 38.9)
        #expect(out.first?.uncertainty != nil)
    }

    @Test("A scan after a contested one that was decided waits for its own reading and is certain again")
    func certaintyReturns() {
        var p = pairing()
        _ = p.scan(Fixture.code("H"), at: .seconds(0), thermometerAvailable: true)
        _ = p.scan(Fixture.code("I"), at: .seconds(1), thermometerAvailable: true)
        _ = p.reading(Fixture.body(36.5), at: .seconds(2))
        _ = p.scan(Fixture.code("J"), at: .seconds(3), thermometerAvailable: true)
        #expect(p.reading(Fixture.body(36.6), at: .seconds(4)).first?.uncertainty == nil)
    }

    @Test("Nobody in front of the sensor ends the pending reading: the next person's scan waits for its own")
    func personLeftEndsPendingReading() {
        var p = pairing()
        _ = p.reading(Fixture.body(38.9), at: .seconds(0))
        let alone = p.personLeft(at: .seconds(1))
        #expect(alone.count == 1 && alone.first?.credential == nil && alone.first?.reading?.celsius == 38.9)
        #expect(p.scan(Fixture.code("K"), at: .seconds(2), thermometerAvailable: true).isEmpty, "the scan waits")
        #expect(p.reading(Fixture.body(36.4), at: .seconds(3)).first?.reading?.celsius == 36.4)
    }

    @Test("A reading from before a device was re-attached is never paired with a later scan")
    func deviceAttachedEndsPendingReading() {
        var p = pairing()
        _ = p.reading(Fixture.body(38.2), at: .seconds(0))
        #expect(p.deviceAttached(at: .seconds(1)).first?.credential == nil)
        #expect(p.scan(Fixture.code("L"), at: .seconds(2), thermometerAvailable: true).isEmpty)
    }

    @Test("A lost thermometer ends the pending reading: it is not given to a scan after the thermometer is back")
    func lostThermometerEndsPendingReading() {
        var p = pairing()
        _ = p.reading(Fixture.body(38.4), at: .seconds(0))
        let lost = p.thermometerLost(at: .seconds(1))
        #expect(lost.count == 1 && lost.first?.credential == nil)
        #expect(p.scan(Fixture.code("M"), at: .seconds(2), thermometerAvailable: true).isEmpty)
    }

    @Test("With the thermometer missing a scan completes at once and says so; a waiting scan completes when it is lost")
    func thermometerMissing() {
        var p = pairing()
        let out = p.scan(Fixture.code("J"), at: .seconds(0), thermometerAvailable: false)
        #expect(out.count == 1 && out.first?.thermometerAvailable == false)
        _ = p.scan(Fixture.code("K"), at: .seconds(1), thermometerAvailable: true)
        let lost = p.thermometerLost(at: .seconds(2))
        #expect(lost.first?.credential?.payload == "K" && lost.first?.thermometerAvailable == false)
    }

    @Test("A lane admits a scan then a reading, refers a fever, and ignores a lone ambient reading of a wall")
    func gateLane() {
        var lane = GateLane(lane: Fixture.lane(), policy: Policy(Fixture.policyConfiguration()))
        let wl = WatchListIndex()
        _ = lane.scan(Fixture.code("https://hc.example/1"), at: .seconds(0), wallClock: Fixture.noon, thermometerAvailable: true, watchList: wl)
        let admitted = lane.reading(Fixture.body(36.5), at: .seconds(1), wallClock: Fixture.noon, watchList: wl)
        #expect(admitted.map(\.outcome.decision) == [.admit])
        #expect(admitted.first?.policyVersion == PolicyVersion.of(Fixture.policyConfiguration()))
        _ = lane.reading(Fixture.body(38.2), at: .seconds(10), wallClock: Fixture.noon, watchList: wl)
        let fever = lane.scan(Fixture.code("https://hc.example/2"), at: .seconds(11), wallClock: Fixture.noon, thermometerAvailable: true, watchList: wl)
        #expect(fever.map(\.outcome.reason) == [.fever])
        _ = lane.reading(Fixture.body(31.0), at: .seconds(20), wallClock: Fixture.noon, watchList: wl)
        #expect(lane.advance(to: .seconds(30), wallClock: Fixture.noon, watchList: wl).isEmpty)
        #expect(lane.ignoredLoneReadings == 1)
        _ = lane.reading(Fixture.body(36.6), at: .seconds(40), wallClock: Fixture.noon, watchList: wl)
        let lone = lane.advance(to: .seconds(50), wallClock: Fixture.noon, watchList: wl)
        #expect(lone.map(\.outcome.reason) == [.noCredential])
    }

    @Test("Readings below the presence minimum (a wall, the air) never pair with a waiting scan")
    func absentReadingsDoNotPair() {
        var lane = GateLane(lane: Fixture.lane(), policy: Policy(Fixture.policyConfiguration()))
        let wl = WatchListIndex()
        _ = lane.scan(Fixture.code("https://hc.example/2"), at: .seconds(3), wallClock: Fixture.noon, thermometerAvailable: true, watchList: wl)
        #expect(lane.reading(Fixture.body(23.0), at: .seconds(4), wallClock: Fixture.noon, watchList: wl).isEmpty)
        #expect(lane.isWaitingForReading && lane.absentReadings == 1)
    }

    @Test("A reading of the air after a person's reading means they left: the next scan does not get their temperature")
    func absentReadingEndsThePersonsReading() {
        var lane = GateLane(lane: Fixture.lane(), policy: Policy(Fixture.policyConfiguration()))
        let wl = WatchListIndex()
        _ = lane.reading(Fixture.body(38.6), at: .seconds(0), wallClock: Fixture.noon, watchList: wl)
        _ = lane.reading(Fixture.body(24.0), at: .seconds(1), wallClock: Fixture.noon, watchList: wl)
        let out = lane.scan(Fixture.code("https://hc.example/1"), at: .seconds(2), wallClock: Fixture.noon, thermometerAvailable: true, watchList: wl)
        #expect(out.isEmpty && lane.isWaitingForReading, "the scan waits for its own reading")
        let own = lane.reading(Fixture.body(36.6), at: .seconds(3), wallClock: Fixture.noon, watchList: wl)
        #expect(own.first?.entry.reading?.celsius == 36.6 && own.first?.outcome.decision == .admit)
    }

    @Test("A lane without a thermometer refers every scan as thermometerMissing when temperature is required")
    func laneWithoutThermometer() {
        var lane = GateLane(lane: Fixture.lane(thermometer: nil), policy: Policy(Fixture.policyConfiguration()))
        let out = lane.scan(Fixture.code("https://hc.example/1"), at: .seconds(0), wallClock: Fixture.noon,
                            thermometerAvailable: true, watchList: WatchListIndex())
        #expect(out.map(\.outcome.reason) == [.thermometerMissing])
    }
}

@Suite("Decisions that need no temperature")
struct ImmediateDecisionTests {
    @Test("A denied code is refused at once without waiting for a reading, and takes a waiting reading with it")
    func deniedAtOnce() {
        var lane = GateLane(lane: Fixture.lane(), policy: Policy(Fixture.policyConfiguration()))
        let wl = WatchListIndex()
        let out = lane.scan(Fixture.code("BAD-7"), at: .seconds(0), wallClock: Fixture.noon, thermometerAvailable: true, watchList: wl)
        #expect(out.map(\.outcome.reason) == [.codeDenied] && !lane.isWaitingForReading)
        _ = lane.reading(Fixture.body(36.9), at: .seconds(10), wallClock: Fixture.noon, watchList: wl)
        let again = lane.scan(Fixture.code("BAD-8"), at: .seconds(11), wallClock: Fixture.noon, thermometerAvailable: true, watchList: wl)
        #expect(again.first?.entry.reading?.celsius == 36.9 && lane.nextDeadline == nil)
    }

    @Test("A lane whose thermometer model declares toBody judges its surface readings as body temperature")
    func surfaceReadingConverted() {
        var lane = GateLane(lane: Fixture.lane(), policy: Policy(Fixture.policyConfiguration()), surfaceToBody: SurfaceToBody(offset: 2.5))
        let wl = WatchListIndex()
        _ = lane.reading(Fixture.reading(35.0, .surface), at: .seconds(0), wallClock: Fixture.noon, watchList: wl)
        let out = lane.scan(Fixture.code("https://hc.example/1"), at: .seconds(1), wallClock: Fixture.noon, thermometerAvailable: true, watchList: wl)
        #expect(out.first?.outcome.reason == .fever, "35.0 °C skin is 37.5 °C body")
        var plain = GateLane(lane: Fixture.lane(), policy: Policy(Fixture.policyConfiguration()))
        _ = plain.reading(Fixture.reading(35.0, .surface), at: .seconds(0), wallClock: Fixture.noon, watchList: wl)
        let unjudged = plain.scan(Fixture.code("https://hc.example/2"), at: .seconds(1), wallClock: Fixture.noon, thermometerAvailable: true, watchList: wl)
        #expect(unjudged.first?.outcome.reason == .thermometerMissing, "without toBody a surface reading cannot be judged")
    }
}
