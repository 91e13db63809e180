import Control
import Foundation

/// Lines of the control-socket protocol (one JSON object per line) decoded as the daemon decodes
/// requests and `checkpointctl` decodes responses. Contract checked: a decoded request re-encodes
/// and decodes to itself.
enum ControlMessageTarget {
    static let target = FuzzTarget(
        name: "control-protocol",
        summary: "control socket lines in: ControlRequest / ControlResponse values or decoding errors",
        seeds: { [Array(#"{"command":"horn.play","arguments":{"text":"hello"}}"#.utf8) + [0x0A]
                  + Array(#"{"ok":true,"output":"3 devices","json":"{}"}"#.utf8) + [0x0A]] },
        body: run)

    static func run(_ bytes: [UInt8]) {
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let data = Data(line)
            if let request = try? JSONDecoder().decode(ControlRequest.self, from: data) {
                let again = try? JSONDecoder().decode(ControlRequest.self, from: JSONEncoder().encode(request))
                FuzzCheck.require(again == request, "a request does not survive re-encoding")
            }
            _ = try? JSONDecoder().decode(ControlResponse.self, from: data)
        }
    }
}
