import CheckpointConfig
import CheckpointCore
import Foundation
import TestSupport
import Testing
@testable import Gate

/// Keyed hashes stand in for cards here (the policy only ever sees the hash).
private let residentHash = String(repeating: "a1", count: 32)
private let visitorHash = String(repeating: "b2", count: 32)

private func card(_ hash: String, validUntil: String? = "20350101") -> Credential {
    Credential(kind: .idCard, payload: hash, symbology: .unknown, lastFour: "123X", validUntil: validUntil,
               registration: Registration(name: "王小明", citizenNumber: "11010119900307123X", address: "北京市"))
}

private func idCardPolicy(_ change: (inout IDCardPolicy) -> Void = { _ in }) -> PolicyConfiguration {
    var c = Fixture.policyConfiguration()
    c.idCard.residents = [residentHash]
    change(&c.idCard)
    return c
}

@Suite("ID card credentials in the policy")
struct IDCardPolicyTests {
    func decide(_ credential: Credential, _ reading: TemperatureReading? = Fixture.body(36.5),
                policy: PolicyConfiguration = idCardPolicy()) -> DecisionOutcome {
        Policy(policy).decide(PairedEntry(credential: credential, reading: reading, thermometerAvailable: true, pairedAt: .zero),
                              direction: .in, watchList: WatchListIndex(), now: Fixture.noon)
    }

    @Test("A resident's card (hash on the residents list) with a normal temperature is admitted")
    func resident() {
        let o = decide(card(residentHash))
        #expect(o.decision == .admit && o.reason == .admitted)
    }

    @Test("A visitor's card is referred for registration")
    func visitor() {
        let o = decide(card(visitorHash))
        #expect(o.decision == .refer && o.reason == .visitorRegistration)
    }

    @Test("visitors = refuse refuses a visitor's card as unrecognised")
    func visitorRefused() {
        let o = decide(card(visitorHash), policy: idCardPolicy { $0.visitors = .refuse })
        #expect(o.decision == .refuse && o.reason == .codeUnrecognized)
    }

    @Test("An expired card is refused, even a resident's, and without waiting for a reading")
    func expired() {
        let o = decide(card(residentHash, validUntil: "20200101"), nil)
        #expect(o.decision == .refuse && o.reason == .cardExpired)
        let atOnce = Policy(idCardPolicy()).refusalOnCodeAlone(card(residentHash, validUntil: "20200101"), direction: .in,
                                                              watchList: WatchListIndex(), now: Fixture.noon)
        #expect(atOnce?.reason == .cardExpired)
    }

    @Test("A card valid without end (长期) never expires")
    func noEnd() {
        #expect(decide(card(residentHash, validUntil: nil)).reason == .admitted)
    }

    @Test("A visitor with a fever is a fever first: the temperature rule comes before registration")
    func visitorFever() {
        #expect(decide(card(visitorHash), Fixture.body(38.2)).reason == .fever)
    }

    @Test("Registration fields stay only in a visitor's registration at a registration lane")
    func registrationFieldsKeptOnlyForRegistrations() {
        var lane = Fixture.lane(thermometer: nil)
        lane.idReaders = ["idcard-1"]
        var c = idCardPolicy()
        c.requireTemperature = false
        lane.registration = true
        var registering = GateLane(lane: lane, policy: Policy(c))
        let visitor = registering.scan(card(visitorHash), at: .zero, wallClock: Fixture.noon, thermometerAvailable: false, watchList: WatchListIndex())
        #expect(visitor.first?.outcome.reason == .visitorRegistration)
        #expect(visitor.first?.entry.credential?.registration?.name == "王小明")
        let resident = registering.scan(card(residentHash), at: .seconds(10), wallClock: Fixture.noon, thermometerAvailable: false,
                                        watchList: WatchListIndex())
        #expect(resident.first?.outcome.reason == .admitted)
        #expect(resident.first?.entry.credential?.registration == nil)
        lane.registration = false
        var plain = GateLane(lane: lane, policy: Policy(c))
        let unregistered = plain.scan(card(visitorHash), at: .zero, wallClock: Fixture.noon, thermometerAvailable: false, watchList: WatchListIndex())
        #expect(unregistered.first?.outcome.reason == .visitorRegistration)
        #expect(unregistered.first?.entry.credential?.registration == nil)
        #expect(unregistered.first?.entry.credential?.lastFour == "123X")
    }

