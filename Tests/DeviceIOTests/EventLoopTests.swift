import DeviceIO
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
import TestSupport
#endif

@Suite("Event loop")
struct EventLoopTests {
    @Test("Timers fire in deadline order, not in the order they were scheduled")
    func timersFireInDeadlineOrder() async throws {
        let loop = try EventLoop(name: "t-timers")
        defer { loop.stop() }
        let fired = Recorder<String>()
        loop.schedule(after: .milliseconds(60)) { fired.append("c") }
        loop.schedule(after: .milliseconds(20)) { fired.append("a") }
        loop.schedule(after: .milliseconds(40)) { fired.append("b") }
        loop.schedule(after: .milliseconds(40)) { fired.append("b2") }
        #expect(await waitUntil { fired.values.count == 4 })
        #expect(fired.values == ["a", "b", "b2", "c"])
    }

    @Test("A timer never fires before its delay has passed")
    func timerNotEarly() async throws {
        let loop = try EventLoop(name: "t-early")
        defer { loop.stop() }
        let clock = ContinuousClock()
        let start = clock.now
        let elapsed = Recorder<Duration>()
        loop.schedule(after: .milliseconds(30)) { elapsed.append(clock.now - start) }
        #expect(await waitUntil { elapsed.values.count == 1 })
        #expect(elapsed.values.first.map { $0 >= .milliseconds(30) } == true)
    }

    @Test("A timer with a huge delay does not wrap around and fire early")
    func hugeDelayDoesNotWrap() async throws {
        let loop = try EventLoop(name: "t-huge")
        defer { loop.stop() }
        let fired = Recorder<String>()
        let huge = loop.schedule(after: .seconds(Int64.max)) { fired.append("huge") }
        loop.schedule(after: .milliseconds(30)) { fired.append("soon") }
        #expect(await waitUntil { fired.values.contains("soon") })
        #expect(fired.values == ["soon"])
        #expect(loop.cancel(huge))
    }

    @Test("A cancelled timer never runs, and cancelling a timer that ran reports false")
    func cancelledTimerNeverRuns() async throws {
        let loop = try EventLoop(name: "t-cancel")
        defer { loop.stop() }
        let fired = Recorder<String>()
        let doomed = loop.schedule(after: .milliseconds(20)) { fired.append("cancelled one") }
        let kept = loop.schedule(after: .milliseconds(50)) { fired.append("kept") }
        #expect(loop.cancel(doomed))
        #expect(await waitUntil { fired.values.contains("kept") })
        #expect(fired.values == ["kept"])
        #expect(!loop.cancel(kept))
        #expect(!loop.cancel(doomed))
    }

    @Test("A registered pipe's handler runs on the loop thread when data arrives")
    func readableDescriptor() async throws {
        let loop = try EventLoop(name: "t-readable")
        defer { loop.stop() }
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let received = Recorder<String>()
        let onLoop = Recorder<Bool>()
        let readEnd = fds[0]
        let registration = try loop.register(fileDescriptor: readEnd, interest: .readable) { events in
            guard events.contains(.readable) else { return }
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n > 0 { received.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
            onLoop.append(loop.inLoopThread)
        }
        let message = Array("ping".utf8)
        #expect(message.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) } == 4)
        #expect(await waitUntil { received.values == ["ping"] })
        #expect(onLoop.values.allSatisfy { $0 })
        #expect(!loop.inLoopThread)
        loop.deregister(registration)
    }

    @Test("Writable interest reports an empty pipe as writable until it is modified away")
    func writableInterest() async throws {
        let loop = try EventLoop(name: "t-writable")
        defer { loop.stop() }
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let seen = Recorder<IOEvents>()
        let registration = try loop.register(fileDescriptor: fds[1], interest: .writable) { events in
            seen.append(events)
        }
        #expect(await waitUntil { seen.values.contains { $0.contains(.writable) } })
        try loop.modify(registration, interest: [])
        let countAfterModify = try await loop.submit { seen.values.count }
        // Two full loop turns later, no further writable event arrived.
        _ = try await loop.submit { 0 }
        _ = try await loop.submit { 0 }
        #expect(seen.values.count == countAfterModify)
        loop.deregister(registration)
    }

    @Test("Closures executed from many threads all run, on the loop thread")
    func crossThreadExecute() async throws {
        let loop = try EventLoop(name: "t-execute")
        defer { loop.stop() }
        let onLoop = Recorder<Bool>()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<100 { loop.execute { onLoop.append(loop.inLoopThread) } }
                }
            }
        }
        #expect(await waitUntil { onLoop.values.count == 800 })
        #expect(onLoop.values.allSatisfy { $0 })
    }

    @Test("submit returns the closure's value to an async caller and rethrows its error")
    func submitReturnsValue() async throws {
        struct Expected: Error {}
        let loop = try EventLoop(name: "t-submit")
        defer { loop.stop() }
        let value = try await loop.submit { loop.inLoopThread ? 42 : -1 }
        #expect(value == 42)
        await #expect(throws: Expected.self) { try await loop.submit { () throws -> Int in throw Expected() } }
    }

    @Test("After stop, execute is refused and submit throws stopped; work queued before stop still runs")
    func stopRefusesWork() async throws {
        let loop = try EventLoop(name: "t-stop")
        let ran = Recorder<Int>()
        for index in 0..<10 { loop.execute { ran.append(index) } }
        loop.stop()
        #expect(ran.values == Array(0..<10))
        #expect(loop.isStopped)
        #expect(!loop.execute { ran.append(99) })
        await #expect(throws: EventLoopError.stopped) { try await loop.submit { 1 } }
        #expect(throws: EventLoopError.stopped) { try loop.register(fileDescriptor: 0, interest: .readable) { _ in } }
    }

    @Test("An idle loop with a pending timer sleeps in epoll_wait (kernel wait channel), not polling")
    func idleLoopSleepsInEpoll() async throws {
        let name = "t-idle-\(Int.random(in: 100...999))"
        let loop = try EventLoop(name: name)
        defer { loop.stop() }
        loop.schedule(after: .seconds(30)) {}
        let threadDirectory = loop.threadID
        let comm = try String(contentsOfFile: "/proc/self/task/\(threadDirectory)/comm", encoding: .utf8)
        #expect(comm.trimmingCharacters(in: .whitespacesAndNewlines) == name, "the loop thread carries the loop's name")
        let waitChannel = { (try? String(contentsOfFile: "/proc/self/task/\(threadDirectory)/wchan", encoding: .utf8)) ?? "" }
        #expect(await waitUntil { waitChannel().contains("epoll") }, "wait channel was \(waitChannel())")
    }
}
