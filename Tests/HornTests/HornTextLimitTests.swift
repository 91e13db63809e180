import CheckpointCore
import Control
import DeviceIO
import Foundation
import Testing
@testable import Horn

extension HornServiceTests {
    @Test("horn.play text= longer than 120 characters is refused and nothing is queued; 120 are accepted")
    func textIsCapped() async throws {
        let amp = SimulatedOutputLine(name: "amp", now: MonotonicClock.now)
        let service = try makeService(RecordingOutput(clock: VirtualClock()), amp: amp)
        let router = ControlRouter()
        HornControlHandlers.register(service, on: router)
        let long = await router.handle(ControlRequest(command: "horn.play", arguments: ["text": String(repeating: "请", count: 121)]))
        #expect(!long.ok && long.error?.contains("at most 120") == true, "\(long)")
        let queue = await router.handle(ControlRequest(command: "horn.queue"))
        #expect(!queue.output.contains("请"), "\(queue.output)")
        let fits = await router.handle(ControlRequest(command: "horn.play", arguments: ["text": String(repeating: "请", count: 120)]))
        #expect(fits.ok, "\(fits)")
    }
}
