import DeviceSimulators
import Testing
@testable import IDCards

/// A session wired to the simulator's behaviour without I/O, on a virtual clock: every frame the
/// session sends is answered at once (after `latencyMs`), unless `dropReplies` is set.
struct VirtualReader {
    var session = IDReaderSession(model: "test", device: "sim:test")
    var reader = IDReaderSimulator()
    var now: Int64 = 0
    var events: [IDReaderEvent] = []
    var dropReplies = false

    var cards: [IDCard] { events.compactMap { if case .card(let c) = $0 { return c } else { return nil } } }
    var removals: Int { events.filter { $0 == .cardRemoved }.count }
    var interruptions: [IDReaderEvent] { events.filter { if case .interrupted = $0 { return true } else { return false } } }

    mutating func open() { apply(session.opened(now: now)) }

    /// Advances the clock through `ms`, firing the session's timer at each deadline.
    mutating func run(for ms: Int64) {
        let end = now + ms
        while let deadline = session.nextDeadline, deadline <= end {
            now = max(now, deadline)
            apply(session.timerFired(now: now))
        }
        now = end
    }

    /// Records the events and answers every frame sent (recursively: an answer may prompt the next command).
    mutating func apply(_ output: IDReaderOutput) {
        events += output.events
        guard !dropReplies else { return }
        for frame in output.send {
            for reply in reader.received(frame) { apply(session.received(reply, now: now)) }
        }
    }
}

@Suite("ID reader cycle on a virtual clock")
struct SessionTests {
    @Test("The reader becomes ready after its status answer and polls at 4 Hz by default")
    func readyAndPolling() {
        var r = VirtualReader()
        r.open()
        #expect(r.session.state == .ready)
        let before = r.session.statistics.requests
        r.run(for: 1000)
        #expect(r.session.statistics.requests - before == 4)
    }

    @Test("A card presented is read once: one card event with its fields")
    func cardPresent() throws {
        var r = VirtualReader()
        r.open()
        try r.reader.present("resident")
        r.run(for: 300)
        #expect(r.cards.count == 1)
        #expect(r.cards.first?.name == "王小明")
    }

    @Test("A card held on the reader for 5 s gives no second event")
    func cardHeld() throws {
        var r = VirtualReader()
        r.open()
        try r.reader.present("visitor")
        r.run(for: 5000)
        #expect(r.cards.count == 1)
        #expect(r.session.statistics.heldPolls >= 15)
        #expect(r.reader.reads == 1)
    }

    @Test("A card taken away and presented again is read again, after removeAfterPolls no-card answers")
    func represented() throws {
        var r = VirtualReader()
        r.open()
        try r.reader.present("resident")
        r.run(for: 500)
        r.reader.remove()
        r.run(for: 250)
        #expect(r.removals == 0)
        r.run(for: 500)
        #expect(r.removals == 1)
        try r.reader.present("resident")
        r.run(for: 500)
        #expect(r.cards.count == 2)
    }

    @Test("A card removed mid-read gives no card event, only an interruption")
    func removedMidRead() throws {
        var r = VirtualReader()
        r.open()
        try r.reader.present("resident")
        _ = try r.reader.command(["removemidread"])
        r.run(for: 2000)
        #expect(r.cards.isEmpty)
        #expect(r.interruptions == [.interrupted(.readBaseInfo, .readFailed)])
        #expect(!r.session.cardPresent)
    }

    @Test("A SAM fault answer makes the reader faulty until the status is good again")
    func samFault() throws {
        var r = VirtualReader()
        r.open()
        _ = try r.reader.command(["fault", "60"])
        r.run(for: 300)
        #expect(r.session.state == .fault(.samSelfTestFailed))
        _ = try r.reader.command(["fault", "off"])
        r.run(for: 600)
        #expect(r.session.state == .ready)
    }

    @Test("A reader that stops answering becomes unresponsive after its retries, and recovers")
    func unresponsive() {
        var r = VirtualReader()
        r.open()
        r.dropReplies = true
        r.run(for: 3000)
        #expect(r.session.state == .unresponsive)
        #expect(r.session.statistics.unanswered >= 1)
        #expect(r.events.contains(.timedOut(.findCard, attempt: 0, willRetry: true)))
        r.dropReplies = false
        r.run(for: 2000)
        #expect(r.session.state == .ready)
    }

    @Test("A read that times out is interrupted without retry")
    func readTimeout() throws {
        var r = VirtualReader()
        r.open()
        var out = r.session.timerFired(now: 250)
        #expect(out.send == [SAMFrame.command(.findCard)])
        out = r.session.received(SAMFrame.response(.cardFound, data: [0, 0, 0, 0]), now: 260)
        out = r.session.received(SAMFrame.response(.success, data: Array(repeating: 0, count: 8)), now: 270)
        #expect(out.send == [SAMFrame.command(.readBaseInfo)])
        out = r.session.received(Array(SAMFrame.response(.success, data: BaseInfo.encode(try sampleCard())).prefix(500)), now: 300)
        out = r.session.timerFired(now: 270 + 3000)
        #expect(out.events.contains(.interrupted(.readBaseInfo, nil)))
        #expect(out.events.contains(.rejected(IDCardRejection(.truncated, "reply incomplete at timeout", bytes: 500))))
        #expect(out.send.isEmpty)
    }

    @Test("A response with no request outstanding is counted as unsolicited")
    func unsolicited() {
        var r = VirtualReader()
        r.open()
        let out = r.session.received(SAMFrame.response(.noCard), now: 10)
        #expect(out.events == [.rejected(IDCardRejection(.unsolicited, "status no card (0x80) with no request outstanding"))])
        #expect(r.session.statistics.rejections[.unsolicited] == 1)
    }

    @Test("A lost port forgets a present card and reports disconnected; reopening counts a reconnect")
    func portLost() throws {
        var r = VirtualReader()
        r.open()
        try r.reader.present("resident")
        r.run(for: 300)
        let out = r.session.closed(now: r.now)
        #expect(out.events.contains(.readerState(.disconnected)))
        #expect(!r.session.cardPresent)
        #expect(r.session.nextDeadline == nil)
        r.open()
        #expect(r.session.statistics.reconnects == 1)
    }
}
