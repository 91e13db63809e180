import CheckpointConfig
import CheckpointCore
import Foundation
import TestSupport
import Testing
@testable import Gate

@Suite("Policy decisions")
struct PolicyDecisionTests {
    let policy = Policy(Fixture.policyConfiguration())

    func decide(_ payload: String?, _ reading: TemperatureReading?, direction: Direction = .in,
                thermometerAvailable: Bool = true, watchList: WatchListIndex = WatchListIndex(),
                policy: Policy? = nil) -> DecisionOutcome {
        let entry = PairedEntry(credential: payload.map(Fixture.code), reading: reading,
                                thermometerAvailable: thermometerAvailable, pairedAt: .zero)
        return (policy ?? self.policy).decide(entry, direction: direction, watchList: watchList, now: Fixture.noon)
    }

    @Test("A recognised code with a normal body temperature is admitted")
    func admitted() {
        let o = decide("https://hc.example/abc", Fixture.body(36.6))
        #expect(o.decision == .admit && o.reason == .admitted)
    }

    @Test("A body temperature at the 37.3 °C default threshold is a fever, referred and alerted; just below is not")
    func fever() {
        let at = decide("https://hc.example/abc", Fixture.body(37.3))
        #expect(at.decision == .refer && at.reason == .fever && at.alert)
        let below = decide("https://hc.example/abc", Fixture.body(37.29))
        #expect(below.decision == .admit)
    }

    @Test("An uncertain pairing is referred as pairingUncertain even with a normal temperature")
    func uncertainPairingRefers() {
        let entry = PairedEntry(credential: Fixture.code("https://hc.example/abc"), reading: Fixture.body(36.6),
                                thermometerAvailable: true, pairedAt: .zero, uncertainty: "two scans")
        let o = policy.decide(entry, direction: .in, watchList: WatchListIndex(), now: Fixture.noon)
        #expect(o.decision == .refer && o.reason == .pairingUncertain && !o.alert)
    }

    @Test("An uncertain pairing with a fever reading is referred and alerted, never admitted or refused on it")
    func uncertainPairingWithFever() {
        var c = Fixture.policyConfiguration()
        c.feverDecision = .refuse
        let entry = PairedEntry(credential: Fixture.code("https://hc.example/abc"), reading: Fixture.body(38.9),
                                thermometerAvailable: true, pairedAt: .zero, uncertainty: "two scans")
        let o = Policy(c).decide(entry, direction: .in, watchList: WatchListIndex(), now: Fixture.noon)
        #expect(o.decision == .refer && o.reason == .pairingUncertain && o.alert)
    }

    @Test("feverDecision = refuse refuses a fever")
    func feverRefused() {
        var c = Fixture.policyConfiguration()
        c.feverDecision = .refuse
        let o = decide("https://hc.example/abc", Fixture.body(38.5), policy: Policy(c))
        #expect(o.decision == .refuse && o.reason == .fever)
    }

    @Test("A reading outside the plausible body range asks for a remeasure, not a fever")
    func outOfRange() {
        let hot = decide("https://hc.example/abc", Fixture.body(45.0))
        #expect(hot.decision == .remeasure && hot.reason == .temperatureOutOfRange && !hot.alert)
        let cold = decide("https://hc.example/abc", Fixture.body(30.1))
        #expect(cold.decision == .remeasure && cold.reason == .temperatureOutOfRange)
    }

    @Test("An ambient reading never feeds the fever rule, whatever its value")
    func ambientNeverFever() {
        let o = decide("https://hc.example/abc", Fixture.reading(39.0, .ambient))
        #expect(o.reason == .thermometerMissing && o.decision == .refer)
    }

    @Test("A surface reading feeds the fever rule only through a declared conversion")
    func surfaceConversion() {
        let plain = decide("https://hc.example/abc", Fixture.reading(35.0, .surface))
        #expect(plain.reason == .thermometerMissing)
        let converted = Policy(Fixture.policyConfiguration(), surfaceConversions: ["thermo-1": SurfaceToBody(offset: 2.5)])
        let feverish = decide("https://hc.example/abc", Fixture.reading(35.0, .surface), policy: converted)
        #expect(feverish.reason == .fever)
        let normal = decide("https://hc.example/abc", Fixture.reading(34.0, .surface), policy: converted)
        #expect(normal.decision == .admit)
    }

    @Test("A missing thermometer refers the person and says thermometerMissing")
    func missingThermometer() {
        let o = decide("https://hc.example/abc", nil, thermometerAvailable: false)
        #expect(o.decision == .refer && o.reason == .thermometerMissing)
    }

    @Test("A scan without a reading is referred by default and asked to remeasure when configured")
    func noReading() {
        #expect(decide("https://hc.example/abc", nil).decision == .refer)
        #expect(decide("https://hc.example/abc", nil).reason == .noReading)
        var c = Fixture.policyConfiguration()
        c.noReadingDecision = .remeasure
        let o = decide("https://hc.example/abc", nil, policy: Policy(c))
        #expect(o.decision == .remeasure && o.reason == .noReading)
    }

    @Test("A code that no rule or list accepts is refused as codeUnrecognized")
    func unknownCode() {
        let o = decide("https://elsewhere.example/abc", Fixture.body(36.5))
        #expect(o.decision == .refuse && o.reason == .codeUnrecognized)
    }

