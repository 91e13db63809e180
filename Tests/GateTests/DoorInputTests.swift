import CheckpointCore
import Gate
import Testing

/// The person on duty's inputs, pure: debouncing a GPIO input and watching a door contact, on a
/// virtual clock (ms since an arbitrary boot).
@Suite("Door contact and exit button logic on a virtual clock")
struct DoorInputTests {
    func ms(_ value: Int) -> Duration { .milliseconds(value) }

    @Test("A press that holds for the debounce time counts once; shorter bounces are counted, never reported")
    func debouncedPress() {
        var button = InputDebouncer(stableMs: 20, initial: .inactive)
        #expect(button.edge(to: .active, at: ms(100)) == nil)
        #expect(button.edge(to: .inactive, at: ms(103)) == nil)
        #expect(button.edge(to: .active, at: ms(105)) == nil)
        #expect(button.deadline == ms(125))
        #expect(button.advance(to: ms(124)) == nil)
        #expect(button.advance(to: ms(125)) == .active)
        #expect(button.advance(to: ms(200)) == nil, "one report per stable period")
        #expect(button.bounces == 1 && button.level == .active)
    }

    @Test("Noise that returns to the debounced level before the time ends reports nothing")
    func noiseOnly() {
        var contact = InputDebouncer(stableMs: 30, initial: .inactive)
        for t in stride(from: 0, through: 25, by: 5) {
            _ = contact.edge(to: t % 10 == 0 ? .active : .inactive, at: ms(t))
        }
        #expect(contact.advance(to: ms(1_000)) == nil && contact.level == .inactive)
        #expect(contact.deadline == nil)
    }

    @Test("With no debounce time every change counts at once, and a repeated level is no change")
    func noDebounce() {
        var line = InputDebouncer(stableMs: 0, initial: .inactive)
        #expect(line.edge(to: .active, at: ms(1)) == .active)
        #expect(line.edge(to: .active, at: ms(2)) == nil)
        #expect(line.edge(to: .inactive, at: ms(3)) == .inactive)
    }

    @Test("A door opened within the window after a release is authorised; opened without one it is forced")
    func forced() {
        var door = DoorMonitor(releaseWindowMs: 5_000, heldOpenMs: 30_000)
        door.released(at: ms(1_000))
        #expect(door.opened(at: ms(2_000)).isEmpty)
        #expect(door.closed(at: ms(4_000)).isEmpty)
        #expect(door.opened(at: ms(5_000)) == [.forced], "the release was used by the first opening")
        _ = door.closed(at: ms(6_000))
        door.released(at: ms(10_000))
        #expect(door.opened(at: ms(15_001)) == [.forced], "too late after the release")
    }

    @Test("A door open longer than the limit is reported held open once, and again when it closes")
    func heldOpen() {
        var door = DoorMonitor(releaseWindowMs: 5_000, heldOpenMs: 30_000)
        door.released(at: ms(0))
        #expect(door.opened(at: ms(100)).isEmpty)
        #expect(door.deadline == ms(30_100))
        #expect(door.advance(to: ms(30_099)).isEmpty)
        #expect(door.advance(to: ms(30_100)) == [.heldOpen])
        #expect(door.advance(to: ms(60_000)).isEmpty, "once per opening")
        #expect(door.closed(at: ms(61_000)) == [.closedAfterHeldOpen])
        #expect(!door.isOpen && door.deadline == nil)
    }

    @Test("A close observed only after the limit passed still reports held open before closed")
    func lateClose() {
        var door = DoorMonitor(releaseWindowMs: 1_000, heldOpenMs: 10_000)
        door.released(at: ms(0))
        _ = door.opened(at: ms(10))
        #expect(door.closed(at: ms(20_000)) == [.heldOpen, .closedAfterHeldOpen])
    }
}
