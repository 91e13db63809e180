import Foundation
import Testing
import TestSupport

@Suite("systemd unit of checkpoint-central")
struct SystemdUnitTests {
    @Test("systemd-analyze verifies the unit and rates its exposure at most 1.5")
    func unitVerifiesAndIsHardened() async throws {
        let (verify, security) = try await offPool { try SystemdAnalyze.verifyAndRate("checkpoint-central.service", threshold: 15) }
        #expect(verify.status == 0 && verify.output.isEmpty, "\(verify.output)")
        #expect(security.status == 0 && security.output.contains("Overall exposure level"), "\(security.output)")
    }
}
