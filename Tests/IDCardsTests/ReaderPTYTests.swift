import DeviceCatalog
import DeviceFamilies
import DeviceRuntime
import DeviceSimulators
import IDCards
import Testing
import TestSupport

@Suite("ID readers through a PTY against the simulator")
struct ReaderPTYTests {
    @Test("Both shipped ID reader models load from the catalog as sam-id readers")
    func catalog() throws {
        let catalog = Catalog.load(directory: shippedCatalogPath, families: CatalogFamilies.all)
        #expect(catalog.errors.isEmpty)
        let readers = catalog.models.filter { $0.role == .idReader }.map(\.model)
        #expect(readers == ["cvr-100-serial", "sam-module-serial"])
        let cvr = try #require(catalog.model("cvr-100-serial"))
        #expect(try IDReaderFamily.session(for: cvr, device: "x").parameters.pollMs == 400)
    }

    @Test("A card presented gives exactly one card event with its fields")
    func cardPresent() async throws {
        let rig = try ReaderRig()
        defer { rig.shutdown() }
        #expect(await waitUntil { rig.log.states.contains(.ready) })
        try rig.command("present resident")
        #expect(await waitUntil { rig.log.cards.count == 1 })
        #expect(rig.log.cards.first?.citizenNumber.lastFour == SampleIDCards.card("resident")?.citizenNumber.lastFour)
    }

    @Test("A card held on the reader is not reported again while polling continues")
    func cardHeld() async throws {
        let rig = try ReaderRig(card: "visitor")
        defer { rig.shutdown() }
        #expect(await waitUntil { rig.log.cards.count == 1 })
        #expect(await waitUntil { rig.runner.session.statistics.heldPolls >= 6 })
        #expect(rig.log.cards.count == 1)
    }

    @Test("A card removed mid-read gives no card event; presented again it is read")
    func removedMidRead() async throws {
        let rig = try ReaderRig()
        defer { rig.shutdown() }
        #expect(await waitUntil { rig.log.states.contains(.ready) })
        try rig.command("removemidread")
        try rig.command("present resident")
        #expect(await waitUntil { rig.log.events.contains(.interrupted(.readBaseInfo, .readFailed)) })
        #expect(await waitUntil { rig.runner.session.statistics.requests >= 8 })
        #expect(rig.log.cards.isEmpty)
        try rig.command("present expired")
        #expect(await waitUntil { rig.log.cards.count == 1 })
    }

    @Test("Garbage and a bad checksum on the line are counted and the card is still read")
    func lineFaults() async throws {
        let rig = try ReaderRig()
        defer { rig.shutdown() }
        #expect(await waitUntil { rig.log.states.contains(.ready) })
        try rig.command("garbage 2")
        try rig.command("badsum 1")
        try rig.command("present resident")
        #expect(await waitUntil { rig.log.cards.count == 1 })
        let reasons = Set(rig.log.rejections.map(\.reason))
        #expect(reasons.contains(.garbage))
        #expect(reasons.contains(.badChecksum))
    }

    @Test("An unplugged reader reports disconnected, and ready again when plugged back")
    func unplug() async throws {
        let rig = try ReaderRig()
        defer { rig.shutdown() }
        #expect(await waitUntil { rig.log.states.contains(.ready) })
        try rig.command("disconnect 0")
        #expect(await waitUntil { rig.runner.session.state == .disconnected })
        // The log receives the state change after the session makes it: wait for the event itself.
        #expect(await waitUntil { rig.log.states.contains(.disconnected) })
        try rig.command("connect")
        #expect(await waitUntil { rig.runner.session.state == .ready })
        #expect(rig.runner.session.statistics.reconnects == 1)
    }

    @Test("A reader whose SAM reports a fault is faulty, not ready")
    func samFault() async throws {
        let rig = try ReaderRig()
        defer { rig.shutdown() }
        #expect(await waitUntil { rig.log.states.contains(.ready) })
        try rig.command("fault 60")
        #expect(await waitUntil { rig.runner.session.state == .fault(.samSelfTestFailed) })
    }
}
