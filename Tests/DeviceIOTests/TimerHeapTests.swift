@testable import DeviceIO
import Testing

@Suite("Timer heap")
struct TimerHeapTests {
    @Test("Entries come out ordered by deadline, ties in scheduling order, whatever the insertion order")
    func popsInOrder() {
        var generator = SystemRandomNumberGenerator()
        var heap = TimerHeap()
        var inserted: [TimerHeap.Entry] = []
        for sequence in 0..<500 {
            let entry = TimerHeap.Entry(deadline: UInt64.random(in: 0...50, using: &generator), sequence: UInt64(sequence))
            inserted.append(entry)
            heap.insert(entry)
        }
        var popped: [TimerHeap.Entry] = []
        while let next = heap.popFirst() { popped.append(next) }
        let expected = inserted.sorted { ($0.deadline, $0.sequence) < ($1.deadline, $1.sequence) }
        #expect(popped.map(\.sequence) == expected.map(\.sequence))
        #expect(heap.isEmpty && heap.popFirst() == nil)
    }
}
