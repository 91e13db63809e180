import Testing
@testable import Horn

@Suite("Announcement queue")
struct AnnouncementQueueTests {
    func request(_ id: String, _ p: AnnouncementPriority, at t: Int = 0, startBy: Int? = nil) -> QueuedAnnouncement {
        QueuedAnnouncement(announcementID: id, priority: p, enqueuedAt: .ms(t), startBy: startBy.map { .ms($0) })
    }

    @Test("Higher priorities come out first and equal priorities in arrival order")
    func order() {
        var q = AnnouncementQueue()
        _ = q.enqueue(request("a1", .ambient))
        _ = q.enqueue(request("s1", .scheduled))
        _ = q.enqueue(request("f1", .feedback))
        _ = q.enqueue(request("s2", .scheduled))
        _ = q.enqueue(request("x1", .alarm))
        _ = q.enqueue(request("f2", .feedback))
        var out: [String] = []
        while let item = q.next(now: .zero) { out.append(item.announcementID) }
        #expect(out == ["x1", "f1", "f2", "s1", "s2", "a1"])
    }

    @Test("An identical pending request coalesces instead of queueing twice")
    func coalesce() {
        var q = AnnouncementQueue()
        let first = q.enqueue(request("pass", .feedback))
        let second = q.enqueue(request("pass", .feedback))
        let other = q.enqueue(request("pass", .alarm))
        guard case .queued(let serial) = first else { Issue.record("first not queued: \(first)"); return }
        #expect(second == .coalesced(withSerial: serial))
        guard case .queued = other else { Issue.record("different priority must not coalesce: \(other)"); return }
        #expect(q.pending.count == 2)
        #expect(q.counters.coalesced == 1)
    }

    @Test("A full queue drops the oldest lowest-priority item for a more urgent one and counts it")
    func fullDropsLowest() {
        var q = AnnouncementQueue(capacity: 3)
        _ = q.enqueue(request("s1", .scheduled))
        _ = q.enqueue(request("a1", .ambient))
        _ = q.enqueue(request("a2", .ambient))
        let outcome = q.enqueue(request("f1", .feedback))
        guard case .queuedDroppingLowest(_, let dropped) = outcome else { Issue.record("\(outcome)"); return }
        #expect(dropped.announcementID == "a1")
        #expect(q.pending.map(\.announcementID) == ["f1", "s1", "a2"])
        // Nothing pending is less urgent than an ambient item: the new one is dropped.
        #expect(q.enqueue(request("a3", .ambient)) == .droppedQueueFull)
        #expect(q.counters.droppedFull == 2)
        #expect(q.pending.count == 3)
    }

    @Test("Feedback that could not start before its limit is dropped and counted as expired")
    func expiry() {
        var q = AnnouncementQueue()
        _ = q.enqueue(request("pass", .feedback, at: 0, startBy: 3000))
        _ = q.enqueue(request("reminder", .scheduled))
        let item = q.next(now: .ms(3001))
        #expect(item?.announcementID == "reminder")
        #expect(q.counters.expired == 1)
        var q2 = AnnouncementQueue()
        _ = q2.enqueue(request("pass", .feedback, at: 0, startBy: 3000))
        #expect(q2.next(now: .ms(3000))?.announcementID == "pass")
    }

    @Test("In quiet hours only alarms are accepted")
    func quietHours() {
        var q = AnnouncementQueue()
        #expect(q.enqueue(request("reminder", .scheduled), quiet: true) == .rejectedQuietHours)
        #expect(q.enqueue(request("pass", .feedback), quiet: true) == .rejectedQuietHours)
        guard case .queued = q.enqueue(request("fever", .alarm), quiet: true) else { Issue.record("alarm rejected"); return }
        #expect(q.pending.map(\.announcementID) == ["fever"])
        #expect(q.counters.rejectedQuiet == 2)
    }
}