    @Test("A denied code is refused as codeDenied: by the deny list even when a rule would accept it, and by a deny pattern")
    func deniedCode() {
        let listed = decide("https://hc.example/stolen", Fixture.body(36.5))
        #expect(listed.decision == .refuse && listed.reason == .codeDenied)
        let pattern = decide("BAD-123", Fixture.body(36.5))
        #expect(pattern.decision == .refuse && pattern.reason == .codeDenied)
        let partial = decide("BAD-123x", Fixture.body(36.5))
        #expect(partial.reason == .codeUnrecognized, "patterns match the whole payload")
    }

    @Test("A code on the allow list is admitted although no rule matches it")
    func allowList() {
        #expect(decide("STAFF-0001", Fixture.body(36.5)).decision == .admit)
    }

    @Test("A red-listed credential is refused as watchListed; orange is referred; green admitted")
    func redList() {
        let list = WatchListIndex(version: 3, entries: [
            WatchListEntry(credential: "https://hc.example/red", colour: .red, isolation: false, reason: "contact", validUntil: nil, version: 1),
            WatchListEntry(credential: "https://hc.example/orange", colour: .orange, isolation: false, reason: "travel", validUntil: nil, version: 2),
            WatchListEntry(credential: "https://hc.example/green", colour: .green, isolation: false, reason: "", validUntil: nil, version: 3),
        ])
        let red = decide("https://hc.example/red", Fixture.body(36.5), watchList: list)
        #expect(red.decision == .refuse && red.reason == .watchListed)
        let orange = decide("https://hc.example/orange", Fixture.body(36.5), watchList: list)
        #expect(orange.decision == .refer && orange.reason == .watchListed)
        #expect(decide("https://hc.example/green", Fixture.body(36.5), watchList: list).decision == .admit)
    }

    @Test("A person under isolation leaving through an out lane is refused with isolationExit and an alert; entering is not")
    func isolationExit() {
        let list = WatchListIndex(version: 1, entries: [
            WatchListEntry(credential: "https://hc.example/iso", colour: .yellow, isolation: true, reason: "home isolation", validUntil: nil, version: 1),
        ])
        let out = decide("https://hc.example/iso", Fixture.body(36.5), direction: .out, watchList: list)
        #expect(out.decision == .refuse && out.reason == .isolationExit && out.alert)
        let inward = decide("https://hc.example/iso", Fixture.body(36.5), direction: .in, watchList: list)
        #expect(inward.reason == .watchListed && inward.decision == .refer)
    }

    @Test("A watch-list entry whose validUntil has passed no longer applies")
    func validUntil() {
        let list = WatchListIndex(version: 1, entries: [
            WatchListEntry(credential: "https://hc.example/old", colour: .red, isolation: true, reason: "",
                           validUntil: Fixture.noon.addingTimeInterval(-1), version: 1),
            WatchListEntry(credential: "https://hc.example/new", colour: .red, isolation: false, reason: "",
                           validUntil: Fixture.noon.addingTimeInterval(60), version: 1),
        ])
        #expect(decide("https://hc.example/old", Fixture.body(36.5), direction: .out, watchList: list).decision == .admit)
        #expect(decide("https://hc.example/new", Fixture.body(36.5), watchList: list).decision == .refuse)
    }

    @Test("A watch-list delta upserts, removes and replaces on full; an older delta is ignored")
    func watchListDelta() {
        var list = WatchListIndex()
        let e = WatchListEntry(credential: "a", colour: .red, isolation: false, reason: "", validUntil: nil, version: 5)
        list.apply(WatchListDelta(version: 5, upserts: [e], removals: [], full: false))
        #expect(list.lookup("a", at: Fixture.noon)?.colour == .red)
        #expect(list.apply(WatchListDelta(version: 4, upserts: [], removals: ["a"], full: false)) == false)
        #expect(list.lookup("a", at: Fixture.noon) != nil)
        list.apply(WatchListDelta(version: 6, upserts: [], removals: ["a"], full: false))
        #expect(list.lookup("a", at: Fixture.noon) == nil && list.version == 6)
        list.apply(WatchListDelta(version: 7, upserts: [e], removals: [], full: false))
        list.apply(WatchListDelta(version: 2, upserts: [], removals: [], full: true))
        #expect(list.entries.isEmpty && list.version == 2)
    }

    @Test("A denied code is refused before its fever is considered; a fever beats an unrecognised code")
    func precedence() {
        #expect(decide("BAD-1", Fixture.body(39.0)).reason == .codeDenied)
        #expect(decide("nobody-knows", Fixture.body(39.0)).reason == .fever)
    }

    @Test("requireTemperature = false admits on the code alone")
    func noTemperatureRequired() {
        var c = Fixture.policyConfiguration()
        c.requireTemperature = false
        let o = decide("https://hc.example/abc", nil, thermometerAvailable: false, policy: Policy(c))
        #expect(o.decision == .admit)
    }

    @Test("The policy version is a stable hash of the configuration, changes with it, and a label overrides it")
    func policyVersion() {
        let a = PolicyVersion.of(Fixture.policyConfiguration())
        #expect(a == PolicyVersion.of(Fixture.policyConfiguration()))
        #expect(a.hasPrefix("cfg-") && a.count == 20)
        var changed = Fixture.policyConfiguration()
        changed.feverThresholdCelsius = 37.5
        #expect(PolicyVersion.of(changed) != a)
        changed.label = "district-2026-11"
        #expect(PolicyVersion.of(changed) == "district-2026-11")
    }
}