    @Test("The host the person on duty entered goes into the next registration within 2 minutes, once")
    func visitorHost() {
        var lane = Fixture.lane(thermometer: nil)
        lane.idReaders = ["idcard-1"]
        lane.registration = true
        var c = idCardPolicy()
        c.requireTemperature = false
        var gate = GateLane(lane: lane, policy: Policy(c))
        gate.setVisitorHost("张先生 302室", at: .seconds(1))
        let first = gate.scan(card(visitorHash), at: .seconds(30), wallClock: Fixture.noon, thermometerAvailable: false, watchList: WatchListIndex())
        #expect(first.first?.entry.credential?.registration?.host == "张先生 302室")
        let second = gate.scan(card(String(repeating: "c3", count: 32)), at: .seconds(40), wallClock: Fixture.noon, thermometerAvailable: false,
                               watchList: WatchListIndex())
        #expect(second.first?.entry.credential?.registration != nil && second.first?.entry.credential?.registration?.host == nil)
        gate.setVisitorHost("李女士", at: .seconds(50))
        let late = gate.scan(card(visitorHash), at: .seconds(200), wallClock: Fixture.noon, thermometerAvailable: false, watchList: WatchListIndex())
        #expect(late.first?.entry.credential?.registration?.host == nil, "an entered host expires after 2 minutes")
    }

    @Test("A card's hash on the deny list is refused as denied")
    func denied() {
        var c = idCardPolicy()
        c.deny = [visitorHash]
        #expect(decide(card(visitorHash), policy: c).reason == .codeDenied)
    }
}

@Suite("[policy.idCard] and lane idReaders configuration")
struct IDCardConfigurationTests {
    func root(_ text: String) throws -> ConfigTable { try ConfigDocument(text: text, file: "gate.toml").root }

    @Test("[policy.idCard] reads residents, visitors, expired and the key file")
    func parses() throws {
        let p = try PolicyConfiguration.parse(try root("""
            [policy.idCard]
            districtKeyFile = "/etc/checkpoint/district.key"
            residents = ["\(residentHash)"]
            visitors = "refuse"
            expired = "refer"
            """))
        #expect(p.idCard.residents == [residentHash])
        #expect(p.idCard.visitors == .refuse)
        #expect(p.idCard.expiredDecision == .refer)
        #expect(p.idCard.districtKeyFile == "/etc/checkpoint/district.key")
    }

    @Test("A resident entry that is not a 64-hex hash (e.g. a citizen number in clear) is an error naming the key")
    func clearNumberRejected() throws {
        let error = #expect(throws: ConfigError.self) {
            _ = try PolicyConfiguration.parse(try root("[policy.idCard]\nresidents = [\"11010119900307123X\"]\n"))
        }
        #expect(error?.key.contains("residents[0]") == true)
    }

    @Test("A lane may have ID readers instead of scanners; with neither it is an error")
    func laneIDReaders() throws {
        let lanes = try LaneConfiguration.parseAll(try root("""
            [[lane]]
            id = "visitors"
            direction = "in"
            idReaders = ["idcard-1"]
            registration = true
            """), knownDevices: ["idcard-1"])
        #expect(lanes.first?.idReaders == ["idcard-1"])
        #expect(lanes.first?.scanners == [])
        #expect(lanes.first?.registration == true)
        #expect(throws: ConfigError.self) {
            _ = try LaneConfiguration.parseAll(try root("[[lane]]\nid = \"x\"\ndirection = \"in\"\n"), knownDevices: [])
        }
        #expect(throws: ConfigError.self) {
            _ = try LaneConfiguration.parseAll(try root("[[lane]]\nid = \"x\"\ndirection = \"in\"\nidReaders = [\"nope\"]\n"), knownDevices: [])
        }
    }

    @Test("The policy version of a configuration without [policy.idCard] is unchanged by the ID card settings' existence")
    func versionStable() {
        let plain = PolicyConfiguration()
        #expect(!plain.canonicalText.contains("idCard"))
        var with = PolicyConfiguration()
        with.idCard.visitors = .refuse
        #expect(with.canonicalText.contains("idCard.visitors=refuse"))
    }
}
