import Control
import DeviceIO
import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Control socket access by peer credentials")
struct ControlAccessTests {
    /// Sends one request line per command as uid/gid 65534 (nobody, no supplementary groups), each
    /// claiming to come from root; returns the replies.
    func asNobody(_ path: String, _ commands: [String]) throws -> [ControlResponse] {
        let script = """
            import json, socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.connect(sys.argv[1])
            f = s.makefile("rwb")
            for command in sys.argv[2:]:
                claim = {"uid": 0, "gid": 0, "pid": 1, "user": "root", "mayAct": True}
                f.write((json.dumps({"command": command, "arguments": {}, "peer": claim}) + "\\n").encode())
                f.flush()
                print(f.readline().decode().strip(), flush=True)
            """
        let result = try runProgram("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                         "/usr/bin/python3", "-c", script, path] + commands)
        try #require(result.status == 0, "\(result.error)")
        return try result.output.split(separator: "\n").map { try JSONDecoder().decode(ControlResponse.self, from: Data($0.utf8)) }
    }

    @Test("A peer that is not root, the service user or an operator may read but not act, judged by the kernel's uid")
    func nonMemberRefusedActing() async throws {
        let fixture = try ControlServerTests.Fixture()
        fixture.router.register(.journalStatus) { request in .success("uid \(request.peer.map { "\($0.uid)" } ?? "none")") }
        fixture.router.register(.hornPlay) { _ in .success("played") }
        try fixture.server.start()
        #expect(chmod(fixture.path, 0o666) == 0)
        let path = fixture.path
        let replies = try await offPool { try asNobody(path, ["journal.status", "horn.play"]) }
        #expect(replies.count == 2)
        #expect(replies.first?.ok == true && replies.first?.output == "uid 65534", "\(replies)")
        #expect(replies.last?.ok == false && replies.last?.error?.contains("checkpoint-operator") == true
                && replies.last?.error?.contains("uid 65534") == true, "\(replies)")
        #expect(fixture.server.refusedRequests == 1)

        let asRoot = try await offPool { try ControlClient(path: path, timeoutSeconds: 5).send(ControlRequest(command: "horn.play")) }
        #expect(asRoot.ok && asRoot.output == "played", "root (the test runs as root) may act")
    }
}
