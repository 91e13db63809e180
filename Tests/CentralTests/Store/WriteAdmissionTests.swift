@testable import CentralStore
import TestSupport
import Testing

/// `WriteAdmission` on its own: turns, the bound on the wait, and closing.
@Suite("Write admission")
struct WriteAdmissionTests {
    @Test("A write beyond the capacity waits, and starts when an earlier one leaves")
    func waiterStartsWhenATurnIsFreed() async throws {
        let admission = WriteAdmission(capacity: 1, waitLimit: .seconds(600))
        try await admission.enter()
        let second = Task { try await admission.enter() }
        #expect(await waitUntilAsync { await admission.waiting == 1 })
        await admission.leave()
        try await second.value
        #expect(await admission.waiting == 0)
        await admission.leave()
        try await admission.enter()
    }

    @Test("A write that waited its limit is refused busy, and the turn still goes to the next caller")
    func waiterPastItsLimitIsRefusedBusy() async throws {
        let admission = WriteAdmission(capacity: 1, waitLimit: .milliseconds(50))
        try await admission.enter()
        await #expect(throws: CentralStoreError.busy(waitedMs: 50)) { try await admission.enter() }
        #expect(await admission.waiting == 0)
        await admission.leave()
        try await admission.enter()
    }

    @Test("Waiters are served first come, first served")
    func waitersInArrivalOrder() async throws {
        let admission = WriteAdmission(capacity: 1, waitLimit: .seconds(600))
        try await admission.enter()
        let order = OrderLog()
        var tasks: [Task<Void, any Error>] = []
        for index in 0..<3 {
            tasks.append(Task {
                try await admission.enter()
                await order.append(index)
                await admission.leave()
            })
            #expect(await waitUntilAsync { await admission.waiting == index + 1 })
        }
        await admission.leave()
        for task in tasks { try await task.value }
        #expect(await order.items == [0, 1, 2])
    }

    @Test("Closing refuses the writes waiting and every later one; admitted writes are not disturbed")
    func closingRefusesWaiters() async throws {
        let admission = WriteAdmission(capacity: 2, waitLimit: .seconds(600))
        try await admission.enter()
        try await admission.enter()
        let waiter = Task { try await admission.enter() }
        #expect(await waitUntilAsync { await admission.waiting == 1 })
        await admission.refuseAll()
        await #expect(throws: CentralStoreError.engine("the store is closed")) { try await waiter.value }
        await #expect(throws: CentralStoreError.engine("the store is closed")) { try await admission.enter() }
        await admission.leave()
        await admission.leave()
    }
}

private actor OrderLog {
    var items: [Int] = []
    func append(_ item: Int) { items.append(item) }
}
